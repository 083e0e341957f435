from django.apps import AppConfig


class CocreationConfig(AppConfig):
    name = "peerwork.cocreation"
    label = "cocreation"
    verbose_name = "Co-creation"

    def ready(self) -> None:
        from django.utils.translation import gettext_lazy as _

        from peerwork.accounts.models import Role
        from peerwork.core.navigation import NavItem, register

        from . import home  # noqa: F401  (registers the home-page sections)
        from .selectors import committee_counts

        everyone = frozenset(Role.values)
        register(NavItem("cocreation:initiatives", _("Co-creation"), everyone - {Role.DPO}, order=40))
        register(NavItem("cocreation:boards", _("Boards"), everyone - {Role.DPO}, order=41))
        register(
            NavItem(
                "cocreation:signals",
                _("Signals"),
                frozenset({Role.PEER_WORKER, Role.SENIOR_PEER_WORKER, Role.MANAGER}),
                order=42,
            )
        )

        # Each peer worker's number of committees counts toward the readiness checks (S1 B1), when the
        # readiness app asks for it.
        import importlib
        import importlib.util

        readiness_checks = (
            importlib.import_module("peerwork.readiness.checks")
            if importlib.util.find_spec("peerwork.readiness.checks")
            else None
        )
        counters = getattr(readiness_checks, "COMMITTEE_COUNTERS", None)
        if isinstance(counters, list) and committee_counts not in counters:
            counters.append(committee_counts)

        from peerwork.api.main import api

        from .api import router

        api.add_router("/cocreation", router)

        from peerwork.demo.seed import EXTENSIONS

        from .demo import seed_cocreation

        if seed_cocreation not in EXTENSIONS:
            EXTENSIONS.append(seed_cocreation)

        from peerwork.demo.generate import GENERATORS

        from .generate import from_generated

        if from_generated not in GENERATORS:
            GENERATORS.append(from_generated)

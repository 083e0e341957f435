from django.apps import AppConfig


class ServiceConfig(AppConfig):
    name = "peerwork.service"
    label = "service"

    def ready(self) -> None:
        from django.utils.translation import gettext_lazy as _

        from peerwork.accounts.models import Role
        from peerwork.core.navigation import NavItem, register

        coordinator = frozenset({Role.COORDINATOR})
        register(NavItem("service:dashboard", _("Dashboard"), coordinator, order=10))
        register(NavItem("service:queue", _("Referral queue"), coordinator, order=11))
        register(NavItem("service:caseload", _("My caseload"), frozenset({Role.PEER_WORKER}), order=12))
        register(NavItem("service:quick_add", _("Log a contact"), frozenset({Role.PEER_WORKER}), order=13))
        register(NavItem("service:guidance_due", _("Guidance"), frozenset({Role.SENIOR_PEER_WORKER}), order=14))

        from peerwork.api.main import api

        from . import home  # noqa: F401  (registers the home-page sections)
        from .api import router

        api.add_router("/service", router)

        from peerwork.demo.seed import EXTENSIONS

        from .demo import seed

        if seed not in EXTENSIONS:
            EXTENSIONS.append(seed)

        from peerwork.demo.generate import GENERATORS

        from .generate import from_generated

        if from_generated not in GENERATORS:
            GENERATORS.append(from_generated)

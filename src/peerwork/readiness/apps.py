from django.apps import AppConfig


class ReadinessConfig(AppConfig):
    name = "peerwork.readiness"
    label = "readiness"
    verbose_name = "Readiness"

    def ready(self) -> None:
        from django.utils.translation import gettext_lazy as _

        from peerwork.core.navigation import NavItem, register

        from . import home  # noqa: F401  (registers the home-page sections)
        from .roles import READ_ROLES

        register(NavItem("readiness:overview", _("Readiness"), frozenset(READ_ROLES), order=30))

        from peerwork.api.main import api

        from .api import router

        api.add_router("/readiness", router)

        from peerwork.demo.seed import EXTENSIONS

        from .demo import seed_readiness

        if seed_readiness not in EXTENSIONS:
            EXTENSIONS.append(seed_readiness)

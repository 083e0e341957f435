from django.apps import AppConfig


class PrivacyConfig(AppConfig):
    name = "peerwork.privacy"
    label = "privacy"

    def ready(self) -> None:
        from django.utils.translation import gettext_lazy as _

        from peerwork.accounts.models import Role
        from peerwork.core.navigation import NavItem, register

        register(NavItem("privacy:consents", _("Consent"), frozenset({Role.PEER_WORKER, Role.COORDINATOR}), order=35))
        register(NavItem("privacy:shared", _("Shared with me"), frozenset({Role.PROFESSIONAL}), order=20))
        register(NavItem("privacy:people", _("People's rights"), frozenset({Role.DPO}), order=75))
        register(NavItem("privacy:evaluation", _("Evaluation extracts"), frozenset({Role.DPO, Role.MANAGER}), order=77))

        from peerwork.api.main import api

        from .api import router

        api.add_router("/privacy", router)

        from peerwork.demo.seed import EXTENSIONS

        from .demo import seed_privacy

        if seed_privacy not in EXTENSIONS:
            EXTENSIONS.append(seed_privacy)

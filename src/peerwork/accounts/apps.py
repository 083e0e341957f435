from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "peerwork.accounts"
    label = "accounts"

    def ready(self) -> None:
        from . import oidc

        # A mistake in PEERWORK_OIDC stops Peerwork at start, naming the provider and the key to fix, rather
        # than at someone's first sign-in.
        oidc.providers()

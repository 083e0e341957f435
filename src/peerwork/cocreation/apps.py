from django.apps import AppConfig


class CocreationConfig(AppConfig):
    name = "peerwork.cocreation"
    label = "cocreation"

    def ready(self) -> None:
        # Register this app's navigation entries, home-page sections (core.home.section), API router
        # (peerwork.api.main.api.add_router) and demo data (peerwork.demo.seed.EXTENSIONS) here.
        pass

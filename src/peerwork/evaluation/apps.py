from django.apps import AppConfig


class EvaluationConfig(AppConfig):
    name = "peerwork.evaluation"
    label = "evaluation"

    def ready(self) -> None:
        # Register this app's navigation entries, home-page sections (core.home.section), API router
        # (peerwork.api.main.api.add_router) and demo data (peerwork.demo.seed.EXTENSIONS) here.
        pass

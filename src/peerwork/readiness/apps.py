from django.apps import AppConfig


class ReadinessConfig(AppConfig):
    name = "peerwork.readiness"
    label = "readiness"
    verbose_name = "Readiness"

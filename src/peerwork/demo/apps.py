from django.apps import AppConfig


class DemoConfig(AppConfig):
    name = "peerwork.demo"
    label = "demo"

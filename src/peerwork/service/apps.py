from django.apps import AppConfig


class ServiceConfig(AppConfig):
    name = "peerwork.service"
    label = "service"

from django.apps import AppConfig


class CocreationConfig(AppConfig):
    name = "peerwork.cocreation"
    label = "cocreation"
    verbose_name = "Co-creation"

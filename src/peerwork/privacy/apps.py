from django.apps import AppConfig


class PrivacyConfig(AppConfig):
    name = "peerwork.privacy"
    label = "privacy"

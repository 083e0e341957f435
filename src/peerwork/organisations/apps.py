from django.apps import AppConfig


class OrganisationsConfig(AppConfig):
    name = "peerwork.organisations"
    label = "organisations"

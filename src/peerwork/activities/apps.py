from django.apps import AppConfig


class ActivitiesConfig(AppConfig):
    name = "peerwork.activities"
    label = "activities"
    verbose_name = "Groups and courses"

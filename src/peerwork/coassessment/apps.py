from django.apps import AppConfig


class CoassessmentConfig(AppConfig):
    name = "peerwork.coassessment"
    label = "coassessment"
    verbose_name = "Co-assessment"

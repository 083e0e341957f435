from django.apps import AppConfig


class EvaluationConfig(AppConfig):
    name = "peerwork.evaluation"
    label = "evaluation"
    verbose_name = "Evaluation"

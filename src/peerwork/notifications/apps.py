from django.apps import AppConfig


class NotificationsConfig(AppConfig):
    name = "peerwork.notifications"
    label = "notifications"
    verbose_name = "Notifications"

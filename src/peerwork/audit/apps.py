from django.apps import AppConfig


class AuditConfig(AppConfig):
    """The base layer every app writes to: the audit trail and the permission matrix."""

    name = "peerwork.audit"
    label = "audit"
    default_auto_field = "django.db.models.BigAutoField"

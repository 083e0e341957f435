from typing import Any

from django.apps import AppConfig
from django.db import connections
from django.db.models.signals import post_migrate

from . import guards


class AuditConfig(AppConfig):
    """The base layer every app writes to: the audit trail and the permission matrix."""

    name = "peerwork.audit"
    label = "audit"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        # After every migrate (or flush), make sure the trail's guards are in place: a migration that rebuilds
        # a table on SQLite drops its triggers, and this puts them back.
        post_migrate.connect(_install_guards, dispatch_uid="peerwork.audit.guards")


def _install_guards(sender: AppConfig, using: str = "default", **kwargs: Any) -> None:
    if sender.label != "audit":
        return
    guards.install(connections[using])

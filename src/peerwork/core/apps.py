from typing import Any

from django.apps import AppConfig
from django.db.models.signals import post_migrate


def _create_cache_table(sender: AppConfig, using: str = "default", **kwargs: Any) -> None:
    """The database cache holds the shared rate-limit counters; `migrate` creates its table (idempotent)."""
    from django.core.management import call_command

    call_command("createcachetable", database=using, verbosity=0)


class CoreConfig(AppConfig):
    name = "peerwork.core"
    label = "core"

    def ready(self) -> None:
        from . import checks  # noqa: F401  (registers the checks)

        post_migrate.connect(_create_cache_table, sender=self, dispatch_uid="peerwork.core.createcachetable")

from typing import Any

from django.apps import AppConfig
from django.db.models.signals import post_migrate


def _create_cache_table(sender: AppConfig, using: str = "default", **kwargs: Any) -> None:
    """The database cache holds the shared rate-limit counters; `migrate` creates its table.

    post_migrate is sent once per app with models (core has none, so it listens to all); the command is
    idempotent and runs once per migrate, after the last app.
    """
    from django.apps import apps
    from django.core.management import call_command

    if sender.label != [a for a in apps.get_app_configs() if a.models_module is not None][-1].label:
        return
    call_command("createcachetable", database=using, verbosity=0)


class CoreConfig(AppConfig):
    name = "peerwork.core"
    label = "core"

    def ready(self) -> None:
        from . import (
            checks,  # noqa: F401  (registers the checks)
            formwords,
        )

        formwords.install()

        post_migrate.connect(_create_cache_table, dispatch_uid="peerwork.core.createcachetable")

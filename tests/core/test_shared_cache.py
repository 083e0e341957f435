"""Rate-limit counters live in the database cache, shared by all processes; `migrate` creates its table."""

from __future__ import annotations

from django.conf import settings
from django.core.cache import cache
from django.core.management.sql import emit_post_migrate_signal
from django.db import connection


def test_the_default_cache_is_the_database():
    assert settings.CACHES["default"]["BACKEND"] == "django.core.cache.backends.db.DatabaseCache"


def test_migrate_creates_the_cache_table(db):
    table = settings.CACHES["default"]["LOCATION"]
    with connection.cursor() as cursor:
        cursor.execute(f"DROP TABLE {connection.ops.quote_name(table)}")
    assert table not in connection.introspection.table_names()
    emit_post_migrate_signal(verbosity=0, interactive=False, db="default")  # what `migrate` sends at its end
    assert table in connection.introspection.table_names()
    cache.set("peerwork:probe", 1, 10)
    assert cache.get("peerwork:probe") == 1

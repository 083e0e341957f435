"""The ``peerwork`` command: Django's management commands with Peerwork's settings.

peerwork migrate | demo | generate --scale national | audit verify | runserver | check --deploy …
"""

from __future__ import annotations

import os
import sys


def main(argv: list[str] | None = None) -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "peerwork.settings")
    from django.core.management import execute_from_command_line

    execute_from_command_line(["peerwork", *(sys.argv[1:] if argv is None else argv)])


if __name__ == "__main__":
    main()

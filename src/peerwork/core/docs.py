"""Sections of the documentation that code writes, so a document and the code it describes cannot drift.

A generated section sits between two marker lines (``<!-- name:start … -->`` … ``<!-- name:end -->``). A
management command writes it (``peerwork permissions doc``, ``peerwork datamap doc``) or, with ``--check``,
only says whether it is current; a test fails when it is not.
"""

from __future__ import annotations

from pathlib import Path

from django.conf import settings
from django.core.management.base import CommandError, CommandParser

DATA_PROTECTION = Path(settings.BASE_DIR).parent.parent / "docs" / "data-protection.md"


def markers(name: str, command: str) -> tuple[str, str]:
    return (
        f"<!-- {name}:start (written by `peerwork {command}`; do not edit by hand) -->",
        f"<!-- {name}:end -->",
    )


def with_section(document: str, name: str, command: str, body: str) -> str:
    """``document`` with the section ``name`` replaced by ``body`` (markers kept)."""
    start_marker, end_marker = markers(name, command)
    start, end = document.find(start_marker), document.find(end_marker)
    if start < 0 or end < start:
        raise ValueError(f"the document has no {name} markers")
    return f"{document[:start]}{start_marker}\n\n{body}\n\n{end_marker}{document[end + len(end_marker) :]}"


def add_doc_arguments(parser: CommandParser, what: str) -> None:
    parser.add_argument("--check", action="store_true", help="Fail if the document is not up to date.")
    parser.add_argument(
        "--path", default=str(DATA_PROTECTION), help=f"The document to write {what} into (default: {DATA_PROTECTION})."
    )


def write_section(path_text: str, name: str, body: str, *, check: bool, command: str, what: str) -> str:
    """Write (or, with ``check``, only compare) one generated section; the line to show the operator."""
    path = Path(path_text)
    if not path.exists():
        raise CommandError(f"{path} does not exist.")
    current = path.read_text(encoding="utf-8")
    try:
        wanted = with_section(current, name, command, body)
    except ValueError as exc:
        raise CommandError(f"{path}: {exc}. Add the two marker lines where {what} belongs.") from exc
    if check:
        if wanted != current:
            raise CommandError(f"{path} is out of date: run `peerwork {command}`.")
        return f"{path} is up to date ({what})."
    if wanted == current:
        return f"{path} was already up to date."
    path.write_text(wanted, encoding="utf-8")
    return f"Wrote {what} into {path}."

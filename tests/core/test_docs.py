"""Generated sections of the documentation: written by a command, checked by a test, never edited by hand."""

from __future__ import annotations

from io import StringIO

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from peerwork.audit import matrix
from peerwork.core import docs
from peerwork.privacy import datamap


@pytest.mark.parametrize(
    ("command", "module", "expected"),
    [("permissions", matrix, "/privacy/shared/"), ("datamap", datamap, "| Session | session_data |")],
)
def test_the_command_writes_and_checks_its_section(tmp_path, command, module, expected):
    start, end = docs.markers(module.DOC_SECTION, module.DOC_COMMAND)
    doc = tmp_path / "doc.md"
    doc.write_text(f"# Title\n\n{start}\nstale\n{end}\n\nAfter.\n", encoding="utf-8")
    with pytest.raises(CommandError, match="out of date"):
        call_command(command, "doc", "--check", "--path", str(doc))
    out = StringIO()
    call_command(command, "doc", "--path", str(doc), stdout=out)
    text = doc.read_text(encoding="utf-8")
    assert expected in text and text.endswith("After.\n") and "stale" not in text
    call_command(command, "doc", "--check", "--path", str(doc), stdout=out)
    assert "up to date" in out.getvalue()
    doc.write_text("no markers", encoding="utf-8")
    with pytest.raises(CommandError, match="markers"):
        call_command(command, "doc", "--path", str(doc))

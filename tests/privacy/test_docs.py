"""docs/data-protection.md carries the permission matrix as the code declares it."""

from __future__ import annotations

from io import StringIO
from pathlib import Path

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from peerwork.audit import matrix

DOC = Path(__file__).resolve().parents[2] / "docs" / "data-protection.md"


def test_the_document_shows_the_current_matrix():
    current = DOC.read_text(encoding="utf-8")
    assert matrix.with_table(current) == current, (
        "docs/data-protection.md is out of date: run `peerwork permissions doc`"
    )
    for row in matrix.ROUTES:
        assert f"| {row.method} |" in current


def test_the_command_writes_and_checks(tmp_path):
    doc = tmp_path / "doc.md"
    doc.write_text(f"# Title\n\n{matrix.DOC_START}\nold\n{matrix.DOC_END}\n\nAfter.\n", encoding="utf-8")
    with pytest.raises(CommandError, match="out of date"):
        call_command("permissions", "doc", "--check", "--path", str(doc))
    out = StringIO()
    call_command("permissions", "doc", "--path", str(doc), stdout=out)
    text = doc.read_text(encoding="utf-8")
    assert "/privacy/shared/" in text and text.endswith("After.\n") and "old" not in text
    call_command("permissions", "doc", "--check", "--path", str(doc), stdout=out)
    doc.write_text("no markers", encoding="utf-8")
    with pytest.raises(CommandError, match="markers"):
        call_command("permissions", "doc", "--path", str(doc))


def test_the_document_states_the_re_identification_check_as_the_code_does():
    from peerwork.core.anonymity import ANONYMITY_THRESHOLD
    from peerwork.privacy.generalise import QUASI_IDENTIFIERS, SUPPRESSED

    text = " ".join(DOC.read_text(encoding="utf-8").split())
    assert f"at least **{ANONYMITY_THRESHOLD} people in the extract**" in text
    assert "Peerwork's default anonymity threshold" in text and "`YYYY-MM`" in text
    steps = {
        "municipality": "first the municipality",
        "gender": "then gender",
        "life_areas": "then life areas",
        "age_band": "then the age band",
    }
    assert "**age band, gender, municipality and life areas**" in text
    order = [text.index(steps[f]) for f in QUASI_IDENTIFIERS]
    assert order == sorted(order) and f'`"{SUPPRESSED}"`' in text
    assert "/privacy/my-evaluation-consent/" in text

"""docs/data-protection.md carries the permission matrix as the code declares it."""

from __future__ import annotations

from pathlib import Path

from peerwork.audit import matrix

DOC = Path(__file__).resolve().parents[2] / "docs" / "data-protection.md"


def test_the_document_shows_the_current_matrix():
    current = DOC.read_text(encoding="utf-8")
    assert matrix.with_table(current) == current, (
        "docs/data-protection.md is out of date: run `peerwork permissions doc`"
    )
    for row in matrix.ROUTES:
        assert f"| {row.method} |" in current


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

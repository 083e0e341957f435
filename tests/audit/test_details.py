"""Audit details are structured (a registered kind and its parameters) and read in the reader's language."""

from __future__ import annotations

import ast
import json
import re
from pathlib import Path

import pytest
from django.utils import translation

from peerwork.audit import details
from peerwork.audit import trail as audit
from peerwork.audit.details import KINDS, Count, Detail, Words, in_words
from peerwork.audit.models import AuditEntry
from peerwork.audit.shapes import problems
from peerwork.core.roles import Role

SRC = Path(__file__).resolve().parents[2] / "src" / "peerwork"
SNAKE = re.compile(r"\b[a-z]+_[a-z_]+\b")


def _structured(node: ast.expr) -> bool:
    """A detail expression is ``Detail(...)``, None, a name or attribute holding one, or a choice of those."""
    if isinstance(node, ast.Call):
        return isinstance(node.func, ast.Name) and node.func.id == "Detail"
    if isinstance(node, ast.IfExp):
        return _structured(node.body) and _structured(node.orelse)
    if isinstance(node, ast.Constant):
        return node.value is None
    return isinstance(node, (ast.Name, ast.Attribute))


def _detail_args(call: ast.Call) -> list[ast.expr]:
    name = call.func.id if isinstance(call.func, ast.Name) else getattr(call.func, "attr", "")
    if name not in ("record", "record_many"):
        return []
    found = [k.value for k in call.keywords if k.arg == "detail"]
    if name == "record_many" and len(call.args) >= 4:
        found.append(call.args[3])
    return found


def test_every_call_site_passes_a_structured_detail():
    plain = []
    for path in SRC.rglob("*.py"):
        tree = ast.parse(path.read_text(), str(path))
        for node in ast.walk(tree):
            if isinstance(node, ast.Call):
                for arg in _detail_args(node):
                    if not _structured(arg):
                        plain.append(f"{path.relative_to(SRC)}:{arg.lineno}")
    assert not plain, f"record()/record_many() given plain text as detail, use Detail(kind, ...): {plain}"


def test_plain_text_is_refused_when_recorded(world):
    with pytest.raises(TypeError):
        audit.record(world.actor(Role.MANAGER), audit.Action.READ, world.positions[0], detail="list")  # type: ignore[arg-type]  # plain text, refused
    with pytest.raises(ValueError):
        Detail("no_such_kind")
    with pytest.raises(ValueError):
        Detail("progress", colour="red")


def test_the_stored_value_is_canonical_json_within_the_field():
    stored = Detail("progress", status="done").stored
    assert stored == '{"k":"progress","status":"done"}'
    assert json.loads(stored) == {"k": "progress", "status": "done"}
    long = Detail("person_fields", fields=[f"field_number_{i}" for i in range(80)]).stored
    assert len(long) <= details.MAX_LENGTH and json.loads(long)["k"] == "person_fields"
    huge = Detail("availability", kind="changed", fields=["x" * 500] * 40).stored
    assert len(huge) <= details.MAX_LENGTH and json.loads(huge)["k"] == "availability"


def test_a_structured_entry_keeps_the_chain_intact_and_its_shape(world):
    entry = audit.record(world.actor(Role.MANAGER), audit.Action.UPDATE, world.positions[0], detail=Detail("sent"))
    assert entry.detail == '{"k":"sent"}'
    assert list(audit.verify(world.org.pk)) == []
    values = AuditEntry.objects.filter(pk=entry.pk).values().get()
    values["actor__username"] = world.users[Role.MANAGER].username
    assert problems(values) == []
    assert "detail" in problems({**values, "detail": '{"k":"sent","colour":"red"}'})


def _sentences(language: str) -> dict[str, list[str]]:
    """Every kind's sentence in ``language``, with each word of each fixed set and each plural form."""
    out: dict[str, list[str]] = {}
    with translation.override(language):
        for name, kind in KINDS.items():
            said = [details.renders(name)]
            for param, renderer in kind.params.items():
                if isinstance(renderer, Words):
                    said += [details.renders(name, **{param: code}) for code in renderer.words_of]
                if isinstance(renderer, Count):
                    said += [details.renders(name, **{param: n}) for n in (1, 2)]
            out[name] = said
    return out


def _msgid(template) -> str:
    """The English text a lazy template translates (``gettext_lazy`` or ``ngettext_lazy``)."""
    return template._kw.get("singular") or template._args[0]


def _translated(language: str, msgid: str) -> bool:
    catalog = translation.trans_real.translation(language)._catalog
    return bool(catalog.get(msgid) or catalog.get((msgid, 0)))


def test_every_kind_reads_as_words_in_every_language():
    english = _sentences("en")
    for language in ("nb", "da"):
        local = _sentences(language)
        for name, sentences in local.items():
            assert _translated(language, _msgid(KINDS[name].template)), f"{name} has no {language} translation"
            for text, in_english in zip(sentences, english[name], strict=True):
                assert text and "%(" not in text and ")s" not in text, (language, name, text)
                assert not SNAKE.search(text), (language, name, text)
                # a sentence may read the same in both languages ("Status: …"), never its words of a fixed set
                assert text != in_english or _translated(language, _msgid(KINDS[name].template)), (name, text)
        for kind in KINDS.values():
            for renderer in kind.params.values():
                if isinstance(renderer, Words):
                    for label in renderer.words_of.values():
                        assert _translated(language, str(label._args[0])), (language, label)
    for name, sentences in english.items():
        for text in sentences:
            assert "%(" not in text and not SNAKE.search(text), (name, text)


def test_a_count_takes_the_right_plural():
    with translation.override("nb"):
        assert details.renders("comments", count=1) == "1 kommentar."
        assert details.renders("comments", count=5) == "5 kommentarer."
    with translation.override("da"):
        assert details.renders("candidates", count=1) == "1 peer-medarbejder foreslået."
    assert details.renders("candidates", count=2) == "2 peer workers proposed."


def test_a_date_is_shown_in_the_local_format():
    with translation.override("nb"):
        text = details.renders("period", start="2026-03-02", end="2026-03-31")
    assert "2026-03-02" not in text and "mars" in text and "alle enheter" in text


def test_details_written_before_still_read_as_sentences():
    assert in_words("list csv 12") == "List CSV 12."
    assert in_words("own, purpose=evaluation") == "Own, purpose: evaluation."
    assert in_words("") == ""
    assert in_words('{"k":"not a kind"}')  # unknown JSON falls back to the old reading, never fails
    with translation.override("nb"):
        assert in_words(Detail("progress", status="in_progress").stored) == "Fremdrift: Pågår."

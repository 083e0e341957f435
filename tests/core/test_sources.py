"""Every rule is traceable to its source: the registry, the catalogue, docs/sources.md and the Sources page agree,
and what people read never shows a bare code ("S1 A7") or a reference to a file outside the repository."""

from __future__ import annotations

import re
from html.parser import HTMLParser
from pathlib import Path

import polib
import pytest
from django.core.management import call_command
from django.urls import reverse

from peerwork.accounts.models import User
from peerwork.cocreation import selectors as cocreation_selectors
from peerwork.core import sources
from peerwork.core.roles import Role
from peerwork.demo.seed import DK_SLUG, NO_SLUG, seed_demo
from peerwork.organisations.models import Organisation
from tests.conftest import actor_for, build_world, verified_client

ROOT = Path(__file__).resolve().parents[2]
SRC = ROOT / "src" / "peerwork"
KEY_IN_CODE = re.compile(r"""["']((?:s[0-4]|default)-[a-z0-9-]+)["']""")


class _Links(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.hrefs: list[str] = []
        self.ids: set[str] = set()

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = dict(attrs)
        if tag == "a" and a.get("href"):
            self.hrefs.append(a["href"] or "")
        if a.get("id"):
            self.ids.add(a["id"] or "")


def _parse(html: str) -> _Links:
    p = _Links()
    p.feed(html)
    return p


def _source_keys(html: str) -> list[str]:
    page = reverse("core:sources")
    return [h.split("#", 1)[1] for h in _parse(html).hrefs if h.startswith(f"{page}#")]


def test_every_catalogue_entry_cites_known_citations():
    entries = sources.catalogue()
    kinds = {str(e.kind) for e in entries}
    for kind in [
        "Readiness check",
        "Readiness question",
        "Point of attention",
        "Co-creation warning",
        "Evaluation figure",
        "Setting",
    ]:
        assert kind in kinds, f"no {kind} reported to the source catalogue"
    missing = [f"{e.kind} {e.code}" for e in entries if not e.cites]
    assert not missing, f"entries without a citation: {missing}"
    unknown = [f"{e.kind} {e.code}: {sources.unknown(e.cites)}" for e in entries if sources.unknown(e.cites)]
    assert not unknown, f"entries naming citations the registry lacks: {unknown}"


def test_every_point_of_attention_and_check_is_in_the_catalogue():
    from peerwork.readiness.attention import POINTS
    from peerwork.readiness.checks import CHECKS
    from peerwork.readiness.instrument import ITEMS

    codes = {(str(e.kind), e.code) for e in sources.catalogue()}
    assert {("Point of attention", p.code) for p in POINTS} <= codes
    assert {("Readiness check", c.code) for c in CHECKS} <= codes
    assert {("Readiness question", i.code) for i in ITEMS} <= codes


def test_citations_are_well_formed():
    for c in sources.CITATIONS_LIST:
        assert c.source == sources.DEFAULT or c.source in sources.SOURCES, c.key
        assert re.fullmatch(r"(s[0-4]|default)-[a-z0-9-]+", c.key), c.key
        assert c.key.startswith(c.source.lower() + "-") or (c.is_default and c.key.startswith("default-")), c.key
        assert str(c.says).strip() and str(c.section).strip(), c.key
    assert len(sources.CITATIONS) == len(sources.CITATIONS_LIST), "a citation key is used twice"
    for s in sources.SOURCES.values():
        assert s.doi or s.isbn or s.key == "S1", f"{s.key} has neither DOI nor ISBN"


def test_docs_sources_md_is_up_to_date():
    call_command("sources", "doc", "--check")
    text = (ROOT / "docs" / "sources.md").read_text(encoding="utf-8")
    for key in sources.CITATIONS:
        assert f"`{key}`" in text


def test_every_citation_key_named_in_code_and_templates_exists():
    named: dict[str, str] = {}
    for path in [*SRC.rglob("*.py"), *SRC.rglob("*.html")]:
        if (
            "migrations" in path.parts
            or path.name == "settings.py"
            or (path.name == "sources.py" and path.parent.name == "core")
        ):
            continue
        for key in KEY_IN_CODE.findall(path.read_text(encoding="utf-8")):
            named.setdefault(key, str(path.relative_to(ROOT)))
    unknown = {k: where for k, where in named.items() if k not in sources.CITATIONS}
    assert not unknown, f"citation keys the registry lacks: {unknown}"
    assert named, "the scan found no citation keys at all"


def test_what_people_read_names_no_bare_source_code():
    """Strings in the catalogues are what people read; "(S1 A7)" means nothing to them."""
    bare = []
    for po in SRC.rglob("locale/nb/LC_MESSAGES/django.po"):
        for e in polib.pofile(str(po)):
            if re.search(r"\bS[0-4]\b", e.msgid) or "DOMAIN.md" in e.msgid:
                bare.append(f"{po.relative_to(ROOT)}: {e.msgid[:70]}")
    assert not bare, bare


def test_norwegian_catalogues_call_the_employed_peer_worker_erfaringskonsulent():
    found = []
    for po in SRC.rglob("locale/nb/LC_MESSAGES/django.po"):
        for e in polib.pofile(str(po)):
            text = " ".join([e.msgstr, *e.msgstr_plural.values()])
            volunteer = re.search(r"volunt|informal", e.msgid, re.I)
            if re.search(r"likeperson", text, re.I) and not volunteer:
                found.append(f"{po.relative_to(ROOT)}: {e.msgid[:60]}")
    assert not found, found


def test_nothing_points_to_files_outside_the_repository():
    offenders = []
    for path in [*SRC.rglob("*.py"), *SRC.rglob("*.html"), *(ROOT / "docs").glob("*.md"), ROOT / "README.md"]:
        text = path.read_text(encoding="utf-8")
        if "DOMAIN.md" in text or "../shared" in text or "/work/shared" in text:
            offenders.append(str(path.relative_to(ROOT)))
    assert not offenders, offenders


@pytest.mark.django_db
@pytest.mark.parametrize(("language", "heading"), [("en", "Sources"), ("nb", "Kilder"), ("da", "Kilder")])
def test_the_sources_page_has_an_entry_for_every_citation(language, heading):
    world = build_world("Alpha")
    client = world.client(Role.PROFESSIONAL)
    client.post(reverse("set_language"), {"language": language, "next": "/"})
    html = client.get(reverse("core:sources")).content.decode()
    parsed = _parse(html)
    assert f"<h1>{heading}</h1>" in html
    assert set(sources.CITATIONS) <= parsed.ids
    assert {s.anchor for s in sources.SOURCES.values()} <= parsed.ids
    for s in sources.SOURCES.values():
        if s.doi:
            assert f"https://doi.org/{s.doi}" in parsed.hrefs
    assert not re.search(r"\(S[0-4]\b", html)


@pytest.mark.django_db
def test_every_role_may_open_the_sources_page():
    world = build_world("Alpha")
    for role in Role:
        assert world.client(role).get(reverse("core:sources")).status_code == 200, role


@pytest.mark.django_db
def test_demo_checks_and_warnings_link_to_existing_entries():
    seed_demo()
    dk = Organisation.objects.get(slug=DK_SLUG)
    client = verified_client(User.objects.get(username="dk-manager"))
    page = client.get(reverse("readiness:checks")).content.decode()
    keys = _source_keys(page)
    assert "s1-a7" in keys and "default-inexperienced" in keys, keys
    assert set(keys) <= set(sources.CITATIONS)

    no = Organisation.objects.get(slug=NO_SLUG)
    manager = User.objects.get(username="manager")
    views = cocreation_selectors.initiatives(actor_for(manager, no))
    warned = next(v for v in views if v.warnings)
    html = verified_client(manager).get(reverse("cocreation:initiative", args=[warned.initiative.pk])).content.decode()
    warning_keys = _source_keys(html)
    assert warning_keys and set(warning_keys) <= set(sources.CITATIONS)
    assert dk.pk != no.pk


@pytest.mark.django_db
def test_every_dashboard_figure_and_chart_is_listed_with_its_citations():
    from datetime import date

    from peerwork.evaluation import figures
    from peerwork.evaluation.figures.cites import FIGURES

    world = build_world("Alpha")
    d = figures.build(figures.Filters(world.org.pk, date(2026, 1, 1), date(2026, 3, 31)))
    keys = {f.key for f in d.figures} | {c.key for c in d.charts}
    assert keys and keys <= set(FIGURES), keys - set(FIGURES)
    assert all(set(f.cites) <= set(sources.CITATIONS) for f in d.figures)


@pytest.mark.django_db
def test_form_help_texts_link_their_sources_as_links_not_escaped_markup():
    world = build_world("Alpha")
    html = world.client(Role.MANAGER).get(reverse("readiness:role_new")).content.decode()
    page = reverse("core:sources")
    assert f'<a class="source-link" href="{page}#s1-roles">' in html
    assert f'<a class="source-link" href="{page}#s2-model3">' in html
    assert "&lt;a class" not in html

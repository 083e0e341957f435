"""Rule of the house 8: people read plain words. Every page of the demo, as each demo role, and the files
people take away (a person's copy as a page and as a PDF, the CSV files) hold no internal codes: no snake_case
code, no model label (``service.goal``), no ``#<digits>`` id and no ISO date or timestamp."""

from __future__ import annotations

import io
import re
from html.parser import HTMLParser
from urllib.parse import urlsplit

import pypdf
import pytest
from django.apps import apps

from peerwork.accounts.models import User
from peerwork.demo.seed import NO_SLUG, seed_demo
from peerwork.service.models import ServiceUser
from tests.conftest import verified_client

ROLES = ("coordinator", "peerworker", "senior", "manager", "professional", "dpo", "admin")
SKIP = re.compile(r"/(sign-out|logout|language|api|static|media|admin)/|/account/(otp|password)|\.(json|zip|xml|qdpx)$")

_APPS = "|".join(sorted({m._meta.app_label for m in apps.get_models()}))
CODES = {
    "snake_case code": re.compile(r"(?<![\w./@-])[a-z]+(?:_[a-z0-9]+)+(?![\w@])"),
    "model label": re.compile(rf"\b(?:{_APPS})\.[a-z_]+\b"),
    "id with #": re.compile(r"#\d+"),
    "empty choice of dashes": re.compile(r"-{5,}"),
    "ISO date or timestamp": re.compile(r"\b\d{4}-\d{2}-\d{2}(?:[T ]\d{2}:\d{2}(?::\d{2})?(?:[+-]\d{2}:?\d{2}|Z)?)?\b"),
}
# Genuine exceptions, each with its reason: (address, kind of code, the code, reason).
ALLOWED: list[tuple[re.Pattern[str], str, re.Pattern[str], str]] = [
    (
        re.compile(r"^/evaluation/export\.csv$"),
        "snake_case code",
        re.compile(r".*"),
        "the figure column holds each figure's stable key (its label changes with the language), so a spreadsheet "
        "can match the same figure across files of several periods; every row also has the figure in words",
    ),
]


class MainText(HTMLParser):
    """The text people read inside <main> (no script, style or code), and the links on the page."""

    def __init__(self) -> None:
        super().__init__()
        self.depth = 0
        self.hidden = 0
        self.parts: list[str] = []
        self.links: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag == "main":
            self.depth += 1
        if tag in ("script", "style", "code", "template"):
            self.hidden += 1
        href = dict(attrs).get("href")
        if tag == "a" and href:
            self.links.append(href)

    def handle_endtag(self, tag: str) -> None:
        if tag == "main":
            self.depth -= 1
        if tag in ("script", "style", "code", "template"):
            self.hidden -= 1

    def handle_data(self, data: str) -> None:
        if self.depth > 0 and self.hidden == 0:
            self.parts.append(data)


def codes_in(text: str, url: str = "") -> list[str]:
    found = []
    for what, pattern in CODES.items():
        for m in pattern.finditer(text):
            if any(
                where.match(url) and kind in ("", what) and code.fullmatch(m.group(0))
                for where, kind, code, _reason in ALLOWED
            ):
                continue
            around = text[max(0, m.start() - 40) : m.end() + 40].replace("\n", " ")
            found.append(f"{what} {m.group(0)!r} in …{around}…")
    return found


@pytest.mark.django_db
def test_the_demo_shows_no_internal_codes_ids_or_iso_timestamps():
    seed_demo()
    problems: list[str] = []
    seen: set[tuple[str, str]] = set()
    for username in ROLES:
        client = verified_client(User.objects.get(username=username))
        queue = [("/", 0)]
        while queue:
            url, depth = queue.pop(0)
            shape = re.sub(r"\d+", "N", urlsplit(url).path)
            if (username, shape) in seen or SKIP.search(url):
                continue
            seen.add((username, shape))
            response = client.get(url)
            kind = response.get("Content-Type", "")
            if response.status_code != 200:
                continue
            if kind.startswith("text/csv"):
                text = response.content.decode("utf-8-sig")
                problems += [f"{url} as {username}: {p}" for p in codes_in(text, url)]
                continue
            if kind.startswith("application/pdf"):
                text = " ".join(p.extract_text() for p in pypdf.PdfReader(io.BytesIO(response.content)).pages)
                problems += [f"{url} as {username}: {p}" for p in codes_in(text, url)]
                continue
            if "text/html" not in kind:
                continue
            page = MainText()
            page.feed(response.content.decode())
            problems += [f"{url} as {username}: {p}" for p in codes_in(" ".join(page.parts), url)]
            if depth < 2:
                for href in page.links:
                    parts = urlsplit(href)
                    if not parts.netloc and parts.path.startswith("/"):
                        queue.append((parts.path, depth + 1))
    # the person's copy and the access report of someone with a history, as the data protection officer
    dpo = verified_client(User.objects.get(username="dpo"))
    someone = ServiceUser.objects.filter(organisation__slug=NO_SLUG, engagements__isnull=False).order_by("pk")[0]
    for path in ("export/", "export.pdf", "access/", "access.csv"):
        response = dpo.get(f"/privacy/people/{someone.pk}/{path}")
        assert response.status_code == 200, path
        if path.endswith(".pdf"):
            text = " ".join(p.extract_text() for p in pypdf.PdfReader(io.BytesIO(response.content)).pages)
        elif path.endswith(".csv"):
            text = response.content.decode("utf-8-sig")
        else:
            page = MainText()
            page.feed(response.content.decode())
            text = " ".join(page.parts)
        problems += [f"{path} of a person: {p}" for p in codes_in(text)]
    assert len(seen) > 60
    assert not problems, f"{len(problems)} internal codes where people read:\n" + "\n".join(sorted(set(problems)))

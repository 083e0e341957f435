"""The shared form and chart templates: ids stay unique on a page, and pages parse without duplicate ids."""

from __future__ import annotations

import re
from collections import Counter
from html.parser import HTMLParser
from urllib.parse import urlsplit

import pytest
from django import forms
from django.template import Context, Template

from peerwork.accounts.models import User
from peerwork.demo.seed import seed_demo
from tests.conftest import verified_client


class Ids(HTMLParser):
    """Every id on a page, and every id that aria-labelledby / aria-describedby / label[for] points to."""

    def __init__(self) -> None:
        super().__init__()
        self.ids: Counter[str] = Counter()
        self.refs: list[tuple[str, str]] = []
        self.links: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = dict(attrs)
        if a.get("id"):
            self.ids[a["id"] or ""] += 1
        for name in ("aria-labelledby", "aria-describedby"):
            for ref in (a.get(name) or "").split():
                self.refs.append((name, ref))
        if tag == "label" and a.get("for"):
            self.refs.append(("for", a["for"] or ""))
        if tag == "a" and a.get("href"):
            self.links.append(a["href"] or "")


def parse(html: str) -> Ids:
    p = Ids()
    p.feed(html)
    return p


def problems(html: str) -> list[str]:
    p = parse(html)
    out = [f"id {i!r} used {n} times" for i, n in p.ids.items() if n > 1]
    out += [f"{attr} points to missing id {ref!r}" for attr, ref in p.refs if ref not in p.ids]
    return out


class Person(forms.Form):
    name = forms.CharField(label="Name", help_text="As you like to be called.")
    channel = forms.ChoiceField(
        label="How", choices=[("phone", "Phone"), ("visit", "Visit")], widget=forms.RadioSelect, help_text="Pick one."
    )
    kinds = forms.MultipleChoiceField(
        label="Kinds", choices=[("a", "A"), ("b", "B")], widget=forms.CheckboxSelectMultiple, required=False
    )
    agree = forms.BooleanField(label="I agree", help_text="Needed to go on.")

    def clean(self) -> dict:
        raise forms.ValidationError("Something about the whole form.")


PAGE = Template(
    "<form>{% include 'includes/form.html' with form=first %}</form>"
    "<form>{% include 'includes/form.html' with form=second stacked=True %}</form>"
    "<form>{% include 'includes/form.html' with form=third summary_id='third-form' tiles=True %}</form>"
)


def test_three_forms_in_error_on_one_page_share_no_id_and_every_reference_resolves():
    first = Person({}, prefix="first")
    second = Person({}, prefix="second")
    third = Person({}, prefix="first-again")
    assert not first.is_valid() and not second.is_valid() and not third.is_valid()
    html = PAGE.render(Context({"first": first, "second": second, "third": third}))
    assert html.count('class="error-summary"') == 3
    assert problems(html) == []
    assert 'id="error-summary-title-third-form"' in html


def test_a_fieldset_is_described_by_its_hint_and_error_and_options_are_tiles_when_asked():
    form = Person({}, prefix="p")
    form.is_valid()
    html = Template("{% include 'includes/form.html' with stacked=True %}").render(Context({"form": form}))
    fieldset = re.search(r"<fieldset[^>]*>", html)
    assert fieldset is not None
    assert 'aria-describedby="id_p-channel_helptext id_p-channel_error"' in fieldset.group(0)
    assert "tiles stacked" in fieldset.group(0)
    assert 'id="id_p-channel_helptext"' in html and 'id="id_p-channel_error"' in html
    # Django's own widgets point at the same ids
    assert 'aria-describedby="id_p-name_helptext id_p-name_error"' in html and 'id="id_p-name_helptext"' in html
    # the summary links each error to its field; the first option of a group
    assert 'href="#id_p-channel_0"' in html and 'href="#id_p-name"' in html and 'href="#id_p-agree"' in html


def test_summary_only_renders_no_fields():
    form = Person({}, prefix="p")
    form.is_valid()
    html = Template("{% include 'includes/form.html' with summary_only=True %}").render(Context({"form": form}))
    assert "There is a problem" in html and "<input" not in html


SKIP = re.compile(r"/(sign-out|logout|i18n|api|static|media|admin)/|\.(pdf|csv|json|zip|xml)$|/(export|download)")


@pytest.mark.django_db
def test_main_pages_have_unique_ids_and_working_references():
    """Every page reachable in two clicks from each demo login's home page: no duplicate id, no dangling reference."""
    seed_demo()
    seen: set[str] = set()
    checked = 0
    for username in ("coordinator", "peerworker", "senior", "manager", "professional", "dpo", "admin"):
        client = verified_client(User.objects.get(username=username))
        queue = [("/", 0)]
        while queue:
            url, depth = queue.pop(0)
            shape = re.sub(r"\d+", "N", urlsplit(url).path)
            if (username, shape) in seen or SKIP.search(url):
                continue
            seen.add((username, shape))  # type: ignore[arg-type]
            response = client.get(url)
            if response.status_code != 200 or "text/html" not in response.get("Content-Type", ""):
                continue
            html = response.content.decode()
            assert problems(html) == [], f"{url} as {username}"
            checked += 1
            if depth < 2:
                for href in parse(html).links:
                    parts = urlsplit(href)
                    if not parts.netloc and parts.path.startswith("/"):
                        queue.append((parts.path, depth + 1))
    assert checked > 40

"""Marking a segment by selecting its words on the coding page, with the mouse and on a touch screen: the
segment form's character fields fill in, the segment is saved and then coded. Every page passes axe-core."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from playwright.sync_api import Browser, Page, expect

from peerwork.coassessment import services
from peerwork.coassessment.models import Coding, Segment
from peerwork.core.roles import Role
from tests.browser.conftest import assert_accessible, sign_in
from tests.coassessment.conftest import plan, ready_for_material, start_analysis
from tests.conftest import build_world

TEXT = "P1: I felt heard in guidance.\r\nP2: Guidance came too late for me.\r\nP1: Guidance came too late."
WORDS = "Guidance came too late for me"
FROM = TEXT.index(WORDS)


@pytest.fixture(autouse=True)
def _fast_passwords(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture
def tablet(browser: Browser, live_server: object) -> Iterator[Page]:
    """A tablet held upright, used with a finger."""
    context = browser.new_context(locale="en-GB", viewport={"width": 820, "height": 1180}, has_touch=True)
    pg = context.new_page()
    pg.set_default_timeout(60_000)
    yield pg
    context.close()


def _world_analysing():
    world = build_world("Alpha")
    manager = world.actor(Role.MANAGER)
    ca = plan(manager)
    group, _participants = ready_for_material(world, ca)
    material = services.add_material(manager, ca, kind="transcript", title="Focus group 1", text=TEXT, group=group)
    start_analysis(world, ca)
    services.add_code(manager, ca, name="Timing")
    return world, material


# Where the words sit on screen: the left edge of their first character and the right edge of their last
# (the second line of the text holds them).
_EDGES = """([line, from, to]) => {
  const node = document.querySelector(`[data-at="${line}"]`).firstChild;
  const range = document.createRange();
  range.setStart(node, from); range.setEnd(node, from + 1);
  const first = range.getBoundingClientRect();
  range.setStart(node, to - 1); range.setEnd(node, to);
  const last = range.getBoundingClientRect();
  return [first.left + 1, first.top + first.height / 2, last.right - 1, last.top + last.height / 2];
}"""


def _mark_and_code(page: Page, material, *, finger: bool = False) -> None:
    expect(page.locator("#id_segment-start")).to_have_value(str(FROM))
    expect(page.locator("#id_segment-end")).to_have_value(str(FROM + len(WORDS)))
    expect(page.get_by_role("status").filter(has_text="Selected: characters")).to_contain_text(WORDS)
    button = page.get_by_role("button", name="Mark the selected words")
    if finger:
        button.tap()
    else:
        button.click()
    expect(page.get_by_label("Who said it")).to_be_focused()
    page.get_by_label("Who said it").select_option(label="P2")
    page.get_by_role("button", name="Mark the segment").click()
    expect(page.get_by_text("The segment is marked.")).to_be_visible()
    segment = Segment.objects.get()
    assert (segment.start, segment.end, segment.participant.pseudonym) == (FROM, FROM + len(WORDS), "P2")
    assert material.text[segment.start : segment.end] == WORDS
    expect(page.locator("#segments")).to_contain_text(WORDS)
    assert_accessible(page)
    page.get_by_label("Segment", exact=True).select_option(label=f"P2: {WORDS}")
    page.get_by_label("Code", exact=True).select_option(label="Timing")
    page.get_by_role("button", name="Code the segment").click()
    expect(page.get_by_text("The segment is coded.")).to_be_visible()
    assert Coding.objects.get().code.name == "Timing"
    expect(page.locator("#segments")).to_contain_text("Timing")
    assert_accessible(page)


@pytest.mark.django_db(transaction=True)
def test_select_words_with_the_mouse_to_mark_a_segment(page: Page, live_server):
    world, material = _world_analysing()
    page.set_default_timeout(60_000)
    sign_in(page, live_server, world.users[Role.PEER_WORKER])
    page.goto(f"{live_server.url}/coassessment/material/{material.pk}/")
    assert_accessible(page)
    line = TEXT.index("P2:")
    x1, y1, x2, y2 = page.evaluate(_EDGES, [line, FROM - line, FROM - line + len(WORDS)])
    page.mouse.move(x1, y1)
    page.mouse.down()
    page.mouse.move((x1 + x2) / 2, y2, steps=5)
    page.mouse.move(x2, y2, steps=5)
    page.mouse.up()
    _mark_and_code(page, material)


@pytest.mark.django_db(transaction=True)
def test_select_words_with_a_finger_on_a_tablet(tablet: Page, live_server):
    world, material = _world_analysing()
    page = tablet
    sign_in(page, live_server, world.users[Role.PEER_WORKER])
    page.goto(f"{live_server.url}/coassessment/material/{material.pk}/")
    assert page.evaluate("navigator.maxTouchPoints > 0")
    assert_accessible(page)
    # A long press selects a word and the handles widen the selection; the browser then reports the range
    # as a selection change, which is what the page listens to. The handles are the browser's own, so the
    # test sets the range they would leave, after a real tap in the text.
    page.locator("[data-span-text]").tap()
    line = TEXT.index("P2:")
    page.evaluate(
        """([line, from, to]) => {
          const node = document.querySelector(`[data-at="${line}"]`).firstChild;
          window.getSelection().setBaseAndExtent(node, from - 1, node, to);  // with the space before
        }""",
        [line, FROM - line, FROM - line + len(WORDS)],
    )
    _mark_and_code(page, material, finger=True)


@pytest.mark.django_db(transaction=True)
def test_without_the_script_the_characters_are_typed(browser: Browser, live_server):
    world, material = _world_analysing()
    context = browser.new_context(locale="en-GB", java_script_enabled=False)
    page = context.new_page()
    page.set_default_timeout(60_000)
    sign_in(page, live_server, world.users[Role.PEER_WORKER])
    page.goto(f"{live_server.url}/coassessment/material/{material.pk}/")
    expect(page.get_by_role("button", name="Mark the selected words")).to_be_hidden()
    page.get_by_label("Who said it").select_option(label="P2")
    page.get_by_label("From character").fill(str(FROM))
    page.get_by_label("To character").fill(str(FROM + len(WORDS)))
    page.get_by_role("button", name="Mark the segment").click()
    expect(page.get_by_text("The segment is marked.")).to_be_visible()
    assert material.text[Segment.objects.get().start : Segment.objects.get().end] == WORDS
    context.close()

"""The whole waiting list in a real browser: up to three peer workers offered to each person, the fit as a
band in words with reasons and mismatches, offers sent from the keyboard; axe-clean, and it reflows at 320 px."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone
from playwright.sync_api import Browser, Page

from peerwork.core.roles import Role
from peerwork.service import services
from peerwork.service.models import PeerWorkerProfile, Referral
from tests.browser.conftest import assert_accessible, sign_in
from tests.conftest import build_world
from tests.factories import MembershipFactory, PositionFactory, UserFactory

WIDE = """[...document.querySelectorAll('main, main *')]
  .filter(e => e.getBoundingClientRect().right > 321)
  .slice(0, 5).map(e => e.tagName + '.' + e.className + ' ' + e.textContent.slice(0, 40))"""


def _world():
    world = build_world("Waiting")
    coordinator = world.actor(Role.COORDINATOR)
    PeerWorkerProfile.objects.create(
        organisation=world.org, user=world.users[Role.PEER_WORKER], capacity=2, languages=["nb"], interests=["fishing"]
    )
    for username, first, languages, capacity in (
        ("wl-amina", "Amina", ["nb", "so"], 1),
        ("wl-jon", "Jon", ["nb"], 2),
        ("wl-eva", "Eva", ["nb", "en"], 1),
    ):
        user = UserFactory(username=username, first_name=first, last_name="Lund")
        MembershipFactory(organisation=world.org, user=user, role=Role.PEER_WORKER, unit=world.team)
        PositionFactory(organisation=world.org, unit=world.team, holder=user, reports_to=world.users[Role.COORDINATOR])
        PeerWorkerProfile.objects.create(
            organisation=world.org, user=user, capacity=capacity, languages=languages, interests=["fishing"]
        )
    people = []
    for name, days, languages in (("Hodan", 60, ["so", "nb"]), ("Kari", 30, ["nb"]), ("Per", 3, ["nb"])):
        people.append(
            services.referrals.create_referral(
                coordinator,
                chosen_name=name,
                languages=languages,
                interests=["fishing"],
                source="self",
                received_on=timezone.localdate() - timedelta(days=days),
            )
        )
    return world, people


def _open(page: Page, live_server, world) -> None:
    sign_in(page, live_server, world.users[Role.COORDINATOR])
    page.goto(f"{live_server.url}/service/waiting-list/")
    assert page.get_by_role("heading", name="Offers for the whole waiting list", level=1).is_visible()


@pytest.mark.django_db(transaction=True)
def test_offers_of_up_to_three_in_words_sent_from_the_keyboard(page: Page, live_server):
    world, (hodan, kari, per) = _world()
    _open(page, live_server, world)
    sections = page.locator("section.offer")
    assert sections.count() == 3
    for i in range(3):
        assert 1 <= sections.nth(i).get_by_role("checkbox").count() <= 3
    # Six places, three people: every place offered once at most, so every choice can be honoured.
    assert page.get_by_role("checkbox").count() == 6
    hodan_offers = page.get_by_role("group", name="Peer workers to offer Hodan")
    words = hodan_offers.inner_text()
    assert "Speaks Norwegian" in words
    assert "Does not speak Somali" in words or "Speaks Norwegian, Somali" in words
    main = page.locator("main").inner_text()
    assert "%" not in main
    assert "good fit" in main
    page.get_by_text("What the fit words mean").click()
    assert page.get_by_text("Too little is recorded about the person or the peer worker to say.").is_visible()
    assert_accessible(page)

    # From the keyboard: leave the last offer out, then send Hodan's offers.
    boxes = hodan_offers.get_by_role("checkbox")
    offered = boxes.count()
    boxes.nth(offered - 1).focus()
    page.keyboard.press("Space")
    assert not boxes.nth(offered - 1).is_checked()
    page.get_by_role("button", name="Send these offers to Hodan").focus()
    with page.expect_navigation():
        page.keyboard.press("Enter")
    assert page.get_by_text("Offered to the person.").is_visible()
    hodan.refresh_from_db()
    assert hodan.status == Referral.Status.PROPOSED
    assert hodan.proposals.get().candidates.count() == offered - 1
    assert page.get_by_role("group", name="Peer workers to offer Hodan").count() == 0
    assert_accessible(page)


@pytest.mark.django_db(transaction=True)
def test_the_waiting_list_reflows_at_320px(browser: Browser, live_server):
    world, _people = _world()
    context = browser.new_context(locale="en-GB", viewport={"width": 320, "height": 800})
    page = context.new_page()
    page.set_default_timeout(15_000)
    try:
        _open(page, live_server, world)
        wide = page.evaluate(WIDE)
        assert not wide, f"wider than the screen: {wide}"
        assert_accessible(page)
    finally:
        context.close()

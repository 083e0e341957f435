"""Browser test: two coders code blind, one chooses to compare and reads the agreement and where they differ;
a participant who withdraws leaves the coding page and the comparison. Every page passes axe-core."""

from __future__ import annotations

import pytest
from playwright.sync_api import Page, expect

from peerwork.coassessment import exchange_services, services
from peerwork.core.roles import Role
from tests.browser.conftest import assert_accessible, sign_in
from tests.coassessment.conftest import plan, ready_for_material, start_analysis
from tests.conftest import actor_for, build_world

TEXT = "P1: I felt heard in guidance.\nP2: Guidance came too late for me.\n"


@pytest.fixture(autouse=True)
def _fast_passwords(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.mark.django_db(transaction=True)
def test_compare_coders_after_a_blind_round(page: Page, live_server):
    world = build_world("Alpha")
    manager = world.actor(Role.MANAGER)
    ca = plan(manager)
    group, (p1, p2, *_) = ready_for_material(world, ca)
    material = services.add_material(manager, ca, kind="transcript", title="Focus group 1", text=TEXT, group=group)
    first = services.add_segment(manager, material, participant=p1, start=4, end=29)
    second = services.add_segment(manager, material, participant=p2, start=34, end=64)
    start_analysis(world, ca)
    ca.refresh_from_db()
    exchange_services.set_blind(manager, ca, blind=True)
    heard = services.add_code(manager, ca, name="Being heard")
    peer = actor_for(world.users[Role.PEER_WORKER], world.org)
    for s in (first, second):
        s.material.coassessment = ca
    services.code_segment(manager, first, code=heard, blind=True)
    services.code_segment(manager, second, code=heard, blind=True)
    services.code_segment(peer, first, code=heard, blind=True)

    sign_in(page, live_server, world.users[Role.PEER_WORKER])
    page.goto(f"{live_server.url}/coassessment/material/{material.pk}/")
    expect(page.locator("#segments")).not_to_contain_text(str(world.users[Role.MANAGER]))
    page.get_by_role("link", name="Compare with the other coders").click()
    assert_accessible(page)
    page.get_by_role("button", name="Compare with the other coders now").click()
    expect(page.get_by_text("You now see the other coders' codes.")).to_be_visible()
    expect(page.locator("#agreement")).to_contain_text("Being heard")
    page.get_by_text("What the figure means").click()
    assert_accessible(page)
    page.get_by_role("link", name="See the 1 place where coders differ").click()
    expect(page.locator("#disagreements")).to_contain_text("Guidance came too late for me.")
    assert_accessible(page)
    page.goto(f"{live_server.url}/coassessment/{ca.pk}/exchange/")
    assert_accessible(page)
    page.set_viewport_size({"width": 320, "height": 800})
    for path in (f"/coassessment/{ca.pk}/compare/", f"/coassessment/{ca.pk}/compare/differences/"):
        page.goto(f"{live_server.url}{path}")
        wide = page.evaluate("document.documentElement.scrollWidth > document.documentElement.clientWidth")
        assert not wide, f"{path} scrolls sideways at 320 px"


THREE = "P1: I felt heard in guidance.\nP2: Guidance came too late for me.\nP3: Nobody asked what I needed.\n"


@pytest.mark.django_db(transaction=True)
def test_a_withdrawn_participant_leaves_the_coding_page_and_the_comparison(page: Page, live_server):
    world = build_world("Alpha")
    manager = world.actor(Role.MANAGER)
    ca = plan(manager)
    group, (p1, p2, p3, *_) = ready_for_material(world, ca)
    material = services.add_material(manager, ca, kind="transcript", title="Focus group 1", text=THREE, group=group)
    s1, s2, s3 = (
        services.add_segment(
            manager, material, participant=who, start=THREE.index(words), end=THREE.index(words) + len(words)
        )
        for who, words in (
            (p1, "I felt heard in guidance."),
            (p2, "Guidance came too late for me."),
            (p3, "Nobody asked what I needed."),
        )
    )
    start_analysis(world, ca)
    heard = services.add_code(manager, ca, name="Being heard")
    timing = services.add_code(manager, ca, name="Timing")
    peer = actor_for(world.users[Role.PEER_WORKER], world.org)
    for coder, codes in ((manager, [(s1, heard), (s2, timing), (s3, heard)]), (peer, [(s1, heard), (s2, timing)])):
        for segment, code in codes:
            services.code_segment(coder, segment, code=code)

    page.set_default_timeout(60_000)
    sign_in(page, live_server, world.users[Role.MANAGER])
    page.goto(f"{live_server.url}/coassessment/{ca.pk}/compare/")
    heard_row = page.locator("#agreement tr").filter(has_text="Being heard")
    expect(heard_row).to_contain_text("0.44")  # Krippendorff's alpha: the coders differ on P3's words
    page.get_by_role("link", name="See the 1 place where coders differ").click()
    expect(page.locator("#disagreements")).to_contain_text("Nobody asked what I needed.")
    assert_accessible(page)

    page.goto(f"{live_server.url}/coassessment/{ca.pk}/participants/")
    page.get_by_role("link", name="Withdraw P3").click()
    page.get_by_label("Yes, remove everything this participant said").check()
    page.get_by_role("button", name="Withdraw and remove").click()
    expect(page.get_by_text("P3 has withdrawn. 1 segment is removed. 1 coding is removed.")).to_be_visible()

    page.goto(f"{live_server.url}/coassessment/material/{material.pk}/")
    expect(page.locator("#segments")).not_to_contain_text("Nobody asked")
    expect(page.locator("[data-span-text]")).not_to_contain_text("Nobody asked")
    expect(page.locator("#segments")).to_contain_text("Guidance came too late for me.")
    page.goto(f"{live_server.url}/coassessment/{ca.pk}/compare/")
    expect(heard_row).to_contain_text("1.00")  # what is left, they read alike
    page.get_by_role("link", name="See the 0 places where coders differ").click()
    expect(page.locator("#disagreements")).not_to_contain_text("Nobody asked")
    expect(page.locator("#disagreements")).to_contain_text("The coders do not differ anywhere yet.")
    assert_accessible(page)

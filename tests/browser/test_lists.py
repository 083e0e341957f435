"""The lists' search, filter and sort controls and the goal pages in a real browser: keyboard alone narrows a
list, the controls reflow at 320 px, and every page (with and without an error) passes axe-core."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone

from peerwork.cocreation import services as cocreation
from peerwork.core.roles import Role
from peerwork.service import services
from peerwork.service.models import PeerWorkerProfile
from tests.browser.conftest import assert_accessible, sign_in
from tests.conftest import build_world

OFFICE = {str(d): [["09:00", "15:00"]] for d in range(5)}


def _no_sideways_scroll(page) -> None:
    """The search and sort controls and the download link fit the width (the tables have their own layout)."""
    widest = page.evaluate(
        "Math.max(...[...document.querySelectorAll('.list-controls, .list-controls *, .list-controls + p')]"
        ".map(e => e.getBoundingClientRect().right))"
    )
    assert widest <= page.evaluate("window.innerWidth") + 1, widest


@pytest.mark.django_db(transaction=True)
def test_lists_are_searched_by_keyboard_and_pass_axe(page, live_server):
    world = build_world("Lists")
    coordinator = world.actor(Role.COORDINATOR)
    services.referrals.create_referral(coordinator, chosen_name="Astrid", source="self")
    services.referrals.create_referral(coordinator, chosen_name="Bjørn", source="professional")
    sign_in(page, live_server, world.users[Role.COORDINATOR])
    page.goto(f"{live_server.url}/service/queue/")
    assert_accessible(page)
    # Keyboard alone: focus the search box, type, submit with Enter.
    search = page.get_by_label("Search", exact=True)
    search.focus()
    page.keyboard.type("Astrid")
    page.keyboard.press("Enter")
    page.wait_for_url("**/service/queue/?q=Astrid*")
    assert page.get_by_text("1 person matches the search and filters.").is_visible()
    assert page.get_by_role("link", name="Bjørn").count() == 0
    assert_accessible(page)
    # A value that does not fit is explained in the error summary, and the page stays accessible.
    page.goto(f"{live_server.url}/service/queue/?status=nonsense")
    assert page.get_by_text("There is a problem").is_visible()
    assert_accessible(page)
    page.set_viewport_size({"width": 320, "height": 800})
    page.goto(f"{live_server.url}/service/queue/")
    _no_sideways_scroll(page)


@pytest.mark.django_db(transaction=True)
def test_people_audit_and_initiative_lists_pass_axe(page, live_server):
    world = build_world("Others")
    cocreation.create_initiative(world.actor(Role.MANAGER), title="Evening drop-in", problem_statement="Nowhere to go")
    sign_in(page, live_server, world.users[Role.ADMINISTRATOR])
    page.goto(f"{live_server.url}/account/people/?role=dpo&sort=team")
    assert_accessible(page)
    page.context.clear_cookies()
    sign_in(page, live_server, world.users[Role.DPO])
    for path in ("/privacy/audit/?action=read&sort=oldest", "/privacy/audit/?start=2026-05-01&end=2026-04-01"):
        page.goto(f"{live_server.url}{path}")
        assert_accessible(page)
    page.context.clear_cookies()
    sign_in(page, live_server, world.users[Role.MANAGER])
    page.goto(f"{live_server.url}/cocreation/initiatives/?q=drop&waiting=on")
    assert_accessible(page)
    page.set_viewport_size({"width": 320, "height": 800})
    page.goto(f"{live_server.url}/cocreation/initiatives/")
    _no_sideways_scroll(page)


@pytest.mark.django_db(transaction=True)
def test_goal_pages_pass_axe_and_confirm_by_keyboard(page, live_server):
    world = build_world("Goals")
    pw = world.users[Role.PEER_WORKER]
    PeerWorkerProfile.objects.create(organisation=world.org, user=pw, capacity=5, working_hours=OFFICE)
    coordinator = world.actor(Role.COORDINATOR)
    referral = services.referrals.create_referral(coordinator, chosen_name="Per", source="self")
    proposal = services.proposals.propose(coordinator, referral_id=referral.pk, peer_worker_ids=[pw.pk])
    services.proposals.answer(world.actor(Role.PEER_WORKER), proposal_id=proposal.pk, answer="accepted")
    engagement = services.proposals.record_choice(
        coordinator, proposal_id=proposal.pk, peer_worker_id=pw.pk, started_on=timezone.localdate() - timedelta(days=9)
    )
    actor = world.actor(Role.PEER_WORKER)
    goal = services.goals.add_goal(
        actor, engagement_id=engagement.pk, life_area="housing", words="A flat of my onw", visibility="coordinator"
    )
    services.goals.rate_goal(actor, goal_id=goal.pk, rating=4, comment="Better than last month")
    sign_in(page, live_server, pw)
    page.goto(f"{live_server.url}/service/goals/{goal.pk}/")
    page.get_by_label("The goal, in the person's own words").fill("A flat of my own")
    page.get_by_role("button", name="Save the corrected wording").click()
    assert page.get_by_text("A flat of my onw").is_visible()
    assert_accessible(page)
    page.get_by_label("The goal, in the person's own words").fill("")
    page.get_by_role("button", name="Save the corrected wording").click()
    assert page.get_by_text("There is a problem").is_visible()
    assert_accessible(page)
    page.goto(f"{live_server.url}/service/engagements/{engagement.pk}/")
    page.get_by_role("link", name="Mark as achieved").click()
    assert page.get_by_role("heading", name="Mark the goal as achieved?").is_visible()
    assert_accessible(page)
    button = page.get_by_role("button", name="Yes, mark as achieved")
    button.focus()
    page.keyboard.press("Enter")
    page.wait_for_url(f"**/service/engagements/{engagement.pk}/*")
    assert page.get_by_text("The goal is marked as achieved.").is_visible()

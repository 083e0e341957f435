"""A demo peer worker declines a proposal privately on a 320 px phone, by keyboard alone; the coordinator
then sees only "not available for this one" and records the person's choice among those who accepted.
Every page passes axe-core."""

from __future__ import annotations

from playwright.sync_api import Browser

from peerwork.accounts.models import User
from peerwork.demo.seed import DEMO_PASSWORD, seed_demo
from peerwork.service.models import Engagement, MatchProposal, ProposedCandidate

from .conftest import assert_accessible, sign_in
from .test_guidance import NARROW, WIDE, tab_to


def test_a_peer_worker_declines_privately_and_the_person_chooses_among_the_others(browser: Browser, live_server):
    seed_demo()
    ola = User.objects.get(username="peerworker")
    mine = ProposedCandidate.objects.filter(peer_worker=ola, proposal__outcome="pending").order_by(
        "proposal__proposed_at", "pk"
    )
    proposal = mine[0].proposal
    person = proposal.referral.service_user
    accepted = proposal.candidates.get(answer="accepted").peer_worker
    declined = proposal.candidates.get(answer="declined").peer_worker

    phone = browser.new_context(locale="en-GB", viewport={"width": 320, "height": 800})
    page = phone.new_page()
    page.set_default_timeout(15_000)
    try:
        sign_in(page, live_server, ola, password=DEMO_PASSWORD)
        assert page.get_by_text("2 proposals are waiting for your answer").is_visible()
        assert page.evaluate(NARROW), f"the home page scrolls sideways at 320 px: {page.evaluate(WIDE)}"
        tab_to(page, "2 proposals are waiting for your answer")
        page.keyboard.press("Enter")
        page.wait_for_url(f"{live_server.url}/service/proposed-to-me/")
        assert page.get_by_role("heading", name="Proposed to you", level=1).is_visible()
        assert page.get_by_role("heading", name=str(person), level=2).is_visible()
        assert page.get_by_text(person.help_with).first.is_visible()
        assert page.evaluate(NARROW), f"the proposals page scrolls sideways at 320 px: {page.evaluate(WIDE)}"
        assert_accessible(page)

        # The first proposal: the answer group, then the arrow key to "not for me", then send.
        tab_to(page, "Yes, I can take this on")
        page.keyboard.press("ArrowDown")
        tab_to(page, "Send your answer")
        with page.expect_navigation():
            page.keyboard.press("Enter")
        assert page.get_by_text("The coordinator sees only that you are not available for this one.").is_visible()
        assert page.evaluate(NARROW), page.evaluate(WIDE)
        assert_accessible(page)
    finally:
        phone.close()
    answer = ProposedCandidate.objects.get(proposal=proposal, peer_worker=ola)
    assert answer.answer == "declined" and answer.answer_note == ""

    desk = browser.new_context(locale="en-GB", viewport={"width": 1280, "height": 900})
    page = desk.new_page()
    page.set_default_timeout(15_000)
    try:
        sign_in(page, live_server, User.objects.get(username="coordinator"), password=DEMO_PASSWORD)
        page.goto(f"{live_server.url}/service/referrals/{proposal.referral_id}/")
        assert page.get_by_text("Not available for this one").count() == 2  # Ola and the other, no reason
        assert_accessible(page)
        # Only the one who accepted can be chosen.
        assert page.get_by_role("radio", name=str(ola)).count() == 0
        assert page.get_by_role("radio", name=str(declined)).count() == 0
        page.get_by_role("radio", name=str(accepted)).check()
        page.get_by_role("button", name="Record the person's decision").click()
        engagement = Engagement.objects.get(service_user=person, closed_on__isnull=True)
        page.wait_for_url(f"{live_server.url}/service/engagements/{engagement.pk}/")
        assert engagement.peer_worker == accepted
        assert MatchProposal.objects.get(pk=proposal.pk).outcome == "chosen"
        assert_accessible(page)
        # At 320 px the referral page reflows too.
        page.set_viewport_size({"width": 320, "height": 800})
        page.goto(f"{live_server.url}/service/referrals/{proposal.referral_id}/")
        assert page.evaluate(NARROW), f"the referral page scrolls sideways at 320 px: {page.evaluate(WIDE)}"
    finally:
        desk.close()

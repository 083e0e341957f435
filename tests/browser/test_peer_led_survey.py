"""A peer-led survey in a real browser: a peer worker writes and publishes it by keyboard, a professional
answers, a service user answers through a one-time link without signing in, and the owner shares the results
with the manager. Every page passes axe-core and reflows at 320 px."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
from django.utils import timezone
from playwright.sync_api import Page, expect

from peerwork.coassessment import survey_services as services
from peerwork.coassessment.survey_models import PeerSurvey, SurveyResponse
from peerwork.core.roles import Role
from tests.browser.conftest import assert_accessible, sign_in
from tests.conftest import build_world


@pytest.fixture(autouse=True)
def _fast_passwords(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


def _reflows(page: Page, what: str) -> None:
    page.set_viewport_size({"width": 320, "height": 800})
    wide = page.evaluate("document.documentElement.scrollWidth > document.documentElement.clientWidth")
    assert not wide, f"{what} scrolls sideways at 320 px"
    page.set_viewport_size({"width": 1280, "height": 900})


@pytest.mark.django_db(transaction=True)
def test_write_publish_answer_and_share_a_peer_led_survey(page: Page, live_server):
    world = build_world("Alpha")
    page.set_default_timeout(60_000)  # a shared test machine can be slow; nothing here waits on purpose
    sign_in(page, live_server, world.users[Role.PEER_WORKER])
    page.goto(f"{live_server.url}/coassessment/")
    page.get_by_role("link", name="Peer-led surveys").first.click()
    assert_accessible(page)
    page.get_by_role("link", name="New survey").click()
    assert_accessible(page)
    page.get_by_label("Title").fill("How is the peer role used?")
    page.get_by_label("Purpose").fill("We want to know how our role works.")
    page.get_by_label("The organisation's service users (through links you hand out)").check()
    page.get_by_label("Staff (signed in)").check()
    today = timezone.localdate()
    page.get_by_label("Opens on").fill(str(today))
    page.get_by_label("Closes on").fill(str(today + timedelta(days=30)))
    page.get_by_role("button", name="Save as draft").press("Enter")
    expect(page.get_by_text("The survey is saved as a draft.")).to_be_visible()
    page.get_by_label("A scale from 1 to 5").check()
    page.get_by_label("Question", exact=True).fill("Is the peer role used well?")
    page.get_by_label("Words at 1").fill("Not at all")
    page.get_by_label("Words at 5").fill("Very well")
    page.get_by_role("button", name="Add the question").click()
    expect(page.get_by_text("The question is added.")).to_be_visible()
    assert_accessible(page)
    page.get_by_role("button", name="Publish the survey").click()
    expect(page.get_by_text("The survey is published.")).to_be_visible()
    page.get_by_label("How many links").fill("1")
    page.get_by_role("button", name="Make links").click()
    link = page.locator("code").first.inner_text()
    assert re.search(r"/coassessment/surveys/link/[\w-]+/$", link)
    assert_accessible(page)
    _reflows(page, "the survey page")
    page.context.clear_cookies()

    # A service user answers through the link, without signing in.
    page.goto(link)
    assert_accessible(page)
    page.get_by_label("5 – Very well").check()
    page.get_by_role("button", name="Send my answers").click()
    expect(page.get_by_text("Your answers are saved without your name.")).to_be_visible()
    assert SurveyResponse.objects.get().group == "service_user"

    # A professional answers signed in.
    sign_in(page, live_server, world.users[Role.PROFESSIONAL])
    page.goto(f"{live_server.url}/coassessment/surveys/")
    page.get_by_role("link", name="How is the peer role used?").click()
    assert_accessible(page)
    _reflows(page, "the answering page")
    page.get_by_label("4", exact=True).check()
    page.get_by_role("button", name="Send my answers").click()
    expect(page.get_by_text("Thank you. Your answers are saved without your name.")).to_be_visible()
    page.context.clear_cookies()

    # The owner reads the results (too few to show) and shares them; the manager reads them.
    survey = PeerSurvey.objects.get()
    sign_in(page, live_server, world.users[Role.SENIOR_PEER_WORKER])
    page.goto(f"{live_server.url}/coassessment/surveys/{survey.pk}/results/")
    expect(page.get_by_text("Not shown: fewer than 3 people answered this.")).to_be_visible()
    assert_accessible(page)
    services.share_results(world.actor(Role.PEER_WORKER), survey)
    page.context.clear_cookies()
    sign_in(page, live_server, world.users[Role.MANAGER])
    page.goto(f"{live_server.url}/coassessment/surveys/")
    assert_accessible(page)
    page.get_by_role("link", name=re.compile("^Results")).click()
    assert_accessible(page)
    _reflows(page, "the results page")

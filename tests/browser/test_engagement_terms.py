"""The demo coordinator, on a 320 px screen and mostly by keyboard: extends an engagement past two years with
the person's and the peer worker's agreement and a reason, then widens a contact agreement to the weekend and
sees the strain topic it decided go away. Every page passes axe-core."""

from __future__ import annotations

from datetime import timedelta

from playwright.sync_api import Browser

from peerwork.accounts.models import User
from peerwork.demo.seed import DEMO_PASSWORD, seed_demo
from peerwork.service import workload
from peerwork.service.models import ContactAgreement, Engagement, EngagementExtension

from .conftest import assert_accessible, sign_in
from .test_guidance import NARROW, WIDE, tab_to


def test_the_coordinator_extends_past_two_years_and_an_agreement_changes_the_strain_topics(
    browser: Browser, live_server
):
    seed_demo()
    coordinator = User.objects.get(username="coordinator")
    ola = User.objects.get(username="peerworker")
    ending = (
        Engagement.objects.filter(peer_worker=ola, closed_on__isnull=True, extensions__isnull=True)
        .order_by("started_on")
        .first()
    )
    assert ending is not None
    new_end = ending.started_on + timedelta(days=2 * 365 + 200)
    weekend = (
        ContactAgreement.objects.filter(organisation_id=ending.organisation_id)
        .exclude(engagement__peer_worker=ola)
        .select_related("engagement")
        .get()
    )
    pw = weekend.engagement.peer_worker
    context = browser.new_context(locale="en-GB", viewport={"width": 320, "height": 800})
    page = context.new_page()
    page.set_default_timeout(15_000)
    errors: list[str] = []
    page.on("console", lambda msg: errors.append(msg.text) if msg.type == "error" else None)
    try:
        sign_in(page, live_server, coordinator, password=DEMO_PASSWORD)
        page.goto(f"{live_server.url}/service/engagements/{ending.pk}/")
        assert page.get_by_role("heading", name="Length of the engagement").is_visible()
        assert page.get_by_text("typically lasts up to 2 years").is_visible()
        assert page.get_by_text("were extended by agreement").is_visible()
        assert page.evaluate(NARROW), f"the engagement page scrolls sideways at 320 px: {page.evaluate(WIDE)}"
        assert_accessible(page)

        # Without the person's agreement nothing is saved, and the error says why.
        form = page.locator("form[action$='/extend/']")
        form.get_by_label("New planned end").fill(new_end.isoformat())
        tab_to(page, "Why the engagement goes on")
        page.keyboard.type("Wants support through starting a course in the autumn")
        tab_to(page, "The peer worker agrees to go on")
        page.keyboard.press("Space")
        tab_to(page, "Save the new planned end")
        with page.expect_navigation():
            page.keyboard.press("Enter")
        assert page.get_by_text("Ask the person first").first.is_visible()
        assert not EngagementExtension.objects.filter(engagement=ending).exists()
        assert_accessible(page)

        # With both agreements it goes on past two years.
        form = page.locator("form[action$='/extend/']")
        form.get_by_label("New planned end").fill(new_end.isoformat())
        form.get_by_label("Why the engagement goes on").fill("Wants support through starting a course in the autumn")
        form.get_by_label("The person agrees to go on").check()
        form.get_by_label("The peer worker agrees to go on").check()
        tab_to(page, "Save the new planned end")
        with page.expect_navigation():
            page.keyboard.press("Enter")
        assert page.get_by_text("The new planned end is saved").is_visible()
        assert page.get_by_text("Wants support through starting a course in the autumn").is_visible()
        extension = EngagementExtension.objects.get(engagement=ending)
        assert extension.new_end_on == new_end and extension.recorded_by == coordinator
        assert Engagement.objects.get(pk=ending.pk).planned_end_on == new_end
        assert page.evaluate(NARROW), page.evaluate(WIDE)
        assert_accessible(page)

        # A peer worker who works weekends: weekend contacts outside a weekday agreement are a topic.
        page.goto(f"{live_server.url}/service/peer-workers/{pw.pk}/workload/")
        who = workload.initials(weekend.engagement.service_user.chosen_name)
        topic = f"with {who} fell outside what was agreed"
        assert page.get_by_text(topic).is_visible()
        assert page.evaluate(NARROW), f"the workload page scrolls sideways at 320 px: {page.evaluate(WIDE)}"
        assert_accessible(page)
        # The coordinator records talking with the person about contact.
        item = page.locator("ul.topics > li", has_text=topic)
        item.get_by_label("What was done").select_option("talked_with_person")
        with page.expect_navigation():
            item.get_by_role("button", name="Record").click()
        assert page.get_by_text("Recorded what was done.").is_visible()
        assert page.locator("#actions + ul").get_by_text("Talked with the person about contact").is_visible()
        assert_accessible(page)

        # The person and the peer worker agree on weekends: the topic goes.
        page.goto(f"{live_server.url}/service/engagements/{weekend.engagement_id}/")
        tab_to(page, "Look at the agreement again with the person")
        page.keyboard.press("Enter")
        agreement = page.locator("form[action$='/contact-agreement/']")
        tab_to(page, "Saturday")
        page.keyboard.press("Space")
        tab_to(page, "Sunday")
        page.keyboard.press("Space")
        assert agreement.get_by_label("Saturday").is_checked() and agreement.get_by_label("Sunday").is_checked()
        assert_accessible(page)
        tab_to(page, "Save the contact agreement")
        with page.expect_navigation():
            page.keyboard.press("Enter")
        assert page.get_by_text("The contact agreement is saved.").is_visible()
        assert sorted(ContactAgreement.objects.get(pk=weekend.pk).days) == [0, 1, 2, 3, 4, 5, 6]
        assert_accessible(page)
        page.goto(f"{live_server.url}/service/peer-workers/{pw.pk}/workload/")
        assert page.get_by_text(topic).count() == 0
        assert_accessible(page)
    finally:
        context.close()
    assert not errors, f"The browser reported errors: {errors}"

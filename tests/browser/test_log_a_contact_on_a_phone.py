"""The demo peer worker logs a contact on a 390 x 844 phone: the save button is on the first screen, the
confirmation is in view (and focused) after saving and is not shown again on the next page, and the choices
made (who may read the note, how) are kept for the next contact, also when the page is opened again."""

from __future__ import annotations

from playwright.sync_api import Browser, Page, expect

from peerwork.accounts.models import User
from peerwork.demo.seed import DEMO_PASSWORD, seed_demo
from peerwork.service.models import Contact, Visibility

from .conftest import assert_accessible, sign_in

PHONE = {"width": 390, "height": 844}
SHARED = "Me and my coordinator or supervisor"


def _in_view(page: Page, selector: str) -> bool:
    return bool(
        page.evaluate(
            """s => { const r = document.querySelector(s).getBoundingClientRect();
            return r.top >= -1 && r.bottom <= window.innerHeight + 1; }""",
            selector,
        )
    )


def _kept(page: Page) -> bool:
    """Who may read the note (folded away under "Add a note") and how: as chosen last time."""
    shared = page.locator('input[name="note_visibility"][value="coordinator"]')
    return shared.is_checked() and page.locator('input[name="channel"][value="phone"]').is_checked()


def test_a_contact_is_logged_in_one_screen_and_the_choices_are_kept(browser: Browser, live_server):
    seed_demo()
    ola = User.objects.get(username="peerworker")
    before = Contact.objects.filter(peer_worker=ola).count()
    context = browser.new_context(locale="en-GB", viewport=PHONE, has_touch=True, is_mobile=True)
    context.add_cookies([{"name": "django_language", "value": "en", "url": live_server.url}])
    page = context.new_page()
    page.set_default_timeout(15_000)
    errors: list[str] = []
    page.on("console", lambda msg: errors.append(msg.text) if msg.type == "error" else None)
    try:
        sign_in(page, live_server, ola, password=DEMO_PASSWORD)
        page.goto(f"{live_server.url}/service/contact/")
        save = page.get_by_role("button", name="Save the contact")
        box = save.bounding_box()
        assert box is not None and box["y"] + box["height"] <= PHONE["height"], f"the save button ends at {box}"
        assert page.evaluate("window.scrollY") == 0
        assert_accessible(page)

        page.locator("label.choice").filter(has_text="Phone").first.click()
        page.get_by_text("Add a note").click()
        page.get_by_label("Short note").fill("Talked about the course on Thursday.")
        page.get_by_role("radio", name=SHARED).check()
        save.click()

        notice = page.locator(".notice-success")
        expect(notice).to_contain_text("Contact saved.")
        expect(notice).to_be_focused()
        assert _in_view(page, ".notice-success"), "the confirmation is out of sight"
        assert _kept(page)
        saved = Contact.objects.filter(peer_worker=ola).order_by("-id").first()
        assert Contact.objects.filter(peer_worker=ola).count() == before + 1
        assert saved is not None and saved.note_visibility == Visibility.COORDINATOR and saved.channel == "phone"
        assert_accessible(page)

        # Shown once: the next page does not say it again; the form opened afresh keeps the last choices.
        page.goto(f"{live_server.url}/service/caseload/")
        assert "Contact saved" not in page.locator("main").inner_text()
        page.goto(f"{live_server.url}/service/contact/")
        assert "Contact saved" not in page.locator("main").inner_text()
        assert _kept(page)
    finally:
        context.close()
    assert not errors, f"The browser reported errors: {errors}"

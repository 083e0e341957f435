"""The demo peer worker logs a contact on a 390 x 844 phone: the save button is on the first screen, the
confirmation is in view (and focused) after saving and is not shown again on the next page, and the choices
made (who may read the note, how) are kept for the next contact, also when the page is opened again. With a
dozen open engagements the save button is still on the first screen, and the person is chosen by keyboard."""

from __future__ import annotations

from playwright.sync_api import Browser, Page, expect

from peerwork.accounts.models import User
from peerwork.demo.seed import DEMO_PASSWORD, seed_demo
from peerwork.service.models import Contact, Engagement, ServiceUser, Visibility

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


def _open_engagements(peer_worker: User, count: int) -> list[Engagement]:
    """The peer worker's open engagements, topped up to ``count`` with copies of one (each a new person)."""
    open_ = list(Engagement.objects.filter(peer_worker=peer_worker, closed_on__isnull=True).order_by("pk"))
    model = open_[0]
    for n in range(len(open_), count):
        person = ServiceUser.objects.get(pk=model.service_user_id)
        person.pk = None
        person.chosen_name = f"Extra Person {n + 1}"
        person.save()
        copy = Engagement.objects.get(pk=model.pk)
        copy.pk = None
        copy.service_user = person
        copy.previous = None
        copy.save()
        open_.append(copy)
    return open_


def _save_ends_on_first_screen(page: Page) -> None:
    box = page.get_by_role("button", name="Save the contact").bounding_box()
    assert box is not None and box["y"] + box["height"] <= PHONE["height"], f"the save button ends at {box}"
    assert page.evaluate("window.scrollY") == 0


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
        _save_ends_on_first_screen(page)
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


def test_with_a_dozen_engagements_the_save_button_stays_on_the_first_screen(browser: Browser, live_server):
    seed_demo()
    ola = User.objects.get(username="peerworker")
    engagements = _open_engagements(ola, 12)
    assert len(engagements) == 12
    chosen = engagements[7]
    context = browser.new_context(locale="en-GB", viewport=PHONE, has_touch=True, is_mobile=True)
    context.add_cookies([{"name": "django_language", "value": "en", "url": live_server.url}])
    page = context.new_page()
    page.set_default_timeout(15_000)
    errors: list[str] = []
    page.on("console", lambda msg: errors.append(msg.text) if msg.type == "error" else None)
    try:
        sign_in(page, live_server, ola, password=DEMO_PASSWORD)
        page.goto(f"{live_server.url}/service/contact/")
        _save_ends_on_first_screen(page)
        assert_accessible(page)

        # A drop-down list rather than a dozen tiles: the person is chosen in it, and the keyboard alone then
        # reaches the save button (Tab) and presses it (Enter).
        who = page.get_by_label("Who with")
        assert who.evaluate("e => e.tagName") == "SELECT"
        who.focus()
        who.select_option(label=str(chosen.service_user))
        for _tab in range(40):
            page.keyboard.press("Tab")
            if page.evaluate("document.activeElement.textContent.trim()") == "Save the contact":
                break
        else:
            raise AssertionError("the save button is not reached with the Tab key")
        page.keyboard.press("Enter")
        expect(page.locator(".notice-success")).to_contain_text("Contact saved.")
        saved = Contact.objects.filter(peer_worker=ola).order_by("-id").first()
        assert saved is not None and saved.engagement_id == chosen.pk
        assert page.get_by_label("Who with").input_value() == str(chosen.pk), "the last person is kept"
        _save_ends_on_first_screen(page)
        assert_accessible(page)
    finally:
        context.close()
    assert not errors, f"The browser reported errors: {errors}"

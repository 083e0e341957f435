"""The engagement page shows its contacts a page at a time, newest first; every earlier one stays a link away.
The length figures beside it count on the calendar, in SQL, as a person would."""

from __future__ import annotations

from datetime import date, time, timedelta

from django.utils import timezone

from peerwork.core.roles import Role
from peerwork.service import selectors
from peerwork.service.models import Contact, Engagement

from .conftest import engage, new_referral


def _contacts(svc, engagement, n):
    today = timezone.localdate()
    Contact.objects.bulk_create(
        [
            Contact(
                organisation=svc.org,
                engagement=engagement,
                peer_worker_id=engagement.peer_worker_id,
                date=today - timedelta(days=k),
                start_time=time(10, 0),
                duration_minutes=30,
                channel="phone",
                initiated_by="person",
                note=f"note number {k}",
                note_visibility="coordinator",
            )
            for k in range(n)
        ]
    )


def test_every_contact_is_reached_page_by_page_newest_first(svc):
    engagement = engage(svc, new_referral(svc), svc.users[Role.PEER_WORKER])
    _contacts(svc, engagement, selectors.CONTACTS_SHOWN + 5)
    coordinator = svc.client(Role.COORDINATOR)
    url = f"/service/engagements/{engagement.pk}/"

    first = coordinator.get(url).content.decode()
    assert "note number 0<" in first and f"note number {selectors.CONTACTS_SHOWN - 1}<" in first
    assert f"note number {selectors.CONTACTS_SHOWN}<" not in first
    assert "25 contacts in all; 1 to 20 shown, newest first" in first
    assert 'href="?contacts=2#contacts">Earlier contacts</a>' in first
    assert "Newer contacts" not in first

    second = coordinator.get(url + "?contacts=2").content.decode()
    assert all(f"note number {k}<" in second for k in range(selectors.CONTACTS_SHOWN, selectors.CONTACTS_SHOWN + 5))
    assert "note number 0<" not in second
    assert 'href="?contacts=1#contacts">Newer contacts</a>' in second
    assert "Earlier contacts" not in second
    assert "Page 2 of 2" in second

    # A page number past the end, or none at all that makes sense, shows a page rather than an error.
    assert coordinator.get(url + "?contacts=99").status_code == 200
    assert coordinator.get(url + "?contacts=x").status_code == 200


def test_a_short_history_has_no_page_links(svc):
    engagement = engage(svc, new_referral(svc), svc.users[Role.PEER_WORKER])
    _contacts(svc, engagement, 3)
    page = svc.client(Role.PEER_WORKER).get(f"/service/engagements/{engagement.pk}/").content.decode()
    assert "3 contacts in all<" in page
    assert "Earlier contacts" not in page and "Page 1 of" not in page


def test_the_pages_of_contacts_are_in_norwegian_and_danish(svc):
    engagement = engage(svc, new_referral(svc), svc.users[Role.PEER_WORKER])
    _contacts(svc, engagement, selectors.CONTACTS_SHOWN + 1)
    coordinator = svc.users[Role.COORDINATOR]
    for language, words in (("nb", "Side 1 av 2"), ("da", "Side 1 af 2")):
        coordinator.language = language
        coordinator.save(update_fields=["language"])
        page = svc.client(Role.COORDINATOR).get(f"/service/engagements/{engagement.pk}/").content.decode()
        assert words in page and "Tidligere kontakter" in page and "Earlier contacts" not in page, language


def test_length_figures_follow_the_calendar_on_29_february(svc):
    """A start on 29 February runs its typical two years to 28 February; a day later it ran past them."""
    engagement = engage(svc, new_referral(svc), svc.users[Role.PEER_WORKER])
    other = engage(svc, new_referral(svc, "Per"), svc.users[Role.PEER_WORKER])
    leap = date(2024, 2, 29)
    closed = {"started_on": leap, "closure_reason": "planned_end"}
    Engagement.objects.filter(pk=engagement.pk).update(closed_on=date(2026, 2, 28), **closed)
    Engagement.objects.filter(pk=other.pk).update(closed_on=date(2026, 3, 1), **closed)
    figures = selectors.length_figures(svc.org.pk)
    assert (figures.total, figures.ran_past, figures.planned_past) == (2, 1, 0)
    today = timezone.localdate()
    Engagement.objects.filter(pk=engagement.pk).update(
        started_on=today - timedelta(days=100),
        closed_on=None,
        closure_reason="",
        planned_end_on=today + timedelta(days=900),
    )
    figures = selectors.length_figures(svc.org.pk)
    assert (figures.ran_past, figures.planned_past) == (1, 1)

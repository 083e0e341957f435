"""After a participant withdraws, those who downloaded a copy holding their words before then (the project file,
the report) are told to delete it, and the co-assessment's page shows a reminder until a team member marks it done.
Neither names who withdrew; the codebook holds no words said and starts no reminder."""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse

from peerwork.accounts import services as account_services
from peerwork.audit.models import AuditEntry
from peerwork.coassessment import services
from peerwork.coassessment.models import CoAssessment, ExportReminder
from peerwork.core import events
from peerwork.core.roles import Role
from peerwork.notifications.models import Notification

from .test_analysis import _under_way

pytestmark = pytest.mark.django_db

REMINDER = "still hold words of a participant who withdrew"


def _reminder_section(html: str) -> str:
    start = html.find('aria-labelledby="export-reminder-1"')
    return html[start : html.find("</section>", start)] if start >= 0 else ""


def test_export_withdraw_remind_the_downloader_and_mark_done(world, django_assert_max_num_queries):
    ca, _group, participants, _material, _segs = _under_way(world, CoAssessment.Method.CONDENSATION)
    peer, manager = world.client(Role.PEER_WORKER), world.client(Role.MANAGER)
    # The peer co-researcher downloads the project file; the manager only the codebook (codes, no words said).
    assert peer.get(reverse("coassessment:export_project", args=[ca.pk])).status_code == 200
    services.add_code(world.actor(Role.MANAGER), ca, name="Timing")
    assert manager.get(reverse("coassessment:export_codebook", args=[ca.pk])).status_code == 200

    withdrawn = participants[0]
    response = manager.post(reverse("coassessment:withdraw", args=[withdrawn.pk]), {"confirm": "on"})
    assert response.status_code == 302

    reminder = ExportReminder.objects.get(coassessment=ca)
    assert [u.pk for u in reminder.downloaded_by.all()] == [world.users[Role.PEER_WORKER].pk]
    withdrawn.refresh_from_db()
    assert reminder.exported_before == withdrawn.withdrawn_at and reminder.done_at is None
    told = Notification.objects.filter(kind=events.EXPORTED_COPIES_TO_DELETE)
    assert [n.recipient_id for n in told] == [world.users[Role.PEER_WORKER].pk], "the downloader only"
    assert told[0].url == reverse("coassessment:detail", args=[ca.pk])
    assert AuditEntry.objects.filter(object_type="coassessment.exportreminder", detail__contains="exported_copies")

    url = reverse("coassessment:detail", args=[ca.pk])
    with django_assert_max_num_queries(40):
        page = peer.get(url).content.decode()
    section = _reminder_section(page)
    assert "Delete the copies exported before" in section and REMINDER in section
    assert str(world.users[Role.PEER_WORKER]) in section, "who downloaded is named"
    assert withdrawn.pseudonym not in section, "who withdrew is never named"
    assert "Mark done" in section
    # A manager outside the team sees it too (the report can reach them), but marks nothing.
    coordinator = world.client(Role.COORDINATOR)
    assert REMINDER in coordinator.get(url).content.decode()
    done = reverse("coassessment:export_reminder_done", args=[reminder.pk])
    assert coordinator.post(done).status_code in (403, 404)

    assert peer.post(done).status_code == 302
    reminder.refresh_from_db()
    assert reminder.done_at is not None and reminder.done_by == world.users[Role.PEER_WORKER]
    assert AuditEntry.objects.filter(
        object_type="coassessment.exportreminder",
        object_id=str(reminder.pk),
        actor=world.users[Role.PEER_WORKER],
        detail__contains="exported_copies_deleted",
    ).exists()
    assert REMINDER not in peer.get(url).content.decode()
    assert (
        api_client(world, Role.PEER_WORKER).get(f"/api/coassessment/coassessments/{ca.pk}").json()["export_reminders"]
        == []
    )
    assert peer.post(done).status_code == 302  # twice: a message, nothing changed
    assert ExportReminder.objects.get(pk=reminder.pk).done_by == world.users[Role.PEER_WORKER]


def api_client(world, role):
    _token, secret = account_services.create_api_token(world.actor(role), name="test", valid_days=1)
    return Client(HTTP_AUTHORIZATION=f"Bearer {secret}")


def test_the_api_lists_the_reminder_and_marks_it_done(world):
    ca, _group, participants, _material, _segs = _under_way(world, CoAssessment.Method.CONDENSATION)
    peer = api_client(world, Role.PEER_WORKER)
    # Downloaded through the API: audited as an export as the page's download is.
    assert peer.get(f"/api/coassessment/coassessments/{ca.pk}/exchange/project").status_code == 200
    services.withdraw_participant(world.actor(Role.MANAGER), participants[0])
    body = peer.get(f"/api/coassessment/coassessments/{ca.pk}").json()
    (reminder,) = body["export_reminders"]
    assert reminder["downloaded_by"] == [
        {"person_id": world.users[Role.PEER_WORKER].pk, "name": str(world.users[Role.PEER_WORKER])}
    ]
    assert reminder["done_at"] is None and participants[0].pseudonym not in str(reminder)
    outsider = api_client(world, Role.COORDINATOR)
    assert outsider.post(f"/api/coassessment/export-reminders/{reminder['id']}/done").status_code in (403, 404)
    response = peer.post(f"/api/coassessment/export-reminders/{reminder['id']}/done")
    assert response.status_code == 200 and response.json()["done_at"] is not None
    assert peer.get(f"/api/coassessment/coassessments/{ca.pk}").json()["export_reminders"] == []
    assert peer.post(f"/api/coassessment/export-reminders/{reminder['id']}/done").status_code in (400, 422)


def test_a_report_download_counts_and_nothing_exported_means_no_reminder(world):
    ca, _group, participants, _material, _segs = _under_way(world, CoAssessment.Method.CONDENSATION)
    manager = world.actor(Role.MANAGER)
    services.withdraw_participant(manager, participants[0])
    assert not ExportReminder.objects.exists(), "nothing was downloaded"
    assert not Notification.objects.filter(kind=events.EXPORTED_COPIES_TO_DELETE).exists()

    assert world.client(Role.MANAGER).get(reverse("coassessment:report_pdf", args=[ca.pk])).status_code == 200
    counts = services.withdraw_participant(manager, participants[1])
    assert counts["told"] == 1
    reminder = ExportReminder.objects.get(coassessment=ca)
    assert [u.pk for u in reminder.downloaded_by.all()] == [world.users[Role.MANAGER].pk]
    # The one who withdrew the participant downloaded the copy: they are told too.
    assert Notification.objects.filter(
        kind=events.EXPORTED_COPIES_TO_DELETE, recipient=world.users[Role.MANAGER]
    ).exists()
    # Each withdrawal has its own reminder: the same copy also held the next participant's words.
    services.withdraw_participant(manager, participants[2])
    assert ExportReminder.objects.filter(coassessment=ca).count() == 2

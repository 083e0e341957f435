"""Notifications: who is told of what, on the channels they chose, in their own language, with no name of
anyone they support; e-mail goes through a real SMTP server."""

from __future__ import annotations

from datetime import datetime, timedelta

import pytest
from django.utils import timezone, translation
from django.utils.translation import ngettext
from django_tasks import TaskResultStatus
from django_tasks_db.models import DBTaskResult

from peerwork.accounts.middleware import SESSION_ORG_KEY
from peerwork.cocreation import services as cocreation
from peerwork.cocreation.models import Signal
from peerwork.core import events, jobs
from peerwork.core.roles import Role
from peerwork.notifications import kinds, sms
from peerwork.notifications.models import Notification, Preference
from peerwork.notifications.tasks import clean_up
from tests.conftest import actor_for
from tests.factories import MembershipFactory
from tests.service.conftest import engage, new_referral, profile_of

from .conftest import run_jobs, subject_of, text_of

NAME = "Solveig Stormoen"


# The worker runs jobs as in a deployment, closing and reopening its database connection between them, so
# these tests commit for real instead of running inside one test transaction.
pytestmark = pytest.mark.django_db(transaction=True)


def _message(kind: str, language: str, **counts: int) -> str:
    with translation.override(language):
        return kinds.message(kind, counts)


def test_a_new_engagement_reaches_the_peer_worker_on_the_page_and_by_email_in_their_language(world, smtp):
    pw = world.users[Role.PEER_WORKER]
    pw.language = "da"
    pw.save(update_fields=["language"])
    profile_of(world, pw, capacity=5, languages=["nb"])
    referral = new_referral(world, NAME)
    engagement = engage(world, referral, pw)
    assert smtp.received == []  # nothing is sent inside the request: the worker sends it
    run_jobs()

    mails = smtp.to(pw.email)
    assert len(mails) == 2  # asked to accept the offer, then the engagement itself
    danish = _message(events.ENGAGEMENT_STARTED, "da")
    assert danish != _message(events.ENGAGEMENT_STARTED, "en")
    started = next(m for m in mails if danish in text_of(m))
    assert f"/service/engagements/{engagement.pk}/" in text_of(started)
    with translation.override("da"):
        assert subject_of(started) == kinds.subject(events.ENGAGEMENT_STARTED)
    for mail in mails:
        assert "Solveig" not in text_of(mail) and "Stormoen" not in text_of(mail)
        assert "Solveig" not in subject_of(mail)
    # The coordinator who acted is told nothing of it.
    assert smtp.to(world.users[Role.COORDINATOR].email) == []

    client = world.client(Role.PEER_WORKER)
    page = client.get("/notifications/").content.decode()
    assert danish in page and "Solveig" not in page
    with translation.override("da"):
        two_new = ngettext("%(n)s new", "%(n)s new", 2) % {"n": 2}
    assert two_new in client.get("/").content.decode()  # the header's count, in every page
    client.post("/notifications/")
    assert two_new not in client.get("/").content.decode()
    pw.refresh_from_db()
    assert pw.unread_notifications == 0
    assert Notification.objects.filter(recipient=pw, read_at__isnull=True).count() == 0
    # Running the worker again sends nothing twice.
    run_jobs()
    assert len(smtp.to(pw.email)) == 2


def test_the_sender_of_a_signal_is_told_it_was_acknowledged(world, smtp):
    pw, mgr = world.actor(Role.PEER_WORKER), world.actor(Role.MANAGER)
    signal = cocreation.raise_signal(
        pw,
        kind=Signal.Kind.GAP,
        title="People are turned away at night",
        responsible_manager=mgr.user,
        visibility=Signal.Visibility.ANONYMOUS,
    )
    assert not Notification.objects.exists()
    cocreation.acknowledge_signal(mgr, signal)
    told = Notification.objects.get()
    assert (told.recipient, told.kind, told.url) == (
        pw.user,
        events.SIGNAL_ACKNOWLEDGED,
        f"/cocreation/signals/{signal.pk}/",
    )
    run_jobs()
    [mail] = smtp.to(pw.user.email)
    assert _message(events.SIGNAL_ACKNOWLEDGED, "en") in text_of(mail)
    assert smtp.to(mgr.user.email) == []


def test_each_person_chooses_the_channels_per_kind(world, smtp):
    pw = world.users[Role.PEER_WORKER]
    client = world.client(Role.PEER_WORKER)
    assert client.get("/notifications/choices/").status_code == 200
    choices = {kind: ["in_app", "by_email"] for kind in events.KINDS}
    choices[events.ENGAGEMENT_STARTED] = ["in_app"]
    choices[events.PROPOSAL_WAITING] = []
    assert client.post("/notifications/choices/", choices).status_code == 302
    assert Preference.objects.get(user=pw, kind=events.PROPOSAL_WAITING).in_app is False

    profile_of(world, pw, capacity=5, languages=["nb"])
    engage(world, new_referral(world, NAME), pw)
    run_jobs()
    assert smtp.received == []  # e-mail off for both kinds
    assert list(Notification.objects.values_list("kind", flat=True)) == [events.ENGAGEMENT_STARTED]

    # Text messages are off unless a backend is configured: choosing them is refused with a reason.
    refused = client.post("/notifications/choices/", {events.WEEKLY_DIGEST: ["by_sms"]})
    assert refused.status_code == 200
    assert Preference.objects.filter(by_sms=True).count() == 0


def test_text_messages_go_through_the_configured_backend_only(world, settings):
    settings.PEERWORK_SMS_BACKEND = "peerwork.notifications.sms.LocmemBackend"
    sms.outbox.clear()
    pw = world.actor(Role.PEER_WORKER)
    Preference.objects.create(user=pw.user, kind=events.SIGNAL_ACKNOWLEDGED, in_app=False, by_email=False, by_sms=True)
    mgr = world.actor(Role.MANAGER)
    signal = cocreation.raise_signal(pw, kind=Signal.Kind.IDEA, title="An idea", responsible_manager=mgr.user)
    cocreation.acknowledge_signal(mgr, signal)
    run_jobs()
    assert sms.outbox == [
        (
            pw.user.pk,
            f"{_message(events.SIGNAL_ACKNOWLEDGED, 'en')} http://127.0.0.1:8000/cocreation/signals/{signal.pk}/",
        )
    ]


def test_reminders_and_the_weekly_digest_come_once_per_period(world, smtp):
    pw = world.users[Role.PEER_WORKER]
    profile_of(world, pw, capacity=5, languages=["nb"])
    engage(world, new_referral(world, NAME), pw, started_on=timezone.localdate() - timedelta(days=200))
    Notification.objects.all().delete()
    morning = timezone.make_aware(datetime.combine(timezone.localdate(), datetime.min.time()) + timedelta(hours=8))
    assert set(jobs.due_schedule(morning)) == {
        "reminders",
        "weekly digest",
        "retention",
        "clean-up",
        "coassessment retention",
    }
    assert jobs.due_schedule(morning + timedelta(hours=1)) == []  # once a day, once a week
    run_jobs()

    coordinator = world.users[Role.COORDINATOR]
    mine = {n.kind: n for n in Notification.objects.filter(recipient=pw)}
    assert mine[events.REVIEWS_DUE].counts == {"engagements": 1}
    theirs = {n.kind: n for n in Notification.objects.filter(recipient=coordinator)}
    assert theirs[events.REVIEWS_DUE].counts == {"engagements": 1}
    assert theirs[events.WEEKLY_DIGEST].counts["reviews"] == 1
    # The world's coordinator guides its peer worker, who has had no guidance yet.
    assert theirs[events.GUIDANCE_OVERDUE].counts == {"peer_workers": 1}
    digest = next(m for m in smtp.to(coordinator.email) if "/service/dashboard/" in text_of(m))
    assert "Solveig" not in text_of(digest)


def test_a_failing_job_is_retried_then_shown_to_the_administrator(world, settings):
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT, settings.EMAIL_USE_TLS = "127.0.0.1", 9, False  # nothing listens
    pw, mgr = world.actor(Role.PEER_WORKER), world.actor(Role.MANAGER)
    cocreation.acknowledge_signal(
        mgr, cocreation.raise_signal(pw, kind=Signal.Kind.IDEA, title="An idea", responsible_manager=mgr.user)
    )
    for _attempt in range(settings.PEERWORK_JOB_ATTEMPTS):
        DBTaskResult.objects.filter(status=TaskResultStatus.READY).update(run_after=timezone.now())  # time passes
        run_jobs()
    assert DBTaskResult.objects.filter(status=TaskResultStatus.FAILED).count() == settings.PEERWORK_JOB_ATTEMPTS
    assert not DBTaskResult.objects.filter(status=TaskResultStatus.READY).exists()  # bounded: no fourth try

    page = world.client(Role.ADMINISTRATOR).get("/notifications/jobs/").content.decode()
    assert page.count("Given up") == 1 and page.count("Will be tried again") == 2
    assert "Sending a notification" in page and "ConnectionRefusedError" in page
    assert world.client(Role.COORDINATOR).get("/notifications/jobs/").status_code == 403


def test_another_organisations_jobs_and_notifications_stay_out_of_sight(world, other_world, smtp):
    pw, mgr = other_world.actor(Role.PEER_WORKER), other_world.actor(Role.MANAGER)
    cocreation.acknowledge_signal(
        mgr, cocreation.raise_signal(pw, kind=Signal.Kind.IDEA, title="An idea", responsible_manager=mgr.user)
    )
    assert world.users[Role.PEER_WORKER].unread_notifications == 0
    assert "1 new" not in world.client(Role.PEER_WORKER).get("/").content.decode()
    assert "1 new" in other_world.client(Role.PEER_WORKER).get("/").content.decode()
    assert "1 job is waiting" not in world.client(Role.ADMINISTRATOR).get("/notifications/jobs/").content.decode()
    assert "1 job is waiting" in other_world.client(Role.ADMINISTRATOR).get("/notifications/jobs/").content.decode()


@pytest.mark.parametrize("path", ["/notifications/", "/notifications/choices/"])
def test_query_budget_of_the_notification_pages(world, path, django_assert_max_num_queries):
    pw, mgr = world.actor(Role.PEER_WORKER), world.actor(Role.MANAGER)
    for i in range(5):
        cocreation.acknowledge_signal(
            mgr, cocreation.raise_signal(pw, kind=Signal.Kind.IDEA, title=f"Idea {i}", responsible_manager=mgr.user)
        )
    client = world.client(Role.PEER_WORKER)
    with django_assert_max_num_queries(12):
        assert client.get(path).status_code == 200


def test_the_weekly_clean_up_deletes_old_notifications_and_finished_jobs(world):
    pw, mgr = world.actor(Role.PEER_WORKER), world.actor(Role.MANAGER)
    cocreation.acknowledge_signal(
        mgr, cocreation.raise_signal(pw, kind=Signal.Kind.IDEA, title="An idea", responsible_manager=mgr.user)
    )
    run_jobs()
    fresh = Notification.objects.get()
    Notification.objects.filter(pk=fresh.pk).update(created_at=timezone.now() - timedelta(days=181))
    DBTaskResult.objects.update(finished_at=timezone.now() - timedelta(days=31))
    clean_up.enqueue(organisation_id=0)
    run_jobs()
    assert not Notification.objects.exists()
    assert list(DBTaskResult.objects.values_list("status", flat=True)) == [TaskResultStatus.SUCCESSFUL]  # itself


def test_a_person_in_two_organisations_is_told_where_the_other_notifications_are(world, other_world):
    pw = world.users[Role.PEER_WORKER]
    MembershipFactory(organisation=other_world.org, user=pw, role=Role.PEER_WORKER)
    there, mgr = actor_for(pw, other_world.org), other_world.actor(Role.MANAGER)
    cocreation.acknowledge_signal(
        mgr, cocreation.raise_signal(there, kind=Signal.Kind.IDEA, title="An idea", responsible_manager=mgr.user)
    )
    client = world.client(Role.PEER_WORKER)
    session = client.session
    session[SESSION_ORG_KEY] = world.org.pk
    session.save()
    page = client.get("/notifications/").content.decode()
    assert "You have no notifications." in page and "1 unread notification is for another organisation" in page
    assert "1 new" in page  # the header counts every organisation's

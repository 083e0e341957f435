"""The planned end is a review point: extensions agreed by both, with a reason; handover with a new plan."""

from __future__ import annotations

from datetime import date, time, timedelta

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.test import Client
from django.utils import timezone

from peerwork.accounts import services as account_services
from peerwork.audit.details import Detail
from peerwork.audit.models import AuditEntry
from peerwork.core.roles import Role
from peerwork.service import selectors, services, workload
from peerwork.service.models import Contact, ContactAgreement, Engagement, EngagementExtension, StrainAction

from .conftest import actor_for, add_peer_worker, contact_values, engage, new_referral, profile_of


def _extend(actor, engagement, **over):
    values = {
        "engagement_id": engagement.pk,
        "new_end_on": engagement.planned_end_on + timedelta(days=365),
        "reason": "Wants support through the move to a new flat",
        "person_agreed": True,
        "peer_worker_agreed": True,
        "agreed_on": timezone.localdate(),
    }
    values.update(over)
    return services.engagements.extend_engagement(actor, **values)


def test_extension_past_two_years_is_recorded_with_who_agreed_when_and_why(svc):
    coordinator = svc.actor(Role.COORDINATOR)
    engagement = engage(svc, new_referral(svc), svc.users[Role.PEER_WORKER])
    before = engagement.planned_end_on
    new_end = engagement.started_on + timedelta(days=3 * 365)
    extension = _extend(coordinator, engagement, new_end_on=new_end)
    engagement.refresh_from_db()
    assert engagement.planned_end_on == new_end
    assert extension.previous_end_on == before and extension.new_end_on == new_end
    assert extension.person_agreed and extension.peer_worker_agreed
    assert extension.reason == "Wants support through the move to a new flat"
    assert extension.recorded_by_id == coordinator.user.pk and extension.agreed_on == timezone.localdate()
    assert AuditEntry.objects.filter(object_id=str(engagement.pk), detail=Detail("extended").stored).count() == 1
    # the own peer worker may extend again, later still
    _extend(svc.actor(Role.PEER_WORKER), engagement, new_end_on=new_end + timedelta(days=100))
    assert EngagementExtension.objects.filter(engagement=engagement).count() == 2


@pytest.mark.parametrize(
    ("field", "over"),
    [
        ("person_agreed", {"person_agreed": False}),
        ("peer_worker_agreed", {"peer_worker_agreed": False}),
        ("reason", {"reason": "   "}),
        ("new_end_on", {"new_end_on": date(2020, 1, 1)}),
        ("agreed_on", {"agreed_on": timezone.localdate() + timedelta(days=2)}),
    ],
)
def test_extension_needs_both_agreements_a_reason_and_a_later_end(svc, field, over):
    engagement = engage(svc, new_referral(svc), svc.users[Role.PEER_WORKER])
    with pytest.raises(ValidationError) as caught:
        _extend(svc.actor(Role.COORDINATOR), engagement, **over)
    assert field in caught.value.message_dict
    assert not EngagementExtension.objects.exists()
    engagement.refresh_from_db()
    assert engagement.planned_end_on == Engagement.objects.get(pk=engagement.pk).planned_end_on


def test_only_coordinators_and_the_own_peer_worker_extend(svc):
    engagement = engage(svc, new_referral(svc), svc.users[Role.PEER_WORKER])
    other = add_peer_worker(svc, "pw-other")
    with pytest.raises(PermissionDenied):
        _extend(actor_for(other, svc.org), engagement)


def test_length_figures_count_engagements_past_the_typical_two_years(svc):
    engagement = engage(svc, new_referral(svc), svc.users[Role.PEER_WORKER])
    figures = selectors.length_figures(svc.org.pk)
    assert (figures.years, figures.total, figures.ran_past, figures.planned_past, figures.extended) == (2, 1, 0, 0, 0)
    _extend(svc.actor(Role.COORDINATOR), engagement, new_end_on=engagement.started_on + timedelta(days=900))
    figures = selectors.length_figures(svc.org.pk)
    assert (figures.ran_past, figures.planned_past, figures.extended) == (0, 1, 1)
    Engagement.objects.filter(pk=engagement.pk).update(started_on=timezone.localdate() - timedelta(days=800))
    figures = selectors.length_figures(svc.org.pk)
    assert (figures.ran_past, figures.planned_past) == (1, 0)


# --- contact agreements, attempts and the strain rules ---------------------------------------------------

WEEKDAYS = [0, 1, 2, 3, 4]


def _agreement(actor, engagement, **over):
    values = {
        "engagement_id": engagement.pk,
        "channels": ["phone", "meeting"],
        "days": WEEKDAYS,
        "hours_from": time(9, 0),
        "hours_until": time(16, 0),
        "out_of_hours": "Sends a message; the peer worker answers the next working day",
        "crisis": "Calls the crisis team at the emergency ward",
        "agreed_on": timezone.localdate(),
    }
    values.update(over)
    return services.contacts.save_agreement(actor, **values)


def _codes(topics):
    return sorted(t.code for t in topics)


def _at(engagement, day, at, kind="contact", minutes=30):
    return Contact.objects.create(
        organisation=engagement.organisation,
        engagement=engagement,
        peer_worker=engagement.peer_worker,
        date=day,
        start_time=at,
        duration_minutes=minutes,
        channel="phone",
        initiated_by="person",
        kind=kind,
    )


def test_weekend_contacts_are_a_topic_unless_both_the_agreement_and_the_peer_worker_include_weekends(svc):
    pw = svc.users[Role.PEER_WORKER]
    engagement = engage(svc, new_referral(svc), pw, started_on=timezone.localdate() - timedelta(days=60))
    today = timezone.localdate()
    saturday = today - timedelta(days=today.weekday()) + timedelta(days=5)
    monday = today - timedelta(days=today.weekday())
    # three weekend contacts "this week": pretend today is Sunday of this week
    sunday = monday + timedelta(days=6)
    for hour in (10, 12, 14):
        _at(engagement, saturday, time(hour, 0))
    org = svc.org.pk
    # no agreement: the organisation's weekend threshold (3) applies
    assert "weekend" in _codes(workload.topics_for(pw.pk, org, sunday))
    # an agreement without weekends: each weekend contact is outside it
    _agreement(svc.actor(Role.COORDINATOR), engagement)
    topics = workload.topics_for(pw.pk, org, sunday)
    assert "weekend" not in _codes(topics)
    outside = [t for t in topics if t.code == "outside_agreement"]
    assert outside and outside[0].params == {"engagement": engagement.pk, "n": 3}
    assert "3 contacts in the last seven days" in outside[0].text
    # the person is named by their initials, never by an engagement's number
    who = workload.initials(engagement.service_user.chosen_name)
    assert who and f"with {who} fell outside" in outside[0].text and "#" not in outside[0].text
    # the agreement includes the weekend, but the peer worker has not agreed to work weekends
    _agreement(svc.actor(Role.COORDINATOR), engagement, days=[0, 1, 2, 3, 4, 5, 6])
    assert "outside_agreement" in _codes(workload.topics_for(pw.pk, org, sunday))
    # both include weekends: nothing to raise
    profile_of(svc, pw, weekends=True)
    assert _codes(workload.topics_for(pw.pk, org, sunday)) == ["guidance_overdue"]
    # outside the agreed hours is a topic again
    _at(engagement, saturday, time(17, 30))
    topics = workload.topics_for(pw.pk, org, sunday)
    assert [t.params["n"] for t in topics if t.code == "outside_agreement"] == [1]


def test_evening_contacts_need_the_peer_workers_evenings_too(svc):
    pw = svc.users[Role.PEER_WORKER]
    engagement = engage(svc, new_referral(svc), pw)
    monday = timezone.localdate() - timedelta(days=timezone.localdate().weekday())
    _agreement(svc.actor(Role.PEER_WORKER), engagement, hours_from=time(9, 0), hours_until=time(21, 0))
    _at(engagement, monday, time(18, 0))
    assert "outside_agreement" in _codes(workload.topics_for(pw.pk, svc.org.pk, monday))
    profile_of(svc, pw, evenings=True)
    assert "outside_agreement" not in _codes(workload.topics_for(pw.pk, svc.org.pk, monday))


def test_tries_without_answer_and_calls_not_taken_are_logged_and_count_as_strain(svc):
    pw = svc.users[Role.PEER_WORKER]
    actor = svc.actor(Role.PEER_WORKER)
    engagement = engage(svc, new_referral(svc), pw)
    now = timezone.localtime() - timedelta(hours=1)
    first = services.contacts.add_contact(
        actor,
        engagement_id=engagement.pk,
        kind="no_answer",
        **{k: v for k, v in contact_values(now.date(), time(now.hour, 0)).items()},
    )
    # an attempt takes no length and may fall during another contact
    second = services.contacts.add_contact(
        actor,
        engagement_id=engagement.pk,
        kind="not_taken",
        **{k: v for k, v in contact_values(now.date(), time(now.hour, 0)).items()},
    )
    assert first.duration_minutes == 1 and second.kind == "not_taken"
    topics = [t for t in workload.topics_for(pw.pk, svc.org.pk, now.date()) if t.code == "attempts"]
    assert topics[0].params == {"engagement": engagement.pk, "tries": 1, "not_taken": 1}
    assert "1 tries without an answer and 1 calls out of hours not taken" in topics[0].text
    week = workload.current_weeks(svc.org.pk, [pw.pk], now.date()).get(pw.pk)
    assert week is None or week.contacts == 0  # attempts are not contacts in the weekly figures
    with pytest.raises(ValidationError) as caught:
        services.contacts.add_contact(actor, engagement_id=engagement.pk, kind="ghost", **contact_values())
    assert "kind" in caught.value.message_dict


@pytest.mark.parametrize(
    ("field", "over"),
    [
        ("channels", {"channels": []}),
        ("channels", {"channels": ["pigeon"]}),
        ("days", {"days": []}),
        ("hours_until", {"hours_until": time(8, 0)}),
        ("out_of_hours", {"out_of_hours": " "}),
        ("crisis", {"crisis": ""}),
        ("agreed_on", {"agreed_on": timezone.localdate() + timedelta(days=3)}),
    ],
)
def test_a_contact_agreement_needs_every_part(svc, field, over):
    engagement = engage(svc, new_referral(svc), svc.users[Role.PEER_WORKER])
    with pytest.raises(ValidationError) as caught:
        _agreement(svc.actor(Role.COORDINATOR), engagement, **over)
    assert field in caught.value.message_dict
    assert not ContactAgreement.objects.exists()


def test_saving_the_agreement_again_records_the_review_and_only_managers_may(svc):
    engagement = engage(svc, new_referral(svc), svc.users[Role.PEER_WORKER])
    first = _agreement(svc.actor(Role.PEER_WORKER), engagement)
    assert first.reviewed_on is None
    again = _agreement(svc.actor(Role.COORDINATOR), engagement, channels=["message"])
    assert again.pk == first.pk and again.reviewed_on == timezone.localdate() and again.channels == ["message"]
    with pytest.raises(PermissionDenied):
        _agreement(actor_for(add_peer_worker(svc, "pw-x"), svc.org), engagement)


def test_coordinators_record_actions_on_a_strain_topic_from_a_fixed_list(svc):
    pw = svc.users[Role.PEER_WORKER]
    engagement = engage(svc, new_referral(svc), pw)
    done = services.contacts.record_strain_action(
        svc.actor(Role.COORDINATOR),
        peer_worker_id=pw.pk,
        topic="outside_agreement",
        action="talked_with_person",
        engagement_id=engagement.pk,
    )
    assert done.get_action_display() == "Talked with the person about contact"
    assert StrainAction.objects.filter(peer_worker=pw, engagement=engagement).count() == 1
    with pytest.raises(ValidationError):
        services.contacts.record_strain_action(
            svc.actor(Role.COORDINATOR), peer_worker_id=pw.pk, topic="weekend", action="scolded"
        )
    with pytest.raises(PermissionDenied):
        services.contacts.record_strain_action(
            svc.actor(Role.PEER_WORKER), peer_worker_id=pw.pk, topic="weekend", action="talked_with_person"
        )


class _Api:
    def __init__(self, headers):
        self.client, self.headers = Client(), headers

    def post(self, path, data, content_type):
        return self.client.post(path, data, content_type=content_type, **self.headers)

    def put(self, path, data, content_type):
        return self.client.put(path, data, content_type=content_type, **self.headers)


def _api(world, role):
    _t, secret = account_services.create_api_token(world.actor(role), name="integration", valid_days=30)
    return _Api({"HTTP_AUTHORIZATION": f"Bearer {secret}"})


def test_the_api_extends_makes_agreements_logs_attempts_and_records_actions_validating_like_the_forms(svc):
    pw = svc.users[Role.PEER_WORKER]
    engagement = engage(svc, new_referral(svc), pw)
    coordinator = _api(svc, Role.COORDINATOR)
    peer = _api(svc, Role.PEER_WORKER)
    base = f"/api/service/engagements/{engagement.pk}"
    today = timezone.localdate().isoformat()
    new_end = (engagement.started_on + timedelta(days=1000)).isoformat()
    bad = coordinator.post(
        f"{base}/extensions",
        {
            "new_end_on": new_end,
            "reason": "Moving flat",
            "person_agreed": False,
            "peer_worker_agreed": True,
            "agreed_on": today,
        },
        content_type="application/json",
    )
    assert bad.status_code == 422 and "person_agreed" in bad.content.decode()
    ok = coordinator.post(
        f"{base}/extensions",
        {
            "new_end_on": new_end,
            "reason": "Moving flat",
            "person_agreed": True,
            "peer_worker_agreed": True,
            "agreed_on": today,
        },
        content_type="application/json",
    )
    assert ok.status_code == 201 and ok.json()["new_end_on"] == new_end
    agreement = {
        "channels": ["phone"],
        "days": [0, 1, 2],
        "hours_from": "09:00",
        "hours_until": "15:00",
        "out_of_hours": "Message, answered next day",
        "crisis": "The crisis team",
        "agreed_on": today,
    }
    assert (
        coordinator.put(
            f"{base}/contact-agreement", {**agreement, "days": [9]}, content_type="application/json"
        ).status_code
        == 422
    )
    put = peer.put(f"{base}/contact-agreement", agreement, content_type="application/json")
    assert put.status_code == 200 and put.json()["days"] == [0, 1, 2]
    now = timezone.localtime() - timedelta(hours=1)
    logged = peer.post(
        f"{base}/contacts",
        {
            "date": now.date().isoformat(),
            "start_time": f"{now.hour:02d}:00",
            "duration_minutes": 30,
            "channel": "phone",
            "initiated_by": "peer_worker",
            "kind": "no_answer",
        },
        content_type="application/json",
    )
    assert logged.status_code == 201 and logged.json()["kind"] == "no_answer"
    action = coordinator.post(
        f"/api/service/peer-workers/{pw.pk}/strain-actions",
        {"topic": "attempts", "action": "talked_with_person", "engagement_id": engagement.pk},
        content_type="application/json",
    )
    assert action.status_code == 201 and action.json()["action"] == "talked_with_person"
    refused = peer.post(
        f"/api/service/peer-workers/{pw.pk}/strain-actions",
        {"topic": "attempts", "action": "talked_with_person"},
        content_type="application/json",
    )
    assert refused.status_code == 403


def test_the_demo_shows_an_extension_agreements_attempts_and_a_topic_the_agreement_decides(db):
    from peerwork.accounts.models import User
    from peerwork.demo.seed import seed_demo

    seed_demo()
    ola = User.objects.get(username="peerworker")
    extension = EngagementExtension.objects.get(engagement__peer_worker=ola)
    assert extension.reason and extension.person_agreed and extension.peer_worker_agreed
    engagement = extension.engagement
    assert engagement.planned_end_on > engagement.started_on + timedelta(days=731)
    org = engagement.organisation_id
    figures = selectors.length_figures(org)
    assert figures.ran_past >= 1 and figures.extended == 1
    today = timezone.localdate()
    codes = _codes(workload.topics_for(ola.pk, org, today))
    assert "outside_agreement" in codes and "attempts" in codes
    assert Contact.objects.filter(peer_worker=ola, kind="not_taken").exists()
    weekend = ContactAgreement.objects.filter(organisation_id=org).exclude(engagement__peer_worker=ola).get()
    pw = weekend.engagement.peer_worker
    mine = [t for t in workload.topics_for(pw.pk, org, today) if t.code == "outside_agreement"]
    assert [t.params for t in mine] == [{"engagement": weekend.engagement_id, "n": 2}]
    coordinator = actor_for(User.objects.get(username="coordinator"), weekend.organisation)
    _agreement(coordinator, weekend.engagement, days=[0, 1, 2, 3, 4, 5, 6])
    assert "outside_agreement" not in _codes(workload.topics_for(pw.pk, org, today))

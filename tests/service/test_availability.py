"""A peer worker's own availability, the hold of a new peer worker, matching that never proposes anyone not
open to new people, the reason a coordinator gives before opening a workload or caseload, and the peer
worker's page of who looked at their work."""

from __future__ import annotations

import json
import re
from datetime import timedelta

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from peerwork.accounts import services as account_services
from peerwork.audit.details import Detail
from peerwork.audit.models import AuditEntry
from peerwork.core.roles import Role
from peerwork.privacy import selectors as privacy_selectors
from peerwork.readiness.models import Orientation
from peerwork.service import candidates, matching_adapter, selectors, services
from peerwork.service.access import AccessReason
from peerwork.service.models import AvailabilityChange, PeerWorkerProfile
from tests.conftest import actor_for, verified_client
from tests.factories import MembershipFactory, PositionFactory, UserFactory

from .conftest import OFFICE, add_peer_worker, new_referral

ISO = re.compile(r"\d{4}-\d{2}-\d{2}")


def test_the_peer_worker_pauses_new_referrals_until_a_day_and_the_change_is_kept(svc):
    pw = svc.actor(Role.PEER_WORKER)
    later = timezone.localdate() + timedelta(days=20)
    profile = services.availability.save_availability(pw, peer_worker_id=pw.user.pk, accepting=False, resumes_on=later)
    assert not profile.open_to_new(timezone.localdate())
    assert profile.open_to_new(later)  # open again on the day they chose
    change = AvailabilityChange.objects.get(profile=profile)
    assert change.changed_by == pw.user and change.kind == "changed"
    assert change.values == {"accepting": False, "resumes_on": later.isoformat()}
    view = selectors.availability(svc.actor(Role.COORDINATOR), pw.user.pk)  # the coordinator sees it too
    assert view.changes[0].by == pw.user
    assert view.changes[0].texts[0].startswith("Paused new referrals until ")
    assert not ISO.search(view.changes[0].texts[0]) and not ISO.search(view.status)
    # Opening again clears the day; nothing changed, nothing recorded.
    services.availability.save_availability(pw, peer_worker_id=pw.user.pk, accepting=True)
    profile.refresh_from_db()
    assert profile.accepting and profile.resumes_on is None
    services.availability.save_availability(pw, peer_worker_id=pw.user.pk, accepting=True)
    assert AvailabilityChange.objects.filter(profile=profile).count() == 2
    entry = AuditEntry.objects.filter(object_type="service.peerworkerprofile", action="update").latest("id")
    assert entry.subject_id == str(pw.user.pk) and entry.actor_id == pw.user.pk


def test_a_day_to_open_again_lies_ahead_and_goes_with_a_pause(svc):
    pw = svc.actor(Role.PEER_WORKER)
    today = timezone.localdate()
    with pytest.raises(ValidationError) as exc:
        services.availability.save_availability(pw, peer_worker_id=pw.user.pk, accepting=False, resumes_on=today)
    assert "after today" in str(exc.value)
    with pytest.raises(ValidationError) as exc:
        services.availability.save_availability(
            pw, peer_worker_id=pw.user.pk, resumes_on=today + timedelta(days=3)
        )  # still open: a day to open again makes no sense
    assert "goes with pausing" in str(exc.value)


def test_capacity_is_chosen_within_the_range_the_coordinator_agrees(svc):
    pw = svc.actor(Role.PEER_WORKER)
    coordinator = svc.actor(Role.COORDINATOR)
    uid = pw.user.pk
    services.availability.agree_range(coordinator, peer_worker_id=uid, capacity_min=2, capacity_max=4)
    profile = PeerWorkerProfile.objects.get(user_id=uid)
    assert (profile.capacity_min, profile.capacity_max, profile.capacity) == (2, 4, 4)  # 5 moved into the range
    with pytest.raises(ValidationError) as exc:
        services.availability.save_availability(pw, peer_worker_id=uid, capacity=5)
    assert "from 2 to 4" in str(exc.value)
    assert services.availability.save_availability(pw, peer_worker_id=uid, capacity=3).capacity == 3
    with pytest.raises(PermissionDenied):  # the range is the coordinator's
        services.availability.agree_range(pw, peer_worker_id=uid, capacity_min=0, capacity_max=30)
    with pytest.raises(ValidationError):
        services.availability.agree_range(coordinator, peer_worker_id=uid, capacity_min=5, capacity_max=3)
    with pytest.raises(PermissionDenied):  # nobody else changes a peer worker's availability
        services.availability.save_availability(svc.actor(Role.SENIOR_PEER_WORKER), peer_worker_id=uid, accepting=False)
    with pytest.raises(ValidationError):
        services.availability.save_availability(pw, peer_worker_id=uid, working_hours={"0": [["16:00", "08:00"]]})
    texts = [t for c in selectors.availability(pw, uid).changes for t in c.texts]
    assert "Agreed range: from 2 to 4 engagements" in texts and "Most active engagements: 3" in texts


def _pool_ids(world) -> tuple[set[int], set[int]]:
    """(ranked, whole-list suggested) peer worker ids for one fresh referral."""
    coordinator = world.actor(Role.COORDINATOR)
    referral = new_referral(world, f"P{timezone.now().timestamp()}")
    ranked, _excluded = matching_adapter.rank(coordinator, referral, limit=None)
    plan = matching_adapter.offer_waiting_list(coordinator)
    return {r.user.pk for r in ranked}, {offer.user.pk for row in plan.rows for offer in row.offers}


def test_matching_never_proposes_a_peer_worker_who_is_not_open_to_new_people(svc):
    coordinator = svc.actor(Role.COORDINATOR)
    paused = add_peer_worker(svc, "paused-pw", capacity=9)
    open_one = add_peer_worker(svc, "open-pw")
    services.availability.save_availability(actor_for(paused, svc.org), peer_worker_id=paused.pk, accepting=False)
    ranked, suggested = _pool_ids(svc)
    assert paused.pk not in ranked and paused.pk not in suggested
    assert open_one.pk in ranked
    referral = new_referral(svc, "Asked")
    with pytest.raises(ValidationError):  # proposing them anyway is refused at write time
        services.proposals.propose(coordinator, referral_id=referral.pk, peer_worker_ids=[paused.pk])
    _ranked, excluded = matching_adapter.rank(coordinator, referral)
    assert any(e.user == paused and "Not taking new" in e.texts[0] for e in excluded)
    # A pause whose day to open again has come no longer closes them.
    PeerWorkerProfile.objects.filter(user=paused).update(resumes_on=timezone.localdate())
    assert paused.pk in _pool_ids(svc)[0]


def test_a_new_peer_worker_is_on_hold_until_profile_and_orientation_are_complete(svc):
    coordinator = svc.actor(Role.COORDINATOR)
    new = UserFactory(username="new-pw")
    MembershipFactory(organisation=svc.org, user=new, role=Role.PEER_WORKER, unit=svc.team)
    position = PositionFactory(organisation=svc.org, unit=svc.team, holder=new)
    # No profile at all: on hold, never proposed, and the coordinator is told what is missing.
    ranked, suggested = _pool_ids(svc)
    assert new.pk not in ranked and new.pk not in suggested
    cand = candidates.load(svc.org.pk, [new.pk])[0]
    assert cand.room == 0 and cand.closed_code == "on_hold"
    view = selectors.availability(coordinator, new.pk)
    assert view.profile.on_hold and len(view.missing) == 3
    assert view.status.startswith("New: not open to new people")
    # The peer worker fills in their part; the profile the service creates starts on hold.
    new_actor = actor_for(new, svc.org)
    services.profiles.save_profile(new_actor, peer_worker_id=new.pk, languages=["nb"])
    services.availability.save_availability(new_actor, peer_worker_id=new.pk, working_hours=OFFICE)
    profile = PeerWorkerProfile.objects.get(user=new)
    assert profile.on_hold
    assert AvailabilityChange.objects.filter(profile=profile, kind="hold").exists()
    assert selectors.availability(new_actor, new.pk).missing == ["an orientation marked as completed, in readiness"]
    with pytest.raises(ValidationError) as exc:
        services.availability.lift_hold(coordinator, peer_worker_id=new.pk)
    assert "orientation" in str(exc.value)
    with pytest.raises(PermissionDenied):  # the peer worker does not lift their own hold
        services.availability.lift_hold(new_actor, peer_worker_id=new.pk)
    Orientation.objects.create(organisation=svc.org, position=position, status=Orientation.Status.COMPLETED)
    assert selectors.availability(coordinator, new.pk).missing == []
    services.availability.lift_hold(coordinator, peer_worker_id=new.pk)
    profile.refresh_from_db()
    assert not profile.on_hold and profile.hold_lifted_by == coordinator.user
    assert new.pk in _pool_ids(svc)[0]


def test_on_hold_shows_on_the_pages_of_the_peer_worker_and_the_coordinator(svc):
    new = UserFactory(username="held-pw", first_name="Hedda", last_name="Holm")
    MembershipFactory(organisation=svc.org, user=new, role=Role.PEER_WORKER, unit=svc.team)
    page = svc.client(Role.COORDINATOR).get(f"/service/peer-workers/{new.pk}/availability/").content.decode()
    assert "not open to new people until profile and orientation are complete" in page
    assert "Still missing" in page and "agreed working hours" in page
    dashboard = svc.client(Role.COORDINATOR).get("/service/dashboard/?all=1").content.decode()
    assert "new: on hold" in dashboard


# --- the reason a coordinator gives, and who looked ---------------------------------------------------------


@pytest.fixture
def unguided(svc):
    """A peer worker the world's coordinator does not guide (their position reports to nobody)."""
    user = add_peer_worker(svc, "unguided")
    user.first_name, user.last_name = "Una", "Berg"
    user.save()
    return user


def test_a_coordinator_who_does_not_guide_the_peer_worker_picks_a_reason_first(svc, unguided):
    client = svc.client(Role.COORDINATOR)
    for page in ("workload", "caseload"):
        url = f"/service/peer-workers/{unguided.pk}/{page}/"
        asked = client.get(url).content.decode()
        assert "Why do you open this page?" in asked
        assert "Contacts in a week" not in asked and "Active engagements" not in asked
        assert "Why do you open this page?" in client.get(url + "?reason=gossip").content.decode()
        shown = client.get(url + "?reason=allocation").content.decode()
        assert "Why do you open this page?" not in shown
        entry = AuditEntry.objects.filter(object_type=f"service.{page}", subject_id=str(unguided.pk)).latest("id")
        assert (
            entry.detail == Detail("shown_for_reason", page=page, reason="allocation").stored
            and entry.actor_id == svc.users[Role.COORDINATOR].pk
        )
    with pytest.raises(PermissionDenied):  # the selector holds the rule for the API too
        selectors.peer_workload(svc.actor(Role.COORDINATOR), unguided.pk)
    with pytest.raises(PermissionDenied):
        selectors.caseload(svc.actor(Role.COORDINATOR), unguided.pk, reason="not-a-reason")


def test_their_own_guide_and_the_peer_worker_give_no_reason(svc):
    guided = svc.users[Role.PEER_WORKER]  # their position reports to the world's coordinator
    page = svc.client(Role.COORDINATOR).get(f"/service/peer-workers/{guided.pk}/workload/").content.decode()
    assert "Why do you open this page?" not in page and "Topics for the next guidance session" in page
    assert "Why do you open this page?" not in svc.client(Role.PEER_WORKER).get("/service/workload/").content.decode()


def test_the_peer_worker_sees_who_looked_and_why_in_plain_words(svc, unguided):
    coordinator = svc.users[Role.COORDINATOR]
    svc.client(Role.COORDINATOR).get(f"/service/peer-workers/{unguided.pk}/workload/?reason=cover")
    svc.client(Role.COORDINATOR).get(f"/service/peer-workers/{unguided.pk}/caseload/?reason=workload")
    own = actor_for(unguided, svc.org)
    selectors.peer_workload(own, unguided.pk)  # their own visits are left out
    looks = privacy_selectors.who_looked_at_my_work(own)
    assert [(lk.who, lk.what, lk.reason) for lk in looks] == [
        (str(coordinator), "looked at your caseload", str(AccessReason.WORKLOAD.label)),
        (str(coordinator), "looked at your workload", str(AccessReason.COVER.label)),
    ]
    page = verified_client(unguided).get("/privacy/who-looked-at-my-work/").content.decode()
    body = page.split("<main", 1)[-1]
    assert str(coordinator) in body and "Covering for their guide while the guide is away" in body
    assert "reason=" not in body and "cover" not in re.sub(r"Covering", "", body)
    assert not ISO.search(body)
    # The same list over the API, for the token's own peer worker only.
    _token, secret = account_services.create_api_token(own, name="mine", valid_days=1)
    answer = verified_client(unguided).get("/api/privacy/who-looked-at-my-work", HTTP_AUTHORIZATION=f"Bearer {secret}")
    assert answer.status_code == 200
    assert [row["reason"] for row in answer.json()] == [
        str(AccessReason.WORKLOAD.label),
        str(AccessReason.COVER.label),
    ]
    assert svc.client(Role.COORDINATOR).get("/privacy/who-looked-at-my-work/").status_code == 403


# --- the API validates as the form does -------------------------------------------------------------------


def test_the_api_changes_availability_with_the_same_rules_as_the_page(svc):
    pw = svc.actor(Role.PEER_WORKER)
    uid = pw.user.pk
    _token, secret = account_services.create_api_token(pw, name="mine", valid_days=1)
    auth = {"HTTP_AUTHORIZATION": f"Bearer {secret}"}
    client = svc.client(Role.PEER_WORKER)
    url = f"/api/service/peer-workers/{uid}/availability"
    later = (timezone.localdate() + timedelta(days=9)).isoformat()
    answer = client.patch(url, json.dumps({"accepting": False, "resumes_on": later}), "application/json", **auth)
    assert answer.status_code == 200, answer.content
    assert answer.json()["open_to_new"] is False and answer.json()["resumes_on"] == later
    too_many = client.patch(url, json.dumps({"capacity": 9}), "application/json", **auth)
    assert too_many.status_code == 422 and "range agreed" in json.dumps(too_many.json()["errors"])
    form = client.post(
        "/service/availability/",
        {"which": "availability", "new_people": "open", "capacity": 9, **{f"hours_{i}": "" for i in range(7)}},
    )
    assert "the range agreed with your coordinator" in form.content.decode()
    refused = client.put(
        url + "/range", json.dumps({"capacity_min": 0, "capacity_max": 30}), "application/json", **auth
    )
    assert refused.status_code == 403
    assert client.post(url + "/lift-hold", **auth).status_code == 403


def test_over_the_api_null_clears_the_day_and_a_field_left_out_stays(svc):
    pw = svc.actor(Role.PEER_WORKER)
    _token, secret = account_services.create_api_token(pw, name="mine", valid_days=1)
    auth = {"HTTP_AUTHORIZATION": f"Bearer {secret}"}
    client = svc.client(Role.PEER_WORKER)
    url = f"/api/service/peer-workers/{pw.user.pk}/availability"
    later = (timezone.localdate() + timedelta(days=9)).isoformat()
    client.patch(url, json.dumps({"accepting": False, "resumes_on": later}), "application/json", **auth)
    kept = client.patch(url, json.dumps({"evenings": True}), "application/json", **auth).json()
    assert kept["resumes_on"] == later and kept["evenings"] is True and kept["accepting"] is False
    cleared = client.patch(url, json.dumps({"resumes_on": None}), "application/json", **auth).json()
    assert cleared["resumes_on"] is None and cleared["status"] == "New referrals paused until further notice."
    assert [c["what"] for c in cleared["changes"]][:2] == [["No day set to open again"], ["Works evenings: yes"]]

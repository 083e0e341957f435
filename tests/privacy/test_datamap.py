"""The data map declares every field once, and the copy of a person's data and the erasure obey it."""

from __future__ import annotations

import json
from datetime import time, timedelta
from pathlib import Path
from typing import Any

import pytest
from django.apps import apps
from django.db import connection, models
from django.utils import timezone

from peerwork.activities.models import Activity, ActivityPlace, ActivitySession, Attendance
from peerwork.audit.models import AuditEntry
from peerwork.cocreation.models import Signal
from peerwork.core.roles import Role
from peerwork.privacy import datamap, services, subject
from peerwork.privacy.datamap import Erase, Kind, Whose
from peerwork.service import services as service_services
from peerwork.service.models import (
    ContactAgreement,
    DeclaredConflict,
    Engagement,
    EngagementExtension,
    GoalRevision,
    MatchProposal,
    PeerWorkerProfile,
    ProposedCandidate,
    Referral,
    ServiceUser,
    StrainAction,
)
from tests.conftest import verified_client

from .helpers import contact, engage, goal, person, share_values

DOC = Path(__file__).resolve().parents[2] / "docs" / "data-protection.md"
TOKEN = "Zq7x"  # every distinctive value starts with it, so one search finds any that survived
TEXT_TYPES = (models.CharField, models.TextField, models.JSONField)


# --- the map covers every field, and nothing else ------------------------------------------------------------


def test_every_field_of_every_installed_model_is_declared():
    undeclared, unknown = [], []
    for model in apps.get_models(include_auto_created=True):
        label = model._meta.label
        table = datamap.MAP.get(label)
        names = [f.name for f in model._meta.concrete_fields]
        undeclared += [f"{label}.{n}" for n in names if table is None or n not in table.fields]
        if table is not None:
            unknown += [f"{label}.{n}" for n in table.fields if n not in names]
    labels = {m._meta.label for m in apps.get_models(include_auto_created=True)}
    unknown += [label for label in datamap.MAP if label not in labels]
    assert not undeclared, "declare these fields in peerwork/privacy/datamap.py: " + ", ".join(undeclared)
    assert not unknown, "these declarations name no field of an installed model: " + ", ".join(unknown)
    assert datamap.gaps() == ([], [])
    # the third-party tables are in the map too
    for label in ("sessions.Session", "auth.Group", "auth.Permission", "contenttypes.ContentType"):
        assert label in datamap.MAP
    assert {"axes.AccessAttempt", "axes.AccessLog", "otp_totp.TOTPDevice"} <= set(datamap.MAP)


def test_the_declarations_are_whole():
    for label, table in datamap.MAP.items():
        model = datamap.model_of(label)
        for name in table.fields:
            f = table.resolved(name)
            where = f"{label}.{name}"
            assert f.whose in Whose and f.kind in Kind and f.erase in Erase and f.retention, where
            if f.erase is Erase.KEEP:
                assert f.basis, f"{where} is kept: say on which legal basis"
            if f.label is not None:
                assert table.person and table.section, f"{where} has a label but its table is not in the copy"
                assert datamap.label_of(model, name, f), where
            # what belongs to a service user and says who they are, what they said or how they are is
            # never kept by an erasure
            if f.whose is Whose.SERVICE_USER and f.kind is not Kind.OPERATIONAL and table.person:
                assert f.erase in (*datamap.REMOVED, Erase.STAMP), f"{where} would survive an erasure"
        if table.person:
            assert table.heading or not table.section, label


def test_every_table_that_links_to_a_service_user_is_in_the_persons_record():
    linked = {label for label, _t in datamap.person_tables()}
    for model in apps.get_models(include_auto_created=True):
        for f in model._meta.concrete_fields:
            if f.is_relation and f.related_model is ServiceUser:
                assert model._meta.label in linked, f"{model._meta.label}.{f.name} links to a person: set person="


def test_the_document_shows_the_current_map():
    current = DOC.read_text(encoding="utf-8")
    assert datamap.with_table(current) == current, "docs/data-protection.md is out of date: run `peerwork datamap doc`"
    assert "| ServiceUser | services_used | service user | special category (health) |" in current


def _distinctive(model: type[models.Model], name: str, n: int) -> Any:
    """A value no other row holds, of the field's type; None where the field cannot hold one (choices)."""
    f = model._meta.get_field(name)
    if f.choices or f.is_relation:
        return None
    value = f"{TOKEN}{model._meta.model_name}{name}{n}"
    if isinstance(f, models.EmailField):
        return f"{value}@example.invalid"[: f.max_length]
    if isinstance(f, models.JSONField):
        return [value]
    if isinstance(f, models.CharField | models.TextField):
        return value[: f.max_length] if f.max_length else value
    if isinstance(f, models.PositiveSmallIntegerField):
        return 1931
    raise AssertionError(f"give {model._meta.label}.{name} a distinctive value in this test")


@pytest.fixture
def everything(world):
    """A person with a row in every table of their record, and every personal field filled distinctively."""
    pw = world.users[Role.PEER_WORKER]
    k = person(world, "Placeholder", gender="woman")
    referral = Referral.objects.create(
        organisation=world.org,
        service_user=k,
        source=Referral.Source.PROFESSIONAL,
        received_on=timezone.localdate() - timedelta(days=300),
        status=Referral.Status.MATCHED,
    )
    proposal = MatchProposal.objects.create(
        organisation=world.org, referral=referral, outcome=MatchProposal.Outcome.REFUSED
    )
    ProposedCandidate.objects.create(organisation=world.org, proposal=proposal, peer_worker=pw, rank=1, score=0.8)
    eng = engage(world, k, pw)
    Engagement.objects.filter(pk=eng.pk).update(referral=referral)
    g = goal(world, eng, "placeholder", ratings=[2, 5])
    GoalRevision.objects.create(organisation=world.org, goal=g, words="placeholder", revised_by=pw)
    contact(world, eng, note="placeholder")
    EngagementExtension.objects.create(
        organisation=world.org,
        engagement=eng,
        previous_end_on=eng.planned_end_on,
        new_end_on=eng.planned_end_on + timedelta(days=200),
        reason="placeholder",
        person_agreed=True,
        peer_worker_agreed=True,
        agreed_on=timezone.localdate(),
    )
    ContactAgreement.objects.create(
        organisation=world.org,
        engagement=eng,
        channels=["phone"],
        days=[0, 1],
        hours_from=time(9, 0),
        hours_until=time(15, 0),
        out_of_hours="placeholder",
        crisis="placeholder",
        agreed_on=timezone.localdate(),
    )
    StrainAction.objects.create(
        organisation=world.org,
        peer_worker=pw,
        engagement=eng,
        topic="weekend",
        action=StrainAction.Action.TALKED_PERSON,
        taken_on=timezone.localdate(),
    )
    services.record_consent(world.actor(Role.PEER_WORKER), k.pk, **share_values(world, goal_ids=[g.pk]))
    profile = PeerWorkerProfile.objects.create(organisation=world.org, user=world.users[Role.COORDINATOR])
    DeclaredConflict.objects.create(
        organisation=world.org, profile=profile, service_user=k, declared_on=timezone.localdate()
    )
    group = Activity.objects.create(
        organisation=world.org, kind="self_help", title="Group", venue="Room", places=8, starts_on=timezone.localdate()
    )
    place = ActivityPlace.objects.create(
        organisation=world.org, activity=group, service_user=k, offered_on=timezone.localdate()
    )
    meeting = ActivitySession.objects.create(organisation=world.org, activity=group, meets_on=timezone.localdate())
    Attendance.objects.create(organisation=world.org, session=meeting, place=place)
    Signal.objects.create(
        organisation=world.org,
        raised_by=pw,
        kind=Signal.Kind.choices[0][0],
        title="A wait at the office",
        responsible_manager=world.users[Role.MANAGER],
        raised_at=timezone.now(),
    )
    values: dict[str, list[Any]] = {}
    rows: dict[str, list[int]] = {}
    for label, table in datamap.person_tables():
        model = datamap.model_of(label)
        found = subject._rows_of(label, table, k)
        rows[label] = list(found.values_list("pk", flat=True))
        assert rows[label], f"add a row of {label} to this test's person"
        for n, name in enumerate(datamap.personal(label)):
            if name == table.person:
                continue  # the link itself; checked after the erasure
            value = _distinctive(model, name, n)
            if value is not None:
                found.update(**{name: value})
                values.setdefault(label, []).append((name, value))
    k.refresh_from_db()
    return k, values, rows


def _close(k: ServiceUser) -> None:
    Engagement.objects.filter(service_user=k).update(
        closed_on=timezone.localdate(), closure_reason=Engagement.ClosureReason.PLANNED_END
    )


def _surviving() -> list[str]:
    """table.column of every text column in the database that still holds a distinctive value."""
    found = []
    with connection.cursor() as cursor:
        for model in apps.get_models(include_auto_created=True):
            for f in model._meta.concrete_fields:
                if isinstance(f, TEXT_TYPES):
                    table, column = connection.ops.quote_name(model._meta.db_table), connection.ops.quote_name(f.column)
                    cursor.execute(f"SELECT COUNT(*) FROM {table} WHERE CAST({column} AS TEXT) LIKE %s", [f"%{TOKEN}%"])
                    if cursor.fetchone()[0]:
                        found.append(f"{model._meta.label}.{f.name}")
    return found


def test_the_copy_holds_every_personal_field_under_a_plain_label(world, everything):
    k, values, _rows = everything
    dpo = world.client(Role.DPO)
    data = json.loads(dpo.get(f"/privacy/people/{k.pk}/export.json").content)
    body = json.dumps(data, ensure_ascii=False)
    html = dpo.get(f"/privacy/people/{k.pk}/export/").content.decode()
    for label, filled in values.items():
        exported = dict(datamap.exported(label))
        for name, value in filled:
            if name in exported:
                shown = value[0] if isinstance(value, list) else value
                assert str(shown) in body and str(shown) in html, f"{label}.{name} is not in the copy"
    for wanted in (
        "Services used",
        "Background",
        "Interests",
        "Life areas",
        "Municipality",
        "Wanted kind of experience",
    ):
        assert wanted in html


def test_erasure_leaves_no_personal_value_anywhere(world, everything):
    k, values, rows = everything
    assert _surviving(), "the test filled no distinctive value"
    _close(k)
    dpo = world.client(Role.DPO)
    assert dpo.post(f"/privacy/people/{k.pk}/anonymise/", {"confirm": "on"}).status_code == 302
    assert _surviving() == []
    # field by field, also those (choices, years) that cannot carry a distinctive text
    for label, table in datamap.person_tables():
        model = datamap.model_of(label)
        left = model._default_manager.filter(pk__in=rows[label])
        if table.delete_rows:
            assert not left.exists(), label
            continue
        for name in datamap.personal(label):
            for value in left.values_list(name, flat=True):
                assert value in (None, "", [], {}, subject.ANONYMISED_REASON), f"{label}.{name} kept {value!r}"
    k.refresh_from_db()
    assert k.anonymised_at and k.gender == "" and k.birth_year is None
    # the copy of the person and the search show nothing of them
    copy = dpo.get(f"/privacy/people/{k.pk}/export.json").content.decode()
    assert TOKEN not in copy and TOKEN not in dpo.get(f"/privacy/people/{k.pk}/export/").content.decode()
    for name, value in values["service.ServiceUser"]:
        if isinstance(value, str):
            page = dpo.post("/privacy/people/", {"q": value}).content.decode()
            assert "No one in your organisation matches" in page, name


def test_the_retention_run_clears_what_the_map_declares(world, everything):
    k, _values, _rows = everything
    Engagement.objects.filter(service_user=k).update(
        started_on=timezone.localdate() - timedelta(days=900),
        closed_on=timezone.localdate() - timedelta(days=800),
        closure_reason=Engagement.ClosureReason.PLANNED_END,
    )
    done = services.run_retention(None, world.org.pk, timezone.localdate(), dry_run=False)
    assert [d.service_user_id for d in done] == [k.pk]
    assert _surviving() == []
    k.refresh_from_db()
    assert k.anonymised_at and k.municipality == "" and k.services_used == [] and k.interests == []


# --- audit entries hold who acted, never what the person said ---------------------------------------------


def test_the_audit_trail_of_a_whole_flow_holds_no_personal_values(svc_world):
    world = svc_world
    name, phone, email = "Ingrid Zq7x Solberg", "+47 987 65 432", "ingrid.zq7x@example.invalid"
    help_with, note = "Zq7x finding my way back to the choir", "Zq7x we walked by the river and talked"
    words, closing, refusal = "Zq7x a job at the bakery", "Zq7x it was good to be heard", "Zq7x not now"
    coordinator = world.client(Role.COORDINATOR)
    response = coordinator.post(
        "/service/referrals/new/",
        {
            "chosen_name": name,
            "phone": phone,
            "email": email,
            "source": "self",
            "received_on": timezone.localdate().isoformat(),
            "languages": "nb",
            "help_with": help_with,
        },
    )
    assert response.status_code == 302
    referral = Referral.objects.get(service_user__chosen_name=name)
    k = referral.service_user
    pw = world.users[Role.PEER_WORKER]
    coordinator.get(f"/service/referrals/{referral.pk}/")
    assert coordinator.post(f"/service/referrals/{referral.pk}/propose/", {"peer_workers": [pw.pk]}).status_code == 302
    first = referral.proposals.get()
    service_services.proposals.record_refusal(world.actor(Role.COORDINATOR), proposal_id=first.pk, reason=refusal)
    assert coordinator.post(f"/service/referrals/{referral.pk}/propose/", {"peer_workers": [pw.pk]}).status_code == 302
    proposal = referral.proposals.get(outcome="pending")
    # The peer worker's own answer first, with a note (free text that must stay out of the trail).
    assert (
        verified_client(pw)
        .post(
            f"/service/proposals/{proposal.pk}/answer/",
            {f"p{proposal.pk}-answer": "accepted", f"p{proposal.pk}-note": refusal},
        )
        .status_code
        == 302
    )
    coordinator.post(
        f"/service/proposals/{proposal.pk}/choice/",
        {
            "choice": str(pw.pk),
            "started_on": (timezone.localdate() - timedelta(days=7)).isoformat(),
            "frequency": "weekly",
        },
    )
    engagement = Engagement.objects.get(service_user=k)
    peer = verified_client(pw)
    now = timezone.localtime()  # the contact was yesterday morning, never in the future
    assert (
        peer.post(
            "/service/contact/",
            {
                "engagement": engagement.pk,
                "date": (now.date() - timedelta(days=1)).isoformat(),
                "start_time": "09:00",
                "duration_minutes": 30,
                "channel": "meeting",
                "initiated_by": "person",
                "note": note,
                "note_visibility": "coordinator",
            },
        ).status_code
        == 302
    )
    g = service_services.goals.add_goal(
        world.actor(Role.PEER_WORKER),
        engagement_id=engagement.pk,
        life_area="work_education",
        words=words,
        visibility="coordinator",
    )
    service_services.goals.rate_goal(world.actor(Role.PEER_WORKER), goal_id=g.pk, rating=4)
    peer.get(f"/service/engagements/{engagement.pk}/")
    coordinator.get(f"/service/engagements/{engagement.pk}/")
    services.record_consent(world.actor(Role.PEER_WORKER), k.pk, **share_values(world, goal_ids=[g.pk]))
    world.client(Role.PROFESSIONAL).get("/privacy/shared/")
    dpo = world.client(Role.DPO)
    dpo.post("/privacy/people/", {"q": name})
    for path in ("", "export/", "export.json", "access/"):
        assert dpo.get(f"/privacy/people/{k.pk}/{path}").status_code == 200
    services.rectify(world.actor(Role.DPO), k.pk, **{"chosen_name": "Ingrid Zq7x S."})
    service_services.engagements.close_engagement(
        world.actor(Role.COORDINATOR),
        engagement_id=engagement.pk,
        closed_on=timezone.localdate(),
        reason="planned_end",
        words=closing,
    )
    assert dpo.post(f"/privacy/people/{k.pk}/anonymise/", {"confirm": "on"}).status_code == 302

    personal = [name, "Ingrid", "Solberg", phone, "987 65", email, help_with, note, words, closing, refusal, TOKEN]
    entries = list(AuditEntry.objects.all())
    assert len(entries) > 15 and {e.action for e in entries} >= {"create", "read", "update", "export", "delete"}
    kept = {n for n, _f in datamap.MAP["audit.AuditEntry"].fields.items()}
    for entry in entries:
        for f in AuditEntry._meta.concrete_fields:
            if f.name in ("object_id", "subject_id", "hash", "prev_hash") or not isinstance(f, TEXT_TYPES):
                continue
            assert f.name in kept
            text = str(getattr(entry, f.attname)).casefold()
            for value in personal:
                assert value.casefold() not in text, f"audit entry {entry.pk} {f.name} holds {value!r}"
    # what the trail keeps is who acted, on the declared basis
    actor = datamap.MAP["audit.AuditEntry"].resolved("actor_label")
    assert actor.erase is Erase.KEEP and actor.whose is Whose.STAFF and "Art. 5(2)" in actor.basis


@pytest.fixture
def svc_world(world):
    PeerWorkerProfile.objects.update_or_create(
        organisation=world.org,
        user=world.users[Role.PEER_WORKER],
        defaults={
            "capacity": 5,
            "working_hours": {str(d): [["00:00", "23:59"]] for d in range(7)},
            "languages": ["nb"],
        },
    )
    return world

"""A consent to take part in a co-assessment withdrawn anywhere — the person's consent page, the data protection
officer's pages, erasure, the retention run — or run out takes the participant's segments, codings and marked
words with it, in the withdrawal's own transaction (the ``consent_withdrawn`` extension point)."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.db import transaction
from django.utils import timezone

from peerwork.audit.details import Detail
from peerwork.audit.models import AuditEntry
from peerwork.coassessment import services
from peerwork.coassessment.models import Coding, Material, Participant, Segment
from peerwork.core import hooks
from peerwork.core.roles import Role
from peerwork.privacy import services as privacy
from peerwork.privacy import subject
from peerwork.privacy.models import Consent
from tests.coassessment.conftest import plan, start_analysis
from tests.privacy.helpers import person

TEXT = "P1: I felt heard in guidance.\nP2: Guidance came too late for me.\n"


def _with_service_users(world):
    """A co-assessment under analysis with one group of four service users, two of them in the material (each
    segment coded once)."""
    manager = world.actor(Role.MANAGER)
    ca = plan(manager)
    services.add_team_member(
        manager,
        ca,
        person=world.users[Role.PEER_WORKER],
        role="co_researcher",
        is_peer_co_researcher=True,
        hours_per_month=8,
    )
    group = services.add_group(manager, ca, name="Service users", kind="service_users")
    people = [person(world, name) for name in ("Kari Nordmann", "Per Hansen", "Siri Dahl", "Nils Berg")]
    participants = [
        services.add_participant(
            manager,
            ca,
            group=group,
            pseudonym=f"P{i + 1}",
            service_user=who,
            given_on=timezone.localdate(),
            how_given="written",
        )
        for i, who in enumerate(people)
    ]
    services.advance(manager, ca)
    services.approve_ethics(world.actor(Role.DPO), ca, note="Consent forms and name key checked.")
    services.advance(manager, ca)
    ca.refresh_from_db()
    material = services.add_material(manager, ca, kind="transcript", title="Focus group 1", text=TEXT, group=group)
    first = services.add_segment(manager, material, participant=participants[0], start=4, end=29)
    services.add_segment(manager, material, participant=participants[1], start=34, end=64)
    start_analysis(world, ca)
    code = services.add_code(manager, ca, name="Being heard")
    for s in Segment.objects.all():
        services.code_segment(manager, s, code=code)
    assert first.participant == participants[0]
    return ca, material, people, participants


def _p1_is_gone(material, p1):
    assert list(Segment.objects.values_list("participant__pseudonym", flat=True)) == ["P2"]
    assert Coding.objects.count() == 1
    material.refresh_from_db()
    assert "I felt heard" not in material.text and material.text.startswith("P1: […]")
    assert "Guidance came too late for me." in material.text
    p1.refresh_from_db()
    assert p1.withdrawn_at is not None
    entry = AuditEntry.objects.filter(object_type="coassessment.participant", action="delete").get()
    assert entry.detail == Detail("withdrawn_removed", segments=1, codings=1, material=1).stored


def test_withdrawn_on_the_consent_page_by_the_coordinator(world):
    ca, material, (kari, *_), (p1, *_) = _with_service_users(world)
    privacy.withdraw_consent(world.actor(Role.COORDINATOR), p1.consent_id)
    _p1_is_gone(material, p1)
    removed = AuditEntry.objects.get(object_type="coassessment.participant", action="delete")
    assert removed.actor == world.users[Role.COORDINATOR]


def test_withdrawn_by_the_data_protection_officer(world):
    ca, material, _people, (p1, *_) = _with_service_users(world)
    privacy.withdraw_consent(world.actor(Role.DPO), p1.consent_id)
    _p1_is_gone(material, p1)


def test_erasure_withdraws_the_consent_and_removes_the_segments(world):
    ca, material, (kari, *_), (p1, *_) = _with_service_users(world)
    privacy.erase(world.actor(Role.DPO), kari.pk, confirmed=True)
    _p1_is_gone(material, p1)
    assert Consent.objects.get(pk=p1.consent_id).withdrawn_at is not None


def test_the_retention_run_removes_the_segments_with_no_one_acting(world):
    ca, material, (kari, *_), (p1, *_) = _with_service_users(world)
    subject.anonymise(kari, actor=None, reason="retention")
    _p1_is_gone(material, p1)
    entry = AuditEntry.objects.get(object_type="coassessment.participant", action="delete")
    assert entry.actor is None


def test_a_consent_that_ran_out_goes_on_the_nightly_run(world):
    ca, material, _people, (p1, p2, *_) = _with_service_users(world)
    today = timezone.localdate()
    Consent.objects.filter(pk=p1.consent_id).update(given_on=today - timedelta(days=30), valid_until=today)
    assert services.remove_run_out(world.org.pk, today) == 0  # its last day is today
    assert services.remove_run_out(world.org.pk, today + timedelta(days=1)) == 1
    _p1_is_gone(material, p1)
    assert services.remove_run_out(world.org.pk, today + timedelta(days=1)) == 0  # safe to run twice
    assert Participant.objects.get(pk=p2.pk).withdrawn_at is None


def test_the_removal_is_part_of_the_withdrawal_and_rolls_back_with_it(world):
    ca, material, _people, (p1, *_) = _with_service_users(world)

    def refuse(actor, consents):
        raise RuntimeError("later step failed")

    with hooks.register_temporarily(hooks.CONSENT_WITHDRAWN, refuse, order=100):
        with pytest.raises(RuntimeError), transaction.atomic():
            privacy.withdraw_consent(world.actor(Role.DPO), p1.consent_id)
    assert Segment.objects.count() == 2 and Coding.objects.count() == 2
    assert Consent.objects.get(pk=p1.consent_id).withdrawn_at is None
    assert Material.objects.get().text == TEXT


def test_other_consents_touch_no_co_assessment(world):
    ca, material, (kari, *_), _participants = _with_service_users(world)
    other = Consent.objects.create(
        organisation=world.org,
        service_user=kari,
        purpose=Consent.Purpose.EVALUATION,
        given_on=timezone.localdate(),
        how_given="written",
    )
    assert services.consent_withdrawn(None, [other]) == 0
    privacy.withdraw_consent(world.actor(Role.DPO), other.pk)
    assert Segment.objects.count() == 2


def test_withdrawn_through_the_privacy_page(world):
    ca, material, _people, (p1, *_) = _with_service_users(world)
    response = world.client(Role.COORDINATOR).post(f"/privacy/consents/{p1.consent_id}/withdraw/", follow=True)
    assert response.status_code == 200
    assert "The consent is withdrawn." in response.content.decode()
    _p1_is_gone(material, p1)
    page = world.client(Role.PEER_WORKER).get(f"/coassessment/material/{material.pk}/").content.decode()
    assert "I felt heard" not in page and "Guidance came too late for me." in page

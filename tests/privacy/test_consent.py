"""Consent records: validation, the fail-closed check, withdrawal and expiry take effect at read time."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.utils import timezone

from peerwork.audit.models import AuditEntry
from peerwork.core.roles import Role
from peerwork.privacy import consent, services
from peerwork.privacy.models import Consent, ConsentItem
from peerwork.service.models import Visibility
from tests.factories import MembershipFactory, UserFactory

from .helpers import contact, engage, goal, person, share_values


@pytest.fixture
def story(world):
    """Kari, supported by the world's peer worker, with a housing goal and a family goal."""
    kari = person(world)
    eng = engage(world, kari, world.users[Role.PEER_WORKER])
    housing = goal(world, eng, "A flat of my own before winter", ratings=[3, 5])
    family = goal(world, eng, "See my daughter every week", area="family", visibility=Visibility.CARE_TEAM)
    return world, kari, eng, housing, family


def test_the_story_give_then_withdraw(story):
    world, kari, _eng, housing, family = story
    pw, nurse = world.actor(Role.PEER_WORKER), world.actor(Role.PROFESSIONAL)
    assert list(consent.visible_goals_for_professional(nurse)) == []  # nothing without consent

    given = services.record_consent(pw, kari.pk, **share_values(world, goal_ids=[housing.pk]))
    housing.refresh_from_db()
    assert housing.visibility == Visibility.CARE_TEAM  # the person's choice marks it for the care team
    assert list(consent.visible_goals_for_professional(nurse)) == [housing]  # and nothing else: not the family goal
    assert consent.shared_with(nurse, kari.pk, housing)
    assert not consent.shared_with(nurse, kari.pk, family)
    assert not consent.shared_with(nurse, kari.pk, "contact_summaries")

    services.withdraw_consent(pw, given.pk)
    assert list(consent.visible_goals_for_professional(nurse)) == []
    assert not consent.shared_with(nurse, kari.pk, housing)
    actions = list(
        AuditEntry.objects.filter(subject_id=str(kari.pk), subject_type="service.serviceuser")
        .order_by("id")
        .values_list("action", "object_type")
    )
    assert actions == [
        ("create", "privacy.consent"),
        ("update", "service.goal"),
        ("update", "privacy.consent"),
    ]


def test_only_the_named_recipient_reads(story):
    world, kari, _eng, housing, _family = story
    someone = UserFactory(username="other-prof")
    MembershipFactory(organisation=world.org, user=someone, role=Role.PROFESSIONAL, unit=world.other_team)
    services.record_consent(
        world.actor(Role.COORDINATOR),
        kari.pk,
        **share_values(world, recipient_unit="", recipient_user=someone.pk, goal_ids=[housing.pk]),
    )
    from tests.conftest import actor_for

    assert list(consent.visible_goals_for_professional(actor_for(someone, world.org))) == [housing]
    assert list(consent.visible_goals_for_professional(world.actor(Role.PROFESSIONAL))) == []


def test_all_goals_means_those_marked_for_the_care_team(story):
    world, kari, _eng, housing, family = story
    services.record_consent(world.actor(Role.PEER_WORKER), kari.pk, **share_values(world, goals="all"))
    assert list(consent.visible_goals_for_professional(world.actor(Role.PROFESSIONAL))) == [family]
    assert housing.visibility == Visibility.COORDINATOR


def test_expiry_and_start_are_checked_on_the_day_of_reading(story):
    world, kari, _eng, housing, _family = story
    today = timezone.localdate()
    c = services.record_consent(
        world.actor(Role.PEER_WORKER),
        kari.pk,
        **share_values(world, goal_ids=[housing.pk], given_on=today - timedelta(days=30), valid_until=today),
    )
    nurse = world.actor(Role.PROFESSIONAL)
    assert consent.shared_with(nurse, kari.pk, "goals")  # the last day still counts
    Consent.objects.filter(pk=c.pk).update(valid_until=today - timedelta(days=1))
    assert not consent.shared_with(nurse, kari.pk, "goals")
    Consent.objects.filter(pk=c.pk).update(valid_until=None, given_on=today + timedelta(days=1))
    assert not consent.shared_with(nurse, kari.pk, "goals")


def test_specific_notes_and_contact_summaries(story):
    world, kari, eng, _housing, _family = story
    said = contact(world, eng, note="Went to see the flat together", visibility=Visibility.PRIVATE)
    other = contact(world, eng, note="Talked about the hard week", visibility=Visibility.CARE_TEAM)
    services.record_consent(
        world.actor(Role.PEER_WORKER),
        kari.pk,
        **share_values(world, goals="none", note_ids=[said.pk], contact_summaries="on"),
    )
    nurse = world.actor(Role.PROFESSIONAL)
    assert list(consent.visible_notes_for_professional(nurse)) == [said]
    assert consent.shared_with(nurse, kari.pk, said) and not consent.shared_with(nurse, kari.pk, other)
    assert consent.shared_with(nurse, kari.pk, "contact_summaries")
    assert not consent.shared_with(nurse, kari.pk, "goals")


def test_covers_per_purpose_and_unknown_purposes_fail_closed(story):
    world, kari, *_ = story
    pw = world.actor(Role.PEER_WORKER)
    services.record_consent(
        pw, kari.pk, **{"purpose": "evaluation", "how_given": "written", "given_on": timezone.localdate()}
    )
    assert consent.covers(pw, kari.pk, "evaluation")
    assert not consent.covers(pw, kari.pk, "text_messages")
    assert not consent.covers(pw, kari.pk, "signal_to_management")
    assert not consent.covers(None, kari.pk, "evaluation")
    assert not consent.shared_with(pw, kari.pk, "something else")
    assert list(consent.consented_ids(world.org.pk, "evaluation")) == [kari.pk]


# --- bad input: a clear message, nothing saved -------------------------------------------------------------


@pytest.mark.parametrize(
    "change, field, words",
    [
        ({"valid_until": "2000-01-01"}, "valid_until", "end before it starts"),
        ({"purpose": ""}, "purpose", "Choose what the person consented to"),
        ({"how_given": ""}, "how_given", "Choose how"),
        ({"given_on": ""}, "given_on", "Enter the day"),
        ({"given_on": "31/02/2026"}, "given_on", "real date"),
        ({"recipient_unit": ""}, "recipient_unit", "Choose the team or the person"),
        ({"recipient_user": "1"}, "recipient_unit", "not both"),
        ({"goal_ids": []}, "goal_ids", "at least one goal"),
        ({"goals": "none"}, "goals", "Choose what may be shared"),
        ({"purpose": "evaluation"}, "purpose", "Only a consent to share"),
    ],
)
def test_bad_consent_is_refused_with_a_clear_message(story, change, field, words):
    world, kari, _eng, housing, _family = story
    values = share_values(world, goal_ids=[housing.pk], given_on=timezone.localdate())
    values.update(change)
    before = AuditEntry.objects.count()
    with pytest.raises(ValidationError) as exc:
        services.record_consent(world.actor(Role.PEER_WORKER), kari.pk, **values)
    assert words in " ".join(exc.value.message_dict[field])
    assert Consent.objects.count() == 0 and ConsentItem.objects.count() == 0
    assert AuditEntry.objects.count() == before
    housing.refresh_from_db()
    assert housing.visibility == Visibility.COORDINATOR


def test_a_recipient_outside_the_organisation_is_refused_without_saying_it_exists(story, other_world):
    world, kari, _eng, housing, _family = story
    pw = world.actor(Role.PEER_WORKER)
    messages = []
    for unit_id in (other_world.team.pk, 987654):
        with pytest.raises(ValidationError) as exc:
            services.record_consent(pw, kari.pk, **share_values(world, recipient_unit=unit_id, goal_ids=[housing.pk]))
        messages.append(exc.value.message_dict)
    assert messages[0] == messages[1]
    assert other_world.team.name not in str(messages[0])
    with pytest.raises(ValidationError) as exc:
        services.record_consent(
            pw,
            kari.pk,
            **share_values(
                world,
                recipient_unit="",
                recipient_user=other_world.users[Role.PROFESSIONAL].pk,
                goal_ids=[housing.pk],
            ),
        )
    assert "professional who works in your organisation" in str(exc.value)
    assert Consent.objects.count() == 0


def test_goals_and_notes_of_someone_else_are_refused(story, other_world):
    world, kari, eng, housing, _family = story
    bo = person(world, "Bo")
    bos = goal(world, engage(world, bo, world.users[Role.COORDINATOR]), "Bo's own goal")
    with pytest.raises(ValidationError) as exc:
        services.record_consent(
            world.actor(Role.COORDINATOR), kari.pk, **share_values(world, goal_ids=[housing.pk, bos.pk])
        )
    assert "not this person's" in str(exc.value)
    with pytest.raises(ValidationError):
        services.record_consent(world.actor(Role.COORDINATOR), kari.pk, **share_values(world, goal_ids=["x"]))
    bos.refresh_from_db()
    assert bos.visibility == Visibility.COORDINATOR and Consent.objects.count() == 0


def test_who_may_record_and_withdraw(story, other_world):
    world, kari, eng, housing, _family = story
    values = share_values(world, goal_ids=[housing.pk])
    for role in (Role.MANAGER, Role.PROFESSIONAL, Role.ADMINISTRATOR, Role.SENIOR_PEER_WORKER):
        with pytest.raises(PermissionDenied):
            services.record_consent(world.actor(role), kari.pk, **values)
    # a peer worker who does not support Kari is told nothing about her
    stranger = UserFactory(username="another-pw")
    MembershipFactory(organisation=world.org, user=stranger, role=Role.PEER_WORKER, unit=world.team)
    from tests.conftest import actor_for

    with pytest.raises(Http404):
        services.record_consent(actor_for(stranger, world.org), kari.pk, **values)
    with pytest.raises(Http404):  # another organisation's coordinator
        services.record_consent(other_world.actor(Role.COORDINATOR), kari.pk, **values)
    given = services.record_consent(world.actor(Role.DPO), kari.pk, **values)
    with pytest.raises(Http404):
        services.withdraw_consent(other_world.actor(Role.DPO), given.pk)
    with pytest.raises(PermissionDenied):
        services.withdraw_consent(world.actor(Role.MANAGER), given.pk)
    # once the engagement closes, the peer worker no longer manages Kari's consents
    eng.closed_on, eng.closure_reason = timezone.localdate(), "planned_end"
    eng.save()
    with pytest.raises(Http404):
        services.withdraw_consent(world.actor(Role.PEER_WORKER), given.pk)
    services.withdraw_consent(world.actor(Role.COORDINATOR), given.pk)
    with pytest.raises(ValidationError, match="already withdrawn"):
        services.withdraw_consent(world.actor(Role.COORDINATOR), given.pk)

"""A peer worker's own consent to use in evaluation: one ``Consent`` with the peer worker as the data subject,
given and withdrawn by the peer worker on their own page, audited with them as subject; extracts include the
peer worker only while it is valid (the rules of a service user's consent: no record, withdrawn or run out
means left out)."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.utils import timezone, translation

from peerwork.audit.models import AuditEntry
from peerwork.core.roles import Role
from peerwork.privacy import consent as consent_rules
from peerwork.privacy import selectors, services
from peerwork.privacy.models import Consent

from .helpers import contact, engage, person

PAGE = "/privacy/my-evaluation-consent/"


@pytest.fixture(autouse=True)
def _english():
    """Messages are matched in English, whatever language an earlier request left active."""
    with translation.override("en"):
        yield


@pytest.fixture
def supported(world):
    """Three people who agreed to use in evaluation (as many as the anonymity threshold), all supported by
    the world's peer worker."""
    pw = world.users[Role.PEER_WORKER]
    for i in range(3):
        p = person(world, f"Person {i}")
        contact(world, engage(world, p, pw))
        services.record_consent(
            world.actor(Role.COORDINATOR),
            p.pk,
            **{"purpose": "evaluation", "how_given": "written", "given_on": timezone.localdate()},
        )


def _extract(world):
    made = services.create_evaluation_export(world.actor(Role.DPO), recipient="Evaluation team", purpose="Report")
    return made, [e for p in made.content["people"] for e in p["engagements"]]


def _exported_peer_worker(world, made):
    return AuditEntry.objects.filter(
        action="export",
        object_id=str(made.pk),
        subject_type="accounts.user",
        subject_id=str(world.users[Role.PEER_WORKER].pk),
    ).exists()


def test_without_their_own_consent_a_peer_worker_is_left_out(world, supported):
    made, engagements = _extract(world)
    assert len(engagements) == 3
    assert all(e["peer_worker"] is None and e["contacts_outside_agreed_hours"] is None for e in engagements)
    assert all(e["contacts"] == 1 for e in engagements)  # the people's own data stays
    assert not _exported_peer_worker(world, made)


def test_with_their_consent_they_appear_and_after_withdrawing_they_do_not(world, supported):
    actor = world.actor(Role.PEER_WORKER)
    services.give_own_consent(actor)
    made, engagements = _extract(world)
    assert len({e["peer_worker"] for e in engagements}) == 1 and engagements[0]["peer_worker"].startswith("W-")
    assert all(e["contacts_outside_agreed_hours"] == 0 for e in engagements)
    assert _exported_peer_worker(world, made)

    services.withdraw_own_consent(actor)
    made, engagements = _extract(world)
    assert all(e["peer_worker"] is None for e in engagements)
    assert not _exported_peer_worker(world, made)


def test_give_and_withdraw_are_audited_and_fail_clearly(world):
    pw = world.users[Role.PEER_WORKER]
    actor = world.actor(Role.PEER_WORKER)
    with pytest.raises(ValidationError, match="nothing to withdraw"):
        services.withdraw_own_consent(actor)
    given = services.give_own_consent(actor)
    with pytest.raises(ValidationError, match="already agreed"):
        services.give_own_consent(actor)
    services.withdraw_own_consent(actor)
    again = services.give_own_consent(actor)
    assert Consent.objects.filter(staff_member=pw).count() == 2
    assert list(Consent.objects.filter(staff_member=pw, withdrawn_at__isnull=True)) == [again]
    assert (again.purpose, again.how_given, again.recorded_by, again.service_user) == (
        "evaluation",
        "digital",
        pw,
        None,
    )
    entries = AuditEntry.objects.filter(object_type="privacy.consent", subject_type="accounts.user").order_by("id")
    assert [(e.action, e.object_id, e.subject_type, e.subject_id) for e in entries] == [
        ("create", str(given.pk), "accounts.user", str(pw.pk)),
        ("update", str(given.pk), "accounts.user", str(pw.pk)),
        ("create", str(again.pk), "accounts.user", str(pw.pk)),
    ]
    # a senior peer worker gives their own too; nobody gives or reads it for someone else
    services.give_own_consent(world.actor(Role.SENIOR_PEER_WORKER))
    for role in (Role.COORDINATOR, Role.MANAGER, Role.DPO, Role.ADMINISTRATOR, Role.PROFESSIONAL):
        with pytest.raises(PermissionDenied):
            services.give_own_consent(world.actor(role))
        with pytest.raises(PermissionDenied):
            selectors.my_consents(world.actor(role))


def test_the_peer_workers_own_page(world, other_world, django_assert_max_num_queries):
    client = world.client(Role.PEER_WORKER)
    page = client.get(PAGE).content.decode()
    assert "You have not agreed" in page
    with django_assert_max_num_queries(30):
        response = client.post(PAGE, {"choice": "give"}, follow=True)
    text = response.content.decode()
    assert "Thank you" in text and "You agreed on" in text and "Withdraw my consent" in text
    assert Consent.objects.filter(staff_member=world.users[Role.PEER_WORKER], withdrawn_at=None).exists()
    read = AuditEntry.objects.filter(action="read", object_type="privacy.consent").latest("id")
    assert read.subject_id == str(world.users[Role.PEER_WORKER].pk)

    text = client.post(PAGE, {"choice": "withdraw"}, follow=True).content.decode()
    assert "Withdrawn. Extracts made from now on leave you out." in text and "withdrawn on" in text
    text = client.post(PAGE, {"choice": "withdraw"}).content.decode()
    assert "nothing to withdraw" in text
    text = client.post(PAGE, {"choice": "something else"}).content.decode()
    assert "Reload the page" in text
    # nothing of it is seen by anyone else, here or in another organisation
    for role in (Role.COORDINATOR, Role.MANAGER, Role.DPO, Role.PROFESSIONAL, Role.ADMINISTRATOR):
        assert world.client(role).get(PAGE).status_code == 403
    assert "You have not agreed" in other_world.client(Role.PEER_WORKER).get(PAGE).content.decode()
    # the peer worker finds the page from their home page
    assert PAGE in client.get("/").content.decode()


def test_the_page_is_translated(world):
    client = world.client(Role.PEER_WORKER)
    for language, words in (("nb", "Ditt samtykke"), ("da", "Dit samtykke")):
        client.cookies["django_language"] = language
        assert words in client.get(PAGE).content.decode()


def test_a_consent_that_ran_out_leaves_the_peer_worker_out_and_they_can_agree_again(world, supported):
    actor = world.actor(Role.PEER_WORKER)
    pw = world.users[Role.PEER_WORKER]
    today = timezone.localdate()
    given = services.give_own_consent(actor, valid_until=today)
    assert pw.pk in set(consent_rules.consented_staff_ids(world.org.pk, "evaluation"))
    made, engagements = _extract(world)
    assert all(e["peer_worker"] for e in engagements)
    # the day after its last day it counts no more, exactly like a service user's consent
    Consent.objects.filter(pk=given.pk).update(
        given_on=today - timedelta(days=30), valid_until=today - timedelta(days=1)
    )
    assert not consent_rules.covers_self(actor, "evaluation")
    made, engagements = _extract(world)
    assert all(e["peer_worker"] is None for e in engagements)
    assert not _exported_peer_worker(world, made)
    with pytest.raises(ValidationError, match="nothing to withdraw"):
        services.withdraw_own_consent(actor)
    again = services.give_own_consent(actor)
    assert consent_rules.covers_self(actor, "evaluation") and again.pk != given.pk


def test_an_end_date_must_be_a_real_day_from_today_on(world):
    actor = world.actor(Role.PEER_WORKER)
    with pytest.raises(ValidationError, match="has passed"):
        services.give_own_consent(actor, valid_until=timezone.localdate() - timedelta(days=1))
    with pytest.raises(ValidationError, match="real date"):
        services.give_own_consent(actor, valid_until="31.02.2027")
    assert not Consent.objects.filter(staff_member=world.users[Role.PEER_WORKER]).exists()
    client = world.client(Role.PEER_WORKER)
    text = client.post(PAGE, {"choice": "give", "valid_until": "2001-01-01"}).content.decode()
    assert "The end date has passed" in text and 'href="#id_valid_until"' in text
    until = timezone.localdate() + timedelta(days=90)
    text = client.post(PAGE, {"choice": "give", "valid_until": until.isoformat()}, follow=True).content.decode()
    assert "Thank you" in text and ", until " in text


def test_a_staff_consent_is_not_a_service_users_and_cannot_be_reached_as_one(world):
    """The service users' consent pages and withdrawal never see a staff member's own consent."""
    given = services.give_own_consent(world.actor(Role.PEER_WORKER))
    with pytest.raises(Http404):
        services.withdraw_consent(world.actor(Role.COORDINATOR), given.pk)
    assert selectors.consent_service_user_id(world.actor(Role.COORDINATOR), given.pk) is None
    assert list(consent_rules.consented_ids(world.org.pk, "evaluation")) == []
    # the database refuses a consent with no data subject, with two, or a staff consent to share
    bad = Consent(organisation=world.org, purpose="share", given_on=timezone.localdate(), how_given="digital")
    with pytest.raises(ValidationError):
        bad.full_clean()
    bad.staff_member = world.users[Role.PEER_WORKER]
    with pytest.raises(ValidationError):
        bad.full_clean()


def test_a_service_users_copy_and_erasure_hold_only_their_own_consents(world):
    """The subject-access copy and the anonymisation read the consents with the person as data subject; a peer
    worker's own consent is neither copied to a service user nor touched by their erasure."""
    from peerwork.privacy import subject

    pw = world.users[Role.PEER_WORKER]
    kari = person(world, "Kari")
    engage(world, kari, pw)
    services.record_consent(
        world.actor(Role.COORDINATOR),
        kari.pk,
        **{"purpose": "evaluation", "how_given": "written", "given_on": timezone.localdate()},
    )
    own = services.give_own_consent(world.actor(Role.PEER_WORKER))
    copy = subject.collect(kari)
    assert len(copy["consents"]) == 1 and copy["consents"][0]["id"] != own.pk
    subject.anonymise(kari)
    own.refresh_from_db()
    assert own.withdrawn_at is None and consent_rules.covers_self(world.actor(Role.PEER_WORKER), "evaluation")
    assert Consent.objects.get(service_user=kari).withdrawn_at is not None

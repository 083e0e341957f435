"""A peer worker's own consent to use in evaluation: given and withdrawn by the peer worker on their own page,
audited with them as subject; extracts include the peer worker only while it is in force."""

from __future__ import annotations

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from peerwork.audit.models import AuditEntry
from peerwork.core.roles import Role
from peerwork.privacy import selectors, services
from peerwork.privacy.models import PeerWorkerConsent

from .helpers import contact, engage, person

PAGE = "/privacy/my-evaluation-consent/"


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
            {"purpose": "evaluation", "how_given": "written", "given_on": timezone.localdate()},
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
    services.give_peer_worker_consent(actor)
    made, engagements = _extract(world)
    assert len({e["peer_worker"] for e in engagements}) == 1 and engagements[0]["peer_worker"].startswith("W-")
    assert all(e["contacts_outside_agreed_hours"] == 0 for e in engagements)
    assert _exported_peer_worker(world, made)

    services.withdraw_peer_worker_consent(actor)
    made, engagements = _extract(world)
    assert all(e["peer_worker"] is None for e in engagements)
    assert not _exported_peer_worker(world, made)


def test_give_and_withdraw_are_audited_and_fail_clearly(world):
    pw = world.users[Role.PEER_WORKER]
    actor = world.actor(Role.PEER_WORKER)
    with pytest.raises(ValidationError, match="nothing to withdraw"):
        services.withdraw_peer_worker_consent(actor)
    given = services.give_peer_worker_consent(actor)
    with pytest.raises(ValidationError, match="already agreed"):
        services.give_peer_worker_consent(actor)
    services.withdraw_peer_worker_consent(actor)
    again = services.give_peer_worker_consent(actor)
    assert PeerWorkerConsent.objects.filter(peer_worker=pw).count() == 2
    assert list(PeerWorkerConsent.objects.filter(peer_worker=pw, withdrawn_at__isnull=True)) == [again]
    entries = AuditEntry.objects.filter(object_type="privacy.peerworkerconsent").order_by("id")
    assert [(e.action, e.object_id, e.subject_type, e.subject_id) for e in entries] == [
        ("create", str(given.pk), "accounts.user", str(pw.pk)),
        ("update", str(given.pk), "accounts.user", str(pw.pk)),
        ("create", str(again.pk), "accounts.user", str(pw.pk)),
    ]
    # a senior peer worker gives their own too; nobody gives or reads it for someone else
    services.give_peer_worker_consent(world.actor(Role.SENIOR_PEER_WORKER))
    for role in (Role.COORDINATOR, Role.MANAGER, Role.DPO, Role.ADMINISTRATOR, Role.PROFESSIONAL):
        with pytest.raises(PermissionDenied):
            services.give_peer_worker_consent(world.actor(role))
        with pytest.raises(PermissionDenied):
            selectors.my_evaluation_consents(world.actor(role))


def test_the_peer_workers_own_page(world, other_world, django_assert_max_num_queries):
    client = world.client(Role.PEER_WORKER)
    page = client.get(PAGE).content.decode()
    assert "You have not agreed" in page
    with django_assert_max_num_queries(30):
        response = client.post(PAGE, {"choice": "give"}, follow=True)
    text = response.content.decode()
    assert "Thank you" in text and "You agreed on" in text and "Withdraw my consent" in text
    assert PeerWorkerConsent.objects.filter(peer_worker=world.users[Role.PEER_WORKER], withdrawn_at=None).exists()
    read = AuditEntry.objects.filter(action="read", object_type="privacy.peerworkerconsent").latest("id")
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

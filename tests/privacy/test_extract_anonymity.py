"""The re-identification check on a built extract, over a generated organisation: dates are months, every
released combination of the quasi-identifiers occurs at least the anonymity threshold times, the extract
says what was generalised and suppressed, and only peer workers who consented themselves appear."""

from __future__ import annotations

import json
import re
from collections import Counter
from datetime import timedelta

import pytest
from django.utils import timezone

from peerwork.core.anonymity import ANONYMITY_THRESHOLD
from peerwork.core.roles import Role
from peerwork.demo.generate import generate
from peerwork.privacy import services
from peerwork.privacy.evaluation import pseudonym
from peerwork.privacy.generalise import QUASI_IDENTIFIERS, SUPPRESSED, combination
from peerwork.privacy.models import Consent, PseudonymKey
from peerwork.service.models import Engagement, ServiceUser
from tests.conftest import actor_for

DATE = re.compile(r"\d{4}-\d{2}-\d{2}")
MONTH = re.compile(r"^\d{4}-\d{2}$")


@pytest.fixture
def generated(db):
    g = generate(organisations=1, peer_workers=8, service_users=90, contacts=400, seed=11)
    org = g.organisations[0]
    rng = g.rng
    today = timezone.localdate()
    people = list(ServiceUser.objects.filter(organisation=org))
    # a few big municipalities and some small ones, so that some descriptions are rare
    for p in people:
        p.municipality = rng.choice(["Fjordby"] * 6 + ["Storvik"] * 3 + ["Lillevik", "Øy", "Nes"])
    ServiceUser.objects.bulk_update(people, ["municipality"])
    # This test decides who consented: start from none rather than the generator's year of consents.
    Consent.objects.filter(organisation=org).delete()
    Consent.objects.bulk_create(
        Consent(
            organisation=org,
            service_user=p,
            purpose=Consent.Purpose.EVALUATION,
            given_on=today - timedelta(days=10),
            how_given=Consent.HowGiven.WRITTEN,
        )
        for p in people
        if rng.random() < 0.8
    )
    consenting = g.peer_workers_by_org[org.pk][::2]
    for pw in consenting:
        services.give_own_consent(actor_for(pw, org))
    return g, org, consenting


def test_a_built_extract_is_k_anonymous_with_months_and_says_so(generated):
    g, org, consenting = generated
    manager = g.managers_by_org[org.pk][0]
    made = services.create_evaluation_export(actor_for(manager, org), recipient="Evaluation team", purpose="Report")
    content = made.content
    people = content["people"]
    assert len(people) >= ANONYMITY_THRESHOLD and made.people == len(people)

    # every quasi-identifier combination occurs at least threshold times
    counts = Counter(combination(p, QUASI_IDENTIFIERS) for p in people)
    assert min(counts.values()) >= ANONYMITY_THRESHOLD

    # the extract states what was generalised and suppressed, and the threshold
    check = content["re_identification_check"]
    assert check["threshold"] == ANONYMITY_THRESHOLD
    assert "Peerwork's default" in check["threshold_is"]
    assert check["quasi_identifiers"] == list(QUASI_IDENTIFIERS)
    assert check["smallest_group"] == min(counts.values())
    for field in QUASI_IDENTIFIERS:
        assert check["suppressed"][field] == sum(1 for p in people if p[field] == SUPPRESSED)
    assert check["suppressed"]["municipality"] > 0  # the small municipalities had to go
    consented = Consent.objects.filter(organisation=org, purpose="evaluation", service_user__isnull=False).count()
    assert check["people"] + check["people_left_out"] == consented
    assert "month" in check["dates"] and "threshold" in content["about"]

    # no exact date about a person anywhere; every date field is a month
    assert not DATE.search(json.dumps(people))
    for p in people:
        for e in p["engagements"]:
            for field in ("started_on", "planned_end_on", "closed_on"):
                assert e[field] is None or MONTH.match(e[field])
        for goal in p["goals"]:
            for field in ("set_on", "achieved_on", "set_aside_on"):
                assert goal[field] is None or MONTH.match(goal[field])
            assert all(MONTH.match(r["rated_on"]) for r in goal["ratings"])

    # peer workers: only those who consented themselves, under their pseudonym
    key = bytes.fromhex(PseudonymKey.objects.get(export=made).key)
    allowed = {pseudonym(key, "peer_worker", pw.pk) for pw in consenting}
    engagements = [e for p in people for e in p["engagements"]]
    shown = {e["peer_worker"] for e in engagements} - {None}
    assert shown and shown <= allowed
    held_by_others = Engagement.objects.filter(organisation=org).exclude(peer_worker__in=consenting).exists()
    assert held_by_others
    without = [e for e in engagements if e["peer_worker"] is None]
    assert without and all(e["contacts_outside_agreed_hours"] is None for e in without)
    assert all(e["contacts_outside_agreed_hours"] is not None for e in engagements if e["peer_worker"])


def test_the_extract_page_tells_the_manager_what_is_generalised(world):
    text = world.client(Role.MANAGER).get("/privacy/evaluation/").content.decode()
    assert f"at least {ANONYMITY_THRESHOLD} people in the extract share it" in text
    assert "Peer workers appear only if they agreed themselves." in text

"""The co-assessment scale data is consistent: every coding's segment lies in a material of the same
co-assessment as the coding's code, every segment's participant belongs to that co-assessment, and every
participant has a consent to evaluation for this study."""

from __future__ import annotations

import random

import pytest
from django.db.models import F

from peerwork.coassessment import generate as coassessment_generate
from peerwork.coassessment import services
from peerwork.coassessment.models import CoAssessment, Code, Coding, Material, Participant, Segment, TeamMember, Theme
from peerwork.demo.generate import generate
from tests.conftest import actor_for

pytestmark = pytest.mark.django_db


def _assert_consistent(ca: CoAssessment) -> None:
    codings = Coding.objects.filter(segment__material__coassessment=ca)
    assert not codings.exclude(code__coassessment=ca).exists()
    assert not codings.exclude(organisation_id=ca.organisation_id).exists()
    assert not Segment.objects.filter(material__coassessment=ca).exclude(participant__coassessment=ca).exists()
    assert not Segment.objects.filter(material__coassessment=ca, end__gt=1_000_000).exists()
    participants = Participant.objects.filter(coassessment=ca)
    assert not participants.filter(consent__isnull=True).exists()
    assert not participants.exclude(consent__purpose="evaluation").exists()
    assert not participants.exclude(consent__study__contains=ca.title).exists()
    assert not participants.exclude(consent__organisation_id=ca.organisation_id).exists()
    # every segment's span is the words its participant said, after their pseudonym
    for s in Segment.objects.filter(material__coassessment=ca).select_related("material", "participant")[:50]:
        head = s.material.text[: s.start]
        assert head.endswith(f"{s.participant.pseudonym}: "), (head[-10:], s.participant.pseudonym)
        assert s.end <= len(s.material.text)
    # each group holds one kind of respondent, as services.add_participant requires
    for p in participants.select_related("group", "consent"):
        fits = services._kind_problem(
            actor_for(p.consent.recorded_by, ca.organisation), p.group, p.consent.staff_member
        )
        assert fits is None, fits
    # the team has a peer co-researcher
    assert TeamMember.objects.filter(coassessment=ca, is_peer_co_researcher=True).exists()


def test_the_generator_gives_consistent_coassessments_in_every_state() -> None:
    g = generate(organisations=2, peer_workers=12, service_users=120, contacts=300, seed=3, audit=False)
    for org in g.organisations:
        found = CoAssessment.objects.filter(organisation=org)
        assert set(found.values_list("status", flat=True)) == {"planning", "collecting", "analysing", "finished"}
        for ca in found:
            _assert_consistent(ca)
        analysing = found.get(status="analysing")
        assert Material.objects.filter(coassessment=analysing).count() == coassessment_generate.SMALL["transcripts"]
        # several coders coded the same segments
        assert Coding.objects.filter(segment__material__coassessment=analysing).values("coder").distinct().count() >= 2
        assert Theme.objects.filter(coassessment=analysing).exists()
        planning = found.get(status="planning")
        assert not Material.objects.filter(coassessment=planning).exists()


def test_a_larger_workspace_has_segments_and_codings_in_proportion() -> None:
    g = generate(organisations=1, peer_workers=10, service_users=60, contacts=100, seed=4, audit=False)
    org = g.organisations[0]
    built = coassessment_generate.build(
        org.pk, rng=random.Random(1), title="Larger", transcripts=12, words=800, segments=10, coders=4, codes=15
    )
    ca = built.coassessment
    _assert_consistent(ca)
    assert built.materials == Material.objects.filter(coassessment=ca).count() == 12
    assert built.segments == Segment.objects.filter(material__coassessment=ca).count() == 120
    assert built.codings == Coding.objects.filter(segment__material__coassessment=ca).count()
    assert built.codings >= 2 * built.segments
    assert Code.objects.filter(coassessment=ca).count() == 15
    assert Coding.objects.filter(segment__material__coassessment=ca).values("coder").distinct().count() == 4
    words = [len(t.split()) for t in Material.objects.filter(coassessment=ca).values_list("text", flat=True)]
    assert 600 < sum(words) / len(words) < 1000
    # no coding outside its material's span
    assert not Segment.objects.filter(material__coassessment=ca, end__lte=F("start")).exists()

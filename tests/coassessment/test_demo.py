from __future__ import annotations

import pytest

from peerwork.coassessment.models import CoAssessment, Coding, TeamMember
from peerwork.demo.seed import DK_SLUG, NO_SLUG, seed_demo


@pytest.mark.django_db
def test_the_demo_has_a_finished_and_an_ongoing_co_assessment():
    seed_demo()
    no = CoAssessment.objects.get(organisation__slug=NO_SLUG)
    assert (no.status, no.method) == ("finished", "condensation")
    assert TeamMember.objects.filter(coassessment=no, is_peer_co_researcher=True).count() == 1
    assert no.participants.count() == 5 and no.ethics_approved_on is not None
    dk = CoAssessment.objects.get(organisation__slug=DK_SLUG)
    assert (dk.status, dk.method) == ("analysing", "thematic")
    coders = set(Coding.objects.filter(segment__material__coassessment=dk).values_list("coder", flat=True))
    assert len(coders) == 2
    assert Coding.objects.filter(segment__material__coassessment=dk, blind=True).exists()

"""The demo shows peer workers of both demo organisations the evaluation figures (service and organisation
levels) and their own decision on appearing in evaluation extracts, and shows the reworded pulse statement
with its wording history."""

from __future__ import annotations

import pytest

from peerwork.accounts.models import User
from peerwork.demo.seed import DK_SLUG, NO_SLUG, seed_demo
from peerwork.evaluation.items import ITEMS_VERSION
from peerwork.evaluation.models import PulseSurvey
from peerwork.organisations.models import Organisation
from peerwork.privacy.models import Consent
from tests.conftest import verified_client


@pytest.mark.django_db
def test_demo_peer_workers_see_the_figures_and_their_consent_decision():
    seed_demo()
    for username, decision in (
        ("peerworker", "You agreed on"),
        ("senior", "You have not agreed"),
        ("dk-peerworker1", ", until "),
        ("dk-mentor1", "withdrawn on"),
    ):
        client = verified_client(User.objects.get(username=username))
        home = client.get("/").content.decode()
        assert "/evaluation/dashboard/" in home and "/privacy/my-evaluation-consent/" in home, username
        body = client.get("/evaluation/dashboard/").content.decode()
        assert "Service level" in body and "Organisation level" in body, username
        assert "Individual level" not in body and "What you see here, and what you do not" in body, username
        assert decision in client.get("/privacy/my-evaluation-consent/").content.decode(), username
    for slug in (NO_SLUG, DK_SLUG):
        org = Organisation.objects.get(slug=slug)
        assert Consent.objects.filter(organisation=org, staff_member__isnull=False).exists(), slug
        versions = list(
            PulseSurvey.objects.filter(organisation=org)
            .order_by("period_start")
            .values_list("items_version", flat=True)
        )
        assert versions == [1, 1, ITEMS_VERSION], slug


@pytest.mark.django_db
def test_demo_pulse_trend_breaks_where_the_statement_was_reworded():
    seed_demo()
    body = verified_client(User.objects.get(username="peerworker")).get("/evaluation/pulse/").content.decode()
    assert "Statements that were reworded" in body
    assert "My view from my own experience changes decisions here." in body
    assert "I am a full member of the team" in body  # the earlier wording, in the history
    assert "wording asked from" in body and "asked in other words" in body

"""The demo shows the story: one person shares their housing goal with the outreach team, one withdrew,
one is due for anonymisation."""

from __future__ import annotations

from io import StringIO

import pytest
from django.core.management import call_command

from peerwork.accounts.models import User
from peerwork.demo.seed import NO_SLUG, seed_demo
from peerwork.organisations.models import Organisation
from peerwork.privacy.models import Consent
from tests.conftest import verified_client


@pytest.mark.django_db
def test_demo_professional_sees_the_housing_goal_only(settings):
    seed_demo()
    org = Organisation.objects.get(slug=NO_SLUG)
    body = verified_client(User.objects.get(username="professional")).get("/privacy/shared/").content.decode()
    assert "Ha min egen leilighet før vinteren" in body
    assert "Gå på kafé" not in body and "arbeidstrening" not in body
    assert Consent.objects.filter(organisation=org, withdrawn_at__isnull=False).exists()
    out = StringIO()
    call_command("retention", "run", "--dry-run", "--organisation", NO_SLUG, stdout=out)
    assert "would be anonymised" in out.getvalue()
    ola = verified_client(User.objects.get(username="peerworker")).get("/privacy/consent/").content.decode()
    assert "Valid consents" in ola


@pytest.mark.django_db
def test_demo_evaluation_extract_holds_the_three_and_ola_only():
    from peerwork.privacy import services
    from peerwork.privacy.evaluation import pseudonym
    from peerwork.privacy.models import PseudonymKey
    from tests.conftest import actor_for

    seed_demo()
    org = Organisation.objects.get(slug=NO_SLUG)
    made = services.create_evaluation_export(
        actor_for(User.objects.get(username="dpo"), org), recipient="Evaluation team", purpose="Demo"
    )
    assert made.people == 3 and made.content["re_identification_check"]["smallest_group"] >= 3
    key = bytes.fromhex(PseudonymKey.objects.get(export=made).key)
    shown = {e["peer_worker"] for p in made.content["people"] for e in p["engagements"]}
    ola = User.objects.get(username="peerworker")
    assert shown == {pseudonym(key, "peer_worker", ola.pk), None}

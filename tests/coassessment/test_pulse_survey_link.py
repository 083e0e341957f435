"""A co-assessment may look into a pulse survey's trend: an optional link to one of the organisation's own pulse
surveys, set on the plan page or through the API, shown in plain words (its title and period) on the overview and
in the report."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from django.core.exceptions import ValidationError
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from peerwork.accounts import services as account_services
from peerwork.coassessment import forms, report, selectors
from peerwork.coassessment.models import CoAssessment
from peerwork.core.roles import Role
from peerwork.evaluation import services as evaluation_services

from .conftest import plan

pytestmark = pytest.mark.django_db

WORDS = "Pulse survey 2026 Q3, 1 July 2026 to 30 September 2026"


def _survey(world):
    return evaluation_services.survey_for(world.org.pk, date(2026, 8, 15))


def test_the_plan_links_a_pulse_survey_of_its_own_organisation_only(world, other_world):
    manager = world.actor(Role.MANAGER)
    ours, theirs = _survey(world), _survey(other_world)
    ca = plan(manager, pulse_survey=ours)
    assert CoAssessment.objects.get(pk=ca.pk).pulse_survey == ours
    with pytest.raises(ValidationError) as exc:
        plan(manager, pulse_survey=theirs)
    assert exc.value.message_dict == {"pulse_survey": ["Choose a pulse survey of your own organisation."]}
    assert plan(manager).pulse_survey is None, "the link is optional"


def test_the_plan_page_offers_the_organisations_surveys_in_words_and_saves_the_choice(world, other_world):
    ours, theirs = _survey(world), _survey(other_world)
    form = forms.PlanForm(world.actor(Role.MANAGER))
    choices = [str(label) for _value, label in form.fields["pulse_survey"].choices]
    assert choices == ["None", WORDS]
    client = world.client(Role.MANAGER)
    body = {
        "title": "Why the trend fell",
        "question": "Why do peer workers feel less heard this quarter?",
        "method": "thematic",
        "retention_until": str(timezone.localdate() + timedelta(days=300)),
        "pulse_survey": str(theirs.pk),
    }
    refused = client.post(reverse("coassessment:new"), body)
    assert refused.status_code == 200 and not CoAssessment.objects.exists()
    body["pulse_survey"] = str(ours.pk)
    assert client.post(reverse("coassessment:new"), body).status_code == 302
    ca = CoAssessment.objects.get()
    assert ca.pulse_survey == ours

    overview = client.get(reverse("coassessment:detail", args=[ca.pk])).content.decode()
    assert WORDS in overview
    built = report.gather(world.actor(Role.MANAGER), selectors.coassessment(world.actor(Role.MANAGER), ca.pk))
    assert built.pulse_survey == WORDS
    page = client.get(reverse("coassessment:report", args=[ca.pk])).content.decode()
    assert f"It looks into the trend of a pulse survey: {WORDS}." in page


def test_the_api_takes_the_survey_as_the_form_does(world, other_world):
    ours, theirs = _survey(world), _survey(other_world)
    _token, secret = account_services.create_api_token(world.actor(Role.MANAGER), name="test", valid_days=1)
    api = Client(HTTP_AUTHORIZATION=f"Bearer {secret}")
    body = {
        "title": "Why the trend fell",
        "question": "Why do peer workers feel less heard?",
        "method": "condensation",
        "retention_until": str(timezone.localdate() + timedelta(days=200)),
        "pulse_survey_id": theirs.pk,
    }
    refused = api.post("/api/coassessment/coassessments", body, content_type="application/json")
    assert refused.status_code == 422 and "pulse_survey_id" in refused.content.decode()
    body["pulse_survey_id"] = ours.pk
    created = api.post("/api/coassessment/coassessments", body, content_type="application/json")
    assert created.status_code == 201, created.content
    assert created.json()["pulse_survey_id"] == ours.pk

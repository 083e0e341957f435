"""Peer-led surveys: peer workers own them, managers are refused, answers cannot be traced to a person, small
numbers are withheld; the pages, the API and the demo."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
from django.core.exceptions import ValidationError
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from peerwork.accounts import services as account_services
from peerwork.audit.details import Detail
from peerwork.audit.models import AuditEntry
from peerwork.coassessment import survey_selectors as selectors
from peerwork.coassessment import survey_services as services
from peerwork.coassessment.survey_models import (
    PeerSurvey,
    SurveyAnswer,
    SurveyLink,
    SurveyParticipation,
    SurveyQuestion,
    SurveyResponse,
)
from peerwork.core.anonymity import ANONYMITY_THRESHOLD
from peerwork.core.roles import Role
from peerwork.demo.seed import DK_SLUG, NO_SLUG, seed_demo
from tests.coassessment.conftest import add_user
from tests.conftest import actor_for

Kind = SurveyQuestion.Kind


def new_survey(actor, **kw):
    today = timezone.localdate()
    values = {
        "title": "How is the peer role used?",
        "purpose": "We want to know how our role works.",
        "for_service_users": True,
        "for_peer_workers": True,
        "for_staff": True,
        "opens_on": today - timedelta(days=1),
        "closes_on": today + timedelta(days=30),
    }
    values.update(kw)
    return services.create_survey(actor, **values)


def with_questions(actor, survey):
    scale = services.add_question(
        actor, survey, kind=Kind.SCALE, text="Is it used well?", low_label="No", high_label="Yes"
    )
    choice = services.add_question(
        actor, survey, kind=Kind.CHOICE, text="How often?", options="Never\nSometimes\nOften"
    )
    text = services.add_question(actor, survey, kind=Kind.TEXT, text="What should change?")
    return scale, choice, text


@pytest.fixture
def published(world):
    owner = world.actor(Role.PEER_WORKER)
    survey = new_survey(owner)
    questions = with_questions(owner, survey)
    services.publish_survey(owner, survey)
    return survey, questions


# --- owners ---------------------------------------------------------------------------------------------------


def test_peer_workers_write_reorder_remove_and_publish(world):
    owner = world.actor(Role.SENIOR_PEER_WORKER)
    survey = new_survey(owner)
    scale, choice, text = with_questions(owner, survey)
    services.move_question(owner, text, up=True)
    assert list(survey.questions.values_list("text", flat=True)) == [
        "Is it used well?",
        "What should change?",
        "How often?",
    ]
    services.remove_question(owner, scale)
    assert list(survey.questions.values_list("position", flat=True)) == [1, 2]
    services.publish_survey(owner, survey)
    survey.refresh_from_db()
    assert survey.status == "published"
    with pytest.raises(ValidationError, match="while the survey is a draft"):
        services.add_question(owner, survey, kind=Kind.TEXT, text="Late question")
    assert AuditEntry.objects.filter(object_type="coassessment.peersurvey", detail=Detail("published").stored).exists()


@pytest.mark.parametrize("role", [Role.MANAGER, Role.COORDINATOR, Role.PROFESSIONAL])
def test_other_roles_cannot_create_edit_close_or_share(world, published, role):
    survey, (scale, _choice, _text) = published
    actor = world.actor(role)
    with pytest.raises(ValidationError, match="Peer workers own peer-led surveys"):
        new_survey(actor)
    with pytest.raises(ValidationError, match="Peer workers own peer-led surveys"):
        services.update_survey(actor, survey, title="Changed")
    with pytest.raises(ValidationError, match="Peer workers own peer-led surveys"):
        services.close_survey(actor, survey)
    with pytest.raises(ValidationError, match="Peer workers own peer-led surveys"):
        services.share_results(actor, survey)
    with pytest.raises(ValidationError, match="Peer workers own peer-led surveys"):
        services.remove_question(actor, scale)


def test_questions_are_checked(world):
    owner = world.actor(Role.PEER_WORKER)
    survey = new_survey(owner)
    with pytest.raises(ValidationError, match="both ends"):
        services.add_question(owner, survey, kind=Kind.SCALE, text="Scale?")
    with pytest.raises(ValidationError, match="between 2 and 12 options"):
        services.add_question(owner, survey, kind=Kind.CHOICE, text="Choice?", options="Only one")
    with pytest.raises(ValidationError, match="at least one question"):
        services.publish_survey(owner, survey)
    with pytest.raises(ValidationError, match="at least one group"):
        new_survey(owner, for_service_users=False, for_peer_workers=False, for_staff=False)


# --- answering and anonymity ------------------------------------------------------------------------------


def test_a_signed_in_answer_is_kept_apart_from_who_answered(world, published):
    survey, (scale, choice, text) = published
    add_user(world, Role.PEER_WORKER, "third-peer-worker")  # three peer workers: the role group is kept
    actor = world.actor(Role.PROFESSIONAL)
    services.answer_signed_in(actor, survey, group="staff", answers={f"q{scale.pk}": "4", f"q{text.pk}": "More time"})
    assert SurveyParticipation.objects.filter(survey=survey, user=actor.user).count() == 1
    response = SurveyResponse.objects.get(survey=survey)
    # Nothing in the response or its answers points to the person or to a time.
    for model in (SurveyResponse, SurveyAnswer):
        names = {f.name for f in model._meta.get_fields()}
        assert not names & {"user", "created_at", "person", "participation", "link"}
    assert response.group == "staff"
    with pytest.raises(ValidationError, match="already answered"):
        services.answer_signed_in(actor, survey, group="staff", answers={f"q{scale.pk}": "2"})
    # The audit names the participation, never the response.
    entry = AuditEntry.objects.filter(object_type="coassessment.surveyparticipation").get()
    assert entry.object_id != str(response.pk)
    assert not AuditEntry.objects.filter(object_type__in=["coassessment.surveyresponse", "coassessment.surveyanswer"])


def test_only_the_groups_a_survey_is_for_may_answer(world):
    owner = world.actor(Role.PEER_WORKER)
    survey = new_survey(owner, for_staff=False, for_service_users=False)
    with_questions(owner, survey)
    services.publish_survey(owner, survey)
    assert services.groups_for(world.actor(Role.MANAGER), survey) == []
    with pytest.raises(Exception):  # noqa: B017,PT011 — refused (PermissionDenied)
        services.answer_signed_in(world.actor(Role.MANAGER), survey, group="staff", answers={})


def test_a_link_answers_once_without_a_name(world, published):
    survey, (scale, _choice, _text) = published
    owner = world.actor(Role.PEER_WORKER)
    [token] = services.make_links(owner, survey, count=1)
    assert not SurveyLink.objects.filter(token_hash=token).exists()  # only the hash is kept
    services.answer_with_link(token, answers={f"q{scale.pk}": "5"})
    assert SurveyLink.objects.get(survey=survey).used
    assert SurveyResponse.objects.get(survey=survey).group == "service_user"
    with pytest.raises(ValidationError, match="already been used"):
        services.answer_with_link(token, answers={f"q{scale.pk}": "5"})


def test_a_manager_cannot_make_links(world, published):
    survey, _questions = published
    with pytest.raises(ValidationError, match="Peer workers own"):
        services.make_links(world.actor(Role.MANAGER), survey, count=3)


def _answers(world, survey, questions, n):
    scale, choice, text = questions
    owner = world.actor(Role.PEER_WORKER)
    for i, token in enumerate(services.make_links(owner, survey, count=n)):
        services.answer_with_link(
            token, answers={f"q{scale.pk}": str(1 + i % 5), f"q{choice.pk}": "2", f"q{text.pk}": f"Words {i}"}
        )


def test_small_numbers_are_withheld(world, published):
    survey, questions = published
    owner = world.actor(Role.PEER_WORKER)
    _answers(world, survey, questions, ANONYMITY_THRESHOLD - 1)
    r = selectors.results(owner, survey.pk)
    assert r.withheld and all(q.withheld and not q.bars and not q.texts for q in r.questions)
    _answers(world, survey, questions, 1)
    r = selectors.results(owner, survey.pk)
    assert not r.withheld
    scale, choice, text = r.questions
    assert [b.count for b in choice.bars] == [0, ANONYMITY_THRESHOLD, 0]
    assert sorted(text.texts) == sorted([f"Words {i}" for i in range(ANONYMITY_THRESHOLD - 1)] + ["Words 0"])


def test_a_question_answered_by_too_few_is_withheld(world, published):
    survey, (scale, choice, text) = published
    owner = world.actor(Role.PEER_WORKER)
    for token in services.make_links(owner, survey, count=ANONYMITY_THRESHOLD):
        services.answer_with_link(token, answers={f"q{scale.pk}": "3"})
    [token] = services.make_links(owner, survey, count=1)
    services.answer_with_link(token, answers={f"q{text.pk}": "Only me"})
    r = selectors.results(owner, survey.pk)
    by_kind = {q.question.kind: q for q in r.questions}
    assert not by_kind["scale"].withheld and by_kind["scale"].mean == 3
    assert by_kind["text"].withheld and by_kind["text"].texts == []


def test_managers_read_results_only_once_shared(world, published):
    survey, _questions = published
    manager = world.actor(Role.MANAGER)
    assert not selectors.surveys(manager).exists()
    with pytest.raises(Exception):  # noqa: B017,PT011 — not found
        selectors.results(manager, survey.pk)
    services.share_results(world.actor(Role.PEER_WORKER), survey)
    assert selectors.results(manager, survey.pk).survey == survey
    assert list(selectors.surveys(manager)) == [survey]
    with pytest.raises(Exception):  # noqa: B017,PT011 — the professional never reads the results
        selectors.results(world.actor(Role.PROFESSIONAL), survey.pk)
    services.share_results(world.actor(Role.PEER_WORKER), survey, shared=False)
    with pytest.raises(Exception):  # noqa: B017,PT011 — taken back: not found again
        selectors.results(manager, survey.pk)


def test_closing_drops_unused_links(world, published):
    survey, _questions = published
    owner = world.actor(Role.PEER_WORKER)
    services.make_links(owner, survey, count=3)
    services.close_survey(owner, survey)
    assert not SurveyLink.objects.filter(survey=survey).exists()
    survey.refresh_from_db()
    assert not services.is_open(survey)


# --- pages --------------------------------------------------------------------------------------------------


def test_pages_for_owner_manager_and_answerer(world, published):
    survey, (scale, _choice, _text) = published
    owner = world.client(Role.PEER_WORKER)
    for name, args in [("surveys", []), ("survey_new", []), ("survey", [survey.pk]), ("survey_results", [survey.pk])]:
        assert owner.get(reverse(f"coassessment:{name}", args=args)).status_code == 200, name
    manager = world.client(Role.MANAGER)
    assert manager.get(reverse("coassessment:survey_new")).status_code == 403
    assert manager.get(reverse("coassessment:survey", args=[survey.pk])).status_code == 403
    assert manager.get(reverse("coassessment:survey_results", args=[survey.pk])).status_code == 404
    professional = world.client(Role.PROFESSIONAL)
    page = professional.get(reverse("coassessment:surveys")).content.decode()
    assert reverse("coassessment:survey_answer", args=[survey.pk]) in page
    response = professional.post(reverse("coassessment:survey_answer", args=[survey.pk]), {f"q{scale.pk}": "4"})
    assert response.status_code == 302
    assert SurveyParticipation.objects.filter(survey=survey, user=world.users[Role.PROFESSIONAL]).exists()


def test_owners_publish_and_share_through_the_page(world):
    owner = world.actor(Role.PEER_WORKER)
    survey = new_survey(owner)
    client = world.client(Role.PEER_WORKER)
    url = reverse("coassessment:survey", args=[survey.pk])
    client.post(url, {"do": "question", "kind": "scale", "text": "Used well?", "low_label": "No", "high_label": "Yes"})
    client.post(url, {"do": "publish"})
    client.post(url, {"do": "share"})
    survey.refresh_from_db()
    assert (survey.status, survey.results_shared, survey.questions.count()) == ("published", True, 1)
    page = client.post(url, {"do": "links", "count": "2"}).content.decode()
    tokens = re.findall(r"/coassessment/surveys/link/([\w-]+)/", page)
    assert len(tokens) == 2
    public = Client()
    q = survey.questions.get()
    assert public.get(f"/coassessment/surveys/link/{tokens[0]}/").status_code == 200
    assert public.post(f"/coassessment/surveys/link/{tokens[0]}/", {f"q{q.pk}": "5"}).status_code == 302
    assert "already been given" in public.get(f"/coassessment/surveys/link/{tokens[0]}/").content.decode()
    assert public.get("/coassessment/surveys/link/not-a-token/").status_code == 404


def test_the_export_is_formula_safe_and_withholds(world, published):
    survey, questions = published
    _answers(world, survey, questions, ANONYMITY_THRESHOLD)
    owner = world.actor(Role.PEER_WORKER)
    [token] = services.make_links(owner, survey, count=1)
    services.answer_with_link(token, answers={f"q{questions[2].pk}": "=HYPERLINK(1)"})
    body = world.client(Role.PEER_WORKER).get(reverse("coassessment:survey_export", args=[survey.pk])).content.decode()
    assert "'=HYPERLINK(1)" in body or "\t=HYPERLINK" in body or "=HYPERLINK" not in body.split("\n")[0]
    assert not re.search(r"^=HYPERLINK", body, re.M)
    assert AuditEntry.objects.filter(object_type="coassessment.peersurvey", action="export").exists()


# --- API ----------------------------------------------------------------------------------------------------


def _api(world, role):
    _token, secret = account_services.create_api_token(actor_for(world.users[role], world.org), name="t", valid_days=1)
    return Client(HTTP_AUTHORIZATION=f"Bearer {secret}")


def test_the_api_lists_and_reads_results_with_the_page_rules(world, published):
    survey, questions = published
    _answers(world, survey, questions, ANONYMITY_THRESHOLD)
    owner = _api(world, Role.PEER_WORKER)
    assert [s["id"] for s in owner.get("/api/coassessment/surveys").json()["items"]] == [survey.pk]
    body = owner.get(f"/api/coassessment/surveys/{survey.pk}/results").json()
    assert body["responses"] == ANONYMITY_THRESHOLD and body["threshold"] == ANONYMITY_THRESHOLD
    assert body["questions"][0]["distribution"][0]["count"] == 1
    manager = _api(world, Role.MANAGER)
    assert manager.get("/api/coassessment/surveys").json()["items"] == []
    assert manager.get(f"/api/coassessment/surveys/{survey.pk}/results").status_code == 404
    services.share_results(world.actor(Role.PEER_WORKER), survey)
    assert manager.get(f"/api/coassessment/surveys/{survey.pk}/results").status_code == 200


def test_the_api_does_not_cross_organisations(world, other_world, published):
    survey, _questions = published
    stranger = _api(other_world, Role.PEER_WORKER)
    assert stranger.get(f"/api/coassessment/surveys/{survey.pk}/results").status_code == 404
    assert stranger.get("/api/coassessment/surveys").json()["items"] == []


# --- demo ---------------------------------------------------------------------------------------------------


@pytest.mark.django_db
def test_the_demo_has_a_shared_peer_led_survey_in_each_organisation():
    seed_demo()
    for slug in (NO_SLUG, DK_SLUG):
        survey = PeerSurvey.objects.get(organisation__slug=slug, status="published")
        assert survey.results_shared
        assert SurveyResponse.objects.filter(survey=survey).count() >= ANONYMITY_THRESHOLD
        assert SurveyResponse.objects.filter(survey=survey, group="service_user").exists()

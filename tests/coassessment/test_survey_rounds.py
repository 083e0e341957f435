"""Peer-led survey results by group (withheld under the threshold, with complementary suppression), rounds run
again with the previous round's figures beside this one's, in the page, the CSV and the API; query counts flat."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError
from django.test import Client
from django.urls import reverse

from peerwork.accounts import services as account_services
from peerwork.accounts.models import Membership
from peerwork.coassessment import survey_selectors as selectors
from peerwork.coassessment import survey_services as services
from peerwork.coassessment.survey_models import PeerSurvey, SurveyQuestion, SurveyResponse
from peerwork.core.anonymity import ANONYMITY_THRESHOLD
from peerwork.core.roles import Role
from peerwork.demo.seed import DK_SLUG, NO_SLUG, seed_demo
from tests.coassessment.conftest import add_user
from tests.coassessment.test_surveys import new_survey, with_questions
from tests.conftest import actor_for

T = ANONYMITY_THRESHOLD
_made = {"n": 0}


def _staff(world, survey, questions, role, group, values):
    """One signed-in answer per value, each from a new person in ``role``, answering as ``group``."""
    scale, choice, text = questions
    for value in values:
        _made["n"] += 1
        user = add_user(world, role, f"{group}-{_made['n']}")
        services.answer_signed_in(
            actor_for(user, world.org),
            survey,
            group=group,
            answers={f"q{scale.pk}": str(value), f"q{choice.pk}": "1", f"q{text.pk}": f"{group} says {value}"},
        )


def _service_users(owner, survey, questions, values):
    scale, choice, text = questions
    for value, token in zip(values, services.make_links(owner, survey, count=len(values)), strict=True):
        services.answer_with_link(
            token, answers={f"q{scale.pk}": str(value), f"q{choice.pk}": "2", f"q{text.pk}": f"user says {value}"}
        )


@pytest.fixture
def published(world):
    owner = world.actor(Role.PEER_WORKER)
    survey = new_survey(owner)
    questions = with_questions(owner, survey)
    services.publish_survey(owner, survey)
    return survey, questions


def _groups(result):
    return {g.group: g for g in result.groups}


# --- breakdown ------------------------------------------------------------------------------------------


def test_each_group_has_its_own_figures(world, published):
    survey, questions = published
    owner = world.actor(Role.PEER_WORKER)
    _service_users(owner, survey, questions, [5, 5, 4, 4])
    _staff(world, survey, questions, Role.PEER_WORKER, "peer_worker", [2, 2, 3])
    _staff(world, survey, questions, Role.PROFESSIONAL, "staff", [1, 1, 1])
    r = selectors.results(owner, survey.pk)
    assert [(g.group, g.count, g.level) for g in r.groups] == [
        ("service_user", 4, 0),
        ("all_staff", 6, 0),
        ("peer_worker", 3, 1),
        ("staff", 3, 1),
    ]
    scale, choice, text = r.questions
    figures = _groups(scale)
    assert figures["service_user"].mean == 4.5 and figures["service_user"].answered == 4
    assert figures["all_staff"].mean == pytest.approx(10 / 6)
    assert figures["peer_worker"].mean == pytest.approx(7 / 3)
    assert figures["staff"].mean == 1 and [b.count for b in figures["staff"].bars] == [3, 0, 0, 0, 0]
    assert [b.percent for b in _groups(choice)["service_user"].bars] == [0, 100, 0]
    assert sorted(_groups(text)["staff"].texts) == ["staff says 1"] * 3
    assert scale.mean == pytest.approx(28 / 10)


def test_a_group_under_the_threshold_is_withheld_with_the_next_smallest(world, published):
    survey, questions = published
    owner = world.actor(Role.PEER_WORKER)
    _service_users(owner, survey, questions, [5, 5, 4, 4, 3])
    _staff(world, survey, questions, Role.PEER_WORKER, "peer_worker", [2, 2, 3, 3])
    _staff(world, survey, questions, Role.PROFESSIONAL, "staff", [1] * (T - 1))
    r = selectors.results(owner, survey.pk)
    counts = {g.group: g.count for g in r.groups}
    # Other staff are too few; peer workers are withheld too, or all staff minus peer workers would tell.
    assert counts == {"service_user": 5, "all_staff": 4 + T - 1, "peer_worker": None, "staff": None}
    for q in r.questions:
        figures = _groups(q)
        assert figures["staff"].withheld and figures["peer_worker"].withheld
        assert not figures["all_staff"].withheld and not figures["service_user"].withheld
        for g in ("staff", "peer_worker"):
            assert figures[g].answered is None and not figures[g].bars and not figures[g].texts
            assert figures[g].mean is None
    page = world.client(Role.PEER_WORKER).get(reverse("coassessment:survey_results", args=[survey.pk]))
    assert "staff says 1" not in _details_of(page.content.decode(), "Other staff")


def _details_of(html, label):
    return "".join(part for part in html.split("<details>") if part.startswith(f"<summary>{label}"))


def test_complementary_suppression_between_staff_and_service_users(world, published):
    survey, questions = published
    owner = world.actor(Role.PEER_WORKER)
    _service_users(owner, survey, questions, [4] * (T - 1))
    _staff(world, survey, questions, Role.PEER_WORKER, "peer_worker", [3] * 5)
    _staff(world, survey, questions, Role.PROFESSIONAL, "staff", [2] * 6)
    r = selectors.results(owner, survey.pk)
    scale = _groups(r.questions[0])
    # Service users too few: all staff would give them away (total minus staff), and the parts of a withheld
    # whole add up to it, so every group is withheld while the overall figures stay.
    assert all(g.withheld for g in scale.values())
    assert not r.questions[0].withheld and r.questions[0].answered == T - 1 + 11
    assert {g.group: g.count for g in r.groups} == dict.fromkeys(["service_user", "all_staff", "peer_worker", "staff"])


def test_a_role_group_too_small_in_the_organisation_is_not_kept(world, published):
    survey, questions = published
    scale, choice, text = questions
    owner = world.actor(Role.PEER_WORKER)
    # Two peer workers in the organisation: "answered as a peer worker" could point to one of them.
    assert not services.role_group_kept(survey)
    services.answer_signed_in(
        world.actor(Role.SENIOR_PEER_WORKER), survey, group="peer_worker", answers={f"q{scale.pk}": "2"}
    )
    assert SurveyResponse.objects.get(survey=survey).group == "any_staff"
    _staff(world, survey, questions, Role.PEER_WORKER, "peer_worker", [3, 3, 3])
    _staff(world, survey, questions, Role.PROFESSIONAL, "staff", [4, 4, 4])
    _service_users(owner, survey, questions, [5, 5, 5])
    assert set(SurveyResponse.objects.filter(survey=survey).values_list("group", flat=True)) == {
        "any_staff",
        "peer_worker",
        "staff",
        "service_user",
    }
    r = selectors.results(owner, survey.pk)
    figures = _groups(r.questions[0])
    # The unkept answer counts in all staff, never in a shown part; one unkept answer would be given away by
    # all staff minus peer workers minus other staff, so the smallest part is withheld with it.
    assert figures["all_staff"].answered == 7 and figures["all_staff"].mean == pytest.approx(23 / 7)
    assert figures["peer_worker"].withheld and not figures["staff"].withheld
    assert figures["staff"].answered == 3


def test_the_suppression_rule_alone():
    assert selectors.complementary({"a": 1, "b": 4, "c": 9}, 3) == {"a", "b"}
    assert selectors.complementary({"a": 1, "b": 1, "c": 9}, 3) == {"a", "b", "c"}
    assert selectors.complementary({"a": 0, "b": 4, "c": 9}, 3) == {"a"}
    assert selectors.complementary({"a": 3, "b": 4}, 3) == set()
    assert selectors.complementary({"a": 2, "b": 2, "c": 5, "d": 8}, 3) == {"a", "b"}


def test_a_manager_is_still_refused(world, published):
    survey, _questions = published
    manager = world.actor(Role.MANAGER)
    with pytest.raises(ValidationError, match="Peer workers own"):
        services.run_again(manager, survey)
    with pytest.raises(Exception):  # noqa: B017,PT011 — not shared: not found
        selectors.results(manager, survey.pk)
    response = world.client(Role.MANAGER).post(reverse("coassessment:survey", args=[survey.pk]), {"do": "again"})
    assert response.status_code == 403
    assert not PeerSurvey.objects.filter(previous_round=survey).exists()


# --- rounds ---------------------------------------------------------------------------------------------


def test_run_again_copies_the_questions_and_links_the_rounds(world, published):
    survey, questions = published
    owner = world.actor(Role.SENIOR_PEER_WORKER)
    following = services.run_again(owner, survey)
    assert following.status == "draft" and following.previous_round == survey
    assert following.opens_on == services.a_year_later(survey.opens_on)
    copied = list(following.questions.order_by("position"))
    assert [(q.kind, q.text, q.low_label, q.high_label, q.options, q.copied_from) for q in copied] == [
        (q.kind, q.text, q.low_label, q.high_label, q.options, q) for q in questions
    ]
    with pytest.raises(ValidationError, match="run again already"):
        services.run_again(owner, survey)
    with pytest.raises(ValidationError, match="Publish this round"):
        services.run_again(owner, following)
    # The copy is a draft: its questions change without touching the first round's.
    services.remove_question(owner, copied[2])
    assert survey.questions.count() == 3
    assert [r.pk for r in selectors.rounds(following)] == [survey.pk, following.pk]


def test_run_again_through_the_page(world, published):
    survey, _questions = published
    client = world.client(Role.PEER_WORKER)
    page = client.get(reverse("coassessment:survey", args=[survey.pk])).content.decode()
    assert 'value="again"' in page
    response = client.post(reverse("coassessment:survey", args=[survey.pk]), {"do": "again"})
    following = PeerSurvey.objects.get(previous_round=survey)
    assert response.status_code == 302 and response["Location"].endswith(f"/surveys/{following.pk}/")
    page = client.get(reverse("coassessment:survey", args=[survey.pk])).content.decode()
    assert 'value="again"' not in page and f"Round of {following.opens_on.year}" in page


def _two_rounds(world, published):
    survey, questions = published
    owner = world.actor(Role.PEER_WORKER)
    _service_users(owner, survey, questions, [3, 3, 4, 4, 3])
    services.close_survey(owner, survey)
    following = services.run_again(owner, survey)
    services.update_survey(owner, following, opens_on=survey.opens_on, closes_on=survey.closes_on)
    services.publish_survey(owner, following)
    copied = tuple(following.questions.order_by("position"))
    _service_users(owner, following, copied, [4, 4, 4, 4, 4])
    return survey, following, copied


def test_the_later_round_shows_the_previous_figures(world, published):
    survey, following, _copied = _two_rounds(world, published)
    owner = world.actor(Role.PEER_WORKER)
    r = selectors.results(owner, following.pk)
    assert r.previous == survey and r.previous_responses == 5
    scale, choice, text = r.questions
    assert scale.previous.mean == pytest.approx(3.4) and scale.mean == 4
    assert [b.previous for b in choice.bars] == [0, 100, 0]
    assert text.previous is None
    page = world.client(Role.PEER_WORKER).get(reverse("coassessment:survey_results", args=[following.pk]))
    body = page.content.decode()
    assert "Last round: 3.4 of 5;" in body and "this round: 4.0 of 5." in body
    assert f"Round of {survey.opens_on.year}" in body


def test_the_previous_round_is_withheld_by_its_own_rule(world, published):
    survey, questions = published
    owner = world.actor(Role.PEER_WORKER)
    _service_users(owner, survey, questions, [3] * (T - 1))
    following = services.run_again(owner, survey)
    services.update_survey(owner, following, opens_on=survey.opens_on, closes_on=survey.closes_on)
    services.publish_survey(owner, following)
    _service_users(owner, following, tuple(following.questions.order_by("position")), [4] * T)
    r = selectors.results(owner, following.pk)
    assert r.previous_responses is None
    assert r.questions[0].previous.withheld and r.questions[0].previous.mean is None
    assert all(b.previous is None for b in r.questions[1].bars)
    body = world.client(Role.PEER_WORKER).get(reverse("coassessment:survey_results", args=[following.pk]))
    assert "Last round: not shown" in body.content.decode()


def test_a_manager_sees_the_previous_round_only_when_it_is_shared(world, published):
    survey, following, _copied = _two_rounds(world, published)
    owner = world.actor(Role.PEER_WORKER)
    services.share_results(owner, following)
    manager = world.actor(Role.MANAGER)
    assert selectors.results(manager, following.pk).previous is None
    services.share_results(owner, survey)
    assert selectors.results(manager, following.pk).questions[0].previous.mean == pytest.approx(3.4)


# --- CSV and API ----------------------------------------------------------------------------------------


def test_the_csv_carries_the_groups_and_the_previous_round(world, published):
    survey, following, copied = _two_rounds(world, published)
    owner = world.actor(Role.PEER_WORKER)
    _staff(world, following, copied, Role.PEER_WORKER, "peer_worker", [2, 2, 2])
    _staff(world, following, copied, Role.PROFESSIONAL, "staff", [1])
    body = world.client(Role.PEER_WORKER).get(reverse("coassessment:survey_export", args=[following.pk]))
    text = body.content.decode().replace("\r", "")
    assert "share in percent in the last round" in text
    # 5 service users at 4, 3 peer workers at 2 and one other at 1: 3.0 overall; 3.4 in the last round.
    assert "all groups,average (1 to 5),9,3.0,3.4," in text
    # Service users were shown in both rounds (3.4 then); all staff were withheld in the last round.
    assert "Service users,average (1 to 5),5,4.0,3.4," in text
    assert "All staff,average (1 to 5),4,1.8,,last round not shown for this group" in text
    assert ',Other staff,,,,,"withheld' in text and ',Peer workers,,,,,"withheld' in text
    assert "All staff,staff says 1" in text and "Other staff,staff says" not in text
    assert owner.organisation_id == following.organisation_id


def test_the_api_carries_the_groups_and_the_previous_round(world, published):
    survey, following, _copied = _two_rounds(world, published)
    _token, secret = account_services.create_api_token(
        actor_for(world.users[Role.PEER_WORKER], world.org), name="t", valid_days=1
    )
    api = Client(HTTP_AUTHORIZATION=f"Bearer {secret}")
    body = api.get(f"/api/coassessment/surveys/{following.pk}/results").json()
    assert body["previous_round_id"] == survey.pk and body["previous_round_responses"] == 5
    assert [r["id"] for r in body["rounds"]] == [survey.pk, following.pk]
    scale = body["questions"][0]
    assert scale["previous_round"]["mean"] == 3.4 and scale["mean"] == 4
    assert [b["previous_round_percent"] for b in body["questions"][1]["distribution"]] == [0, 100, 0]
    groups = {g["group"]: g for g in scale["groups"]}
    assert groups["service_user"]["answered"] == 5 and groups["service_user"]["mean"] == 4
    assert groups["all_staff"]["withheld"] and groups["all_staff"]["answered"] is None
    assert groups["service_user"]["previous_round"] == {"withheld": False, "answered": 5, "mean": 3.4}
    assert groups["all_staff"]["previous_round"] is None, "withheld here: nothing beside it"
    assert {g["group"]: g["part_of"] for g in body["groups"]}["peer_worker"] == "all_staff"


# --- group by group beside the last round -------------------------------------------------------------------


def _rounds_with_a_small_group(world, published):
    """Last round: other staff under the threshold (so peer workers are withheld with them); this round: every
    group shown."""
    survey, questions = published
    owner = world.actor(Role.PEER_WORKER)
    _service_users(owner, survey, questions, [3, 3, 4, 4, 3])
    _staff(world, survey, questions, Role.PEER_WORKER, "peer_worker", [2] * T)
    _staff(world, survey, questions, Role.PROFESSIONAL, "staff", [1] * (T - 1))
    services.close_survey(owner, survey)
    following = services.run_again(owner, survey)
    services.update_survey(owner, following, opens_on=survey.opens_on, closes_on=survey.closes_on)
    services.publish_survey(owner, following)
    copied = tuple(following.questions.order_by("position"))
    _service_users(owner, following, copied, [4] * 5)
    _staff(world, following, copied, Role.PEER_WORKER, "peer_worker", [3] * T)
    _staff(world, following, copied, Role.PROFESSIONAL, "staff", [1] * T)
    return survey, following


def test_each_group_is_set_beside_the_last_round_with_the_same_suppression(world, published):
    survey, following = _rounds_with_a_small_group(world, published)
    owner = world.actor(Role.PEER_WORKER)
    before = selectors.results(owner, survey.pk)
    assert {g.group: g.count for g in before.groups} == {
        "service_user": 5,
        "all_staff": 2 * T - 1,
        "peer_worker": None,
        "staff": None,
    }
    r = selectors.results(owner, following.pk)
    assert {g.group: (g.count, g.previous) for g in r.groups} == {
        "service_user": (5, 5),
        "all_staff": (2 * T, 2 * T - 1),
        "peer_worker": (T, None),
        "staff": (T, None),
    }
    scale, choice, _text = r.questions
    figures = _groups(scale)
    assert figures["service_user"].previous.mean == pytest.approx(3.4) and figures["service_user"].mean == 4
    assert figures["all_staff"].previous.mean == pytest.approx((2 * T + T - 1) / (2 * T - 1))
    for g in ("peer_worker", "staff"):
        # shown this round, withheld in the last: no comparison, not even the number who answered
        assert not figures[g].withheld and figures[g].previous.withheld
        assert figures[g].previous.answered is None and figures[g].previous.mean is None
        assert all(b.previous is None for b in figures[g].bars)
        assert all(b.previous is None for b in _groups(choice)[g].bars)
    assert [b.previous for b in _groups(choice)["all_staff"].bars] == [100, 0, 0]
    assert [b.previous for b in _groups(choice)["service_user"].bars] == [0, 100, 0]

    page = world.client(Role.PEER_WORKER).get(reverse("coassessment:survey_results", args=[following.pk]))
    html = page.content.decode()
    first_question = html.split('id="q2"')[0]
    rows = {
        label: row
        for row in first_question.split("<tr")
        for label in ("Service users", "All staff", "Peer workers, part of all staff", "Other staff, part of all staff")
        if f">{label}</th>" in row
    }
    assert "(last round: 3.4)" in rows["Service users"]
    for label in ("Peer workers, part of all staff", "Other staff, part of all staff"):
        assert "(last round:" not in rows[label] and "not shown" in rows[label]
    assert "(last round: 5)" in html  # service users' responses then

    csv = world.client(Role.PEER_WORKER).get(reverse("coassessment:survey_export", args=[following.pk]))
    text = csv.content.decode().replace("\r", "")
    assert "Service users,average (1 to 5),5,4.0,3.4," in text
    assert "Peer workers,average (1 to 5),3,3.0,,last round not shown for this group" in text
    assert "Other staff,average (1 to 5),3,1.0,,last round not shown for this group" in text

    _token, secret = account_services.create_api_token(owner, name="t", valid_days=1)
    body = Client(HTTP_AUTHORIZATION=f"Bearer {secret}").get(f"/api/coassessment/surveys/{following.pk}/results")
    data = body.json()
    assert {g["group"]: g["previous_round_responses"] for g in data["groups"]} == {
        "service_user": 5,
        "all_staff": 2 * T - 1,
        "peer_worker": None,
        "staff": None,
    }
    api_groups = {g["group"]: g for g in data["questions"][0]["groups"]}
    assert api_groups["service_user"]["previous_round"] == {"withheld": False, "answered": 5, "mean": 3.4}
    assert api_groups["peer_worker"]["previous_round"] == {"withheld": True, "answered": None, "mean": None}
    assert all(b["previous_round_percent"] is None for b in api_groups["staff"]["distribution"])


def test_a_group_withheld_this_round_is_not_set_beside_the_last(world, published):
    survey, questions = published
    owner = world.actor(Role.PEER_WORKER)
    _service_users(owner, survey, questions, [3] * 5)
    _staff(world, survey, questions, Role.PEER_WORKER, "peer_worker", [2] * T)
    _staff(world, survey, questions, Role.PROFESSIONAL, "staff", [1] * T)
    following = services.run_again(owner, survey)
    services.update_survey(owner, following, opens_on=survey.opens_on, closes_on=survey.closes_on)
    services.publish_survey(owner, following)
    copied = tuple(following.questions.order_by("position"))
    _service_users(owner, following, copied, [4] * 5)
    _staff(world, following, copied, Role.PEER_WORKER, "peer_worker", [3] * (T + 2))
    _staff(world, following, copied, Role.PROFESSIONAL, "staff", [1] * (T - 1))
    r = selectors.results(owner, following.pk)
    figures = _groups(r.questions[0])
    for g in ("peer_worker", "staff"):
        assert figures[g].withheld and figures[g].previous is None and not figures[g].bars
    assert {g.group: g.previous for g in r.groups}["peer_worker"] is None
    assert figures["all_staff"].previous.mean == pytest.approx(1.5)


# --- queries --------------------------------------------------------------------------------------------


def test_the_results_page_costs_the_same_queries_as_answers_grow(world, published, django_assert_max_num_queries):
    survey, following, copied = _two_rounds(world, published)
    owner = world.actor(Role.PEER_WORKER)
    client = world.client(Role.PEER_WORKER)
    url = reverse("coassessment:survey_results", args=[following.pk])
    client.get(url)
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as few:
        assert client.get(url).status_code == 200
    _service_users(owner, following, copied, [1, 2, 3, 4, 5] * 6)
    _staff(world, following, copied, Role.PEER_WORKER, "peer_worker", [2, 3, 4, 5])
    _staff(world, following, copied, Role.PROFESSIONAL, "staff", [1, 2, 3])
    with django_assert_max_num_queries(len(few.captured_queries)):
        assert client.get(url).status_code == 200
    with django_assert_max_num_queries(len(few.captured_queries)):
        assert client.get(reverse("coassessment:survey_export", args=[following.pk])).status_code == 200


# --- demo -----------------------------------------------------------------------------------------------


@pytest.mark.django_db
def test_the_demo_has_two_rounds_with_a_breakdown_in_each_organisation():
    seed_demo()
    for slug in (NO_SLUG, DK_SLUG):
        current = PeerSurvey.objects.get(organisation__slug=slug, previous_round__isnull=False)
        earlier = current.previous_round
        assert earlier.status == "closed" and earlier.opens_on.year < current.opens_on.year
        assert current.status == "published" and current.results_shared and earlier.results_shared
        owner = Membership.objects.filter(organisation=current.organisation, role=Role.PEER_WORKER).first().user
        r = selectors.results(actor_for(owner, current.organisation), current.pk)
        scale = r.questions[0]
        assert scale.previous is not None and not scale.previous.withheld and scale.mean is not None
        shown = [g for g in scale.groups if not g.withheld and g.answered >= T]
        assert shown and any(g.withheld for g in scale.groups)
        assert all(q.question.kind != SurveyQuestion.Kind.TEXT or q.previous is None for q in r.questions)

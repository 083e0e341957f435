"""Goals stay the person's: the wording can be corrected with the earlier wording kept, each rating can carry
what the person said, and "achieved" or "set aside" is asked once more before it happens."""

from __future__ import annotations

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.test import Client

from peerwork.accounts import services as account_services
from peerwork.audit.details import Detail
from peerwork.audit.models import AuditEntry
from peerwork.core.roles import Role
from peerwork.service import services
from peerwork.service.models import Goal, GoalRating, GoalRevision

from .conftest import engage, new_referral


@pytest.fixture
def goal(svc):
    engagement = engage(svc, new_referral(svc), svc.users[Role.PEER_WORKER])
    return services.goals.add_goal(
        svc.actor(Role.PEER_WORKER),
        engagement_id=engagement.pk,
        life_area="housing",
        words="A flat of my own with a balcany",
        visibility="coordinator",
    )


def test_correcting_the_wording_keeps_the_earlier_one(svc, goal):
    actor = svc.actor(Role.PEER_WORKER)
    services.goals.revise_goal(actor, goal_id=goal.pk, words="A flat of my own with a balcony")
    services.goals.revise_goal(actor, goal_id=goal.pk, words="My own flat, with a balcony")
    goal.refresh_from_db()
    assert goal.words == "My own flat, with a balcony"
    assert list(goal.revisions.values_list("words", flat=True)) == [
        "A flat of my own with a balcany",
        "A flat of my own with a balcony",
    ]
    entry = AuditEntry.objects.filter(object_type="service.goal", object_id=str(goal.pk), action="update").last()
    assert entry.detail == Detail("goal_words").stored and entry.subject_id == str(goal.service_user_id)


@pytest.mark.parametrize("words", ["", "   ", "A flat of my own with a balcany", "x" * 10_001])
def test_bad_wording_is_refused_and_nothing_is_saved(svc, goal, words):
    with pytest.raises(ValidationError) as caught:
        services.goals.revise_goal(svc.actor(Role.PEER_WORKER), goal_id=goal.pk, words=words)
    assert "words" in caught.value.message_dict
    assert not GoalRevision.objects.exists()
    goal.refresh_from_db()
    assert goal.words == "A flat of my own with a balcany"


def test_only_the_persons_peer_worker_corrects_the_wording(svc, goal):
    with pytest.raises(PermissionDenied):
        services.goals.revise_goal(svc.actor(Role.COORDINATOR), goal_id=goal.pk, words="Changed by someone else")
    assert not GoalRevision.objects.exists()


def test_the_goal_page_shows_history_and_corrects_by_form(svc, goal):
    client = svc.client(Role.PEER_WORKER)
    response = client.post(f"/service/goals/{goal.pk}/", {"words": "My own flat"})
    assert response.status_code == 302
    body = client.get(f"/service/goals/{goal.pk}/").content.decode()
    assert "My own flat" in body and "balcany" in body, "the earlier wording is shown with the goal"
    empty = client.post(f"/service/goals/{goal.pk}/", {"words": " "}).content.decode()
    assert "There is a problem" in empty
    # A coordinator reads the history but the form is not theirs; posting is refused.
    coordinator = svc.client(Role.COORDINATOR)
    body = coordinator.get(f"/service/goals/{goal.pk}/").content.decode()
    assert "balcany" in body and "Save the corrected wording" not in body
    assert coordinator.post(f"/service/goals/{goal.pk}/", {"words": "Theirs"}).status_code == 403


def test_a_rating_carries_the_persons_comment(svc, goal):
    client = svc.client(Role.PEER_WORKER)
    response = client.post(
        f"/service/goals/{goal.pk}/rate/", {f"g{goal.pk}-rating": "4", f"g{goal.pk}-comment": "=Getting there"}
    )
    assert response.status_code == 302
    rating = GoalRating.objects.get(goal=goal)
    assert rating.rating == 4 and rating.comment == "=Getting there"
    assert "=Getting there" in client.get(f"/service/goals/{goal.pk}/").content.decode()
    engagement_page = client.get(f"/service/engagements/{goal.engagement_id}/").content.decode()
    assert "=Getting there" in engagement_page


def test_a_too_long_comment_is_refused_with_the_rating_unsaved(svc, goal):
    with pytest.raises(ValidationError) as caught:
        services.goals.rate_goal(svc.actor(Role.PEER_WORKER), goal_id=goal.pk, rating=5, comment="x" * 10_001)
    assert "comment" in caught.value.message_dict
    assert not GoalRating.objects.exists()


def test_achieved_is_asked_before_it_happens(svc, goal):
    client = svc.client(Role.PEER_WORKER)
    engagement_page = client.get(f"/service/engagements/{goal.engagement_id}/").content.decode()
    assert f"/service/goals/{goal.pk}/finish/confirm/?achieved=1" in engagement_page
    # A bare post (an old page, a stray tap) only leads to the question.
    response = client.post(f"/service/goals/{goal.pk}/finish/", {"achieved": "1"})
    assert response.status_code == 302 and "/finish/confirm/?achieved=1" in response["Location"]
    goal.refresh_from_db()
    assert goal.achieved_on is None
    question = client.get(f"/service/goals/{goal.pk}/finish/confirm/?achieved=1").content.decode()
    assert "Mark the goal as achieved?" in question and "No, go back" in question
    response = client.post(f"/service/goals/{goal.pk}/finish/", {"achieved": "1", "confirmed": "1"})
    assert response.status_code == 302
    goal.refresh_from_db()
    assert goal.achieved_on is not None and goal.closed_on is None


def test_set_aside_is_asked_too_and_others_are_not_asked(svc, goal):
    client = svc.client(Role.PEER_WORKER)
    assert "Set the goal aside?" in client.get(f"/service/goals/{goal.pk}/finish/confirm/?achieved=0").content.decode()
    client.post(f"/service/goals/{goal.pk}/finish/", {"achieved": "0", "confirmed": "1"})
    assert Goal.objects.get(pk=goal.pk).closed_on is not None
    assert svc.client(Role.COORDINATOR).get(f"/service/goals/{goal.pk}/finish/confirm/?achieved=1").status_code == 403


def test_another_organisation_cannot_open_the_goal(svc, other_world, goal):
    client = other_world.client(Role.COORDINATOR)
    assert client.get(f"/service/goals/{goal.pk}/").status_code == 403
    assert client.get("/service/goals/999999/").status_code == 403


def test_api_corrects_wording_and_takes_comments(svc, goal):
    actor = svc.actor(Role.PEER_WORKER)
    _t, secret = account_services.create_api_token(actor, name="integration", valid_days=30)
    auth = {"HTTP_AUTHORIZATION": f"Bearer {secret}"}
    api = Client()
    bad = api.patch(f"/api/service/goals/{goal.pk}", {"words": ""}, content_type="application/json", **auth)
    assert bad.status_code == 422
    same = api.patch(f"/api/service/goals/{goal.pk}", {"words": goal.words}, content_type="application/json", **auth)
    assert same.status_code in (400, 422) and not GoalRevision.objects.exists()
    done = api.patch(f"/api/service/goals/{goal.pk}", {"words": "My own flat"}, content_type="application/json", **auth)
    assert done.status_code == 200
    assert done.json()["words"] == "My own flat"
    assert [r["words"] for r in done.json()["revisions"]] == ["A flat of my own with a balcany"]
    rated = api.post(
        f"/api/service/goals/{goal.pk}/ratings",
        {"rating": 7, "comment": "Better week"},
        content_type="application/json",
        **auth,
    )
    assert rated.status_code == 201 and rated.json()["comment"] == "Better week"

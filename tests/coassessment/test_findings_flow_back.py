"""Findings go back to the service after the co-assessment is finished (the analysis itself is closed then), and
"you said, we did" is in the menu of every role that may open it."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from peerwork.accounts import services as account_services
from peerwork.audit import matrix
from peerwork.coassessment import analysis, analysis_selectors, services
from peerwork.coassessment.models import CoAssessment, Feedback, Theme
from peerwork.cocreation import services as cocreation_services
from peerwork.core.navigation import navigation_for
from peerwork.core.roles import Role
from peerwork.readiness.models import ActionItem
from tests.conftest import actor_for

from .test_analysis import _under_way

pytestmark = pytest.mark.django_db


def _finished_with_a_finding(world):
    ca, _group, participants, _material, _segs = _under_way(world, CoAssessment.Method.CONDENSATION)
    manager = world.actor(Role.MANAGER)
    cg = analysis.add_theme(manager, ca, kind=Theme.Kind.CODE_GROUP, name="Guidance from the start")
    analysis.write_synthesis(manager, cg, text="The peer workers wanted guidance from the start.")
    ca.status = CoAssessment.Status.FINISHED
    ca.save(update_fields=["status"])
    cg.refresh_from_db()
    return ca, cg, participants


def test_findings_go_back_after_the_end_but_the_analysis_stays_closed(world):
    ca, cg, participants = _finished_with_a_finding(world)
    manager = world.actor(Role.MANAGER)
    due = timezone.localdate() + timedelta(days=30)
    action = analysis.finding_to_action(manager, cg, owner_id=manager.user.pk, due_on=due).action
    assert ActionItem.objects.get(pk=action.pk).title == "Guidance from the start"
    item = analysis.you_said_we_did(
        manager, cg, you_said="Guidance came too late.", we_did="New peer workers get guidance in week one."
    )
    assert analysis_selectors.you_said(actor_for(participants[0].consent.staff_member, world.org)) == [item]
    # The analysis edits stay closed once finished.
    with pytest.raises(ValidationError, match="analysed or checked"):
        analysis.write_synthesis(manager, cg, text="Changed afterwards.")
    with pytest.raises(ValidationError, match="analysed or checked"):
        analysis.add_theme(manager, ca, kind=Theme.Kind.CODE_GROUP, name="Another")
    # Still the team only, and still a finding only.
    with pytest.raises(PermissionDenied):
        analysis.you_said_we_did(world.actor(Role.COORDINATOR), cg, you_said="a", we_did="b")
    other = Theme.objects.create(
        organisation=world.org, coassessment=ca, kind=Theme.Kind.CODE_GROUP, name="No synthesis"
    )
    with pytest.raises(ValidationError, match="Only a finding"):
        analysis.you_said_we_did(manager, other, you_said="a", we_did="b")


def test_the_findings_page_offers_the_way_back_after_the_end(world):
    ca, cg, _participants = _finished_with_a_finding(world)
    client = world.client(Role.MANAGER)
    url = reverse("coassessment:analysis_findings", args=[ca.pk])
    page = client.get(url).content.decode()
    assert "Tell those who took part" in page and "Add to the readiness action plan" in page
    assert "Send for comment" not in page, "the member check is over"
    response = client.post(
        url,
        {
            "do": "yousaid",
            "on": str(cg.pk),
            f"yousaid{cg.pk}-you_said": "Guidance came too late.",
            f"yousaid{cg.pk}-we_did": "Guidance now starts in week one.",
        },
    )
    assert response.status_code == 302
    assert Feedback.objects.get(theme=cg).we_did == "Guidance now starts in week one."


@pytest.mark.parametrize(
    "role", [r for r in Role.values if matrix.by_name()["coassessment:you_said"].level(r) != matrix.NONE]
)
def test_you_said_we_did_is_in_the_menu_of_each_role_that_may_open_it(role):
    class _Roles:
        roles = frozenset({role})

    urls = [
        link["url"]
        for entry in navigation_for(_Roles(), "/")  # type: ignore[arg-type]
        for link in entry.get("links", [entry])
    ]
    assert reverse("coassessment:you_said") in urls


# --- each role is offered exactly the findings actions it may send ------------------------------------------

RUNNING_ROLES = (Role.MANAGER, Role.COORDINATOR, Role.PEER_WORKER, Role.SENIOR_PEER_WORKER, Role.PROFESSIONAL)
# From the permission matrix: the readiness action plan is kept by managers and coordinators, contributions to
# an initiative come from them and from peer workers; every team member tells those who took part.
MAY_SEND = {
    Role.MANAGER: {"action", "contribution", "yousaid"},
    Role.COORDINATOR: {"action", "contribution", "yousaid"},
    Role.PEER_WORKER: {"contribution", "yousaid"},
    Role.SENIOR_PEER_WORKER: {"contribution", "yousaid"},
    Role.PROFESSIONAL: {"yousaid"},
}
FORM = re.compile(r'<input type="hidden" name="do" value="(\w+)"><input type="hidden" name="on" value="(\d+)">')


@pytest.fixture
def whole_team_finding(world):
    ca, _group, _participants, _material, _segs = _under_way(world, CoAssessment.Method.CONDENSATION)
    manager = world.actor(Role.MANAGER)
    for role in (Role.COORDINATOR, Role.SENIOR_PEER_WORKER, Role.PROFESSIONAL):
        services.add_team_member(manager, ca, person=world.users[role], role="coder")
    initiative = cocreation_services.create_initiative(
        manager, title="Better guidance", problem_statement="Guidance comes late."
    )
    ca.phase = initiative.phases.get(kind="assessment")
    ca.save(update_fields=["phase"])
    cg = analysis.add_theme(manager, ca, kind=Theme.Kind.CODE_GROUP, name="Guidance from the start")
    analysis.write_synthesis(manager, cg, text="The peer workers wanted guidance from the start.")
    ca.status = CoAssessment.Status.FINISHED
    ca.save(update_fields=["status"])
    return ca, cg


def _filled(world, do, on):
    due = (timezone.localdate() + timedelta(days=30)).isoformat()
    return {
        "action": {f"action{on}-owner_id": str(world.users[Role.MANAGER].pk), f"action{on}-due_on": due},
        "contribution": {},
        "yousaid": {
            f"yousaid{on}-you_said": "Guidance came too late.",
            f"yousaid{on}-we_did": "It starts in week one.",
        },
    }[do]


@pytest.mark.parametrize("role", RUNNING_ROLES)
def test_each_role_sees_exactly_the_findings_actions_it_may_send(
    world, whole_team_finding, role, django_assert_max_num_queries
):
    ca, cg = whole_team_finding
    client = world.client(role)
    url = reverse("coassessment:analysis_findings", args=[ca.pk])
    with django_assert_max_num_queries(60):
        page = client.get(url).content.decode()
    offered = FORM.findall(page)
    assert {do for do, _on in offered} == MAY_SEND[role]
    assert ("Add to the readiness action plan" in page) == (role in (Role.MANAGER, Role.COORDINATOR))
    if role not in (Role.MANAGER, Role.COORDINATOR):
        assert "Managers and programme coordinators add findings to the readiness action plan" in page
    for do, on in offered:
        response = client.post(url, {"do": do, "on": on, **_filled(world, do, on)})
        assert response.status_code == 302, (role, do, response.status_code)
    assert set(Feedback.objects.filter(theme=cg).values_list("kind", flat=True)) == {
        {"action": Feedback.Kind.ACTION, "contribution": Feedback.Kind.CONTRIBUTION, "yousaid": Feedback.Kind.YOU_SAID}[
            d
        ]
        for d in MAY_SEND[role]
    }


@pytest.mark.parametrize("role", [Role.PEER_WORKER, Role.SENIOR_PEER_WORKER, Role.PROFESSIONAL])
def test_a_finding_into_the_action_plan_is_refused_to_those_the_matrix_leaves_out(world, whole_team_finding, role):
    _ca, cg = whole_team_finding
    assert matrix.by_name()["api:coassessment_finding_action"].level(role) == matrix.NONE
    due = timezone.localdate() + timedelta(days=30)
    with pytest.raises(PermissionDenied):
        analysis.finding_to_action(world.actor(role), cg, owner_id=world.users[Role.MANAGER].pk, due_on=due)
    _token, secret = account_services.create_api_token(world.actor(role), name="test", valid_days=1)
    response = Client(HTTP_AUTHORIZATION=f"Bearer {secret}").post(
        f"/api/coassessment/analysis/themes/{cg.pk}/action",
        {"owner_id": world.users[Role.MANAGER].pk, "due_on": due.isoformat()},
        content_type="application/json",
    )
    assert response.status_code == 403

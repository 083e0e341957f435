"""Findings go back to the service after the co-assessment is finished (the analysis itself is closed then), and
"you said, we did" is in the menu of every role that may open it."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse
from django.utils import timezone

from peerwork.audit import matrix
from peerwork.coassessment import analysis, analysis_selectors
from peerwork.coassessment.models import CoAssessment, Feedback, Theme
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

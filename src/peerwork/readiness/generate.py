"""Scale data for readiness (benchmarks only): a year of readiness work per organisation. Two rounds (one
closed a year ago, one closed this quarter) with invitations to the staff and anonymous answers from most of
them, a reviewed risk register for each team and an action plan. Bulk inserts."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from django.db import transaction
from django.utils import timezone

from peerwork.accounts.models import Membership
from peerwork.core.roles import Role

from .attention import POINTS
from .demo import _answers
from .models import ActionItem, Group, Invitation, Response, Risk, Round

BATCH = 5000
GROUP_OF = {
    Role.MANAGER: Group.MANAGER,
    Role.PROFESSIONAL: Group.PROFESSIONAL,
    Role.COORDINATOR: Group.PROFESSIONAL,
    Role.PEER_WORKER: Group.PEER_WORKER,
    Role.SENIOR_PEER_WORKER: Group.PEER_WORKER,
}


@transaction.atomic
def from_generated(g: Any) -> None:
    """The ``scale_data`` hook."""
    rng = g.rng
    today = timezone.localdate()
    for org in g.organisations:
        managers = g.managers_by_org.get(org.pk, [])
        if not managers:
            continue
        staff = list(
            Membership.objects.filter(organisation=org, role__in=list(GROUP_OF)).values_list("user_id", "role")
        )
        rounds = Round.objects.bulk_create(
            [
                Round(
                    organisation=org,
                    title=title,
                    opens_on=today - timedelta(days=days),
                    closes_on=today - timedelta(days=days - 21),
                    status=Round.Status.CLOSED,
                    created_by=managers[0],
                )
                for title, days in (("Readiness a year ago", 380), ("Readiness this quarter", 40))
            ]
        )
        invitations, responses = [], []
        for rnd, shift in zip(rounds, (-0.3, 0.1), strict=True):
            for user_id, role in staff:
                group = GROUP_OF[Role(role)]
                answered = rng.random() < 0.75
                invitations.append(
                    Invitation(organisation=org, round=rnd, group=group, user_id=user_id, completed=answered)
                )
                if answered:
                    # Anonymous: linked to neither the invitation nor the person.
                    responses.append(
                        Response(
                            organisation=org,
                            round=rnd,
                            group=group,
                            status=Response.Status.SUBMITTED,
                            anonymous=True,
                            answers=_answers(rng, group, shift),
                            submitted_on=rnd.opens_on + timedelta(days=rng.randint(0, 20)),
                        )
                    )
            for _i in range(3):  # service-user representatives, by single-use link
                invitations.append(
                    Invitation(
                        organisation=org,
                        round=rnd,
                        group=Group.SERVICE_USER_REP,
                        token_hash=Invitation.hash_token(Invitation.new_token()),
                        completed=True,
                    )
                )
                responses.append(
                    Response(
                        organisation=org,
                        round=rnd,
                        group=Group.SERVICE_USER_REP,
                        status=Response.Status.SUBMITTED,
                        anonymous=True,
                        answers=_answers(rng, Group.SERVICE_USER_REP, shift),
                        submitted_on=rnd.opens_on + timedelta(days=rng.randint(0, 20)),
                    )
                )
        Invitation.objects.bulk_create(invitations, batch_size=BATCH)
        Response.objects.bulk_create(responses, batch_size=BATCH)
        risks = Risk.objects.bulk_create(
            [
                Risk(
                    organisation=org,
                    unit=unit,
                    code=point.code,
                    status=rng.choice(Risk.Status.values),
                    notes="",
                    review_on=today + timedelta(days=rng.randint(10, 180)),
                    updated_by=managers[0],
                )
                for unit in g.units_by_org.get(org.pk, [])
                for point in POINTS
                if rng.random() < 0.5
            ],
            batch_size=BATCH,
        )
        owners = [u.pk for u in managers + g.coordinators_by_org.get(org.pk, [])]
        ActionItem.objects.bulk_create(
            [
                ActionItem(
                    organisation=org,
                    title="Follow up a point of attention",
                    owner_id=rng.choice(owners),
                    due_on=today + timedelta(days=rng.randint(-60, 120)),
                    status=status,
                    source=ActionItem.Source.RISK,
                    risk=risk,
                    unit_id=risk.unit_id,
                    round=rounds[-1],
                    created_by=managers[0],
                    done_on=today - timedelta(days=rng.randint(1, 60)) if status == ActionItem.Status.DONE else None,
                )
                for risk in risks
                for status in [rng.choice(ActionItem.Status.values)]
                if risk.status == Risk.Status.ACTION_NEEDED
            ],
            batch_size=BATCH,
        )

"""What the peer recovery service adds to each role's home page (kept to a few queries)."""

from __future__ import annotations

from typing import Any

from django.db.models import Count, Max, Window
from django.utils import timezone

from peerwork.audit.details import Detail
from peerwork.audit.trail import Action, record_many
from peerwork.core.actor import Actor
from peerwork.core.home import section
from peerwork.core.roles import Role

from . import availability, selectors
from .models import Engagement, PeerWorkerProfile


@section(Role.COORDINATOR)
def coordinator(actor: Actor) -> dict[str, Any]:
    # One query for the five longest waiting and, on each row, the total waiting (a window count).
    waiting = list(selectors.open_referrals(actor).annotate(total=Window(Count("id")))[:5])
    record_many(actor, Action.READ, [(r, r.service_user) for r in waiting], detail=Detail("shown", page="home"))
    due = selectors.due_engagements(actor).count()  # the dashboard's own figure, same scope
    return {
        "service_home_template": "service/home_coordinator.html",
        "service": {
            "waiting": waiting,
            "total": waiting[0].total if waiting else 0,
            "due": due,
        },
    }


@section(Role.PEER_WORKER)
def peer_worker(actor: Actor) -> dict[str, Any]:
    active = list(
        Engagement.objects.filter(organisation_id=actor.organisation_id, peer_worker=actor.user, closed_on__isnull=True)
        .select_related("service_user")
        .annotate(last_contact=Max("contacts__date"))
        .order_by("service_user__chosen_name", "id")
    )
    record_many(actor, Action.READ, [(e, e.service_user) for e in active], detail=Detail("shown", page="home"))
    profile = PeerWorkerProfile.objects.filter(organisation_id=actor.organisation_id, user=actor.user).first()
    profile = profile or PeerWorkerProfile(organisation_id=actor.organisation_id, user=actor.user, on_hold=True)
    return {
        "service_pw_home_template": "service/home_peer_worker.html",
        "service_pw": {
            "engagements": active,
            "topics": selectors.own_topics(actor),
            "next_guidance": next(iter(selectors.next_sessions(actor)), None),
            "availability": availability.status_text(profile, timezone.localdate()),
            "pending_answers": selectors.pending_answers(actor),
        },
    }


@section(Role.SENIOR_PEER_WORKER)
def senior(actor: Actor) -> dict[str, Any]:
    """The peer workers the senior peer worker guides, by the guidance relationships a coordinator set (the
    same list as their guidance page), and which of them are due guidance."""
    rows = selectors.guidance_due(actor)
    due = [r for r in rows if any(t.code in ("guidance_overdue", "guidance_next_passed") for t in r.topics)]
    return {
        "service_senior_home_template": "service/home_senior_peer_worker.html",
        "service_senior": {"rows": rows, "due": due, "due_ids": {r.user.pk for r in due}},
    }

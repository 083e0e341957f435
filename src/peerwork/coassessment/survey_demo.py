"""A demo peer-led survey in each demo organisation (generated answers; nothing real): last year's round, closed,
and this year's, open, both with their results shared, so peer workers and managers see the comparison between
the rounds and the breakdown by group at first sign-in. Registered through the ``demo_data`` hook."""

from __future__ import annotations

import random
from datetime import timedelta
from typing import Any

from django.utils import timezone

from peerwork.accounts.models import Membership
from peerwork.core.actor import Actor
from peerwork.core.roles import Role
from peerwork.organisations.models import Organisation

from . import survey_services as services
from .survey_models import PeerSurvey, SurveyQuestion, SurveyResponse

Kind = SurveyQuestion.Kind

TEXTS = {
    "nb": {
        "title": "Erfaringskonsulentundersøkelsen",
        "purpose": "Vi erfaringskonsulenter vil vite hvordan rollen vår fungerer, for å ta det opp med ledelsen.",
        "questions": [
            (Kind.SCALE, "Hvor godt brukes erfaringskompetansen i teamet?", "Ikke i det hele tatt", "Svært godt", ""),
            (
                Kind.CHOICE,
                "Hvor ofte er erfaringskonsulenten med i møter om tjenesten?",
                "",
                "",
                "Aldri\nNoen ganger\nOfte",
            ),
            (Kind.TEXT, "Hva bør bli bedre?", "", "", ""),
        ],
        "words": ["Mer tid til samtaler.", "Faste møter med ledelsen.", "Bedre veiledning.", "Flere kolleger."],
    },
    "da": {
        "title": "Peer-medarbejdernes undersøgelse",
        "purpose": "Vi peer-medarbejdere vil vide, hvordan vores rolle fungerer, så vi kan tage det op med ledelsen.",
        "questions": [
            (Kind.SCALE, "Hvor godt bruges erfaringsviden i teamet?", "Slet ikke", "Meget godt", ""),
            (
                Kind.CHOICE,
                "Hvor ofte er peer-medarbejderen med til møder om tilbuddet?",
                "",
                "",
                "Aldrig\nNogle gange\nOfte",
            ),
            (Kind.TEXT, "Hvad bør blive bedre?", "", "", ""),
        ],
        "words": ["Mere tid til samtaler.", "Faste møder med ledelsen.", "Bedre supervision.", "Flere kolleger."],
    },
}


def _actors(org: Organisation) -> list[Actor]:
    memberships = list(
        Membership.objects.filter(organisation=org).select_related("organisation", "user").order_by("user__username")
    )
    out = []
    for user in dict.fromkeys(m.user for m in memberships):
        actor = Actor.from_memberships(user, [m for m in memberships if m.user == user], org.pk, via="demo")
        if actor is not None:
            out.append(actor)
    return out


def _answer_round(
    survey: PeerSurvey,
    owner: Actor,
    people: list[Actor],
    texts: dict[str, Any],
    rng: random.Random,
    *,
    scale: list[int],
    other_staff: int | None,
    service_users: int,
) -> None:
    """Everyone but the owner, the administrator and the data protection officer answers (only the first
    ``other_staff`` of the staff who are not peer workers, when given), and ``service_users`` through links."""
    questions = list(survey.questions.order_by("position"))

    def answers() -> dict[str, str]:
        out = {f"q{questions[0].pk}": str(rng.choice(scale)), f"q{questions[1].pk}": str(rng.randint(1, 3))}
        if rng.random() < 0.7:
            out[f"q{questions[2].pk}"] = rng.choice(texts["words"])
        return out

    others = 0
    for actor in people:
        groups = services.groups_for(actor, survey)
        if not groups or actor is owner or actor.has(Role.ADMINISTRATOR, Role.DPO):
            continue
        if groups[0] == SurveyResponse.Group.STAFF:
            others += 1
            if other_staff is not None and others > other_staff:
                continue
        services.answer_signed_in(actor, survey, group=groups[0], answers=answers())
    for token in services.make_links(owner, survey, count=service_users + 3)[:service_users]:
        services.answer_with_link(token, answers=answers())


def _seed(org: Organisation, texts: dict[str, Any], rng: random.Random) -> None:
    """Last year's round, closed, and this year's, run again from it and open, both with their results shared:
    this year's results show last year's figures beside them, and a breakdown where service users and staff
    are shown and the two groups of staff are withheld (only two staff who are not peer workers answered)."""
    people = _actors(org)
    owner = next((a for a in people if a.has(Role.PEER_WORKER)), None)
    if owner is None:
        return
    today = timezone.localdate()
    last_year = services.create_survey(
        owner,
        title=texts["title"],
        purpose=texts["purpose"],
        for_service_users=True,
        for_peer_workers=True,
        for_staff=True,
        opens_on=today - timedelta(days=14),
        closes_on=today + timedelta(days=30),
    )
    for kind, text, low, high, options in texts["questions"]:
        services.add_question(owner, last_year, kind=kind, text=text, low_label=low, high_label=high, options=options)
    services.publish_survey(owner, last_year)
    _answer_round(last_year, owner, people, texts, rng, scale=[1, 2, 2, 3, 3, 4], other_staff=None, service_users=5)
    services.close_survey(owner, last_year)
    services.share_results(owner, last_year)
    # The demo's history: the first round took place a year ago (answering is only open within its dates).
    PeerSurvey.objects.filter(pk=last_year.pk).update(
        opens_on=services.a_year_earlier(last_year.opens_on), closes_on=services.a_year_earlier(last_year.closes_on)
    )
    last_year.refresh_from_db()
    survey = services.run_again(owner, last_year)
    services.publish_survey(owner, survey)
    _answer_round(survey, owner, people, texts, rng, scale=[2, 3, 3, 4, 4, 5], other_staff=2, service_users=6)
    services.share_results(owner, survey)


def seed_surveys(no: Organisation, dk: Organisation, rng: random.Random) -> None:
    if PeerSurvey.objects.filter(organisation__in=[no, dk]).exists():
        return
    _seed(no, TEXTS["nb"], rng)
    _seed(dk, TEXTS["da"], rng)

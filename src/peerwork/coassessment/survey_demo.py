"""A demo peer-led survey in each demo organisation (generated answers; nothing real), published with its results
shared, so peer workers and managers see it at first sign-in. Registered through the ``demo_data`` hook."""

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
from .survey_models import PeerSurvey, SurveyQuestion

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


def _seed(org: Organisation, texts: dict[str, Any], rng: random.Random) -> None:
    people = _actors(org)
    owner = next((a for a in people if a.has(Role.PEER_WORKER)), None)
    if owner is None:
        return
    today = timezone.localdate()
    survey = services.create_survey(
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
        services.add_question(owner, survey, kind=kind, text=text, low_label=low, high_label=high, options=options)
    services.publish_survey(owner, survey)
    questions = list(survey.questions.order_by("position"))

    def answers() -> dict[str, str]:
        out = {
            f"q{questions[0].pk}": str(rng.choice([2, 3, 3, 4, 4, 5])),
            f"q{questions[1].pk}": str(rng.randint(1, 3)),
        }
        if rng.random() < 0.7:
            out[f"q{questions[2].pk}"] = rng.choice(texts["words"])
        return out

    for actor in people:
        groups = services.groups_for(actor, survey)
        if groups and actor is not owner and not actor.has(Role.ADMINISTRATOR, Role.DPO):
            services.answer_signed_in(actor, survey, group=groups[0], answers=answers())
    for token in services.make_links(owner, survey, count=8)[:5]:
        services.answer_with_link(token, answers=answers())
    services.share_results(owner, survey)


def seed_surveys(no: Organisation, dk: Organisation, rng: random.Random) -> None:
    if PeerSurvey.objects.filter(organisation__in=[no, dk]).exists():
        return
    _seed(no, TEXTS["nb"], rng)
    _seed(dk, TEXTS["da"], rng)

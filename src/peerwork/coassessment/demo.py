"""Demo co-assessments (generated text; nothing real). Registered through the ``demo_data`` hook.

Norway: a finished co-assessment of peer workers' experience of guidance, analysed by systematic text
condensation with Ola as the peer co-researcher; five peer workers took part in one focus group; two code
groups with their condensates, syntheses and quotes.
Denmark: a focus group of professionals on the peer role, under way, analysed by thematic analysis with two
coders who code blind (the coordinator and a peer worker as co-researcher).
"""

from __future__ import annotations

import random
from datetime import timedelta

from django.utils import timezone

from peerwork.accounts.models import Membership, User
from peerwork.core.actor import Actor
from peerwork.organisations.models import Organisation

from . import analysis, services
from .models import CoAssessment, Segment

NO_LINES = [
    ("P1", "Veiledningen hjalp meg å sette grenser når telefonen ringte sent på kvelden."),
    ("P2", "Jeg fikk veiledning for sent. De første månedene sto jeg alene med det vanskeligste."),
    ("P3", "Det var godt å kunne bruke min egen erfaring uten å måtte forklare den hver gang."),
    ("P4", "I gruppeveiledningen lærte jeg mest av de andre erfaringskonsulentene."),
    ("P5", "Jeg savnet en veileder som selv kjente til rus og psykisk helse fra innsiden."),
    ("P1", "Når veilederen spurte hvordan jeg hadde det, ble det lettere å si fra i tide."),
    ("P2", "Veiledning burde starte første uke, ikke etter tre måneder."),
]
DK_LINES = [
    ("P1", "Vi vidste ikke rigtig, hvad peer-medarbejderen skulle lave, da hun startede."),
    ("P2", "Hun fik kontakt med borgere, som vi ikke selv kunne nå."),
    ("P3", "Jeg var bekymret for, om hun kunne holde til det, men det var min egen antagelse."),
    ("P4", "Det er blevet lettere at tale om recovery på teammøderne, efter hun kom."),
    ("P5", "Vi skulle have været bedre forberedt. Ingen spurgte os, før beslutningen blev taget."),
    ("P3", "Nu spørger jeg hende, når jeg er i tvivl om, hvordan en borger oplever et forløb."),
]


def _actor(user: User, org: Organisation) -> Actor:
    actor = Actor.from_memberships(
        user, Membership.objects.filter(user=user).select_related("organisation"), org.pk, via="demo"
    )
    assert actor is not None  # noqa: S101 — demo users always have a membership
    return actor


def _users(*names: str) -> list[User] | None:
    found = {u.username: u for u in User.objects.filter(username__in=names)}
    if len(found) != len(names):
        return None
    return [found[n] for n in names]


def _transcript(lines: list[tuple[str, str]]) -> tuple[str, list[tuple[str, int, int]]]:
    """The text, and each utterance's speaker and span (the words after "P1: ")."""
    text, spans = "", []
    for who, words in lines:
        head = f"{who}: "
        start = len(text) + len(head)
        text += head + words + "\n"
        spans.append((who, start, start + len(words)))
    return text, spans


def _run(
    org: Organisation,
    *,
    lead: User,
    dpo: User,
    peer: User,
    second_coder: User | None,
    people: list[User],
    plan: dict[str, str],
    lines: list[tuple[str, str]],
    codes: list[tuple[str, list[int]]],
    notes: dict[int, str],
    finish: bool,
    groups: list[tuple[str, list[int], str, str, int]] | None = None,
) -> CoAssessment:
    today = timezone.localdate()
    lead_actor = _actor(lead, org)
    ca = services.create_coassessment(
        lead_actor,
        title=plan["title"],
        question=plan["question"],
        method=plan["method"],
        retention_until=today + timedelta(days=365),
        phase=None,
        gap=None,
    )
    services.add_team_member(
        lead_actor, ca, person=peer, role="co_researcher", is_peer_co_researcher=True, hours_per_month=8
    )
    if second_coder is not None:
        services.add_team_member(lead_actor, ca, person=second_coder, role="observer", hours_per_month=2)
    group = services.add_group(lead_actor, ca, name=plan["group"], kind=plan["kind"])
    participants = {}
    for i, person in enumerate(people, start=1):
        participants[f"P{i}"] = services.add_participant(
            lead_actor,
            ca,
            group=group,
            pseudonym=f"P{i}",
            staff_member=person,
            given_on=today - timedelta(days=60),
            how_given="written",
        )
    services.add_guide(lead_actor, ca, kind="focus_group", template=plan["template"], title=plan["guide"])
    services.advance(lead_actor, ca)
    services.approve_ethics(_actor(dpo, org), ca, note=plan["ethics"])
    services.advance(lead_actor, ca)
    ca.refresh_from_db()
    text, spans = _transcript(lines)
    material = services.add_material(lead_actor, ca, kind="transcript", title=plan["material"], text=text, group=group)
    segments = [
        services.add_segment(lead_actor, material, participant=participants[who], start=start, end=end)
        for who, start, end in spans
    ]
    for member in ca.team.select_related("person"):
        services.write_reflexivity_note(_actor(member.person, org), ca, text=notes.get(member.person_id, plan["note"]))
    services.advance(lead_actor, ca)
    ca.refresh_from_db()
    coders = [lead_actor, _actor(peer, org)]
    for name, indices in codes:
        code = services.add_code(lead_actor, ca, name=name)
        for n, i in enumerate(indices):
            services.code_segment(coders[n % 2], segments[i], code=code, blind=not finish)
            if finish:
                services.code_segment(coders[(n + 1) % 2], segments[i], code=code)
    for name, indices, condensate, synthesis, quote in groups or []:
        _code_group(lead_actor, ca, [segments[i] for i in indices], name, condensate, synthesis, segments[quote])
    if finish:
        services.set_step(lead_actor, ca, step=CoAssessment.STEPS[CoAssessment.Method(ca.method)])
        services.advance(lead_actor, ca)
        services.advance(lead_actor, ca)
    else:
        services.set_step(lead_actor, ca, step=2)
    return ca


def _code_group(
    actor: Actor, ca: CoAssessment, units: list[Segment], name: str, condensate: str, synthesis: str, quote: Segment
) -> None:
    """A code group of systematic text condensation with its condensate, synthesis and one quote."""
    group = analysis.add_theme(actor, ca, kind="code_group", name=name)
    analysis.sort_segments(actor, group, segments=units)
    analysis.write_condensate(actor, group, text=condensate)
    analysis.write_synthesis(actor, group, text=synthesis)
    analysis.set_quote(actor, group, segment=quote, deidentified=True)


NO_GROUPS = [
    (
        "Veiledning for sent",
        [1, 6],
        "Jeg sto alene de første månedene. Jeg trengte veiledning fra første uke.",
        "Erfaringskonsulentene beskriver at veiledningen kom for sent, og at de første månedene var de tyngste.",
        6,
    ),
    (
        "Veiledning som gir trygghet",
        [0, 5],
        "Når noen spør hvordan jeg har det, klarer jeg å sette grenser og si fra i tide.",
        "Veiledning hjelper erfaringskonsulentene å sette grenser og å si fra før det blir for tungt.",
        0,
    ),
]


def seed_coassessment(no: Organisation, dk: Organisation, rng: random.Random) -> None:
    if CoAssessment.objects.filter(organisation=no).exists():
        return
    norwegians = _users("coordinator", "dpo", "peerworker", *(f"peerworker{i}" for i in range(3, 8)))
    if norwegians is not None:
        coordinator, dpo, ola, *people = norwegians
        _run(
            no,
            lead=coordinator,
            dpo=dpo,
            peer=ola,
            second_coder=None,
            people=people,
            plan={
                "title": "Erfaringskonsulenters opplevelse av veiledning",
                "question": "Hvordan opplever erfaringskonsulentene veiledningen de får, og hva bør endres?",
                "method": "condensation",
                "group": "Erfaringskonsulenter, høst",
                "kind": "peer_workers",
                "template": "preparation",
                "guide": "Guide for fokusgruppen om veiledning",
                "ethics": "Samtykkeskjema, navneliste holdt adskilt og slettedato er kontrollert.",
                "material": "Fokusgruppe 1, pseudonymisert transkripsjon",
                "note": "Jeg har selv gitt veiledning i mange år og venter å høre at den kommer for sent.",
            },
            lines=NO_LINES,
            codes=[("Grenser og trygghet", [0, 5]), ("Tidspunkt for veiledning", [1, 6]), ("Likeverd", [2, 3, 4])],
            notes={ola.pk: "Jeg fikk selv veiledning for sent og må passe på at det ikke farger lesningen min."},
            finish=True,
            groups=NO_GROUPS,
        )
    danes = _users(
        "dk-coordinator",
        "dk-dpo",
        "dk-peerworker1",
        "dk-mentor1",
        "dk-professional",
        *(f"dk-professional{i}" for i in range(2, 6)),
    )
    if danes is not None:
        coordinator, dpo, peer, mentor, *people = danes
        _run(
            dk,
            lead=coordinator,
            dpo=dpo,
            peer=peer,
            second_coder=mentor,
            people=people,
            plan={
                "title": "Fagpersoners syn på peer-rollen",
                "question": "Hvordan oplever fagpersoner i FACT-teamene peer-medarbejderens rolle efter et år?",
                "method": "thematic",
                "group": "Fagpersoner, FACT-teams",
                "kind": "professionals",
                "template": "legitimacy",
                "guide": "Guide til fokusgruppen om peer-rollen",
                "ethics": "Samtykke, navnenøgle opbevaret adskilt og slettedato er gennemgået.",
                "material": "Fokusgruppe 1, pseudonymiseret udskrift",
                "note": "Jeg har selv været med til at ansætte peer-medarbejdere og håber, det er gået godt.",
            },
            lines=DK_LINES,
            codes=[("Uklar rolle", [0, 4]), ("Når ud til borgerne", [1]), ("Ændret sprog om recovery", [3, 5])],
            notes={},
            finish=False,
        )

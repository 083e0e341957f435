"""Demo co-assessments (generated text; nothing real). Registered through the ``demo_data`` hook.

Norway: a finished co-assessment of peer workers' experience of guidance, analysed by systematic text
condensation with Ola as the peer co-researcher; five peer workers took part in one focus group. It has its code
groups, a condensate of each in the first person, a synthesis in the third person with an illustrative quote,
and the participants' member-check comments. Its findings went back to the service: an action in the readiness
action plan, a contribution to the linked initiative's co-assessment phase and a "you said, we did" item.
Denmark: a focus group of professionals on the peer role, under way, analysed by thematic analysis with two
coders who code blind (the coordinator and a peer worker as co-researcher) and read part of the material alike
and part differently, so the agreement figure has something to show; the team has its candidate themes.
Every text is written here in Peerwork's words; nothing is generated from what anyone said.
"""

from __future__ import annotations

import random
from collections.abc import Callable
from datetime import timedelta
from typing import Any

from django.utils import timezone

from peerwork.accounts.models import Membership, User
from peerwork.cocreation.models import Phase
from peerwork.core.actor import Actor
from peerwork.evaluation.models import PulseSurvey
from peerwork.organisations.models import Organisation
from peerwork.readiness.models import ActionItem

from . import analysis, exchange_services, services
from .models import CoAssessment, Code, Group, Participant, Segment, Theme

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


class _Work:
    """What the analysis of a demo co-assessment works on."""

    def __init__(
        self,
        ca: CoAssessment,
        lead: Actor,
        peer: Actor,
        group: Group,
        segments: list[Segment],
        codes: dict[str, Code],
        participants: dict[str, Participant],
    ) -> None:
        self.ca, self.lead, self.peer, self.group = ca, lead, peer, group
        self.segments, self.codes, self.participants = segments, codes, participants


# Norway, systematic text condensation: each code group with its meaning units (segments by their place in
# NO_LINES), a condensate in the first person, a synthesis in the third person and its illustrative quote.
NO_CODE_GROUPS = [
    (
        "Grenser og trygghet",
        [0, 5],
        "Når veilederen spør hvordan jeg har det, blir det lettere for meg å si fra i tide og sette grenser, "
        "også når telefonen ringer sent.",
        "Erfaringskonsulentene beskriver veiledning som et sted der de øver på å sette grenser. Et enkelt "
        "spørsmål om hvordan de har det gjør det lettere å si fra før belastningen blir for stor.",
        0,
    ),
    (
        "Tidspunkt for veiledning",
        [1, 6],
        "Jeg fikk veiledning for sent. De første månedene sto jeg alene med det vanskeligste, og jeg mener "
        "veiledningen må starte den første uken.",
        "Flere opplevde at veiledningen kom for sent, etter måneder der de sto alene med krevende situasjoner. "
        "De anbefaler at veiledning starter den første arbeidsuken.",
        6,
    ),
    (
        "Likeverd og egen erfaring",
        [2, 3, 4],
        "Vi lærer mest av hverandre, og jeg vil bruke min egen erfaring uten å forklare den hver gang. Jeg "
        "savner en veileder som kjenner rus og psykisk helse fra innsiden.",
        "Erfaringskonsulentene verdsetter gruppeveiledning med likemenn og ønsker veiledere som kjenner "
        "erfaringskunnskap fra innsiden, slik at egen erfaring ikke må forsvares.",
        3,
    ),
]
NO_MEMBER_COMMENTS = [
    ("P2", "Tidspunkt for veiledning", "Ja, dette stemmer. Skriv gjerne at den første uken er viktigst."),
    ("P4", "Likeverd og egen erfaring", "Jeg kjenner meg igjen. Gruppeveiledningen bør fortsette."),
    ("P5", "Likeverd og egen erfaring", "Det er dekkende, men veilederen trenger ikke ha samme diagnose."),
]


def _analyse_norway(work: _Work) -> None:
    lead, ca = work.lead, work.ca
    for step in (1, 2, 3, 4):
        analysis.move_to_step(lead, ca, step=step, why="Teamet ble enige på analysemøtet.")
        if step == 1:
            analysis.add_theme(lead, ca, kind=Theme.Kind.PRELIMINARY, name="Veiledning kommer for sent")
            analysis.add_theme(lead, ca, kind=Theme.Kind.PRELIMINARY, name="Å lære av likemenn")
        if step == 2:
            for name, indices, *_rest in NO_CODE_GROUPS:
                group = analysis.add_theme(lead, ca, kind=Theme.Kind.CODE_GROUP, name=name)
                analysis.sort_segments(lead, group, segments=[work.segments[i] for i in indices])
    groups = {t.name: t for t in Theme.objects.filter(coassessment=ca, kind=Theme.Kind.CODE_GROUP)}
    for name, _indices, condensate, synthesis, quote in NO_CODE_GROUPS:
        theme = groups[name]
        analysis.write_condensate(work.peer, theme, text=condensate, why="Skrevet av medforskeren.")
        analysis.write_synthesis(lead, theme, text=synthesis, why="Lest sammen med medforskeren.")
        analysis.set_quote(work.peer, theme, segment=work.segments[quote], deidentified=True)
        analysis.send_for_member_check(lead, theme, group=work.group, why="Tilbake til deltakerne.")
    for who, name, text in NO_MEMBER_COMMENTS:
        analysis.record_member_comment(lead, groups[name], participant=work.participants[who], text=text)
    # The findings go back to the service: an action in the readiness action plan, a contribution to the linked
    # initiative's co-assessment phase, and a "you said, we did" item for the peer workers who took part.
    due = timezone.localdate() + timedelta(days=30)
    analysis.finding_to_action(lead, groups["Tidspunkt for veiledning"], owner_id=lead.user.pk, due_on=due)
    if ca.phase_id is not None:
        analysis.finding_to_contribution(work.peer, groups["Likeverd og egen erfaring"])
    analysis.you_said_we_did(
        lead,
        groups["Grenser og trygghet"],
        you_said="Veiledningen hjelper dere å sette grenser og si fra i tide.",
        we_did="Veilederen spør nå i hver veiledning hvordan dere har det, og gruppeveiledningen fortsetter.",
    )


# Denmark, thematic analysis in phase 2 to 3: candidate themes that group the codes, named by the team.
DK_THEMES = [
    ("En rolle der skulle findes undervejs", ["Uklar rolle"]),
    ("Kontakt og sprog, der ændrer teamet", ["Når ud til borgerne", "Ændret sprog om recovery"]),
]


def _analyse_denmark(work: _Work) -> None:
    analysis.write_memo(
        work.peer,
        work.segments[0].material,
        text="Ved gennemlæsningen: rollen beskrives som noget, der skulle findes undervejs, og kontakten til "
        "borgerne fylder mere end opgaverne.",
    )
    analysis.move_to_step(work.lead, work.ca, step=3, why="Kodningen er nået langt nok til temaer.")
    for name, codes in DK_THEMES:
        analysis.add_theme(
            work.peer,
            work.ca,
            kind=Theme.Kind.THEME,
            name=name,
            codes=[work.codes[c] for c in codes],
            why="Foreløbigt tema fra kodningen.",
        )
    # The coordinator has finished their own reading and compared; the peer co-researcher has not yet.
    exchange_services.compare_now(work.lead, work.ca)


def _run(
    org: Organisation,
    *,
    lead: User,
    dpo: User,
    peer: User,
    second_coder: User | None,
    observers: list[User],
    people: list[User],
    plan: dict[str, str],
    lines: list[tuple[str, str]],
    codes: list[tuple[str, list[int]]],
    notes: dict[int, str],
    finish: bool,
    second_reading: list[tuple[str, list[int]]] | None = None,
    analyse: Callable[[Any], None] | None = None,
) -> CoAssessment:
    today = timezone.localdate()
    lead_actor = _actor(lead, org)
    ca = services.create_coassessment(
        lead_actor,
        title=plan["title"],
        question=plan["question"],
        method=plan["method"],
        retention_until=today + timedelta(days=365),
        # The demo initiative's co-assessment phase and the readiness gap it answers, where the demo has them.
        phase=Phase.objects.filter(
            organisation=org, kind=Phase.Kind.ASSESSMENT, initiative__title=plan["initiative"]
        ).first(),
        gap=ActionItem.objects.filter(organisation=org, source=ActionItem.Source.GAP).order_by("id").first(),
        # and the latest quarter's pulse survey whose trend it looks into
        pulse_survey=PulseSurvey.objects.filter(organisation=org, period_start__lte=today)
        .order_by("-period_start")
        .first(),
    )
    services.add_team_member(
        lead_actor, ca, person=peer, role="co_researcher", is_peer_co_researcher=True, hours_per_month=8
    )
    if second_coder is not None:
        services.add_team_member(lead_actor, ca, person=second_coder, role="observer", hours_per_month=2)
    for person in observers:
        services.add_team_member(lead_actor, ca, person=person, role="observer", hours_per_month=1)
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
    peer_actor = _actor(peer, org)
    coders = [lead_actor, peer_actor]
    by_name: dict[str, Code] = {}
    if second_reading is not None:  # a blind round: each coder sees only their own codes until they compare
        exchange_services.set_blind(lead_actor, ca, blind=True)
    for name, indices in codes:
        code = by_name[name] = services.add_code(lead_actor, ca, name=name)
        for n, i in enumerate(indices):
            if second_reading is not None:  # the lead reads everything; the peer's own reading follows
                services.code_segment(lead_actor, segments[i], code=code, blind=True)
                continue
            services.code_segment(coders[n % 2], segments[i], code=code, blind=not finish)
            if finish:
                services.code_segment(coders[(n + 1) % 2], segments[i], code=code)
    for name, indices in second_reading or []:
        for i in indices:
            services.code_segment(peer_actor, segments[i], code=by_name[name], blind=True)
    if analyse is not None:
        analyse(_Work(ca, lead_actor, peer_actor, group, segments, by_name, participants))
    if finish:
        services.set_step(lead_actor, ca, step=CoAssessment.STEPS[CoAssessment.Method(ca.method)])
        services.advance(lead_actor, ca)
        services.advance(lead_actor, ca)
    elif analyse is None:
        services.set_step(lead_actor, ca, step=2)
    return ca


def seed_coassessment(no: Organisation, dk: Organisation, rng: random.Random) -> None:
    if CoAssessment.objects.filter(organisation=no).exists():
        return
    norwegians = _users(
        "coordinator", "dpo", "peerworker", "senior", "professional", *(f"peerworker{i}" for i in range(3, 8))
    )
    if norwegians is not None:
        coordinator, dpo, ola, senior, professional, *people = norwegians
        _run(
            no,
            lead=coordinator,
            dpo=dpo,
            peer=ola,
            second_coder=None,
            observers=[senior, professional],
            people=people,
            plan={
                "title": "Erfaringskonsulenters opplevelse av veiledning",
                "initiative": "Trygg overgang fra døgnopphold til eget hjem",
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
            analyse=_analyse_norway,
        )
    danes = _users(
        "dk-coordinator",
        "dk-dpo",
        "dk-peerworker1",
        "dk-mentor1",
        "dk-professional",
        *(f"dk-professional{i}" for i in range(2, 7)),
    )
    if danes is not None:
        coordinator, dpo, peer, mentor, observer, *people = danes
        _run(
            dk,
            lead=coordinator,
            dpo=dpo,
            peer=peer,
            second_coder=mentor,
            observers=[observer],
            people=people,
            plan={
                "title": "Fagpersoners syn på peer-rollen",
                "initiative": "Recovery-samtaler i FACT-teamet",
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
            # The peer co-researcher's own reading: alike on most segments, apart on two.
            second_reading=[
                ("Uklar rolle", [0, 4, 2]),
                ("Når ud til borgerne", [1, 5]),
                ("Ændret sprog om recovery", [3]),
            ],
            notes={},
            finish=False,
            analyse=_analyse_denmark,
        )

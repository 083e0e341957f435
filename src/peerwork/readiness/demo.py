# ruff: noqa: E501  (translatable sentences and demo text read better unbroken)
"""Demo data for readiness: generated only.

The Danish region is about to place a new peer worker in each of eight FACT teams. It ran a readiness
round three months ago and runs a second one now; professionals rate team preparation far lower than
managers do. The derived checks fire: every team has a single peer worker, five of them inexperienced,
two new peer workers have no buddy, and no team was briefed before its start date. Both services have job
descriptions, so a professional sees the role card of their team's peer worker on first sign-in.
"""

from __future__ import annotations

import random
from datetime import date, timedelta
from decimal import Decimal

from django.utils import timezone

from peerwork.accounts.models import Membership, User
from peerwork.core.roles import Role
from peerwork.organisations.models import Organisation, Position

from .instrument import DONT_KNOW, ITEMS
from .models import (
    ActionItem,
    Group,
    Invitation,
    JobDescription,
    JobDescriptionVersion,
    Orientation,
    PositionJobDescription,
    Response,
    Risk,
    Round,
    TeamBriefing,
    TreatmentHistoryDeclaration,
)

DK_TRAINING = [
    "Uddannelse i recovery og brug af egne erfaringer (10 dage), undervist af undervisere med egen erfaring.",
    "Peer-uddannelse i regionen (8 moduler) og kursus i recovery-orienteret praksis.",
]

# Typical answer (1–4) per group, with domain exceptions: professionals felt unprepared (S0).
BASE: dict[str, tuple[float, dict[str, float]]] = {
    Group.MANAGER: (3.2, {"A6": 3.6, "A4": 3.3}),
    Group.PROFESSIONAL: (2.4, {"A6": 1.4, "A4": 1.7, "A2": 1.9}),
    Group.PEER_WORKER: (2.6, {"A8": 2.0, "A9": 2.1, "A6": 2.2}),
    Group.SERVICE_USER_REP: (2.5, {"A1": 2.0}),
}
COUNTS = {Group.MANAGER: 4, Group.PROFESSIONAL: 12, Group.PEER_WORKER: 8, Group.SERVICE_USER_REP: 3}


def _answers(rng: random.Random, group: str, shift: float) -> dict[str, int]:
    typical, special = BASE[group]
    out = {}
    for item in ITEMS:
        if rng.random() < 0.05:
            out[item.code] = DONT_KNOW
            continue
        centre = special.get(item.domain, typical) + shift
        out[item.code] = max(1, min(4, round(centre + rng.gauss(0, 0.55))))
    return out


def _round(
    org: Organisation,
    rng: random.Random,
    title: str,
    opens_on: date,
    closes_on: date,
    status: str,
    shift: float,
    creator: User,
) -> Round:
    rnd = Round.objects.create(
        organisation=org,
        title=title,
        opens_on=opens_on,
        closes_on=closes_on,
        status=status,
        created_by=creator,
    )
    for group, n in COUNTS.items():
        for _i in range(n):
            Invitation.objects.create(
                organisation=org,
                round=rnd,
                group=group,
                completed=True,
                token_hash=Invitation.hash_token(Invitation.new_token()),
            )
            Response.objects.create(
                organisation=org,
                round=rnd,
                group=group,
                status=Response.Status.SUBMITTED,
                anonymous=True,
                answers=_answers(rng, group, shift),
                submitted_on=opens_on + timedelta(days=rng.randint(0, 6)),
            )
    return rnd


def seed_readiness(no: Organisation, dk: Organisation, rng: random.Random) -> None:
    today = timezone.localdate()
    manager = User.objects.get(username="dk-manager")
    positions = list(Position.objects.filter(organisation=dk).select_related("unit", "holder").order_by("unit__name"))

    # Three of the eight newcomers have worked as peer workers elsewhere before.
    for p in positions[5:]:
        p.peer_work_experience_since = (p.start_date or today) - timedelta(days=rng.randint(500, 1200))
        p.save(update_fields=["peer_work_experience_since"])

    # Orientation: everyone has a contact person; two have no buddy yet.
    mentors = {
        m.unit_id: m.user
        for m in Membership.objects.filter(organisation=dk, role=Role.SENIOR_PEER_WORKER).select_related("user")
    }
    professionals = {
        m.unit_id: m.user
        for m in Membership.objects.filter(organisation=dk, role=Role.PROFESSIONAL).select_related("user")
    }
    for i, p in enumerate(positions):
        start = p.start_date
        started_on = start if start is not None and start <= today else None
        Orientation.objects.create(
            organisation=dk,
            position=p,
            contact_person=professionals.get(p.unit_id),
            buddy=None if i in (2, 6) else mentors.get(p.unit_id),
            intro_meeting_on=(start + timedelta(days=2)) if start else None,
            job_coaching=rng.choice(list(Orientation.Coaching.values)),
            first_supervision_on=(started_on + timedelta(days=14)) if started_on is not None and i % 3 else None,
            training=DK_TRAINING[i % len(DK_TRAINING)],
            status=Orientation.Status.UNDER_WAY if started_on is not None else Orientation.Status.PLANNED,
        )
        # Teams were told about the role only after the peer worker had started.
        if started_on is not None and (today - started_on).days > 7:
            TeamBriefing.objects.create(
                organisation=dk,
                unit=p.unit,
                held_on=started_on + timedelta(days=5),
                topics="Peer-medarbejderens rolle og opgaver",
                recorded_by=manager,
            )

    jd = JobDescription.objects.create(organisation=dk, title="Peer-medarbejder i FACT-team")
    version = JobDescriptionVersion.objects.create(
        organisation=dk,
        job_description=jd,
        number=1,
        role_form=Position.RoleForm.CARE_PROVIDER,
        role_type="peer_support",
        core_tasks=["individual", "care", "stigma"],
        tasks="Recovery-støtte til borgere i teamet; bruger egne erfaringer med bedring; bidrager til teamets møder med brugerperspektivet.",
        demarcation="Overtager ikke sygeplejefaglige eller behandlingsmæssige opgaver; lukker huller mellem borgeren og systemet.",
        hours_per_week=Decimal(20),
        reporting_line="Teamleder i FACT-teamet",
        supervision="Supervision hver anden uge ved erfaren peer-mentor; intervision med andre peer-medarbejdere en gang om måneden.",
        does_not_do="Udfører ikke tvangsforanstaltninger og medvirker ikke ved bæltefikseringer. Overtager ikke sygeplejerskens medicinopgaver.",
        created_by=manager,
    )
    for p in positions[:5]:
        PositionJobDescription.objects.create(organisation=dk, position=p, version=version, attached_by=manager)
    # One newcomer has told Peerwork privately of a team where they were treated, and has not decided yet
    # whether anyone may know: their home page asks them first; no one else sees anything.
    if positions and positions[0].holder is not None:
        TreatmentHistoryDeclaration.objects.create(
            organisation=dk, peer_worker=positions[0].holder, unit=positions[0].unit
        )
    _seed_norway(no, today)

    earlier = _round(
        dk,
        rng,
        "Parathed før opstart (efterår)",
        today - timedelta(days=92),
        today - timedelta(days=78),
        Round.Status.CLOSED,
        -0.45,
        manager,
    )
    current = _round(
        dk,
        rng,
        "Parathed før opstart (vinter)",
        today - timedelta(days=5),
        today + timedelta(days=9),
        Round.Status.OPEN,
        0.0,
        manager,
    )
    del earlier
    # The demo people with a sign-in can still answer the open round.
    invitees = {manager.pk: Group.MANAGER}
    for m in Membership.objects.filter(
        organisation=dk, role__in=[Role.PROFESSIONAL, Role.PEER_WORKER, Role.SENIOR_PEER_WORKER]
    ):
        invitees.setdefault(m.user_id, Group.PROFESSIONAL if m.role == Role.PROFESSIONAL else Group.PEER_WORKER)
    Invitation.objects.bulk_create(
        [Invitation(organisation=dk, round=current, group=g, user_id=uid) for uid, g in invitees.items()]
    )

    first_team = positions[0].unit if positions else None
    if first_team is not None:
        b9 = Risk.objects.create(
            organisation=dk,
            unit=first_team,
            code="B9",
            status=Risk.Status.ACTION_NEEDED,
            notes="Peer-medarbejderen er alene i teamet.",
            review_on=today + timedelta(days=30),
            updated_by=manager,
        )
        Risk.objects.create(
            organisation=dk,
            unit=first_team,
            code="B1",
            status=Risk.Status.WATCH,
            notes="Bliver bedt om at deltage i mange arbejdsgrupper.",
            review_on=today + timedelta(days=45),
            updated_by=manager,
        )
        ActionItem.objects.create(
            organisation=dk,
            title="Ansæt en peer-medarbejder mere i teamet",
            owner=manager,
            due_on=today + timedelta(days=60),
            source=ActionItem.Source.RISK,
            source_ref="B9",
            unit=first_team,
            risk=b9,
            created_by=manager,
        )
    ActionItem.objects.create(
        organisation=dk,
        title="Brief hvert FACT-team om rollen før opstart",
        owner=manager,
        due_on=today + timedelta(days=14),
        source=ActionItem.Source.CHECK,
        source_ref="no_briefing",
        created_by=manager,
    )
    ActionItem.objects.create(
        organisation=dk,
        title="Find en buddy til de to nye peer-medarbejdere uden",
        owner=manager,
        due_on=today - timedelta(days=4),
        status=ActionItem.Status.IN_PROGRESS,
        source=ActionItem.Source.CHECK,
        source_ref="new_without_buddy",
        created_by=manager,
    )
    ActionItem.objects.create(
        organisation=dk,
        title="Teammøde om formålet med peer-rollen",
        owner=manager,
        due_on=today - timedelta(days=20),
        status=ActionItem.Status.DONE,
        done_on=today - timedelta(days=21),
        source=ActionItem.Source.GAP,
        source_ref="A6",
        round=current,
        created_by=manager,
    )


def _seed_norway(no: Organisation, today: date) -> None:
    """The Norwegian service: a job description for each role form, so each team's role card is real.

    The peer team works as peer support workers (no client file); in the outreach team the peer worker is a
    care provider with experiential expertise (uses the client file), the role card the professional there sees.
    """
    manager = User.objects.get(username="manager")
    senior = User.objects.get(username="senior")
    professional = User.objects.get(username="professional")
    peer_team = JobDescriptionVersion.objects.create(
        organisation=no,
        job_description=JobDescription.objects.create(organisation=no, title="Erfaringskonsulent i Recoveryteamet"),
        number=1,
        role_form=Position.RoleForm.PEER_TEAM,
        role_type="co_creation",
        core_tasks=["individual", "care", "stigma"],
        tasks="Følger opp tjenestemottakere i inntil to år, på deres egne mål; er med i brukerrådet og i arbeidsgrupper der tjenestene utvikles.",
        demarcation="Egen rolle ved siden av behandlingen: gir støtte til egen bedring og gir tilbakemelding til behandlerne fra brukernes ståsted.",
        hours_per_week=Decimal(30),
        reporting_line="Koordinator i Recoveryteamet",
        supervision="Veiledning hver tredje uke hos senior erfaringskonsulent; intervisjon med de andre erfaringskonsulentene hver måned.",
        does_not_do="Deltar ikke i tvangstiltak.",
        created_by=manager,
    )
    outreach = JobDescriptionVersion.objects.create(
        organisation=no,
        job_description=JobDescription.objects.create(organisation=no, title="Erfaringskonsulent i oppsøkende team"),
        number=1,
        role_form=Position.RoleForm.CARE_PROVIDER,
        role_type="peer_support",
        core_tasks=["individual", "care"],
        tasks="Oppsøkende oppfølging sammen med teamets behandlere; bruker egen erfaring i møte med folk som ikke stoler på tjenestene.",
        demarcation="Har behandleransvar på linje med teamet, og bruker i tillegg egen erfaring; veileder kolleger i hvordan tjenesten oppleves fra brukernes side.",
        hours_per_week=Decimal("37.5"),
        reporting_line="Teamleder i Oppsøkende team Nord",
        supervision="Fagveiledning i teamet som de andre behandlerne, og veiledning hos senior erfaringskonsulent hver fjerde uke.",
        does_not_do="Vedtar ikke tvangstiltak og er ikke med når de gjennomføres.",
        created_by=manager,
    )
    positions = list(Position.objects.filter(organisation=no, holder__isnull=False).select_related("unit", "holder"))
    for p in positions:
        version = outreach if p.role_form == Position.RoleForm.CARE_PROVIDER else peer_team
        PositionJobDescription.objects.create(organisation=no, position=p, version=version, attached_by=manager)
        Orientation.objects.create(
            organisation=no,
            position=p,
            contact_person=professional if p.role_form == Position.RoleForm.CARE_PROVIDER else p.reports_to,
            buddy=senior,
            intro_meeting_on=p.start_date,
            job_coaching=Orientation.Coaching.NOT_WANTED,
            first_supervision_on=(p.start_date + timedelta(days=14)) if p.start_date else None,
            training="Erfaringskonsulentutdanning (30 studiepoeng) og kurs i recovery-orientert praksis.",
            status=Orientation.Status.COMPLETED,
        )
    # A peer worker in the peer team has let it be known that a placement there needs to be discussed, without
    # their name: the manager sees the team, never who or why.
    second = next((p for p in positions if p.holder is not None and p.holder.username == "peerworker2"), None)
    if second is not None and second.holder is not None:
        TreatmentHistoryDeclaration.objects.create(
            organisation=no,
            peer_worker=second.holder,
            unit=second.unit,
            disclosure=TreatmentHistoryDeclaration.Disclosure.UNNAMED,
        )

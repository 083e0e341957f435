# ruff: noqa: E501  (translatable sentences and demo text read better unbroken)
"""Demo data for readiness: generated only.

The Danish region is about to place a new peer worker in each of eight FACT teams. It ran a readiness
round three months ago and runs a second one now; professionals rate team preparation far lower than
managers do. The derived checks fire: every team has a single peer worker, five of them inexperienced,
two new peer workers have no buddy, and no team was briefed before its start date. Both services have job
descriptions, so a professional sees the role card of their team's peer worker on first sign-in.

Peer workers take part as partners in both organisations: each reads a closed round's results, their team's
register and the action plan, with comments from colleagues, and owns an action. In the Danish region a peer
worker alone in a team answered the team's own round with their name; in Norway the only professional did.
"""

from __future__ import annotations

import random
from datetime import date, timedelta
from decimal import Decimal

from django.utils import timezone

from peerwork.accounts.models import Membership, User
from peerwork.core.roles import Role
from peerwork.organisations.models import Organisation, Position, Unit

from .instrument import DONT_KNOW, ITEMS
from .models import (
    ActionItem,
    Comment,
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

# Typical answer (1–4) per group, with domain exceptions: professionals felt unprepared (as in S0, Results, theme 3).
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
    if first_team is not None:
        _partners_dk(dk, rng, earlier, first_team, manager)
    _partners_no(no, rng)


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


def _named_team_round(dk: Organisation, rng: random.Random, team: Unit, manager: User) -> None:
    """A closed round for one team: its only peer worker chose to answer with their name."""
    today = timezone.localdate()
    rnd = Round.objects.create(
        organisation=dk,
        title=f"Parathed i {team.name}",
        unit=team,
        opens_on=today - timedelta(days=40),
        closes_on=today - timedelta(days=30),
        status=Round.Status.CLOSED,
        created_by=manager,
    )
    people = [(manager, Group.MANAGER)] + [
        (m.user, Group.PROFESSIONAL if m.role == Role.PROFESSIONAL else Group.PEER_WORKER)
        for m in Membership.objects.filter(organisation=dk, unit=team).select_related("user").order_by("id")
    ]
    for user, group in people:
        invitation = Invitation.objects.create(organisation=dk, round=rnd, group=group, user=user, completed=True)
        named = user.username == "dk-peerworker1"
        Response.objects.create(
            organisation=dk,
            round=rnd,
            group=group,
            status=Response.Status.SUBMITTED,
            anonymous=not named,
            invitation=invitation if named else None,
            respondent=user if named else None,
            answers=_answers(rng, group, -0.2),
            submitted_on=rnd.opens_on + timedelta(days=2),
        )


def _partners_dk(dk: Organisation, rng: random.Random, earlier: Round, team: Unit, manager: User) -> None:
    today = timezone.localdate()
    peer_worker = User.objects.get(username="dk-peerworker1")
    mentor = User.objects.get(username="dk-mentor1")
    _named_team_round(dk, rng, team, manager)
    Comment.objects.create(
        organisation=dk,
        author=mentor,
        round=earlier,
        text="Peer-medarbejderne vurderer supervisionen lavere end lederne. Lad os tale om det på næste intervision.",
    )
    Comment.objects.create(
        organisation=dk,
        author=peer_worker,
        kind=Comment.Kind.ATTENTION,
        unit=team,
        code="B1",
        text="Jeg bliver inviteret til tre nye arbejdsgrupper. Jeg vil gerne have tid til borgerne først.",
    )
    Comment.objects.create(
        organisation=dk,
        author=peer_worker,
        unit=team,
        private_to=manager,
        text="Kan vi tage en snak om min arbejdstid, før teamet drøfter punkt B1?",
    )
    own = ActionItem.objects.create(
        organisation=dk,
        title="Fortæl teamet om peer-rollen på næste teammøde",
        owner=peer_worker,
        due_on=today + timedelta(days=10),
        status=ActionItem.Status.IN_PROGRESS,
        source=ActionItem.Source.RISK,
        source_ref="B1",
        unit=team,
        created_by=manager,
    )
    Comment.objects.create(
        organisation=dk, author=peer_worker, action=own, text="Punktet er sat på dagsordenen til mødet i næste uge."
    )


def _partners_no(no: Organisation, rng: random.Random) -> None:
    """A closed round the whole organisation answered, the peer team's register and an action plan."""
    today = timezone.localdate()
    manager = User.objects.get(username="manager")
    peer_worker = User.objects.get(username="peerworker")
    senior = User.objects.get(username="senior")
    team = Membership.objects.get(organisation=no, user=peer_worker, role=Role.PEER_WORKER).unit
    assert team is not None
    # A round half a year earlier, answered less well, so the board report shows the trend since then. Its own
    # random numbers, so the rest of the demo stays as it was.
    _round(
        no,
        random.Random(20),  # noqa: S311 - demo data, not a secret
        "Klar for likepersonarbeid (vår)",
        today - timedelta(days=240),
        today - timedelta(days=226),
        Round.Status.CLOSED,
        -0.4,
        manager,
    )
    rnd = Round.objects.create(
        organisation=no,
        title="Klar for likepersonarbeid (høst)",
        opens_on=today - timedelta(days=60),
        closes_on=today - timedelta(days=46),
        status=Round.Status.CLOSED,
        created_by=manager,
    )
    groups = {
        Role.MANAGER: Group.MANAGER,
        Role.PROFESSIONAL: Group.PROFESSIONAL,
        Role.PEER_WORKER: Group.PEER_WORKER,
        Role.SENIOR_PEER_WORKER: Group.PEER_WORKER,
    }
    for m in Membership.objects.filter(organisation=no, role__in=list(groups)).select_related("user").order_by("id"):
        group = groups[Role(m.role)]
        invitation = Invitation.objects.create(organisation=no, round=rnd, group=group, user=m.user, completed=True)
        # The only professional asked answered with their name, so their view is not withheld.
        named = m.role == Role.PROFESSIONAL
        Response.objects.create(
            organisation=no,
            round=rnd,
            group=group,
            status=Response.Status.SUBMITTED,
            anonymous=not named,
            invitation=invitation if named else None,
            respondent=m.user if named else None,
            answers=_answers(rng, group, 0.1),
            submitted_on=rnd.opens_on + timedelta(days=rng.randint(0, 6)),
        )
    for _i in range(3):
        Invitation.objects.create(
            organisation=no,
            round=rnd,
            group=Group.SERVICE_USER_REP,
            completed=True,
            token_hash=Invitation.hash_token(Invitation.new_token()),
        )
        Response.objects.create(
            organisation=no,
            round=rnd,
            group=Group.SERVICE_USER_REP,
            status=Response.Status.SUBMITTED,
            answers=_answers(rng, Group.SERVICE_USER_REP, 0.1),
            submitted_on=rnd.opens_on + timedelta(days=3),
        )
    Comment.objects.create(
        organisation=no,
        author=senior,
        round=rnd,
        text="Likepersonene gir veiledningen lavere skår enn lederne. Det tar vi opp i neste gruppeveiledning.",
    )
    b2 = Risk.objects.create(
        organisation=no,
        unit=team,
        code="B2",
        status=Risk.Status.WATCH,
        notes="Lojalitet til brukerne og til teamet: tema i veiledningen.",
        review_on=today + timedelta(days=30),
        updated_by=manager,
    )
    Comment.objects.create(
        organisation=no,
        author=User.objects.get(username="peerworker2"),
        kind=Comment.Kind.ATTENTION,
        unit=team,
        code="B2",
        text="Vi trenger et fast sted å ta opp lojalitetskonflikter, ikke bare når det brenner.",
    )
    ActionItem.objects.create(
        organisation=no,
        title="Fast tema om doble lojaliteter i gruppeveiledningen",
        owner=senior,
        due_on=today + timedelta(days=21),
        source=ActionItem.Source.RISK,
        source_ref="B2",
        unit=team,
        risk=b2,
        created_by=manager,
    )
    own = ActionItem.objects.create(
        organisation=no,
        title="Presentere likepersonrollen for Oppsøkende team Nord",
        owner=peer_worker,
        due_on=today + timedelta(days=14),
        status=ActionItem.Status.IN_PROGRESS,
        source=ActionItem.Source.GAP,
        source_ref="A6",
        round=rnd,
        unit=team,
        created_by=manager,
    )
    Comment.objects.create(
        organisation=no, author=peer_worker, action=own, text="Avtalt med teamlederen; møtet er om to uker."
    )
    Comment.objects.create(
        organisation=no,
        author=peer_worker,
        round=rnd,
        private_to=manager,
        text="Jeg vil gjerne snakke med deg om hvordan vi bruker resultatene før personalmøtet.",
    )

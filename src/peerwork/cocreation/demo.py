"""Demo data for co-creation (generated; nothing real). Called by ``peerwork.demo.seed`` through EXTENSIONS.

Norway: the initiative "Kveldsåpent for unge voksne" with peer workers recorded only in co-delivery so far
(the warning fires), Ola's proposal in co-design adopted with changed opening hours, a second initiative
with peer workers from the start, a proposal waiting too long, Ola's signal about the emergency shelter
acknowledged by the manager, a service user board led by a peer worker with user-organisation
representatives seated beside peer workers, and a working group. Peer workers as partners: Ola starts and
co-owns an initiative with the coordinator and the senior peer worker, leads a local service user board he
started (user-organisation representatives and service users take part through its seats), and records that
board's joint decision on the senior peer worker's proposal with who took part; another peer worker has
proposed a working group that waits for the manager to confirm it; and an initiative with no peer worker
shows the warning.
Denmark: one initiative with a peer worker in co-design; the same partners' story for the first peer worker
and their mentor; and an initiative with no peer worker and its warning.
"""

from __future__ import annotations

import random
from datetime import date, timedelta

from django.utils import timezone
from faker import Faker

from peerwork.accounts.models import Membership, User
from peerwork.core.actor import Actor
from peerwork.organisations.models import Organisation, Unit

from . import services
from .models import Board, Contribution, Initiative, ParticipantKind, Phase, Signal

K = ParticipantKind


def _actor(user: User, org: Organisation) -> Actor:
    actor = Actor.from_memberships(
        user, Membership.objects.filter(user=user).select_related("organisation"), org.pk, via="demo"
    )
    assert actor is not None  # noqa: S101 — demo users always have a membership
    return actor


def _user(username: str) -> User | None:
    return User.objects.filter(username=username).first()


def _phases(initiative: Initiative) -> dict[str, Phase]:
    return {p.kind: p for p in initiative.phases.all()}


NO_PARTNERS = {
    "initiative": "Likepersoner som første kontakt etter henvisning",
    "problem": (
        "Mange venter i ukevis fra henvisning til første samtale og gir opp underveis. En likeperson kan ta "
        "kontakt i løpet av to dager og være der til tilbudet starter."
    ),
    "board": "Lokalt brukerråd Sentrum",
    "board_purpose": "Brukere og brukerorganisasjoner i bydelen gir råd om tilbudene; rådet ledes av en likeperson.",
    "user_org": "Mental Helse Sentrum",
    "agenda": "1. Første kontakt etter henvisning\n2. Hvem inviterer vi til neste møte",
    "proposal": "La brukerrådet lese invitasjonsbrevet før det sendes ut",
    "note": "Brukerrådet skriver om brevet sammen med likepersonene før første utsending.",
    "guest": "Gjest fra Frelsesarmeen",
    "plain": "Ny rutine for innkalling til ansvarsgruppemøter",
    "plain_problem": "Innkallingene kommer for sent, og den det gjelder vet ikke hvem som kommer.",
}
DK_PARTNERS = {
    "initiative": "Peer-drevet café for borgere i FACT-teamet",
    "problem": "Borgerne savner et uformelt sted at mødes mellem samtalerne, hvor de kan tale med ligestillede.",
    "board": "Lokalt brugerråd Aarhus Nord",
    "board_purpose": "Borgere og brugerorganisationer giver råd om tilbuddene; rådet ledes af en peer-medarbejder.",
    "user_org": "SIND Aarhus",
    "agenda": "1. Caféens åbningstider\n2. Hvem inviterer vi til næste møde",
    "proposal": "Hold caféen åben én aften om ugen",
    "note": "Brugerrådet anbefaler torsdag aften fra kl. 17 til 20.",
    "guest": "Gæst fra LAP Aarhus",
    "plain": "Ny procedure for udskrivningssamtaler",
    "plain_problem": "Borgerne får ikke altid at vide, hvem de kan ringe til efter udskrivning.",
}


def _partners(
    org: Organisation,
    *,
    peer: User,
    mentor: User | None,
    co_owner: User | None,
    unit: Unit | None,
    today: date,
    texts: dict[str, str],
    fake: Faker,
) -> None:
    """A peer worker starts and co-owns an initiative, starts and leads a local service user board with
    user-organisation and service-user seats, and records that board's joint decision on a proposal."""
    peer_actor = _actor(peer, org)
    initiative = services.create_initiative(
        peer_actor,
        title=texts["initiative"],
        problem_statement=texts["problem"],
        co_owners=[u for u in (co_owner, mentor) if u is not None],
        unit=unit,
    )
    ph = _phases(initiative)
    services.update_phase(
        peer_actor, ph["defining"], start_date=today - timedelta(days=40), end_date=None, status=Phase.Status.ACTIVE
    )
    services.add_participant(peer_actor, ph["defining"], kind=K.USER_ORG_REP, external_name=texts["user_org"])
    board = services.create_board(
        peer_actor,
        name=texts["board"],
        kind=Board.Kind.PEER_LED_USER_BOARD,
        purpose=texts["board_purpose"],
        unit=unit,
    )
    rep = services.add_seat(peer_actor, board, kind=K.USER_ORG_REP, holder_name=f"{fake.name()} ({texts['user_org']})")
    user = services.add_seat(peer_actor, board, kind=K.SERVICE_USER, holder_name=fake.first_name())
    services.add_seat(peer_actor, board, kind=K.SERVICE_USER, holder_name=fake.first_name())
    services.add_meeting(peer_actor, board, held_on=today - timedelta(days=7), agenda=texts["agenda"])
    if mentor is None:
        return
    proposal = services.add_contribution(
        _actor(mentor, org),
        initiative,
        phase=ph["defining"],
        submitted_on=today - timedelta(days=20),
        summary=texts["proposal"],
    )
    leader = next(s for s in board.seats.all() if s.leads)
    services.decide_contribution(
        peer_actor,
        proposal,
        outcome=Contribution.Outcome.ADAPTED,
        note=texts["note"],
        decided_on=today - timedelta(days=7),
        decided_with=board,
        participants=[leader, rep, user],
        guests=[texts["guest"]],
    )


def _without_peer_workers(manager: Actor, professional: User | None, texts: dict[str, str]) -> None:
    """An initiative a manager runs with no peer worker in any phase: the warning shows."""
    initiative = services.create_initiative(manager, title=texts["plain"], problem_statement=texts["plain_problem"])
    if professional is not None:
        services.add_participant(manager, _phases(initiative)["defining"], kind=K.PROFESSIONAL, person=professional)


def seed_cocreation(no: Organisation, dk: Organisation, rng: random.Random) -> None:
    if Initiative.objects.filter(organisation=no).exists():
        return
    fake = Faker("no_NO")
    fake.seed_instance(rng.randint(0, 10**6))
    today = timezone.localdate()
    now = timezone.now()
    manager_user, ola = _user("manager"), _user("peerworker")
    if manager_user is None or ola is None:
        return
    manager = _actor(manager_user, no)
    ola_actor = _actor(ola, no)
    pw2, pw3, pw4 = _user("peerworker2"), _user("peerworker3"), _user("peerworker4")
    professional = _user("professional")
    coordinator = _user("coordinator")
    peer_team = Unit.objects.filter(organisation=no, kind=Unit.Kind.PEER_TEAM).first()

    # --- The evening drop-in: peer workers only in delivery so far ----------------------------------------
    drop_in = services.create_initiative(
        manager,
        title="Kveldsåpent for unge voksne",
        unit=peer_team,
        problem_statement=(
            "Unge voksne mellom 18 og 25 år har ingen steder å gå når dagtilbudet stenger kl. 16. Mange blir "
            "alene om kvelden, og flere havner på legevakten eller i akuttovernattingen."
        ),
    )
    Initiative.objects.filter(pk=drop_in.pk).update(created_at=now - timedelta(days=125))
    ph = _phases(drop_in)
    services.update_phase(
        manager,
        ph["defining"],
        start_date=today - timedelta(days=120),
        end_date=today - timedelta(days=90),
        status=Phase.Status.DONE,
    )
    services.add_participant(manager, ph["defining"], kind=K.MANAGER, person=manager_user)
    services.add_participant(manager, ph["defining"], kind=K.PROFESSIONAL, person=professional)
    services.update_phase(
        manager,
        ph["design"],
        start_date=today - timedelta(days=89),
        end_date=today - timedelta(days=20),
        status=Phase.Status.DONE,
    )
    services.add_participant(manager, ph["design"], kind=K.PROFESSIONAL, person=professional)
    services.update_phase(
        manager,
        ph["delivery"],
        start_date=today - timedelta(days=19),
        end_date=None,
        status=Phase.Status.ACTIVE,
    )
    for person in (ola, pw2):
        services.add_participant(manager, ph["delivery"], kind=K.PEER_WORKER, person=person)
    services.add_participant(manager, ph["delivery"], kind=K.PROFESSIONAL, person=professional)
    services.add_participant(manager, ph["delivery"], kind=K.SERVICE_USER, external_name=fake.first_name())

    proposal = services.add_contribution(
        ola_actor,
        drop_in,
        phase=ph["design"],
        submitted_on=today - timedelta(days=45),
        summary="Hold åpent til kl. 23 fredag og lørdag – det er da de unge trenger et sted å være",
        details="De fleste jeg møter sier at hverdagskveldene går greit, men at helgene er verst.",
    )
    services.decide_contribution(
        manager,
        proposal,
        outcome="adapted",
        decided_on=today - timedelta(days=24),
        note="Endret åpningstid: åpent kl. 18–23 fredag og lørdag i stedet for kl. 16–20 hver dag.",
    )
    services.add_contribution(
        manager,
        drop_in,
        phase=ph["design"],
        contributor_name=fake.first_name(),
        submitted_on=today - timedelta(days=40),
        summary="Gratis kveldsmat – mange har ikke spist siden frokost",
    )
    if pw2:
        services.add_contribution(
            _actor(pw2, no),
            drop_in,
            phase=ph["delivery"],
            submitted_on=today - timedelta(days=6),
            summary="Faste likepersoner på vakt, så de unge møter kjente fjes",
        )

    # --- A second initiative with peer workers from the start ---------------------------------------------
    transition = services.create_initiative(
        manager,
        title="Trygg overgang fra døgnopphold til eget hjem",
        unit=peer_team,
        problem_statement="Mange mister kontakten med tjenestene de første ukene etter utskrivning.",
    )
    Initiative.objects.filter(pk=transition.pk).update(created_at=now - timedelta(days=205))
    ph2 = _phases(transition)
    services.update_phase(
        manager,
        ph2["defining"],
        start_date=today - timedelta(days=200),
        end_date=today - timedelta(days=150),
        status=Phase.Status.DONE,
    )
    services.update_phase(
        manager,
        ph2["design"],
        start_date=today - timedelta(days=149),
        end_date=None,
        status=Phase.Status.ACTIVE,
    )
    for person in filter(None, (pw3, ola)):
        services.add_participant(manager, ph2["defining"], kind=K.PEER_WORKER, person=person)
    if pw3:
        services.add_participant(manager, ph2["design"], kind=K.PEER_WORKER, person=pw3)
        services.add_contribution(
            _actor(pw3, no),
            transition,
            phase=ph2["design"],
            submitted_on=today - timedelta(days=52),
            summary="Likeperson møter personen på avdelingen før utskrivning",
        )
    services.add_participant(manager, ph2["defining"], kind=K.USER_ORG_REP, external_name=fake.name())
    services.add_participant(manager, ph2["design"], kind=K.SERVICE_USER, external_name=fake.first_name())

    # --- Signals ------------------------------------------------------------------------------------------
    shelter = services.raise_signal(
        ola_actor,
        kind=Signal.Kind.GAP,
        responsible_manager=manager_user,
        unit=peer_team,
        title="Folk blir avvist ved akuttovernattingen etter kl. 22",
        description=(
            "Flere ganger de siste ukene har folk stått ute fordi døren stenges kl. 22, også når det er ledige senger."
        ),
    )
    Signal.objects.filter(pk=shelter.pk).update(raised_at=now - timedelta(days=12, hours=3))
    shelter.refresh_from_db()
    services.acknowledge_signal(manager, shelter)
    services.decide_signal(
        manager, shelter, decision="Jeg tar det opp med lederen for akuttovernattingen på møtet neste uke."
    )
    Signal.objects.filter(pk=shelter.pk).update(
        acknowledged_at=now - timedelta(days=11, hours=22), decided_at=now - timedelta(days=11, hours=21)
    )
    if pw3:
        waiting = services.raise_signal(
            _actor(pw3, no),
            kind=Signal.Kind.IDEA,
            responsible_manager=manager_user,
            visibility=Signal.Visibility.HIDDEN,
            title="Et fast rom for likepersonsamtaler på helsehuset",
        )
        Signal.objects.filter(pk=waiting.pk).update(raised_at=now - timedelta(days=2))

    # --- Boards -------------------------------------------------------------------------------------------
    board = services.create_board(
        manager,
        name="Brukerråd for Recoveryteamet",
        kind=Board.Kind.SERVICE_USER_BOARD,
        purpose="Gir råd om hvordan tjenesten utformes og hvordan ressursene brukes.",
        unit=peer_team,
    )
    if pw2:
        services.add_seat(manager, board, kind=K.PEER_WORKER, holder=pw2, leads=True)
    services.add_seat(manager, board, kind=K.PEER_WORKER, holder=ola)
    services.add_seat(manager, board, kind=K.USER_ORG_REP, holder_name=fake.name())
    services.add_seat(manager, board, kind=K.USER_ORG_REP, holder_name=fake.name())
    services.add_seat(manager, board, kind=K.SERVICE_USER, holder_name=fake.first_name())
    services.add_seat(manager, board, kind=K.PROFESSIONAL, holder=professional)
    services.add_seat(manager, board, kind=K.MANAGER, holder=manager_user)
    leader = _actor(pw2, no) if pw2 else manager
    first = services.add_meeting(
        leader,
        board,
        held_on=today - timedelta(days=70),
        agenda="1. Kveldsåpent for unge voksne: behov og åpningstider\n2. Valg av nestleder",
    )
    services.add_decision(
        leader,
        first,
        text="Brukerrådet støtter kveldsåpent og ber om åpent i helgene.",
        follow_up_by="Leder for Recoveryteamet",
    )
    second = services.add_meeting(
        leader,
        board,
        held_on=today - timedelta(days=14),
        agenda="1. Erfaringer fra de første ukene med kveldsåpent\n2. Akuttovernattingen",
    )
    services.add_decision(
        leader,
        second,
        text="Brukerrådet skriver et brev til kommunen om åpningstidene ved akuttovernattingen.",
    )

    group = services.create_board(
        manager, name="Arbeidsgruppe for ruspolitisk handlingsplan", kind=Board.Kind.WORKING_GROUP
    )
    for person in filter(None, (ola, pw4)):
        services.add_seat(manager, group, kind=K.PEER_WORKER, holder=person)
    if coordinator:
        services.add_seat(manager, group, kind=K.MANAGER, holder=coordinator, leads=True)
    services.add_seat(manager, group, kind=K.USER_ORG_REP, holder_name=fake.name())
    Board.objects.filter(pk__in=[board.pk, group.pk]).update(created_at=now - timedelta(days=400))

    # --- Peer workers as partners -------------------------------------------------------------------------
    senior = _user("senior")
    _partners(
        no,
        peer=ola,
        mentor=senior,
        co_owner=coordinator,
        unit=peer_team,
        today=today,
        texts=NO_PARTNERS,
        fake=fake,
    )
    if pw4:
        services.create_board(
            _actor(pw4, no),
            name="Arbeidsgruppe for samarbeid med NAV",
            kind=Board.Kind.WORKING_GROUP,
            purpose="Foreslått: likepersoner, NAV-veiledere og brukerorganisasjonene finner felles rutiner.",
        )
    _without_peer_workers(manager, professional, NO_PARTNERS)

    # --- Denmark ------------------------------------------------------------------------------------------
    dk_manager, dk_pw = _user("dk-manager"), _user("dk-peerworker1")
    if dk_manager and dk_pw and not Initiative.objects.filter(organisation=dk).exists():
        dk_actor = _actor(dk_manager, dk)
        team = Unit.objects.filter(organisation=dk).order_by("name").first()
        ini = services.create_initiative(
            dk_actor,
            title="Recovery-samtaler i FACT-teamet",
            unit=team,
            problem_statement=("Borgerne oplever, at samtalerne handler om symptomer og ikke om det liv, de ønsker."),
        )
        phd = _phases(ini)
        services.update_phase(
            dk_actor,
            phd["design"],
            start_date=today - timedelta(days=30),
            end_date=None,
            status=Phase.Status.ACTIVE,
        )
        services.add_participant(dk_actor, phd["design"], kind=K.PEER_WORKER, person=dk_pw)
        services.add_contribution(
            _actor(dk_pw, dk),
            ini,
            phase=phd["design"],
            submitted_on=today - timedelta(days=10),
            summary="Start hver samtale med: Hvad er vigtigt for dig lige nu?",
        )
        fake_dk = Faker("da_DK")
        fake_dk.seed_instance(rng.randint(0, 10**6))
        _partners(
            dk,
            peer=dk_pw,
            mentor=_user("dk-mentor1"),
            co_owner=None,
            unit=team,
            today=today,
            texts=DK_PARTNERS,
            fake=fake_dk,
        )
        _without_peer_workers(dk_actor, _user("dk-professional"), DK_PARTNERS)

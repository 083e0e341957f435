"""Peer workers as partners in co-creation: they start and co-own initiatives, start boards they lead or
propose others, decisions on proposals can be a board's joint decision with who took part, and the warning
"no peer worker takes part" fires in any phase. Every write refuses bad input whatever calls it, and saves
nothing."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from peerwork.accounts import services as account_services
from peerwork.cocreation import selectors, services
from peerwork.cocreation.models import (
    Board,
    Contribution,
    CoOwner,
    DecisionParticipant,
    Initiative,
    Meeting,
    ParticipantKind,
    Participation,
    Phase,
    Seat,
    Signal,
)
from peerwork.cocreation.warnings import (
    NO_PEER_WORKER,
    PEER_LED_WITHOUT_PEER_LEADER,
    PEER_WORKERS_ONLY_IN_DELIVERY,
    PEER_WORKERS_REPLACE_USER_ORG,
)
from peerwork.core.roles import Role

from .conftest import add_user, phase_of

K = ParticipantKind
PEER_LED = Board.Kind.PEER_LED_USER_BOARD


def codes(view):
    return {w.code for w in view.warnings}


@pytest.fixture
def senior(world):
    return world.actor(Role.SENIOR_PEER_WORKER)


@pytest.fixture
def peer_initiative(peer):
    return services.create_initiative(
        peer, title="Peer-run walk-in hours", problem_statement="People wait weeks for a first conversation."
    )


# --- initiatives owned by peer workers --------------------------------------------------------------------


def test_peer_worker_starts_and_owns_an_initiative_and_takes_part_from_defining(world, peer, peer_initiative):
    pw = world.users[Role.PEER_WORKER]
    assert peer_initiative.owner == pw
    defining = phase_of(peer_initiative, "defining")
    assert list(defining.participations.values_list("person", "kind")) == [(pw.pk, "peer_worker")]
    view = selectors.initiative(peer, peer_initiative.pk)
    assert NO_PEER_WORKER not in codes(view)
    assert services.can_manage_initiative(peer, peer_initiative)
    assert services.can_decide(peer, peer_initiative)


def test_a_peer_worker_who_names_another_lead_owner_stays_a_co_owner(world, peer):
    manager_user = world.users[Role.MANAGER]
    ini = services.create_initiative(peer, title="t", problem_statement="p", owner=manager_user)
    assert ini.owner == manager_user
    assert list(CoOwner.objects.filter(initiative=ini).values_list("person", flat=True)) == [
        world.users[Role.PEER_WORKER].pk
    ]


def test_co_owners_are_people_who_may_own(world, manager):
    with pytest.raises(ValidationError) as exc:
        services.create_initiative(
            manager, title="t", problem_statement="p", co_owners=[world.users[Role.PROFESSIONAL]]
        )
    assert set(exc.value.message_dict) == {"co_owners"}
    assert not Initiative.objects.exists()


def test_co_owner_changes_phases_and_participants_others_may_not(world, manager, senior):
    ini = services.create_initiative(manager, title="t", problem_statement="p")
    design = phase_of(ini, "design")
    pw2 = add_user(world, Role.PEER_WORKER, "pw2")
    with pytest.raises(PermissionDenied):
        services.update_phase(senior, design, start_date=date(2026, 1, 1), end_date=None, status="active")
    co = services.add_co_owner(manager, ini, person=world.users[Role.SENIOR_PEER_WORKER])
    ini = Initiative.objects.get(pk=ini.pk)
    design = phase_of(ini, "design")
    services.update_phase(senior, design, start_date=date(2026, 1, 1), end_date=None, status="active")
    services.add_participant(senior, design, kind=K.PEER_WORKER, person=pw2)
    with pytest.raises(ValidationError) as exc:
        services.add_co_owner(manager, ini, person=world.users[Role.SENIOR_PEER_WORKER])
    assert "already owns" in exc.value.message_dict["person"][0]
    with pytest.raises(ValidationError):
        services.add_co_owner(manager, ini, person=world.users[Role.PROFESSIONAL])
    services.remove_co_owner(manager, co)
    ini = Initiative.objects.get(pk=ini.pk)
    with pytest.raises(PermissionDenied):
        services.update_phase(senior, phase_of(ini, "design"), start_date=None, end_date=None, status="planned")


def test_no_peer_worker_warning_fires_in_any_phase_and_gives_way(world, manager, drop_in):
    view = selectors.initiative(manager, drop_in.pk)
    assert NO_PEER_WORKER in codes(view)  # nobody yet
    warning = next(w for w in view.warnings if w.code == NO_PEER_WORKER)
    assert warning.source == ("s4-cocreation",)  # the managers study, Results, theme 3
    services.add_participant(manager, phase_of(drop_in, "design"), kind=K.PROFESSIONAL, external_name="Ann")
    services.update_phase(
        manager, phase_of(drop_in, "assessment"), start_date=date(2026, 1, 1), end_date=None, status="active"
    )
    assert NO_PEER_WORKER in codes(selectors.initiative(manager, drop_in.pk))  # still none, whatever the phase
    services.add_participant(
        manager, phase_of(drop_in, "delivery"), kind=K.PEER_WORKER, person=world.users[Role.PEER_WORKER]
    )
    now = codes(selectors.initiative(manager, drop_in.pk))
    assert NO_PEER_WORKER not in now and PEER_WORKERS_ONLY_IN_DELIVERY in now


# --- decisions ---------------------------------------------------------------------------------------------


@pytest.fixture
def working_group(world, manager):
    group = services.create_board(manager, name="Working group on evenings", kind=Board.Kind.WORKING_GROUP)
    seats = [
        services.add_seat(manager, group, kind=K.PEER_WORKER, holder=world.users[Role.PEER_WORKER], leads=True),
        services.add_seat(manager, group, kind=K.USER_ORG_REP, holder_name="Mona (Mental Helse)"),
        services.add_seat(manager, group, kind=K.MANAGER, holder=world.users[Role.MANAGER]),
        services.add_seat(manager, group, kind=K.SERVICE_USER),  # vacant
    ]
    return group, seats


@pytest.fixture
def proposal(peer, drop_in):
    return services.add_contribution(
        peer,
        drop_in,
        phase=phase_of(drop_in, "design"),
        summary="Open on Saturdays",
        submitted_on=timezone.localdate() - timedelta(days=3),
    )


def test_joint_decision_of_a_working_group_records_who_took_part(world, manager, proposal, working_group):
    group, seats = working_group
    services.decide_contribution(
        manager,
        proposal,
        outcome="adopted",
        decided_with=group,
        participants=[seats[0], seats[1], seats[2]],
        guests=["Per", " ", "mona (mental helse)"],
    )
    c = selectors.contribution(manager, proposal.pk)
    assert c.decided_with == group and c.decided_by == world.users[Role.MANAGER]
    got = [(x.display, x.kind) for x in c.participants.all()]
    assert sorted(got) == sorted(
        [
            (str(world.users[Role.PEER_WORKER]), "peer_worker"),
            ("Mona (Mental Helse)", "user_org_rep"),
            (str(world.users[Role.MANAGER]), "manager"),
            ("Per", "service_user"),
        ]
    )
    # Deciding again alone clears the joint record.
    services.decide_contribution(manager, proposal, outcome="adopted")
    proposal.refresh_from_db()
    assert proposal.decided_with is None and not DecisionParticipant.objects.exists()


@pytest.mark.parametrize(
    ("how", "field"),
    [
        ("one_person", "participants"),
        ("vacant_seat", "participants"),
        ("other_board", "participants"),
        ("no_board", "decided_with"),
        ("proposed_board", "decided_with"),
    ],
)
def test_joint_decision_refused_saves_nothing(world, manager, peer, proposal, working_group, how, field):
    group, seats = working_group
    other = services.create_board(manager, name="Other", kind=Board.Kind.MANAGEMENT_GROUP)
    other_seat = services.add_seat(manager, other, kind=K.MANAGER, holder=world.users[Role.MANAGER])
    proposed = services.create_board(peer, name="Proposed group", kind=Board.Kind.WORKING_GROUP)
    kwargs = {
        "one_person": {"decided_with": group, "participants": [seats[0]]},
        "vacant_seat": {"decided_with": group, "participants": [seats[0], seats[3]]},
        "other_board": {"decided_with": group, "participants": [seats[0], other_seat]},
        "no_board": {"participants": [seats[0], seats[1]]},
        "proposed_board": {"decided_with": proposed, "guests": ["A", "B"]},
    }[how]
    with pytest.raises(ValidationError) as exc:
        services.decide_contribution(manager, proposal, outcome="adopted", **kwargs)
    assert field in exc.value.message_dict
    proposal.refresh_from_db()
    assert proposal.outcome == "pending" and proposal.decided_with is None
    assert not DecisionParticipant.objects.exists()


def test_owners_decide_other_peer_workers_do_not(world, peer, peer_initiative, senior):
    c = services.add_contribution(
        world.actor(Role.SENIOR_PEER_WORKER), peer_initiative, phase=phase_of(peer_initiative, "design"), summary="s"
    )
    with pytest.raises(PermissionDenied):
        services.decide_contribution(senior, c, outcome="adopted")
    services.decide_contribution(peer, c, outcome="adopted")
    assert Contribution.objects.get(pk=c.pk).decided_by == world.users[Role.PEER_WORKER]


# --- boards -----------------------------------------------------------------------------------------------


def test_peer_worker_starts_a_peer_led_board_and_seats_its_members(world, peer, senior):
    board = services.create_board(peer, name="Local user board, Sentrum", kind=PEER_LED)
    assert board.status == Board.Status.ACTIVE and board.proposed_by == world.users[Role.PEER_WORKER]
    view = selectors.board(peer, board.pk)
    assert view.leader.holder == world.users[Role.PEER_WORKER] and view.leader.kind == "peer_worker"
    assert PEER_LED_WITHOUT_PEER_LEADER not in codes(view)
    services.add_seat(peer, board, kind=K.SERVICE_USER, holder_name="Jon")
    assert PEER_WORKERS_REPLACE_USER_ORG in codes(selectors.board(peer, board.pk))  # the S4 warning applies
    services.add_seat(peer, board, kind=K.USER_ORG_REP, holder_name="Invited: LPP Oslo")
    assert PEER_WORKERS_REPLACE_USER_ORG not in codes(selectors.board(peer, board.pk))
    with pytest.raises(PermissionDenied):  # only its leader (or a manager) seats it
        services.add_seat(senior, board, kind=K.SERVICE_USER, holder_name="Eva")
    with pytest.raises(ValidationError) as exc:  # a peer-led board is led from a peer-worker seat
        services.add_seat(peer, board, kind=K.USER_ORG_REP, holder_name="Eva", leads=True)
    assert "leads" in exc.value.message_dict
    leader = Seat.objects.get(board=board, leads=True)
    services.remove_seat(world.actor(Role.MANAGER), leader)
    assert PEER_LED_WITHOUT_PEER_LEADER in codes(selectors.board(peer, board.pk))


def test_manager_names_a_peer_worker_to_lead_a_peer_led_board(world, manager):
    with pytest.raises(ValidationError) as exc:
        services.create_board(manager, name="B", kind=PEER_LED, leader=world.users[Role.PROFESSIONAL])
    assert "leader" in exc.value.message_dict
    with pytest.raises(ValidationError):
        services.create_board(manager, name="B", kind=PEER_LED)
    assert not Board.objects.exists()
    board = services.create_board(manager, name="B", kind=PEER_LED, leader=world.users[Role.SENIOR_PEER_WORKER])
    assert board.proposed_by is None
    assert Seat.objects.get(board=board, leads=True).holder == world.users[Role.SENIOR_PEER_WORKER]


def test_peer_worker_proposes_a_board_a_manager_confirms_it(world, peer, manager):
    board = services.create_board(peer, name="Working group on housing", kind=Board.Kind.WORKING_GROUP)
    assert board.status == Board.Status.PROPOSED
    assert list(board.seats.values_list("holder", "kind", "leads")) == [
        (world.users[Role.PEER_WORKER].pk, "peer_worker", False)
    ]
    with pytest.raises(ValidationError):
        services.add_meeting(manager, board, held_on=date(2026, 1, 5), agenda="Start")
    with pytest.raises(PermissionDenied):
        services.confirm_board(peer, board)
    services.confirm_board(manager, board)
    assert services.add_meeting(manager, board, held_on=date(2026, 1, 5), agenda="Start").pk
    with pytest.raises(ValidationError):
        services.confirm_board(manager, board)


def test_professionals_do_not_start_boards(world):
    with pytest.raises(PermissionDenied):
        services.create_board(world.actor(Role.PROFESSIONAL), name="B", kind=PEER_LED)


# --- every write validates, whatever calls it --------------------------------------------------------------


LONG = "x" * 201


@pytest.mark.parametrize(
    ("write", "field", "model"),
    [
        (lambda w, m, i, b: services.create_initiative(m, title=LONG, problem_statement="p"), "title", Initiative),
        (
            lambda w, m, i, b: services.create_initiative(m, title="t", problem_statement="p\x00"),
            "problem_statement",
            Initiative,
        ),
        (
            lambda w, m, i, b: services.update_phase(
                m, phase_of(i, "design"), start_date=date(1026, 1, 1), end_date=None, status="active"
            ),
            "start_date",
            None,
        ),
        (
            lambda w, m, i, b: services.update_phase(
                m, phase_of(i, "design"), start_date=None, end_date=date(9999, 12, 31), status="done"
            ),
            "end_date",
            None,
        ),
        (
            lambda w, m, i, b: services.add_participant(
                m, phase_of(i, "design"), kind="service_user", external_name="n" * 121
            ),
            "external_name",
            Participation,
        ),
        (
            lambda w, m, i, b: services.add_contribution(
                m, i, phase=phase_of(i, "design"), summary=LONG, contributor_name="A"
            ),
            "summary",
            Contribution,
        ),
        (
            lambda w, m, i, b: services.add_contribution(
                m, i, phase=phase_of(i, "design"), summary="s", contributor_name="A", submitted_on=date(1899, 12, 31)
            ),
            "submitted_on",
            Contribution,
        ),
        (lambda w, m, i, b: services.create_board(m, name=LONG, kind="working_group"), "name", Board),
        (lambda w, m, i, b: services.add_meeting(m, b, held_on=date(1, 1, 1), agenda="a"), "held_on", Meeting),
        (
            lambda w, m, i, b: services.add_meeting(
                m, b, held_on=timezone.localdate() + timedelta(days=3700 * 1), agenda="a"
            ),
            "held_on",
            Meeting,
        ),
        (lambda w, m, i, b: services.add_meeting(m, b, held_on=date(2026, 1, 1), agenda="a\x00"), "agenda", Meeting),
        (lambda w, m, i, b: services.add_seat(m, b, kind="service_user", holder_name="n" * 121), "holder_name", Seat),
        (lambda w, m, i, b: services.end_board(m, b, date(1800, 1, 1)), "ended_on", None),
        (
            lambda w, m, i, b: services.raise_signal(
                w.actor(Role.PEER_WORKER), kind="gap", title=LONG, responsible_manager=w.users[Role.MANAGER]
            ),
            "title",
            Signal,
        ),
    ],
)
def test_direct_service_calls_with_bad_input_are_refused_and_save_nothing(world, manager, drop_in, write, field, model):
    board = services.create_board(manager, name="Board", kind=Board.Kind.WORKING_GROUP)
    counts = {m: m.objects.count() for m in (Initiative, Participation, Contribution, Board, Meeting, Seat, Signal)}
    phases = list(Phase.objects.values_list("pk", "start_date", "end_date", "status"))
    with pytest.raises(ValidationError) as exc:
        write(world, manager, drop_in, board)
    assert field in exc.value.message_dict, exc.value.message_dict
    assert {m: m.objects.count() for m in counts} == counts
    assert list(Phase.objects.values_list("pk", "start_date", "end_date", "status")) == phases
    board.refresh_from_db()
    assert board.ended_on is None


# --- the API, validating like the forms -------------------------------------------------------------------


@pytest.fixture
def api(world):
    def make(role):
        _token, secret = account_services.create_api_token(world.actor(role), name="test", valid_days=1)
        return Client(HTTP_AUTHORIZATION=f"Bearer {secret}")

    return make


def test_peer_worker_starts_an_initiative_and_a_board_through_the_api(world, api):
    pw = api(Role.PEER_WORKER)
    r = pw.post(
        "/api/cocreation/initiatives",
        {"title": "Walk-in", "problem_statement": "Long waits", "co_owner_ids": [world.users[Role.COORDINATOR].pk]},
        content_type="application/json",
    )
    assert r.status_code == 201, r.content
    body = r.json()
    assert body["owner_id"] == world.users[Role.PEER_WORKER].pk
    assert body["co_owner_ids"] == [world.users[Role.COORDINATOR].pk]
    assert "no_peer_worker_takes_part" not in [w["code"] for w in body["warnings"]]
    r = pw.post(
        f"/api/cocreation/initiatives/{body['id']}/co-owners",
        {"person_id": world.users[Role.PROFESSIONAL].pk},
        content_type="application/json",
    )
    assert r.status_code == 422 and "person" in r.json()["errors"]

    r = pw.post("/api/cocreation/boards", {"name": "Local board", "kind": PEER_LED}, content_type="application/json")
    assert r.status_code == 201, r.content
    board = r.json()
    assert board["status"] == "active" and [s["leads"] for s in board["seats"]] == [True]
    r = pw.post(
        f"/api/cocreation/boards/{board['id']}/meetings",
        {"held_on": "1026-01-05", "agenda": "Start"},
        content_type="application/json",
    )
    assert r.status_code == 422 and "held_on" in r.json()["errors"]
    assert not Meeting.objects.exists()
    r = pw.post(
        f"/api/cocreation/boards/{board['id']}/seats",
        {"kind": "user_org_rep", "holder_name": "LPP"},
        content_type="application/json",
    )
    assert r.status_code == 201, r.content
    r = api(Role.PROFESSIONAL).post(
        "/api/cocreation/boards", {"name": "X", "kind": PEER_LED}, content_type="application/json"
    )
    assert r.status_code == 403


def test_joint_decision_through_the_api(world, api, manager, proposal, working_group):
    group, seats = working_group
    r = api(Role.MANAGER).post(
        f"/api/cocreation/contributions/{proposal.pk}/decision",
        {"outcome": "adopted", "decided_with_id": group.pk, "participant_seat_ids": [seats[0].pk]},
        content_type="application/json",
    )
    assert r.status_code == 422 and "participants" in r.json()["errors"]
    r = api(Role.MANAGER).post(
        f"/api/cocreation/contributions/{proposal.pk}/decision",
        {
            "outcome": "adopted",
            "decided_with_id": group.pk,
            "participant_seat_ids": [seats[0].pk, seats[1].pk],
            "guests": ["Per"],
        },
        content_type="application/json",
    )
    assert r.status_code == 200, r.content
    got = r.json()
    assert got["decided_with_id"] == group.pk
    assert sorted(p["name"] for p in got["participants"]) == sorted(
        [str(world.users[Role.PEER_WORKER]), "Mona (Mental Helse)", "Per"]
    )


# --- pages ------------------------------------------------------------------------------------------------


def test_peer_worker_starts_an_initiative_on_the_page(world):
    client = world.client(Role.PEER_WORKER)
    assert client.get(reverse("cocreation:initiative_new")).status_code == 200
    r = client.post(
        reverse("cocreation:initiative_new"),
        {"title": "Walk-in", "problem_statement": "Long waits", "owner": world.users[Role.PEER_WORKER].pk},
    )
    assert r.status_code == 302, r.content.decode()[:2000]
    ini = Initiative.objects.get()
    assert ini.owner == world.users[Role.PEER_WORKER]
    page = client.get(reverse("cocreation:initiative", args=[ini.pk])).content.decode()
    assert "Add a co-owner" in page and "Change dates and status" in page


def test_phase_form_refuses_an_implausible_year_like_the_service(world, manager, drop_in):
    client = world.client(Role.MANAGER)
    r = client.post(
        reverse("cocreation:phase_edit", args=[phase_of(drop_in, "design").pk]),
        {"start_date": "1026-01-01", "status": "active"},
    )
    assert r.status_code == 200 and "check the year" in r.content.decode()
    assert phase_of(drop_in, "design").start_date is None


def test_joint_decision_on_the_page(world, manager, proposal, working_group):
    group, seats = working_group
    client = world.client(Role.MANAGER)
    url = reverse("cocreation:contribution_decide", args=[proposal.pk])
    page = client.get(url).content.decode()
    assert "A joint decision of" in page and "Mona (Mental Helse)" in page
    r = client.post(
        url,
        {
            "outcome": "adopted",
            "decided_with": group.pk,
            "participants": [seats[0].pk, seats[1].pk],
            "guests": "Per\nKari",
        },
    )
    assert r.status_code == 302, r.content.decode()[:3000]
    assert DecisionParticipant.objects.filter(contribution=proposal).count() == 4
    page = client.get(reverse("cocreation:initiative", args=[proposal.initiative_id])).content.decode()
    assert "Joint decision of Working group on evenings" in page and "Mona (Mental Helse)" in page


def test_peer_worker_proposes_a_board_on_the_page_and_a_manager_confirms(world):
    pw = world.client(Role.PEER_WORKER)
    r = pw.post(reverse("cocreation:board_new"), {"name": "Housing group", "kind": "working_group"})
    assert r.status_code == 302
    board = Board.objects.get()
    assert board.status == "proposed"
    assert pw.post(reverse("cocreation:board_confirm", args=[board.pk])).status_code == 403
    page = world.client(Role.MANAGER).get(reverse("cocreation:board", args=[board.pk])).content.decode()
    assert "Confirm the board" in page
    assert world.client(Role.MANAGER).post(reverse("cocreation:board_confirm", args=[board.pk])).status_code == 302
    board.refresh_from_db()
    assert board.status == "active"


def test_a_manager_declines_a_proposed_board_and_a_second_confirmation_is_explained(world):
    pw, mgr = world.client(Role.PEER_WORKER), world.client(Role.MANAGER)
    pw.post(reverse("cocreation:board_new"), {"name": "Group A", "kind": "working_group"})
    pw.post(reverse("cocreation:board_new"), {"name": "Group B", "kind": "cross_sector"})
    a, b = Board.objects.get(name="Group A"), Board.objects.get(name="Group B")
    mgr.post(reverse("cocreation:board_confirm", args=[a.pk]), {"decline": "1"})
    a.refresh_from_db()
    assert a.status == "proposed" and a.ended_on == timezone.localdate()
    mgr.post(reverse("cocreation:board_confirm", args=[b.pk]))
    r = mgr.post(reverse("cocreation:board_confirm", args=[b.pk]), follow=True)
    assert r.status_code == 200 and "already confirmed" in r.content.decode()

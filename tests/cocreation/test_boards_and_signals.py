from __future__ import annotations

from datetime import date

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.urls import reverse

from peerwork.audit.models import AuditEntry
from peerwork.cocreation import forms, selectors, services
from peerwork.cocreation.api import SignalIn
from peerwork.cocreation.models import Board, ParticipantKind, Signal
from peerwork.cocreation.warnings import PEER_WORKERS_REPLACE_USER_ORG, USER_ORG_SEATS_CONVERTED
from peerwork.core import hooks
from peerwork.core.roles import Role

from .conftest import add_user

K = ParticipantKind


def codes(view):
    return {w.code for w in view.warnings}


@pytest.fixture
def board(manager):
    return services.create_board(manager, name="Service user board", kind=Board.Kind.SERVICE_USER_BOARD)


def test_service_user_board_with_peer_workers_and_no_user_org_seat_warns(world, manager, board):
    services.add_seat(manager, board, kind=K.PEER_WORKER, holder=world.users[Role.PEER_WORKER], leads=True)
    services.add_seat(manager, board, kind=K.SERVICE_USER, holder_name="Jonas")
    view = selectors.board(manager, board.pk)
    assert PEER_WORKERS_REPLACE_USER_ORG in codes(view)
    assert view.leader.holder == world.users[Role.PEER_WORKER]

    services.add_seat(manager, board, kind=K.USER_ORG_REP, holder_name="Representative of the user organisation")
    assert codes(selectors.board(manager, board.pk)) == set()


def test_other_board_kinds_do_not_need_a_user_org_seat(world, manager):
    group = services.create_board(manager, name="Management group", kind=Board.Kind.MANAGEMENT_GROUP)
    services.add_seat(manager, group, kind=K.PEER_WORKER, holder=world.users[Role.PEER_WORKER])
    assert codes(selectors.board(manager, group.pk)) == set()


def test_converting_a_user_org_seat_warns_even_when_another_remains(world, manager):
    group = services.create_board(manager, name="Cross-sector group", kind=Board.Kind.CROSS_SECTOR)
    seat = services.add_seat(manager, group, kind=K.USER_ORG_REP, holder_name="Rep A")
    services.add_seat(manager, group, kind=K.USER_ORG_REP, holder_name="Rep B")
    assert codes(selectors.board(manager, group.pk)) == set()
    services.update_seat(manager, seat, kind=K.PEER_WORKER, holder=world.users[Role.PEER_WORKER])
    seat.refresh_from_db()
    assert seat.converted_from == K.USER_ORG_REP
    assert USER_ORG_SEATS_CONVERTED in codes(selectors.board(manager, group.pk))
    # Turning it back clears the warning.
    services.update_seat(manager, seat, kind=K.USER_ORG_REP, holder_name="Rep C")
    assert USER_ORG_SEATS_CONVERTED not in codes(selectors.board(manager, group.pk))


def test_dual_roles_are_recognised(world, manager, board):
    pw = world.users[Role.PEER_WORKER]
    services.add_seat(manager, board, kind=K.USER_ORG_REP, holder=pw)  # a peer worker in a user-org seat
    services.add_seat(
        manager,
        board,
        kind=K.PROFESSIONAL,
        holder=world.users[Role.PROFESSIONAL],
        also_acts_as=K.SERVICE_USER,
    )
    services.add_seat(manager, board, kind=K.MANAGER, holder=world.users[Role.MANAGER])
    flags = {r.seat.holder_id: r.dual_role for r in selectors.board(manager, board.pk).seats}
    assert flags == {
        pw.pk: True,
        world.users[Role.PROFESSIONAL].pk: True,
        world.users[Role.MANAGER].pk: False,
    }


def test_one_leader_per_board(world, manager, board):
    a = services.add_seat(manager, board, kind=K.PEER_WORKER, holder=world.users[Role.PEER_WORKER], leads=True)
    b = services.add_seat(manager, board, kind=K.USER_ORG_REP, holder_name="Rep", leads=True)
    a.refresh_from_db()
    b.refresh_from_db()
    assert (a.leads, b.leads) == (False, True)
    with pytest.raises(ValidationError):
        services.add_seat(manager, board, kind=K.USER_ORG_REP, leads=True)  # vacant seat cannot lead


def test_board_leader_records_meetings_and_decisions_others_cannot(world, manager, board):
    pw = world.actor(Role.PEER_WORKER)
    with pytest.raises(PermissionDenied):
        services.add_meeting(pw, board, held_on=date(2026, 1, 10), agenda="Winter opening hours")
    services.add_seat(manager, board, kind=K.PEER_WORKER, holder=pw.user, leads=True)
    meeting = services.add_meeting(pw, board, held_on=date(2026, 1, 10), agenda="Winter opening hours")
    services.add_decision(pw, meeting, text="Ask the shelter to stay open until midnight", follow_up_by="Manager")
    with pytest.raises(ValidationError):
        services.add_decision(pw, meeting, text="  ")
    with pytest.raises(PermissionDenied):
        services.add_meeting(world.actor(Role.PROFESSIONAL), board, held_on=date(2026, 2, 1), agenda="x")
    view = selectors.board(world.actor(Role.PROFESSIONAL), board.pk)
    assert [d.text for m in view.meetings for d in m.decisions.all()] == ["Ask the shelter to stay open until midnight"]


def test_committee_counts_per_peer_worker(world, manager, board):
    pw = world.users[Role.PEER_WORKER]
    kari = add_user(world, Role.SENIOR_PEER_WORKER, "kari")
    group = services.create_board(manager, name="Working group", kind=Board.Kind.WORKING_GROUP)
    ended = services.create_board(manager, name="Old group", kind=Board.Kind.WORKING_GROUP)
    services.add_seat(manager, board, kind=K.PEER_WORKER, holder=pw)
    services.add_seat(manager, board, kind=K.USER_ORG_REP, holder=pw)  # same board twice counts once
    services.add_seat(manager, group, kind=K.PEER_WORKER, holder=pw)
    services.add_seat(manager, ended, kind=K.PEER_WORKER, holder=pw)
    services.end_board(manager, ended, date(2025, 12, 31))
    services.add_seat(manager, group, kind=K.PEER_WORKER, holder=kari)
    services.add_seat(manager, group, kind=K.MANAGER, holder=world.users[Role.MANAGER])  # not a peer worker
    assert selectors.committee_counts(world.org.pk) == {pw.pk: 2, kari.pk: 1}


def test_committee_counter_is_offered_to_readiness():
    assert selectors.committee_counts in hooks.get(hooks.COMMITTEE_COUNTERS)


def test_boards_are_scoped(world, other_world, board):
    other = other_world.actor(Role.MANAGER)
    assert selectors.boards(other) == []
    with pytest.raises(Http404):
        selectors.board(other, board.pk)


# --- signals ----------------------------------------------------------------------------------------------


def raise_(actor, manager_user, **kw):
    data = {
        "kind": Signal.Kind.GAP,
        "title": "People are turned away at the emergency shelter after 22:00",
        "responsible_manager": manager_user,
    }
    data.update(kw)
    return services.raise_signal(actor, **data)


def test_signal_goes_to_the_manager_who_acknowledges_decides_and_closes(world):
    pw, mgr = world.actor(Role.PEER_WORKER), world.actor(Role.MANAGER)
    s = raise_(pw, mgr.user)
    assert [v.signal.pk for v in selectors.inbox(mgr, waiting_only=True)] == [s.pk]
    with pytest.raises(ValidationError):
        services.decide_signal(mgr, s, decision="Talk to the shelter")  # acknowledge first
    services.acknowledge_signal(mgr, s)
    with pytest.raises(ValidationError):
        services.acknowledge_signal(mgr, s)
    services.decide_signal(mgr, s, decision="Raise it with the shelter's manager this week")
    services.close_signal(mgr, s, outcome="The shelter now takes people in until 01:00")
    mine = selectors.my_signals(pw)
    assert mine[0].signal.status == "closed"
    assert mine[0].signal.acknowledged_at >= mine[0].signal.raised_at
    assert mine[0].signal.time_to_acknowledge is not None
    assert selectors.inbox(mgr, waiting_only=True) == []


def test_only_the_responsible_manager_acts(world):
    other_manager = add_user(world, Role.MANAGER, "manager-two")
    s = raise_(world.actor(Role.PEER_WORKER), other_manager)
    with pytest.raises(PermissionDenied):
        services.acknowledge_signal(world.actor(Role.MANAGER), s)


def test_only_peer_workers_raise_and_only_to_a_manager(world):
    with pytest.raises(PermissionDenied):
        raise_(world.actor(Role.PROFESSIONAL), world.users[Role.MANAGER])
    with pytest.raises(ValidationError) as exc:
        raise_(world.actor(Role.PEER_WORKER), world.users[Role.COORDINATOR])
    assert "responsible_manager" in exc.value.message_dict


@pytest.mark.parametrize(
    ("visibility", "responsible_sees", "other_manager_sees"),
    [("named", True, True), ("hidden", True, False), ("anonymous", False, False)],
)
def test_sender_name_follows_the_senders_choice(world, visibility, responsible_sees, other_manager_sees):
    other_manager = world.actor(Role.MANAGER)
    responsible_user = add_user(world, Role.MANAGER, "responsible")
    from tests.conftest import actor_for

    responsible = actor_for(responsible_user, world.org)
    pw = world.actor(Role.PEER_WORKER)
    s = raise_(pw, responsible_user, visibility=visibility)
    assert (selectors.signal(responsible, s.pk).sender is not None) == responsible_sees
    assert (selectors.signal(other_manager, s.pk).sender is not None) == other_manager_sees
    assert selectors.signal(pw, s.pk).sender is not None  # the sender always sees it is theirs
    audit = AuditEntry.objects.filter(object_type="cocreation.signal", object_id=str(s.pk))
    if visibility == "anonymous":
        # Managers' reads do not name the sender as the person whose data was read.
        assert not audit.exclude(actor=pw.user).filter(subject_id=str(pw.user.pk)).exists()


def test_a_signal_that_names_or_describes_a_service_user_is_refused(world):
    pw = world.actor(Role.PEER_WORKER)
    with pytest.raises(ValidationError) as exc:
        raise_(pw, world.users[Role.MANAGER], names_service_user=True)
    assert "never about a person" in exc.value.message_dict["names_service_user"][0]
    assert not Signal.objects.exists()


def test_a_signal_has_no_link_to_a_service_user_anywhere(world):
    """Signals are about services, never about a person: no field, form field or API field can tie one to a
    service user, so no consent is ever needed to send one."""
    fields = {f.name for f in Signal._meta.get_fields()}
    assert not {n for n in fields if "service_user" in n or "person" in n}
    form_fields = set(forms.SignalForm(world.actor(Role.PEER_WORKER)).fields)
    assert "service_user" not in form_fields and "names_service_user" in form_fields
    assert not {n for n in SignalIn.model_fields if "service_user_id" in n or "person" in n}
    with pytest.raises(TypeError):
        raise_(world.actor(Role.PEER_WORKER), world.users[Role.MANAGER], service_user_id=1)


def test_signals_are_private_to_sender_and_managers(world, other_world):
    s = raise_(world.actor(Role.PEER_WORKER), world.users[Role.MANAGER])
    for role in (Role.PROFESSIONAL, Role.COORDINATOR, Role.SENIOR_PEER_WORKER):
        with pytest.raises(Http404):
            selectors.signal(world.actor(role), s.pk)
    with pytest.raises(Http404):
        selectors.signal(other_world.actor(Role.MANAGER), s.pk)
    with pytest.raises(PermissionDenied):
        services.acknowledge_signal(other_world.actor(Role.MANAGER), s)
    with pytest.raises(PermissionDenied):
        selectors.inbox(world.actor(Role.PEER_WORKER))


def test_dual_roles_are_shown_neutrally_not_as_a_risk(world, manager, board):
    """S2 §6.7: a peer worker who is also a user representative is increasingly an asset; no warning colour."""
    services.add_seat(manager, board, kind=K.USER_ORG_REP, holder=world.users[Role.PEER_WORKER])
    body = world.client(Role.MANAGER).get(reverse("cocreation:board", args=[board.pk])).content.decode()
    assert '<span class="tag">Two roles</span>' in body
    assert '<span class="tag warn">Two roles' not in body
    assert f'href="{reverse("core:sources")}#s2-user-reps"' in body and "B2" not in body

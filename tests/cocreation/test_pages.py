from __future__ import annotations

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from peerwork.cocreation import services
from peerwork.cocreation.models import Contribution, ParticipantKind, Signal
from peerwork.core.roles import Role

from .conftest import phase_of


def test_each_page_renders_for_the_roles_that_use_it(world, drop_in, manager, peer, django_assert_max_num_queries):
    c = services.add_contribution(peer, drop_in, phase=phase_of(drop_in, "design"), summary="Open late")
    board = services.create_board(manager, name="Board", kind="service_user_board")
    services.add_seat(manager, board, kind=ParticipantKind.PEER_WORKER, holder=peer.user, leads=True)
    meeting = services.add_meeting(manager, board, held_on=timezone.localdate(), agenda="Agenda")
    s = services.raise_signal(peer, kind="gap", title="Shelter closes at 22", responsible_manager=manager.user)
    pages = {
        Role.MANAGER: [
            reverse("cocreation:initiatives"),
            reverse("cocreation:initiative_new"),
            reverse("cocreation:initiative", args=[drop_in.pk]),
            reverse("cocreation:phase_edit", args=[phase_of(drop_in, "design").pk]),
            reverse("cocreation:participant_add", args=[phase_of(drop_in, "design").pk]),
            reverse("cocreation:contribution_add", args=[drop_in.pk]),
            reverse("cocreation:contribution_decide", args=[c.pk]),
            reverse("cocreation:settings"),
            reverse("cocreation:boards"),
            reverse("cocreation:board_new"),
            reverse("cocreation:board", args=[board.pk]),
            reverse("cocreation:seat_add", args=[board.pk]),
            reverse("cocreation:meeting_add", args=[board.pk]),
            reverse("cocreation:decision_add", args=[meeting.pk]),
            reverse("cocreation:signals"),
            reverse("cocreation:signal", args=[s.pk]),
            "/",
        ],
        Role.PEER_WORKER: [
            reverse("cocreation:initiatives"),
            reverse("cocreation:initiative", args=[drop_in.pk]),
            reverse("cocreation:contribution_add", args=[drop_in.pk]),
            reverse("cocreation:you_said_we_did"),
            reverse("cocreation:boards"),
            reverse("cocreation:board", args=[board.pk]),
            reverse("cocreation:meeting_add", args=[board.pk]),  # the peer worker leads this board
            reverse("cocreation:signals"),
            reverse("cocreation:signal_new"),
            reverse("cocreation:signal", args=[s.pk]),
            "/",
        ],
        Role.PROFESSIONAL: [reverse("cocreation:initiatives"), reverse("cocreation:board", args=[board.pk])],
    }
    for role, urls in pages.items():
        client = world.client(role)
        for url in urls:
            with django_assert_max_num_queries(25):
                response = client.get(url)
            assert response.status_code == 200, (role, url, response.status_code)


@pytest.mark.parametrize(
    ("role", "url_name"),
    [
        (Role.PROFESSIONAL, "cocreation:initiative_new"),
        (Role.PEER_WORKER, "cocreation:settings"),
        (Role.PROFESSIONAL, "cocreation:signal_new"),
        (Role.PROFESSIONAL, "cocreation:signals"),
        (Role.COORDINATOR, "cocreation:signals"),
        (Role.PROFESSIONAL, "cocreation:board_new"),
    ],
)
def test_roles_that_may_not_get_403(world, role, url_name):
    assert world.client(role).get(reverse(url_name)).status_code == 403


def test_other_organisation_gets_404(world, other_world, drop_in, peer, manager):
    s = services.raise_signal(peer, kind="gap", title="x", responsible_manager=manager.user)
    client = other_world.client(Role.MANAGER)
    assert client.get(reverse("cocreation:initiative", args=[drop_in.pk])).status_code == 404
    assert client.get(reverse("cocreation:signal", args=[s.pk])).status_code == 404
    assert client.post(reverse("cocreation:signal_acknowledge", args=[s.pk])).status_code == 404


def test_the_story_through_the_pages(world, drop_in):
    mgr, pw = world.client(Role.MANAGER), world.client(Role.PEER_WORKER)
    delivery, design = phase_of(drop_in, "delivery"), phase_of(drop_in, "design")
    r = mgr.post(
        reverse("cocreation:participant_add", args=[delivery.pk]),
        {"kind": "peer_worker", "person": world.users[Role.PEER_WORKER].pk},
    )
    assert r.status_code == 302
    body = mgr.get(reverse("cocreation:initiative", args=[drop_in.pk])).content.decode()
    assert "Peer workers take part only in delivery" in body

    r = pw.post(
        reverse("cocreation:contribution_add", args=[drop_in.pk]),
        {"phase": design.pk, "summary": "Open on Fridays"},
    )
    assert r.status_code == 302
    c = Contribution.objects.get()
    # Rejection without a reason: the error summary, nothing saved.
    r = mgr.post(reverse("cocreation:contribution_decide", args=[c.pk]), {"outcome": "rejected", "outcome_note": ""})
    assert r.status_code == 200
    assert "There is a problem" in r.content.decode() and "Say why" in r.content.decode()
    c.refresh_from_db()
    assert c.outcome == "pending"
    r = mgr.post(
        reverse("cocreation:contribution_decide", args=[c.pk]),
        {"outcome": "adopted", "outcome_note": "Changed opening hours"},
    )
    assert r.status_code == 302
    home = pw.get("/").content.decode()
    assert "You said, we did" in home and "Changed opening hours" in home
    assert "Changed opening hours" in pw.get(reverse("cocreation:you_said_we_did")).content.decode()


def test_phase_ending_before_it_starts_shows_the_message(world, drop_in):
    mgr = world.client(Role.MANAGER)
    design = phase_of(drop_in, "design")
    r = mgr.post(
        reverse("cocreation:phase_edit", args=[design.pk]),
        {"start_date": "2026-03-01", "end_date": "2026-02-01", "status": "active"},
    )
    assert r.status_code == 200
    assert "cannot end before it starts" in r.content.decode()


def test_signal_pages_raise_acknowledge_decide_close(world):
    mgr, pw = world.client(Role.MANAGER), world.client(Role.PEER_WORKER)
    data = {
        "kind": "gap",
        "title": "People are turned away at the shelter after 22:00",
        "responsible_manager": world.users[Role.MANAGER].pk,
        "visibility": "hidden",
    }
    r = pw.post(reverse("cocreation:signal_new"), {**data, "names_service_user": "on"})
    assert r.status_code == 200 and "never about a person" in r.content.decode()
    assert not Signal.objects.exists()
    r = pw.post(reverse("cocreation:signal_new"), data)
    s = Signal.objects.get()
    assert r.status_code == 302
    assert "People are turned away" in mgr.get("/").content.decode()  # waiting on the manager's home page
    assert mgr.post(reverse("cocreation:signal_decide", args=[s.pk]), {"decision": "x"}).status_code == 200
    assert mgr.post(reverse("cocreation:signal_acknowledge", args=[s.pk])).status_code == 302
    assert mgr.post(reverse("cocreation:signal_decide", args=[s.pk]), {"decision": ""}).status_code == 200
    assert (
        mgr.post(reverse("cocreation:signal_decide", args=[s.pk]), {"decision": "Call the shelter"}).status_code == 302
    )
    assert mgr.post(reverse("cocreation:signal_close", args=[s.pk]), {"outcome": "Open until 01:00"}).status_code == 302
    body = pw.get(reverse("cocreation:signal", args=[s.pk])).content.decode()
    assert "Call the shelter" in body and "Open until 01:00" in body and "Acknowledged" in body


def test_manager_home_lists_pending_too_long(world, drop_in, peer):
    services.add_contribution(
        peer,
        drop_in,
        phase=phase_of(drop_in, "design"),
        summary="Old idea",
        submitted_on=timezone.localdate() - timedelta(days=40),
    )
    body = world.client(Role.MANAGER).get("/").content.decode()
    assert "Old idea" in body and "waited more than 30 days" in body


@pytest.mark.parametrize("role", [Role.MANAGER, Role.PEER_WORKER])
def test_home_page_cost_is_flat_with_cocreation_data(
    world, drop_in, peer, manager, role, django_assert_max_num_queries
):
    """The co-creation sections add a fixed number of queries, however many proposals and signals exist."""

    def add(n):
        for i in range(n):
            c = services.add_contribution(
                peer,
                drop_in,
                phase=phase_of(drop_in, "design"),
                summary=f"idea {i}",
                submitted_on=timezone.localdate() - timedelta(days=60),
            )
            if i % 2:
                services.decide_contribution(manager, c, outcome="adopted")
            services.raise_signal(peer, kind="idea", title=f"s{i}", responsible_manager=manager.user)

    client = world.client(role)
    add(1)
    client.get("/")  # warm the session
    with django_assert_max_num_queries(60) as one:
        assert client.get("/").status_code == 200
    add(9)
    with django_assert_max_num_queries(len(one.captured_queries)):
        assert client.get("/").status_code == 200


def test_initiatives_list_is_paged(world, manager):
    for i in range(30):
        services.create_initiative(manager, title=f"Initiative number {i:02d}", problem_statement="p")
    client = world.client(Role.PEER_WORKER)
    first = client.get(reverse("cocreation:initiatives")).content.decode()
    second = client.get(reverse("cocreation:initiatives"), {"page": 2}).content.decode()
    assert "Initiative number 29" in first and "Initiative number 04" not in first
    assert "Initiative number 04" in second and "Page 2 of 2" in second


@pytest.mark.parametrize(
    ("language", "texts"),
    [
        (
            "nb",
            [
                "Samskaping: initiativer",
                "Du sa, vi gjorde",
                "Erfaringskonsulenter deltar bare i gjennomføringen",
            ],
        ),
        (
            "da",
            [
                "Samskabelse: initiativer",
                "Du sagde, vi gjorde",
                "Peer-medarbejdere deltager kun i gennemførelsen",
            ],
        ),
    ],
)
def test_pages_speak_norwegian_and_danish(world, drop_in, manager, language, texts):
    services.add_participant(
        manager,
        phase_of(drop_in, "delivery"),
        kind=ParticipantKind.PEER_WORKER,
        person=world.users[Role.PEER_WORKER],
    )
    client = world.client(Role.MANAGER)
    client.post(reverse("set_language"), {"language": language, "next": "/"})
    body = (
        client.get(reverse("cocreation:initiatives")).content.decode()
        + client.get(reverse("cocreation:initiative", args=[drop_in.pk])).content.decode()
    )
    for text in texts:
        assert text in body, text


def test_only_those_who_may_record_meetings_see_the_forms(world, manager):
    from django.utils import timezone as tz

    board = services.create_board(manager, name="Working group", kind="working_group")
    meeting = services.add_meeting(manager, board, held_on=tz.localdate(), agenda="Agenda")
    for role in (Role.PROFESSIONAL, Role.PEER_WORKER, Role.DPO):
        client = world.client(role)
        assert client.get(reverse("cocreation:meeting_add", args=[board.pk])).status_code == 403
        assert client.get(reverse("cocreation:decision_add", args=[meeting.pk])).status_code == 403
    services.add_seat(manager, board, kind="peer_worker", holder=world.users[Role.PEER_WORKER], leads=True)
    assert world.client(Role.PEER_WORKER).get(reverse("cocreation:meeting_add", args=[board.pk])).status_code == 200


def test_manager_sees_signals_sent_to_other_managers_by_the_senders_choice(world, peer):
    from .conftest import add_user

    other = add_user(world, Role.MANAGER, "other-manager")
    services.raise_signal(peer, kind="gap", title="Named signal", responsible_manager=other)
    services.raise_signal(peer, kind="gap", title="Hidden signal", responsible_manager=other, visibility="hidden")
    r = world.client(Role.MANAGER).get(reverse("cocreation:signals"))
    body = r.content.decode()
    assert r.status_code == 200
    assert "Sent to other managers (the latest 50)" in body
    assert "Named signal" in body and "Hidden signal" in body
    assert body.count(str(world.users[Role.PEER_WORKER])) == 1  # the named one only


def test_signals_page_shows_the_inbox_a_page_at_a_time_with_flat_queries(world, peer, django_assert_max_num_queries):
    """The inbox is shown a page at a time: the page costs the same number of queries with one signal or with
    more than a page of them, and every signal is still reached through the next/previous links."""
    from peerwork.cocreation.selectors import INBOX_PER_PAGE

    manager = world.users[Role.MANAGER]
    client = world.client(Role.MANAGER)
    services.raise_signal(peer, kind="gap", title="Signal 0", responsible_manager=manager)
    client.get(reverse("cocreation:signals"))
    with django_assert_max_num_queries(25) as one:
        assert client.get(reverse("cocreation:signals")).status_code == 200
    for i in range(1, INBOX_PER_PAGE + 5):
        services.raise_signal(peer, kind="gap", title=f"Signal {i}", responsible_manager=manager)
    with django_assert_max_num_queries(len(one.captured_queries) + 1):  # + the page count
        first = client.get(reverse("cocreation:signals")).content.decode()
    assert "Next page of signals sent to you" in first
    second = client.get(reverse("cocreation:signals") + "?page=2").content.decode()
    assert "Earlier page of signals sent to you" in second
    titles = {f"Signal {i}" for i in range(INBOX_PER_PAGE + 5)}
    seen = {t for t in titles if f">{t}<" in first or f">{t}<" in second}
    assert seen == titles

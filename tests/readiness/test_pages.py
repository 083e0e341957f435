"""The readiness pages: who sees what, bad input, query budgets, the board report and its PDF."""

from __future__ import annotations

import io
import re
from datetime import timedelta

import pypdf
import pytest
from django.urls import reverse

from peerwork.core.roles import Role
from peerwork.readiness import services
from peerwork.readiness.instrument import DOMAINS, ITEMS
from peerwork.readiness.models import (
    ActionItem,
    Group,
    JobDescriptionVersion,
    Response,
    TreatmentHistoryDeclaration,
)

from .helpers import TODAY, add_responses, invitation_of, open_round, team_with

pytestmark = pytest.mark.django_db

READ_PAGES = ["overview", "roles", "orientation", "briefings", "report"]
PARTNER_PAGES = ["checks", "risks"]


@pytest.mark.parametrize("name", READ_PAGES)
def test_manager_pages_render_for_a_manager_and_refuse_peer_workers_and_professionals(world, name):
    url = reverse(f"readiness:{name}")
    assert world.client(Role.MANAGER).get(url).status_code == 200
    assert world.client(Role.PEER_WORKER).get(url).status_code == 403
    assert world.client(Role.PROFESSIONAL).get(url).status_code == 403


@pytest.mark.parametrize("name", PARTNER_PAGES)
def test_partner_pages_render_for_managers_and_peer_workers_and_refuse_professionals(world, name):
    url = reverse(f"readiness:{name}")
    for role in (Role.MANAGER, Role.PEER_WORKER, Role.SENIOR_PEER_WORKER):
        assert world.client(role).get(url).status_code == 200
    assert world.client(Role.PROFESSIONAL).get(url).status_code == 403


def test_an_open_round_is_read_by_those_who_run_readiness_only(world):
    rnd = open_round(world)
    add_responses(rnd, Group.PEER_WORKER, 3)
    assert world.client(Role.PEER_WORKER).get(reverse("readiness:round", args=[rnd.pk])).status_code == 404
    assert world.client(Role.PROFESSIONAL).get(reverse("readiness:round", args=[rnd.pk])).status_code == 404
    assert world.client(Role.COORDINATOR).get(reverse("readiness:round", args=[rnd.pk])).status_code == 200


def test_another_organisation_sees_nothing(world, other_world):
    rnd = open_round(world)
    add_responses(rnd, Group.MANAGER, 3)
    action = services.create_action(
        world.actor(Role.MANAGER), title="Brief the team", owner_id=world.users[Role.MANAGER].pk, due_on=TODAY
    )
    stranger = other_world.client(Role.MANAGER)
    assert stranger.get(reverse("readiness:round", args=[rnd.pk])).status_code == 404
    assert stranger.get(reverse("readiness:action", args=[action.pk])).status_code == 404
    assert stranger.get(reverse("readiness:risk_register", args=[world.team.pk])).status_code == 404
    assert "Brief the team" not in stranger.get(reverse("readiness:actions")).content.decode()
    inv = invitation_of(rnd, world.users[Role.PROFESSIONAL])
    assert (
        other_world.client(Role.PROFESSIONAL).get(reverse("readiness:answer", args=[inv.pk, "A1"])).status_code == 404
    )


def test_someone_elses_invitation_cannot_be_opened(world):
    rnd = open_round(world)
    inv = invitation_of(rnd, world.users[Role.PROFESSIONAL])
    assert world.client(Role.PEER_WORKER).get(reverse("readiness:answer", args=[inv.pk, "A1"])).status_code == 404


def test_a_professional_answers_one_domain_per_page_saves_a_draft_and_submits(world):
    rnd = open_round(world)
    client = world.client(Role.PROFESSIONAL)
    inv = invitation_of(rnd, world.users[Role.PROFESSIONAL])
    home = client.get("/").content.decode()
    assert reverse("readiness:answer", args=[inv.pk, "A1"]) in home

    response = client.post(reverse("readiness:answer", args=[inv.pk, "A1"]), {"q_A1_1": "2", "save": ""})
    assert response.status_code == 302 and response["Location"].endswith("/A1/")
    assert Response.objects.get(invitation=inv).answers == {"A1.1": 2}

    response = client.post(reverse("readiness:review", args=[inv.pk]), {"anonymous": "on"})
    body = response.content.decode()
    assert response.status_code == 200 and "There is a problem" in body and "saved as a draft" in body

    for d in DOMAINS:
        data = {f"q_{i.code.replace('.', '_')}": "1" for i in ITEMS if i.domain == d.code}
        response = client.post(reverse("readiness:answer", args=[inv.pk, d.code]), {**data, "next": ""})
    assert response["Location"] == reverse("readiness:review", args=[inv.pk])
    response = client.post(reverse("readiness:review", args=[inv.pk]), {"anonymous": "on"})
    assert "your answers are submitted" in response.content.decode()
    submitted = Response.objects.get(round=rnd, status="submitted")
    assert submitted.respondent_id is None and submitted.group == Group.PROFESSIONAL
    assert client.get(reverse("readiness:answer", args=[inv.pk, "A1"])).status_code == 410


def test_answer_link_works_without_sign_in_and_only_once(world, client):
    _rnd, tokens = services.start_round(
        world.actor(Role.MANAGER),
        title="R",
        groups=[Group.SERVICE_USER_REP],
        links={Group.SERVICE_USER_REP: 1},
    )
    token = tokens[Group.SERVICE_USER_REP][0]
    response = client.get(reverse("readiness:link_start", args=[token]))
    assert response.status_code == 302
    page = client.get(response["Location"]).content.decode()
    assert "Vision" in page and "readiness-nav" not in page
    for d in DOMAINS:
        client.post(
            reverse("readiness:link_answer", args=[token, d.code]),
            {f"q_{i.code.replace('.', '_')}": "0" for i in ITEMS if i.domain == d.code},
        )
    body = client.post(reverse("readiness:link_review", args=[token])).content.decode()
    assert "your answers are submitted" in body, body[body.find("<main") : body.find("</main>")]
    assert client.get(reverse("readiness:link_start", args=[token])).status_code == 410
    assert client.get(reverse("readiness:link_start", args=["not-a-token"])).status_code == 404


def test_starting_a_round_shows_the_links_once(world):
    client = world.client(Role.MANAGER)
    response = client.post(
        reverse("readiness:start_round"),
        {
            "title": "Before the start",
            "groups": [Group.MANAGER, Group.SERVICE_USER_REP],
            "invite_members": "on",
            "links": "2",
        },
    )
    body = response.content.decode()
    assert response.status_code == 200 and body.count("/readiness/a/") == 2
    response = client.post(
        reverse("readiness:start_round"), {"title": "", "groups": [Group.SERVICE_USER_REP], "links": "0"}
    )
    body = response.content.decode()
    assert "There is a problem" in body and "Service-user representatives have no sign-in" in body


def test_results_page_shows_withheld_groups_spread_and_an_svg_with_a_table(world):
    rnd = open_round(world)
    add_responses(rnd, Group.MANAGER, 3, value=4)
    add_responses(rnd, Group.PROFESSIONAL, 3, value=4, A6_1=1, A6_2=1, A6_3=1, A6_4=1)
    add_responses(rnd, Group.PEER_WORKER, 2, value=2)
    body = world.client(Role.MANAGER).get(reverse("readiness:round", args=[rnd.pk])).content.decode()
    assert 'role="img" aria-labelledby="chart-title chart-desc"' in body and 'id="chart-title"' in body
    assert '<caption id="chart-caption">Scores per domain' in body
    assert "groups disagree" in body
    assert "Not shown as a group, because fewer than three people" in body


def test_svg_numbers_are_not_localised(world):
    rnd = open_round(world)
    add_responses(rnd, Group.MANAGER, 3, value=2)
    client = world.client(Role.MANAGER)
    client.post(reverse("set_language"), {"language": "da", "next": "/"})
    body = client.get(reverse("readiness:round", args=[rnd.pk])).content.decode()
    start = body.index('<div class="chart chart-bars"')
    chart = body[start : body.index("<table", start)]
    assert re.search(r'<rect [^>]*width="3\d\.\d"', chart)  # a third of the way: a score of about 33 of 100
    assert not re.search(r'(x|y|x1|x2|width)="\d+,\d', chart), "numbers in SVG attributes must use a decimal point"


def test_action_without_owner_or_date_is_refused_with_a_clear_message(world):
    client = world.client(Role.MANAGER)
    response = client.post(reverse("readiness:action_new"), {"title": "Brief the team", "owner": "", "due_on": ""})
    body = response.content.decode()
    assert "Choose who owns this action" in body and "Give a due date" in body
    assert not ActionItem.objects.exists()
    response = client.post(
        reverse("readiness:action_new"),
        {
            "title": "Brief the team",
            "owner": world.users[Role.MANAGER].pk,
            "due_on": TODAY.isoformat(),
            "source": "check",
            "source_ref": "no_briefing",
        },
    )
    assert response.status_code == 302
    action = ActionItem.objects.get()
    edit = client.get(reverse("readiness:action", args=[action.pk])).content.decode()
    assert "#check-no_briefing" in edit


def test_overdue_actions_surface_on_the_managers_home_page(world, django_assert_max_num_queries):
    services.create_action(
        world.actor(Role.MANAGER),
        title="Name a buddy for the new peer worker",
        owner_id=world.users[Role.COORDINATOR].pk,
        due_on=TODAY - timedelta(days=3),
    )
    services.create_action(
        world.actor(Role.MANAGER),
        title="Not due yet",
        owner_id=world.users[Role.COORDINATOR].pk,
        due_on=TODAY + timedelta(days=3),
    )
    client = world.client(Role.MANAGER)
    with django_assert_max_num_queries(20):
        body = client.get("/").content.decode()
    assert "Overdue readiness actions" in body and "Name a buddy" in body and "Not due yet" not in body
    assert "Overdue readiness actions" not in world.client(Role.PROFESSIONAL).get("/").content.decode()


def test_job_description_builder_versions_warns_on_pre_determined_and_prints(world):
    client = world.client(Role.MANAGER)
    data = {
        "title": "Peer support worker",
        "role_form": "care_provider",
        "role_type": "pre_determined",
        "core_tasks": ["individual", "stigma"],
        "tasks": "Recovery support",
        "demarcation": "Closes gaps, no nursing tasks",
        "hours_per_week": "20",
        "reporting_line": "Team leader",
        "supervision": "Senior peer worker fortnightly",
        "does_not_do": "No coercive measures; no clinical files",
    }
    response = client.post(reverse("readiness:role_new"), data, follow=True)
    assert "pre-determined services" in response.content.decode()
    v1 = JobDescriptionVersion.objects.get()
    response = client.post(
        reverse("readiness:role_edit", args=[v1.job_description_id]), {**data, "role_type": "co_creation"}
    )
    assert JobDescriptionVersion.objects.filter(job_description_id=v1.job_description_id).count() == 2
    p = world.positions[0]
    client.post(reverse("readiness:role", args=[v1.job_description_id]), {"positions": [p.pk]})
    assert p.job_description_link.version.number == 2
    printable = client.get(reverse("readiness:role_print", args=[v1.pk])).content.decode()
    assert "No coercive measures" in printable
    # The peer worker holding the position may read the version their position follows, not others.
    peer = world.client(Role.PEER_WORKER)
    assert peer.get(reverse("readiness:role_print", args=[p.job_description_link.version.pk])).status_code == 200
    assert peer.get(reverse("readiness:role_print", args=[v1.pk])).status_code == 404

    response = client.post(reverse("readiness:role_new"), {**data, "demarcation": "", "core_tasks": []})
    body = response.content.decode()
    assert "Say how the role differs" in body and "core tasks" in body


def test_orientation_page_and_form(world):
    _unit, (p,) = team_with(world, 1, started_days_ago=10)
    client = world.client(Role.MANAGER)
    assert str(p.holder) in client.get(reverse("readiness:orientation")).content.decode()
    response = client.post(
        reverse("readiness:orientation_edit", args=[p.pk]),
        {
            "contact_person": world.users[Role.PROFESSIONAL].pk,
            "buddy": "",
            "job_coaching": "wanted",
            "status": "completed",
        },
    )
    assert "completed only when a contact person and a buddy" in response.content.decode()
    response = client.post(
        reverse("readiness:orientation_edit", args=[p.pk]),
        {
            "contact_person": world.users[Role.PROFESSIONAL].pk,
            "buddy": world.users[Role.SENIOR_PEER_WORKER].pk,
            "job_coaching": "wanted",
            "status": "under_way",
            "first_supervision_on": TODAY.isoformat(),
        },
    )
    assert response.status_code == 302 and p.orientation.buddy_id == world.users[Role.SENIOR_PEER_WORKER].pk


def test_risk_register_needs_a_review_date_for_watched_points(world):
    client = world.client(Role.MANAGER)
    url = reverse("readiness:risk_edit", args=[world.team.pk, "B9"])
    assert "Set a date to look at this again" in client.post(url, {"status": "watch"}).content.decode()
    assert client.post(url, {"status": "watch", "review_on": TODAY.isoformat(), "notes": "Alone"}).status_code == 302
    body = client.get(reverse("readiness:risk_register", args=[world.team.pk])).content.decode()
    assert "Keep watching" in body and "Resistance and loneliness" in body


def test_briefing_cannot_be_in_the_future(world):
    client = world.client(Role.MANAGER)
    body = client.post(
        reverse("readiness:briefings"),
        {"unit": world.team.pk, "held_on": (TODAY + timedelta(days=3)).isoformat()},
    ).content.decode()
    assert "cannot be in the future" in body


def test_placement_declaration_is_seen_only_by_the_peer_worker(world):
    peer = world.client(Role.PEER_WORKER)
    assert (
        peer.post(reverse("readiness:my_placement"), {"unit": world.other_team.pk, "disclosure": "private"}).status_code
        == 302
    )
    assert world.other_team.name in peer.get(reverse("readiness:my_placement")).content.decode()
    assert world.client(Role.MANAGER).get(reverse("readiness:my_placement")).status_code == 403
    declaration = TreatmentHistoryDeclaration.objects.get()
    other = world.client(Role.SENIOR_PEER_WORKER)
    assert "None." in other.get(reverse("readiness:my_placement")).content.decode()
    assert other.post(reverse("readiness:withdraw_declaration", args=[declaration.pk])).status_code == 403
    assert TreatmentHistoryDeclaration.objects.exists()


def test_checks_page_never_shows_treatment_details(world):
    unit, (p,) = team_with(world, 1, name="Ward Seven")
    TreatmentHistoryDeclaration.objects.create(
        organisation=world.org,
        peer_worker=p.holder,
        unit=unit,
        disclosure=TreatmentHistoryDeclaration.Disclosure.UNNAMED,
    )
    body = world.client(Role.MANAGER).get(reverse("readiness:checks")).content.decode()
    section = body[body.index('id="check-placement_conflict"') :]
    section = section[: section.index("</section>")]
    assert "Ward Seven" in section and "1 found" in section
    assert "treated" not in section.lower()
    assert str(p.holder) not in section


@pytest.mark.parametrize("scale", [1, 10])
def test_overview_and_checks_pages_have_flat_query_budgets(world, scale, django_assert_max_num_queries):
    for i in range(scale):
        unit, (p,) = team_with(world, 1, started_days_ago=5 + i)
        rnd = open_round(world, title=f"Round {i}", opens_on=TODAY - timedelta(days=i))
        add_responses(rnd, Group.MANAGER, 3)
        services.create_action(
            world.actor(Role.MANAGER), title=f"A{i}", owner_id=world.users[Role.MANAGER].pk, due_on=TODAY
        )
        services.save_risk(world.actor(Role.MANAGER), unit_id=unit.pk, code="B9", status="under_control")
    client = world.client(Role.MANAGER)
    for name, budget in (
        ("overview", 29),
        ("checks", 24),
        ("actions", 14),
        ("risks", 14),
        ("orientation", 18),
        ("roles", 18),
        ("report", 32),
    ):
        with django_assert_max_num_queries(budget):
            assert client.get(reverse(f"readiness:{name}")).status_code == 200
    with django_assert_max_num_queries(20):
        assert client.get(reverse("readiness:round", args=[rnd.pk])).status_code == 200


def test_board_report_html_and_pdf_contain_the_domains(world):
    rnd = open_round(world)
    for g in (Group.MANAGER, Group.PROFESSIONAL, Group.PEER_WORKER):
        add_responses(rnd, g, 3, value=3)
    client = world.client(Role.MANAGER)
    html = client.get(reverse("readiness:report")).content.decode()
    assert all(str(d.title) in html for d in DOMAINS)
    response = client.get(reverse("readiness:report_pdf"))
    assert response["Content-Type"] == "application/pdf" and response.content.startswith(b"%PDF")
    text = " ".join(page.extract_text() for page in pypdf.PdfReader(io.BytesIO(response.content)).pages)
    text = re.sub(r"\s+", " ", text)
    for d in DOMAINS:
        assert str(d.title) in text, d.title
    assert "Team with a single peer worker" in text and world.org.name in text
    assert len(pypdf.PdfReader(io.BytesIO(response.content)).pages) <= 3


def test_pdf_in_danish_keeps_the_danish_letters(world):
    rnd = open_round(world)
    add_responses(rnd, Group.MANAGER, 3)
    client = world.client(Role.MANAGER)
    client.post(reverse("set_language"), {"language": "da", "next": "/"})
    response = client.get(reverse("readiness:report_pdf"))
    text = "".join(page.extract_text() for page in pypdf.PdfReader(io.BytesIO(response.content)).pages)
    assert "Parathedsrapport" in text
    assert "Forberedelse af teamet" in text and "Område" in text


def test_questionnaire_items_are_asked_in_the_respondents_language(world):
    rnd = open_round(world)
    inv = invitation_of(rnd, world.users[Role.PROFESSIONAL])
    client = world.client(Role.PROFESSIONAL)
    client.post(reverse("set_language"), {"language": "nb", "next": "/"})
    body = client.get(reverse("readiness:answer", args=[inv.pk, "A6"])).content.decode()
    assert "Forberedelse av teamet" in body and "Vet ikke" in body
    client.post(reverse("set_language"), {"language": "da", "next": "/"})
    body = client.get(reverse("readiness:answer", args=[inv.pk, "A6"])).content.decode()
    assert "Forberedelse af teamet" in body and "Ved ikke" in body


def test_a_managers_own_invitation_is_on_the_readiness_overview(world):
    rnd = open_round(world)
    inv = invitation_of(rnd, world.users[Role.MANAGER])
    body = world.client(Role.MANAGER).get(reverse("readiness:overview")).content.decode()
    assert reverse("readiness:answer", args=[inv.pk, "A1"]) in body


def test_overview_reads_the_same_number_of_queries_however_many_rounds_and_answers(
    world, django_assert_max_num_queries
):
    """Counting each round's answers and invitations, and comparing the latest round with the one before,
    costs the same with two small rounds as with many rounds of many answers."""
    client = world.client(Role.MANAGER)

    def overview_queries() -> int:
        client.get(reverse("readiness:overview"))
        with django_assert_max_num_queries(29) as counted:
            body = client.get(reverse("readiness:overview")).content.decode()
        assert "All rounds" in body
        return len(counted.captured_queries)

    for i in range(2):
        add_responses(open_round(world, title=f"Round {i}", opens_on=TODAY - timedelta(days=i)), Group.MANAGER, 3)
    few = overview_queries()
    for i in range(2, 12):
        rnd = open_round(world, title=f"Round {i}", opens_on=TODAY - timedelta(days=i))
        for group in (Group.MANAGER, Group.PROFESSIONAL, Group.PEER_WORKER):
            add_responses(rnd, group, 6)
    assert overview_queries() == few

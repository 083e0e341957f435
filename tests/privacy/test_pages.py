"""The consent pages and the professional's page, through real requests."""

from __future__ import annotations

import pytest
from django.utils import timezone

from peerwork.audit.models import AuditEntry
from peerwork.core.roles import Role
from peerwork.privacy import services
from peerwork.privacy.models import Consent
from peerwork.service.models import Visibility

from .helpers import contact, engage, goal, person, share_values, without_tokens


@pytest.fixture
def story(world):
    kari = person(world)
    eng = engage(world, kari, world.users[Role.PEER_WORKER])
    housing = goal(world, eng, "A flat of my own before winter", ratings=[3, 6])
    family = goal(world, eng, "See my daughter every week", area="family", visibility=Visibility.CARE_TEAM)
    return world, kari, eng, housing, family


def test_peer_worker_records_and_withdraws_through_the_page(story):
    world, kari, _eng, housing, family = story
    pw = world.client(Role.PEER_WORKER)
    listing = pw.get("/privacy/consent/")
    assert listing.status_code == 200 and "Kari Nordmann" in listing.content.decode()
    page = pw.get(f"/privacy/consent/{kari.pk}/")
    body = page.content.decode()
    assert page.status_code == 200 and "A flat of my own before winter" in body and "no clinical record" in body
    response = pw.post(
        f"/privacy/consent/{kari.pk}/",
        {
            "purpose": "share",
            "recipient_unit": world.team.pk,
            "goals": "selected",
            "goal_ids": [housing.pk],
            "given_on": timezone.localdate().isoformat(),
            "how_given": "verbal",
        },
    )
    assert response.status_code == 302
    assert "Kari" not in response.cookies.get("messages", "") if response.cookies else True
    given = Consent.objects.get()
    nurse = world.client(Role.PROFESSIONAL)
    shared = nurse.get("/privacy/shared/").content.decode()
    assert "A flat of my own before winter" in shared and "See my daughter" not in shared
    assert "no clinical record" in shared
    assert AuditEntry.objects.filter(
        actor=world.users[Role.PROFESSIONAL], subject_id=str(kari.pk), action="read"
    ).exists()

    assert pw.post(f"/privacy/consents/{given.pk}/withdraw/").status_code == 302
    again = nurse.get("/privacy/shared/").content.decode()
    assert "A flat of my own" not in again and "Kari" not in again
    assert "No one shares anything" in again


def test_bad_input_shows_the_error_summary_and_saves_nothing(story):
    world, kari, *_ = story
    pw = world.client(Role.PEER_WORKER)
    response = pw.post(
        f"/privacy/consent/{kari.pk}/",
        {
            "purpose": "share",
            "goals": "selected",
            "given_on": "2026-05-01",
            "valid_until": "2026-04-01",
            "how_given": "written",
        },
    )
    body = response.content.decode()
    assert response.status_code == 200
    assert "There is a problem" in body and "end before it starts" in body and "Choose the team or the person" in body
    assert Consent.objects.count() == 0


def test_withdrawing_twice_says_so(story):
    world, kari, _eng, housing, _family = story
    c = services.record_consent(world.actor(Role.PEER_WORKER), kari.pk, **share_values(world, goal_ids=[housing.pk]))
    pw = world.client(Role.PEER_WORKER)
    pw.post(f"/privacy/consents/{c.pk}/withdraw/")
    response = pw.post(f"/privacy/consents/{c.pk}/withdraw/", follow=True)
    assert "already withdrawn" in response.content.decode()


@pytest.mark.parametrize(
    "role, status",
    [
        (Role.MANAGER, 403),
        (Role.PROFESSIONAL, 403),
        (Role.ADMINISTRATOR, 403),
        (Role.SENIOR_PEER_WORKER, 403),
        (Role.COORDINATOR, 200),
        (Role.DPO, 200),
        (Role.PEER_WORKER, 200),
    ],
)
def test_who_opens_the_consent_page(story, role, status):
    world, kari, *_ = story
    assert world.client(role).get(f"/privacy/consent/{kari.pk}/").status_code == status


def test_other_organisations_and_unknown_people_look_the_same(story, other_world):
    world, kari, *_ = story
    coordinator = other_world.client(Role.COORDINATOR)
    foreign = coordinator.get(f"/privacy/consent/{kari.pk}/")
    unknown = coordinator.get("/privacy/consent/99999999/")
    assert foreign.status_code == unknown.status_code == 404
    assert without_tokens(foreign.content) == without_tokens(unknown.content)


def test_shared_page_is_for_professionals_only(story):
    world, *_ = story
    for role in (Role.PEER_WORKER, Role.COORDINATOR, Role.MANAGER, Role.DPO):
        assert world.client(role).get("/privacy/shared/").status_code == 403


def _many(world, n, offset=0):
    pw = world.actor(Role.PEER_WORKER)
    for i in range(n):
        p = person(world, f"Person {offset + i}")
        eng = engage(world, p, world.users[Role.PEER_WORKER])
        g = goal(world, eng, f"Goal {offset + i}", ratings=[2, 4, 6])
        c1 = contact(world, eng, note=f"Shared note {i}")
        contact(world, eng)
        services.record_consent(
            pw, p.pk, **share_values(world, goal_ids=[g.pk], note_ids=[c1.pk], contact_summaries=True)
        )


def test_query_budget_of_the_professionals_page_is_flat(world, django_assert_max_num_queries):
    nurse = world.client(Role.PROFESSIONAL)
    _many(world, 1)
    nurse.get("/privacy/shared/")  # the first page after sign-in stamps the session
    with django_assert_max_num_queries(19) as one:
        assert nurse.get("/privacy/shared/").status_code == 200
    _many(world, 10, offset=1)
    with django_assert_max_num_queries(19) as eleven:
        body = nurse.get("/privacy/shared/").content.decode()
    assert "Goal 10" in body and "Shared note" in body
    assert len(eleven.captured_queries) == len(one.captured_queries)


def test_query_budget_of_the_consent_pages_is_flat(world, django_assert_max_num_queries):
    _many(world, 1)
    pw = world.client(Role.PEER_WORKER)
    pw.get("/privacy/consent/")  # the first page after sign-in stamps the session
    with django_assert_max_num_queries(17) as one:
        pw.get("/privacy/consent/")
    _many(world, 10, offset=1)
    with django_assert_max_num_queries(17) as eleven:
        pw.get("/privacy/consent/")
    assert len(eleven.captured_queries) == len(one.captured_queries)
    from peerwork.service.models import ServiceUser

    last = ServiceUser.objects.order_by("-pk").first()
    with django_assert_max_num_queries(22):
        assert pw.get(f"/privacy/consent/{last.pk}/").status_code == 200


def test_the_professionals_page_reaches_every_person_a_page_at_a_time(world, django_assert_max_num_queries):
    """People are shown a page at a time; the next page costs the same queries and shows the rest."""
    from peerwork.privacy.selectors import SHARED_PER_PAGE

    nurse = world.client(Role.PROFESSIONAL)
    _many(world, SHARED_PER_PAGE + 1)
    nurse.get("/privacy/shared/")
    with django_assert_max_num_queries(19) as first:
        body = nurse.get("/privacy/shared/").content.decode()
    with django_assert_max_num_queries(len(first.captured_queries)):
        second = nurse.get("/privacy/shared/?page=2").content.decode()
    names = {f"Person {i}" for i in range(SHARED_PER_PAGE + 1)}
    on_first = {n for n in names if f">{n}</h2>" in body}
    on_second = {n for n in names if f">{n}</h2>" in second}
    assert len(on_first) == SHARED_PER_PAGE and len(on_second) == 1
    assert on_first | on_second == names
    assert 'href="?page=2">Next</a>' in body and 'href="?page=1">Previous</a>' in second

"""The data protection officer's tools: search, export, rectification, anonymisation, access report."""

from __future__ import annotations

import json
from datetime import timedelta

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from peerwork.audit import details
from peerwork.audit.details import Detail
from peerwork.audit.models import AuditEntry
from peerwork.core.roles import Role
from peerwork.privacy import services
from peerwork.privacy.models import Consent
from peerwork.service.models import (
    Contact,
    DeclaredConflict,
    Engagement,
    Goal,
    GoalRating,
    PeerWorkerProfile,
    ServiceUser,
)

from .helpers import contact, engage, goal, person, share_values, without_tokens


@pytest.fixture
def kari(world):
    k = person(world, "Kari Nordmann")
    eng = engage(world, k, world.users[Role.PEER_WORKER])
    g = goal(world, eng, "A flat of my own before winter", ratings=[3, 6])
    contact(world, eng, note="We looked at flats in Nord")
    contact(world, eng)
    services.record_consent(world.actor(Role.PEER_WORKER), k.pk, **share_values(world, goal_ids=[g.pk]))
    profile = PeerWorkerProfile.objects.create(organisation=world.org, user=world.users[Role.COORDINATOR])
    DeclaredConflict.objects.create(
        organisation=world.org, profile=profile, service_user=k, declared_on=timezone.localdate()
    )
    return k


def _close(k):
    Engagement.objects.filter(service_user=k).update(
        closed_on=timezone.localdate(),
        closure_reason="planned_end",
        closure_words="It was good to be believed",
    )


def test_search_is_by_post_only_in_own_organisation_and_audited(world, other_world, kari):
    person(other_world, "Kari Utenfor")
    dpo = world.client(Role.DPO)
    body = dpo.post("/privacy/people/", {"q": "Kari"}).content.decode()
    assert "Kari Nordmann" in body and "Kari Utenfor" not in body and "1 person found" in body
    assert dpo.get("/privacy/people/?q=Kari").content.decode().count("Kari Nordmann") == 0  # GET never searches
    entry = AuditEntry.objects.filter(detail=Detail("shown", page="search").stored).get()
    assert entry.subject_id == str(kari.pk) and "Kari" not in entry.detail + entry.via
    nothing = other_world.client(Role.DPO).post("/privacy/people/", {"q": "Kari Nordmann"}).content.decode()
    assert "No one in your organisation matches" in nothing
    assert world.client(Role.COORDINATOR).post("/privacy/people/", {"q": "Kari"}).status_code == 403


def test_export_holds_everything_and_is_audited(world, kari):
    dpo = world.client(Role.DPO)
    response = dpo.get(f"/privacy/people/{kari.pk}/export.json")
    assert response.status_code == 200 and "attachment" in response["Content-Disposition"]
    assert "Kari" not in response["Content-Disposition"]
    data = json.loads(response.content)
    assert data["person"]["chosen_name"] == "Kari Nordmann"
    assert [g["words"] for g in data["goals"]] == ["A flat of my own before winter"]
    ratings = [r["rating"] for r in data["goal_ratings"] if r["goal"] == data["goals"][0]["id"]]
    assert ratings == [3, 6]
    assert any(c["note"] == "We looked at flats in Nord" for c in data["contacts"])
    assert data["consents"][0]["purpose"] == "share" and data["declared_conflicts"]
    assert any(a["action"] == "create" for a in data["access"])
    html = dpo.get(f"/privacy/people/{kari.pk}/export/").content.decode()
    assert "A flat of my own before winter" in html and "We looked at flats in Nord" in html
    assert AuditEntry.objects.filter(action="export", subject_id=str(kari.pk)).count() == 2
    made = dpo.get(f"/privacy/people/{kari.pk}/export.pdf")
    assert made["Content-Type"] == "application/pdf" and made.content.startswith(b"%PDF")
    assert AuditEntry.objects.filter(action="export", subject_id=str(kari.pk)).count() == 3


@pytest.mark.parametrize(
    "role", [Role.COORDINATOR, Role.MANAGER, Role.PEER_WORKER, Role.PROFESSIONAL, Role.ADMINISTRATOR]
)
def test_only_the_dpo_exports_corrects_or_erases(world, kari, role):
    client = world.client(role)
    for path in ("export.json", "export/", "export.pdf", "rectify/", "anonymise/", "access/", ""):
        assert client.get(f"/privacy/people/{kari.pk}/{path}").status_code == 403, path
    assert client.post(f"/privacy/people/{kari.pk}/anonymise/", {"confirm": "on"}).status_code == 403
    with pytest.raises(PermissionDenied):
        services.erase(world.actor(role), kari.pk, confirmed=True)
    kari.refresh_from_db()
    assert kari.anonymised_at is None


def test_another_organisations_person_is_simply_not_found(world, other_world, kari):
    dpo = other_world.client(Role.DPO)
    for path in ("", "export.json", "export/", "access/", "rectify/", "anonymise/"):
        foreign = dpo.get(f"/privacy/people/{kari.pk}/{path}")
        unknown = dpo.get(f"/privacy/people/987654/{path}")
        assert foreign.status_code == unknown.status_code == 404
        assert without_tokens(foreign.content) == without_tokens(unknown.content)


def test_rectification(world, kari):
    dpo = world.client(Role.DPO)
    response = dpo.post(
        f"/privacy/people/{kari.pk}/rectify/",
        {
            "chosen_name": "",
            "phone": "",
            "email": "not-an-address",
            "birth_year": "1850",
            "municipality": "Fjordby",
            "district": "Nord",
            "help_with": "Finding a flat of my own",
        },
    )
    body = response.content.decode()
    assert response.status_code == 200
    assert "Enter the name" in body and "e-mail address like" in body and "four digits" in body
    kari.refresh_from_db()
    assert kari.chosen_name == "Kari Nordmann" and kari.phone
    response = dpo.post(
        f"/privacy/people/{kari.pk}/rectify/",
        {
            "chosen_name": "Kari N.",
            "phone": "+47 411 11 111",
            "email": "kari@example.invalid",
            "birth_year": "1985",
            "municipality": "Fjordby",
            "district": "Nord",
            "help_with": "Finding a flat of my own",
        },
    )
    assert response.status_code == 302
    kari.refresh_from_db()
    assert kari.chosen_name == "Kari N." and kari.phone == "+47 411 11 111"
    entry = AuditEntry.objects.filter(action="update", subject_id=str(kari.pk)).latest("id")
    assert entry.detail == Detail("rectified", fields=["chosen_name", "phone"]).stored and "411" not in entry.detail
    with pytest.raises(ValidationError, match="Nothing was changed"):
        services.rectify(world.actor(Role.DPO), kari.pk, **{"chosen_name": "Kari N."})


def test_anonymisation_keeps_the_figures(world, kari):
    actor = world.actor(Role.DPO)
    with pytest.raises(ValidationError, match="active engagement"):
        services.erase(actor, kari.pk, confirmed=True)
    _close(kari)
    with pytest.raises(ValidationError, match="Tick the box"):
        services.erase(actor, kari.pk, confirmed=False)
    before = {
        "contacts": Contact.objects.filter(engagement__service_user=kari).count(),
        "minutes": sum(
            Contact.objects.filter(engagement__service_user=kari).values_list("duration_minutes", flat=True)
        ),
        "goals": list(Goal.objects.filter(service_user=kari).values_list("life_area", flat=True)),
        "ratings": list(GoalRating.objects.filter(goal__service_user=kari).values_list("rating", flat=True)),
        "engagements": list(
            Engagement.objects.filter(service_user=kari).values_list("started_on", "closed_on", "closure_reason")
        ),
    }
    response = world.client(Role.DPO).post(f"/privacy/people/{kari.pk}/anonymise/", {"confirm": "on"})
    assert response.status_code == 302
    kari.refresh_from_db()
    assert (
        kari.anonymised_at
        and kari.chosen_name == ""
        and kari.phone == ""
        and kari.email == ""
        and kari.birth_year is None
    )
    assert kari.help_with == "" and kari.municipality == "" and kari.help_areas == []
    assert not Contact.objects.filter(engagement__service_user=kari).exclude(note="").exists()
    assert not Goal.objects.filter(service_user=kari).exclude(words="").exists()
    assert not Engagement.objects.filter(service_user=kari).exclude(closure_words="").exists()
    assert not DeclaredConflict.objects.filter(service_user=kari).exists()
    assert not Consent.objects.filter(service_user=kari, withdrawn_at__isnull=True).exists()
    after = {
        "contacts": Contact.objects.filter(engagement__service_user=kari).count(),
        "minutes": sum(
            Contact.objects.filter(engagement__service_user=kari).values_list("duration_minutes", flat=True)
        ),
        "goals": list(Goal.objects.filter(service_user=kari).values_list("life_area", flat=True)),
        "ratings": list(GoalRating.objects.filter(goal__service_user=kari).values_list("rating", flat=True)),
        "engagements": list(
            Engagement.objects.filter(service_user=kari).values_list("started_on", "closed_on", "closure_reason")
        ),
    }
    assert after == before
    entry = AuditEntry.objects.filter(action="delete", subject_id=str(kari.pk)).get()
    assert details.params_of(entry.detail)["reason"] == "erasure" and "Kari" not in entry.detail
    with pytest.raises(ValidationError, match="already anonymised"):
        services.erase(actor, kari.pk, confirmed=True)
    page = world.client(Role.DPO).get(f"/privacy/people/{kari.pk}/").content.decode()
    assert "Kari" not in page and "(anonymised)" in page
    assert ServiceUser.objects.filter(pk=kari.pk).exists()


def test_access_report_shows_who_read_when_and_how(world, kari):
    world.client(Role.PROFESSIONAL).get("/privacy/shared/")
    world.client(Role.PEER_WORKER).get(f"/privacy/consent/{kari.pk}/")
    body = world.client(Role.DPO).get(f"/privacy/people/{kari.pk}/access/").content.decode()
    assert "Non-peer professional" in body and "Peer worker" in body and "peer_worker" not in body
    assert str(world.users[Role.PROFESSIONAL]) in body and str(world.users[Role.PEER_WORKER]) in body
    assert "a page in Peerwork" in body and "/privacy/" not in body.split("<main", 1)[1].split("<table", 1)[1]
    # filtered to one person, and the same rows as a spreadsheet file
    pw = world.users[Role.PEER_WORKER].pk
    only = world.client(Role.DPO).get(f"/privacy/people/{kari.pk}/access/?who={pw}").content.decode()
    table = only.split("<table", 1)[1]
    assert str(world.users[Role.PEER_WORKER]) in table and str(world.users[Role.PROFESSIONAL]) not in table
    csv = world.client(Role.DPO).get(f"/privacy/people/{kari.pk}/access.csv?who={pw}").content.decode()
    assert csv.splitlines()[1].split(",")[1:3] == [str(world.users[Role.PEER_WORKER]), "Peer worker"]
    assert AuditEntry.objects.filter(
        action="export", detail=Detail("downloaded", page="access_report", format="csv").stored, subject_id=str(kari.pk)
    ).exists()
    wrong = world.client(Role.DPO).get(f"/privacy/people/{kari.pk}/access/?start=2026-03-05&end=2026-03-01")
    assert "The last day is before the first day" in wrong.content.decode()
    # the access report itself is a read of the person's data, and is recorded
    assert AuditEntry.objects.filter(
        detail=Detail("shown", page="access_report").stored, subject_id=str(kari.pk)
    ).exists()


def test_query_budgets_of_the_dpo_pages(world, django_assert_max_num_queries):
    ids = []
    for i in range(12):
        k = person(world, f"Person {i}")
        eng = engage(world, k, world.users[Role.PEER_WORKER])
        for j in range(3):
            goal(world, eng, f"Goal {j}", ratings=[1, 2])
            contact(world, eng, note=f"note {j}", day=timezone.localdate() - timedelta(days=j + 1))
        ids.append(k.pk)
    dpo = world.client(Role.DPO)
    # The copy reads one query per table that holds something about the person (goal wordings included) and
    # one per kind of row it shows by name, so its budget grows with the data map, never with the person's data
    # (test_the_copy_reads_as_many_queries_for_a_busy_person_as_for_a_quiet_one).
    for path in ("", "export/", "export.json", "access/", "rectify/", "anonymise/"):
        with django_assert_max_num_queries(32):
            assert dpo.get(f"/privacy/people/{ids[0]}/{path}").status_code == 200, path
    with django_assert_max_num_queries(20):
        assert "12 people found" in dpo.post("/privacy/people/", {"q": "Person"}).content.decode()


def _busy(world, name, n):
    """A person with ``n`` contacts, ``n`` goals of two ratings each and ``n`` sessions of a group they came to."""
    from peerwork.activities.models import Activity, ActivityPlace, ActivitySession, Attendance

    today = timezone.localdate()
    k = person(world, name)
    eng = engage(world, k, world.users[Role.PEER_WORKER])
    group = Activity.objects.create(
        organisation=world.org, kind="course", title=f"Course of {name}", venue="Library", places=n, starts_on=today
    )
    place = ActivityPlace.objects.create(organisation=world.org, activity=group, service_user=k, offered_on=today)
    for i in range(n):
        goal(world, eng, f"Goal {i}", ratings=[1, 2])
        contact(world, eng, note=f"note {i}", day=today - timedelta(days=i + 1))
        session = ActivitySession.objects.create(
            organisation=world.org, activity=group, meets_on=today - timedelta(days=i)
        )
        Attendance.objects.create(organisation=world.org, session=session, place=place)
    return k


def test_the_copy_reads_as_many_queries_for_a_busy_person_as_for_a_quiet_one(world):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    quiet, busy = _busy(world, "Quiet Person", 3), _busy(world, "Busy Person", 30)
    dpo = world.client(Role.DPO)
    for path in ("export/", "export.json", "export.pdf"):
        dpo.get(f"/privacy/people/{quiet.pk}/{path}")  # what the first request of a session reads once
        counts = []
        for who in (quiet, busy):
            with CaptureQueriesContext(connection) as queries:
                response = dpo.get(f"/privacy/people/{who.pk}/{path}")
            assert response.status_code == 200, path
            counts.append(len(queries))
        assert counts[0] == counts[1], (path, counts)
    page = dpo.get(f"/privacy/people/{busy.pk}/export/").content.decode()
    assert all(f"note {i}<" in page and f"Goal {i}<" in page for i in range(30))  # every row, none left out
    assert page.count("Course of Busy Person, ") == 30  # each session by its name


def test_the_pdf_copy_counts_a_long_section_by_month_and_the_page_lists_each_row(world, kari):
    from peerwork.privacy import subject
    from peerwork.service.models import Contact

    eng = Engagement.objects.get(service_user=kari)
    today = timezone.localdate()
    for i in range(70):
        contact(world, eng, day=today - timedelta(days=3 * i))
    data = subject.collect(kari)
    total = len(data["contacts"])
    assert total == Contact.objects.filter(engagement=eng).count() > 60

    listed = {s["heading"]: s for s in subject.as_sections(data)}
    counted = {s["heading"]: s for s in subject.as_sections(data, months_over=60)}
    heading = next(h for h, s in listed.items() if len(s.get("rows", [])) == total)
    assert "note" not in listed[heading]
    assert counted[heading]["note"].startswith(f"{total} rows, counted here by month")
    assert sum(n for _month, n in counted[heading]["rows"]) == total
    assert len(counted[heading]["rows"]) < 10  # about seven months
    short = [h for h, s in listed.items() if "rows" in s and len(s["rows"]) <= 60]
    assert all(counted[h] == listed[h] for h in short)
    made = world.client(Role.DPO).get(f"/privacy/people/{kari.pk}/export.pdf")
    assert made.content.startswith(b"%PDF")


@pytest.mark.parametrize("language", ["en", "nb", "da"])
def test_the_copy_writes_dates_and_times_as_the_rest_of_peerwork_does(language):
    from datetime import date, datetime, time

    from django.utils import translation

    from peerwork.core import plain
    from peerwork.privacy import subject

    moment = timezone.make_aware(datetime(2026, 3, 29, 1, 5, 9))  # the night the clocks go forward
    stored = [moment.isoformat(), datetime(2026, 1, 2, 3, 4).isoformat(), "2026-01-02", "09:05:00", "not a day"]
    with translation.override(language):
        when = subject._moments()
        assert [when(v) for v in stored] == [plain.when(v) for v in stored]
        assert when(date(2026, 1, 2)) == plain.when(date(2026, 1, 2)) and when(time(9, 5)) == plain.when(time(9, 5))

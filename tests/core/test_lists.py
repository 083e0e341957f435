"""The main lists (waiting queue, caseload, people, audit trail, initiatives) searched, filtered, sorted and
exported through the one list form (``core.listing``): narrowing works, exports hold what the page shows and
neutralise formulas, another organisation's rows never appear, an export is recorded like the page, and the
cost of each stays flat as data grows."""

from __future__ import annotations

import csv
import io
from datetime import timedelta

import openpyxl
import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from peerwork.accounts.models import Membership
from peerwork.audit.details import Detail
from peerwork.audit.models import AuditEntry
from peerwork.cocreation import services as cocreation
from peerwork.core.exports import XLSX_TYPE
from peerwork.core.listing import ListForm, Sort
from peerwork.core.roles import Role
from peerwork.service.models import Contact, Engagement, GuidanceRelationship, Referral, ServiceUser
from tests.factories import MembershipFactory, UserFactory
from tests.service.conftest import OFFICE, engage, new_referral, profile_of

FORMULA = '=HYPERLINK("http://x.invalid","click")'


def rows_of(response) -> list[list[str]]:
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/csv")
    assert response["Content-Disposition"].startswith("attachment;")
    text = response.content.decode("utf-8").lstrip("\ufeff")
    return list(csv.reader(io.StringIO(text)))


def workbook_of(response) -> list[list[object]]:
    """The rows of a downloaded Excel list, opened with openpyxl as a spreadsheet program would read them."""
    assert response.status_code == 200
    assert response["Content-Type"] == XLSX_TYPE
    assert response["Content-Disposition"].startswith("attachment;")
    assert response["Content-Disposition"].rstrip('"').endswith(".xlsx")
    book = openpyxl.load_workbook(io.BytesIO(response.content))
    sheet = book.worksheets[0]
    assert all(c.data_type != "f" for row in sheet.iter_rows() for c in row), "no cell is a formula"
    assert all(c.font.b for c in sheet[1]), "the header row stands apart"
    return [list(r) for r in sheet.iter_rows(values_only=True)]


def entries(world, **filters):
    return AuditEntry.objects.filter(organisation_id=world.org.pk, **filters)


# --- the form itself --------------------------------------------------------------------------------------


class _Form(ListForm):
    search_fields = ("chosen_name",)
    sorts = (Sort("name", "Name", ("chosen_name",)), Sort("newest", "Newest", ("-id",)))


def test_a_list_form_keeps_only_valid_choices_in_its_links():
    form = _Form({"q": "Kari", "sort": "nonsense", "page": "3", "format": "csv"})
    assert form.values == {"q": "Kari"}
    assert form.errors["sort"], "an unknown sort key is named as the problem"
    assert form.query == "q=Kari"
    assert form.export_query == "q=Kari&format=csv"
    assert form.xlsx_query == "q=Kari&format=xlsx"
    assert form.order == ("chosen_name",), "an unknown order falls back to the first"
    assert form.is_filtered


def test_an_empty_list_form_is_the_default_list():
    form = _Form(None)
    assert form.values == {} and not form.errors and not form.is_filtered
    assert form.query == "" and form.export_query == "format=csv"


# --- the waiting queue ------------------------------------------------------------------------------------


@pytest.fixture
def queue(world):
    made = [
        new_referral(world, "Astrid Queue", help_with="A flat of her own"),
        new_referral(world, "Bjørn Queue", help_with="Work"),
        new_referral(world, FORMULA, help_with="@SUM(1+1)"),
    ]
    Referral.objects.filter(pk=made[1].pk).update(received_on=timezone.localdate() - timedelta(days=40))
    return made


def test_queue_search_narrows_and_sort_orders(world, queue):
    client = world.client(Role.COORDINATOR)
    body = client.get("/service/queue/?q=astrid").content.decode()
    assert "Astrid Queue" in body and "Bjørn Queue" not in body
    assert "1 person matches the search and filters." in body
    body = client.get("/service/queue/?sort=name").content.decode()
    assert body.index("Astrid Queue") < body.index("Bjørn Queue")
    body = client.get("/service/queue/").content.decode()  # longest waiting first by default
    assert body.index("Bjørn Queue") < body.index("Astrid Queue")
    assert "Bjørn Queue" not in client.get("/service/queue/?status=proposed").content.decode()


def test_queue_bad_filter_is_named_and_the_list_still_shows(world, queue):
    body = world.client(Role.COORDINATOR).get("/service/queue/?status=nonsense").content.decode()
    assert "There is a problem" in body and "Astrid Queue" in body


def test_queue_export_holds_the_rows_as_shown_with_formulas_neutralised(world, queue):
    client = world.client(Role.COORDINATOR)
    rows = rows_of(client.get("/service/queue/?sort=name&format=csv"))
    assert rows[0][:3] == ["Person", "Received", "Days waiting"]
    names = [r[0] for r in rows[1:]]
    assert names == sorted(names) and len(names) == 3
    assert "'" + FORMULA in names, "a name that starts like a formula is written as text"
    assert any(r[3] == "'@SUM(1+1)" for r in rows[1:])
    assert all(not r[1][:4].isdigit() or "-" not in r[1] for r in rows[1:]), "no ISO dates"
    narrowed = rows_of(client.get("/service/queue/?q=Bj%C3%B8rn&format=csv"))
    assert [r[0] for r in narrowed[1:]] == ["Bjørn Queue"]


def test_queue_export_is_recorded_like_the_page(world, queue):
    client = world.client(Role.COORDINATOR)
    client.get("/service/queue/?format=csv")
    recorded = entries(
        world, detail=Detail("downloaded", page="referral_queue", format="csv").stored, action=AuditEntry.Action.READ
    )
    assert sorted(int(e.subject_id) for e in recorded) == sorted(r.service_user_id for r in queue)
    assert {e.via for e in recorded} == {"/service/queue/"}


def test_queue_never_shows_another_organisation(world, other_world, queue):
    new_referral(other_world, "Other Org Person")
    client = world.client(Role.COORDINATOR)
    assert "Other Org Person" not in client.get("/service/queue/?q=Other").content.decode()
    rows = rows_of(client.get("/service/queue/?format=csv"))
    assert "Other Org Person" not in {r[0] for r in rows}


def test_queue_pages_keep_the_search_and_order(world):
    for i in range(55):
        ServiceUser.objects.create(organisation=world.org, chosen_name=f"Paged {i:02}")
    people = ServiceUser.objects.filter(organisation=world.org, chosen_name__startswith="Paged")
    Referral.objects.bulk_create(
        [
            Referral(organisation=world.org, service_user=p, source="self", received_on=timezone.localdate())
            for p in people
        ]
    )
    body = world.client(Role.COORDINATOR).get("/service/queue/?q=Paged&sort=name").content.decode()
    assert 'href="?q=Paged&amp;sort=name&amp;page=2"' in body
    assert 'href="?q=Paged&amp;sort=name&amp;format=csv"' in body


# --- caseload -------------------------------------------------------------------------------------------


@pytest.fixture
def svc(world):
    profile_of(world, world.users[Role.PEER_WORKER], capacity=5, working_hours=OFFICE, languages=["nb"])
    return world


@pytest.fixture
def caseload(svc):
    pw = svc.users[Role.PEER_WORKER]
    made = [engage(svc, new_referral(svc, name), pw) for name in ("Cato Case", "Dina Case", FORMULA)]
    Engagement.objects.filter(pk=made[1].pk).update(next_review_on=timezone.localdate() + timedelta(days=2))
    Engagement.objects.filter(pk=made[0].pk).update(next_review_on=timezone.localdate() + timedelta(days=200))
    return made


def test_caseload_search_filter_and_sort(svc, caseload):
    client = svc.client(Role.PEER_WORKER)
    body = client.get("/service/caseload/?q=cato").content.decode()
    assert "Cato Case" in body and "Dina Case" not in body
    body = client.get("/service/caseload/?due=on").content.decode()
    assert "Dina Case" in body and "Cato Case" not in body
    body = client.get("/service/caseload/?sort=review").content.decode()
    assert body.index("Dina Case") < body.index("Cato Case")


def test_caseload_export_and_its_record(svc, caseload):
    client = svc.client(Role.PEER_WORKER)
    rows = rows_of(client.get("/service/caseload/?sort=name&format=csv"))
    assert rows[0][0] == "Person" and len(rows) == 4
    assert "'" + FORMULA in {r[0] for r in rows}
    recorded = entries(svc, detail=Detail("downloaded", page="caseload", format="csv").stored)
    assert recorded.count() == 3


def test_a_coordinators_reason_is_carried_through_the_controls(svc, caseload):
    pw = svc.users[Role.PEER_WORKER]
    # A coordinator who does not guide the peer worker gives a reason before seeing the caseload.
    GuidanceRelationship.objects.filter(peer_worker=pw).delete()
    client = svc.client(Role.COORDINATOR)
    body = client.get(f"/service/peer-workers/{pw.pk}/caseload/?reason=cover&q=Dina").content.decode()
    assert "Dina Case" in body and "Cato Case" not in body
    assert 'name="reason" value="cover"' in body
    assert "reason=cover" in body.split("format=csv")[0].rsplit("href=", 1)[1]


# --- people ---------------------------------------------------------------------------------------------


def test_people_search_filter_export_and_scope(world, other_world):
    outsider = UserFactory(username="outsider", last_name="Otherorgperson")
    MembershipFactory(organisation=other_world.org, user=outsider, role=Role.PROFESSIONAL)
    user = UserFactory(username="ola-list", first_name="Ola", last_name=FORMULA)
    MembershipFactory(organisation=world.org, user=user, role=Role.PROFESSIONAL, unit=world.team)
    client = world.client(Role.ADMINISTRATOR)
    body = client.get("/account/people/?q=ola-list").content.decode()
    assert "Ola" in body and str(world.users[Role.DPO]) not in body
    body = client.get(f"/account/people/?role={Role.DPO}").content.decode()
    assert str(world.users[Role.DPO]) in body and str(world.users[Role.MANAGER]) not in body
    # Another organisation's team is not a choice; naming it is refused, not obeyed.
    body = client.get(f"/account/people/?unit={other_world.team.pk}").content.decode()
    assert "There is a problem" in body
    rows = rows_of(client.get("/account/people/?sort=role&format=csv"))
    assert rows[0][:3] == ["First name", "Last name", "Role"]
    assert "'" + FORMULA in {r[1] for r in rows}
    assert "Otherorgperson" not in {r[1] for r in rows[1:]}
    assert len(rows) - 1 == Membership.objects.filter(organisation=world.org).count()
    assert (
        entries(
            world, object_type="accounts.membership", detail=Detail("downloaded", page="list", format="csv").stored
        ).count()
        == 1
    )


# --- audit trail ----------------------------------------------------------------------------------------


def test_audit_trail_filters_export_and_record(world, other_world, queue):
    client = world.client(Role.DPO)
    body = client.get("/privacy/audit/?action=create&sort=oldest").content.decode()
    assert "Created" in body or "create" in body
    rows = rows_of(client.get("/privacy/audit/?action=create&format=csv"))
    assert rows[0][0] == "When"
    created = AuditEntry.objects.filter(organisation_id=world.org.pk, action="create").count()
    assert len(rows) - 1 == created
    assert created and len(rows) > 1
    assert (
        entries(
            world, object_type="audit.auditentry", detail=Detail("trail_file", format="csv", count=created).stored
        ).count()
        == 1
    )
    # Another organisation's entries never appear, even searched for by who made them.
    new_referral(other_world, "Elsewhere")
    coordinator = other_world.users[Role.COORDINATOR].username
    searched = rows_of(client.get(f"/privacy/audit/?q={coordinator}&format=csv"))
    assert len(searched) == 1


def test_audit_trail_names_the_person_and_the_kind_of_record_in_words(world, queue):
    """No record numbers or stored codes: the kind of record, whose (a name the officer may see, else "a
    person") and the detail as a sentence."""
    client = world.client(Role.DPO)
    person = ServiceUser.objects.filter(organisation=world.org).exclude(chosen_name="").order_by("pk").first()
    assert person is not None
    body = client.get("/privacy/audit/?sort=oldest").content.decode()
    main = body[body.index("<main") :]
    assert person.chosen_name in main
    assert "service.serviceuser" not in main and "audit.auditentry" not in main
    assert f"Service user {person.pk}<" not in main
    rows = rows_of(client.get("/privacy/audit/?format=csv"))
    header = rows[0]
    whose = header.index("Whose data")
    assert person.chosen_name in {r[whose] for r in rows[1:]}
    detail = header.index("Detail")
    assert all("_" not in r[detail] and "=" not in r[detail] for r in rows[1:])


def test_audit_trail_period_the_wrong_way_round_is_explained(world):
    body = world.client(Role.DPO).get("/privacy/audit/?start=2026-05-01&end=2026-04-01").content.decode()
    assert "The end date is before the start date" in body


# --- initiatives ----------------------------------------------------------------------------------------


def test_initiatives_search_filter_sort_export(world, other_world):
    manager = world.actor(Role.MANAGER)
    cocreation.create_initiative(manager, title="Evening drop-in", problem_statement="Nowhere to go", unit=world.team)
    cocreation.create_initiative(manager, title=FORMULA, problem_statement="Recovery college courses")
    cocreation.create_initiative(other_world.actor(Role.MANAGER), title="Other org plan", problem_statement="x")
    client = world.client(Role.MANAGER)
    body = client.get("/cocreation/initiatives/?q=college").content.decode()
    assert "HYPERLINK" in body and "Evening drop-in" not in body
    body = client.get(f"/cocreation/initiatives/?unit={world.team.pk}").content.decode()
    assert "Evening drop-in" in body and "HYPERLINK" not in body
    rows = rows_of(client.get("/cocreation/initiatives/?sort=title&format=csv"))
    titles = [r[0] for r in rows[1:]]
    assert "Evening drop-in" in titles and "'" + FORMULA in titles and "Other org plan" not in titles
    assert (
        entries(
            world, object_type="cocreation.initiative", detail=Detail("downloaded", page="list", format="csv").stored
        ).count()
        == 1
    )


# --- cost flat as data grows ------------------------------------------------------------------------------


def _grow(world, factor):
    today = timezone.localdate()
    people = ServiceUser.objects.bulk_create(
        [ServiceUser(organisation=world.org, chosen_name=f"G{factor}-{i}") for i in range(20 * factor)]
    )
    Referral.objects.bulk_create(
        [Referral(organisation=world.org, service_user=p, source="self", received_on=today) for p in people]
    )
    manager = world.actor(Role.MANAGER)
    for i in range(3 * factor):
        cocreation.create_initiative(manager, title=f"G{factor} initiative {i}", problem_statement="p")
    for i in range(5 * factor):
        user = UserFactory(username=f"grow-{factor}-{i}")
        MembershipFactory(organisation=world.org, user=user, role=Role.PROFESSIONAL, unit=world.team)


LIST_PAGES = {
    "queue": (Role.COORDINATOR, "/service/queue/?q=G&sort=name&status=waiting"),
    "queue_csv": (Role.COORDINATOR, "/service/queue/?q=G&sort=name&format=csv"),
    "people": (Role.ADMINISTRATOR, "/account/people/?q=grow&sort=team"),
    "people_csv": (Role.ADMINISTRATOR, "/account/people/?sort=role&format=csv"),
    "audit": (Role.DPO, "/privacy/audit/?action=read&sort=oldest"),
    "audit_csv": (Role.DPO, "/privacy/audit/?action=read&format=csv"),
    "initiatives": (Role.MANAGER, "/cocreation/initiatives/?q=initiative&sort=title"),
    "initiatives_csv": (Role.MANAGER, "/cocreation/initiatives/?sort=waiting&format=csv"),
}


def _measure(world):
    counts = {}
    for name, (role, url) in LIST_PAGES.items():
        client = world.client(role)
        client.get(url)  # warm the session
        with CaptureQueriesContext(connection) as ctx:
            response = client.get(url)
        assert response.status_code == 200, name
        counts[name] = len(ctx)
    return counts


def test_list_pages_and_exports_cost_the_same_with_more_data(world):
    _grow(world, 1)
    small = _measure(world)
    _grow(world, 5)
    large = _measure(world)
    assert large == small
    assert max(small.values()) <= 20, small


def test_caseload_longest_since_contact_puts_never_contacted_first(svc, caseload):
    cato, dina, _third = caseload
    Contact.objects.create(
        organisation=svc.org,
        engagement=cato,
        peer_worker=cato.peer_worker,
        date=timezone.localdate(),
        start_time="10:00",
        duration_minutes=30,
        channel="phone",
        initiated_by="person",
    )
    body = svc.client(Role.PEER_WORKER).get("/service/caseload/?sort=contact").content.decode()
    assert body.index("Dina Case") < body.index("Cato Case")


# --- Excel workbooks ------------------------------------------------------------------------------------


def test_queue_as_a_workbook_holds_the_rows_with_dates_as_dates_and_formulas_as_text(world, other_world, queue):
    new_referral(other_world, "Other Org Person")
    client = world.client(Role.COORDINATOR)
    body = client.get("/service/queue/?q=Queue").content.decode()
    assert 'href="?q=Queue&amp;format=xlsx"' in body and "Download as a spreadsheet (Excel)" in body
    rows = workbook_of(client.get("/service/queue/?sort=name&format=xlsx"))
    assert rows[0][:3] == ["Person", "Received", "Days waiting"]
    names = [r[0] for r in rows[1:]]
    assert names == sorted(names) and len(names) == 3
    assert "'" + FORMULA in names and "Other Org Person" not in names
    assert any(r[3] == "'@SUM(1+1)" for r in rows[1:])
    received = {r[0]: r[1] for r in rows[1:]}
    assert received["Bjørn Queue"].date() == timezone.localdate() - timedelta(days=40), "a real date cell"
    assert {type(r[2]) for r in rows[1:]} == {int}
    recorded = entries(
        world, detail=Detail("downloaded", page="referral_queue", format="xlsx").stored, action=AuditEntry.Action.READ
    )
    assert sorted(int(e.subject_id) for e in recorded) == sorted(r.service_user_id for r in queue)
    assert not entries(world, detail=Detail("downloaded", page="referral_queue", format="csv").stored).exists()


def test_people_as_a_workbook_is_scoped_neutralised_and_recorded(world, other_world):
    outsider = UserFactory(username="outsider", last_name="Otherorgperson")
    MembershipFactory(organisation=other_world.org, user=outsider, role=Role.PROFESSIONAL)
    user = UserFactory(username="ola-list", first_name="Ola", last_name=FORMULA)
    MembershipFactory(organisation=world.org, user=user, role=Role.PROFESSIONAL, unit=world.team)
    client = world.client(Role.ADMINISTRATOR)
    rows = workbook_of(client.get("/account/people/?sort=role&format=xlsx"))
    assert rows[0][:3] == ["First name", "Last name", "Role"]
    assert "'" + FORMULA in {r[1] for r in rows}
    assert "Otherorgperson" not in {r[1] for r in rows[1:]}
    assert len(rows) - 1 == Membership.objects.filter(organisation=world.org).count()
    assert (
        entries(
            world, object_type="accounts.membership", detail=Detail("downloaded", page="list", format="xlsx").stored
        ).count()
        == 1
    )
    narrowed = workbook_of(client.get("/account/people/?q=ola-list&format=xlsx"))
    assert [r[0] for r in narrowed[1:]] == ["Ola"]


def test_audit_trail_and_initiatives_and_caseload_download_as_workbooks(world, svc, caseload, queue):
    dpo = world.client(Role.DPO)
    rows = workbook_of(dpo.get("/privacy/audit/?format=xlsx"))
    assert len(rows) > 1
    assert entries(world, object_type="audit.auditentry", detail__contains='"format":"xlsx"').count() == 1
    manager = world.client(Role.MANAGER)
    assert workbook_of(manager.get("/cocreation/initiatives/?format=xlsx"))[0]
    assert (
        entries(
            world, object_type="cocreation.initiative", detail=Detail("downloaded", page="list", format="xlsx").stored
        ).count()
        == 1
    )
    rows = workbook_of(svc.client(Role.PEER_WORKER).get("/service/caseload/?format=xlsx"))
    assert len(rows) > 1
    assert entries(svc, detail=Detail("downloaded", page="caseload", format="xlsx").stored).exists()

"""Exchange files (REFI-QDA) and agreement between coders, through the services and the pages."""

from __future__ import annotations

import io
import zipfile

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from peerwork import qda
from peerwork.audit.models import AuditEntry
from peerwork.coassessment import exchange, exchange_services, services
from peerwork.coassessment.models import Code, Coding, Segment
from peerwork.core.roles import Role
from tests.conftest import actor_for

from .conftest import plan, ready_for_material, start_analysis

# Four turns; each is a segment of its own participant.
TEXT = (
    "P1: I felt heard in guidance.\n"
    "P2: Guidance came too late for me.\n"
    "P3: My guide had walked the same road.\n"
    "P4: Nobody asked what I wanted.\n"
)


def spans(text: str) -> list[tuple[int, int]]:
    out, start = [], 0
    for line in text.splitlines(keepends=True):
        out.append((start + 4, start + len(line) - 1))
        start += len(line)
    return out


@pytest.fixture
def coded(world):
    """Two coders (the manager, who planned it and leads, and the peer co-researcher) on four segments."""
    manager = world.actor(Role.MANAGER)
    ca = plan(manager)
    group, participants = ready_for_material(world, ca)
    material = services.add_material(manager, ca, kind="transcript", title="Focus group 1", text=TEXT, group=group)
    segments = [
        services.add_segment(manager, material, participant=p, start=s, end=e)
        for p, (s, e) in zip(participants, spans(TEXT), strict=True)
    ]
    start_analysis(world, ca)
    heard = services.add_code(manager, ca, name="Being heard", description="The person felt listened to.")
    late = services.add_code(manager, ca, name="Timing")
    peer = actor_for(world.users[Role.PEER_WORKER], world.org)
    for s in segments[:2]:
        s.material.coassessment = ca
    # Being heard: manager on segments 1 and 2, peer worker on segment 1 only. Timing fills 3 and 4 for both.
    for actor, chosen in ((manager, [0, 1]), (peer, [0])):
        for i in chosen:
            services.code_segment(actor, segments[i], code=heard)
        for i in (2, 3):
            services.code_segment(actor, segments[i], code=late)
    return ca, material, segments, participants


def test_the_exported_project_and_codebook_pass_the_standards_schemas(world, coded):
    ca, *_ = coded
    _, data = exchange.export_project(world.actor(Role.MANAGER), ca.pk)
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        xml = archive.read("project.qde")
    assert qda.validate_project_xml(xml) == []
    _, book = exchange.export_codebook(world.actor(Role.MANAGER), ca.pk)
    assert qda.validate_codebook_xml(book) == []
    assert AuditEntry.objects.filter(action="export", object_id=str(ca.pk)).count() == 2


def test_the_export_names_coders_by_role_and_leaves_out_those_whose_consent_no_longer_holds(world, coded):
    ca, material, segments, participants = coded
    consent = participants[1].consent
    consent.withdrawn_at = timezone.now()
    consent.save(update_fields=["withdrawn_at"])
    project = qda.import_project(exchange.export_project(world.actor(Role.MANAGER), ca.pk)[1]).project
    names = sorted(u.name for u in project.users)
    assert names == ["Coder 1, lead", "Coder 2, peer co-researcher"]
    for person in (world.users[Role.MANAGER], world.users[Role.PEER_WORKER]):
        for text in (person.username, person.first_name, person.last_name):
            assert not text or all(text not in u.name for u in project.users)
    (source,) = project.sources
    assert "Guidance came too late" not in source.text and "[…]" in source.text
    assert "I felt heard in guidance." in source.text
    # Every coding still points at its words after the removal moved them.
    by_guid = {c.guid: c.name for c in project.all_codes()}
    quoted = sorted((by_guid[c.code_guid], source.text[c.start : c.end]) for c in project.codings)
    assert ("Timing", "Nobody asked what I wanted.") in quoted
    assert all("too late" not in text for _, text in quoted)
    assert len(project.codings) == 7 - 1  # the manager's coding of P2's words stays home


def test_a_round_trip_brings_codings_back_to_their_coders_and_changes_nothing_twice(world, coded):
    ca, material, segments, _ = coded
    manager = world.actor(Role.MANAGER)
    data = exchange.export_project(manager, ca.pk)[1]
    before = set(Coding.objects.values_list("segment_id", "code_id", "coder_id"))
    Coding.objects.filter(coder=world.users[Role.PEER_WORKER], code__name="Being heard").delete()
    result = exchange_services.import_project(manager, ca, data=data)
    assert (result.codes_added, result.codes_known, result.codings_added) == (0, 2, 1)
    assert set(Coding.objects.values_list("segment_id", "code_id", "coder_id")) == before
    again = exchange_services.import_project(manager, ca, data=data)
    assert (again.codings_added, again.codings_known) == (0, 7)


def test_a_codebook_from_another_program_adds_only_new_codes(world, coded):
    ca, *_ = coded
    book = qda.Codebook(
        codes=(
            qda.Code(qda.new_guid(), "being heard"),
            qda.Code(qda.new_guid(), "Power", "Who decides.", children=(qda.Code(qda.new_guid(), "Tokenism"),)),
        )
    )
    result = exchange_services.import_codebook(world.actor(Role.MANAGER), ca, data=qda.export_codebook(book))
    assert (result.codes_added, result.codes_known) == (2, 1)
    assert sorted(Code.objects.filter(coassessment=ca).values_list("name", flat=True)) == [
        "Being heard",
        "Power",
        "Timing",
        "Tokenism",
    ]


def test_a_project_with_other_texts_and_segments_says_what_it_left_out(world, coded):
    ca, material, segments, _ = coded
    coder = qda.User(qda.new_guid(), "Coder A")
    code = qda.Code(qda.new_guid(), "Hope")
    here = qda.Source(qda.new_guid(), "Same text", material.text)
    elsewhere = qda.Source(qda.new_guid(), "Another text", "Something else was said.")
    s = segments[3]
    project = qda.Project(
        name="From another program",
        users=(coder,),
        codes=(code,),
        sources=(here, elsewhere),
        codings=(
            qda.Coding(qda.new_guid(), here.guid, s.start, s.end, code.guid, coder.guid),
            qda.Coding(qda.new_guid(), here.guid, 0, 3, code.guid, coder.guid),
            qda.Coding(qda.new_guid(), elsewhere.guid, 0, 9, code.guid, coder.guid),
        ),
    )
    peer = actor_for(world.users[Role.PEER_WORKER], world.org)
    result = exchange_services.import_project(peer, ca, data=qda.export_project(project))
    assert result.codings_added == 1
    assert dict(result.left_out) == {exchange_services.NO_SEGMENT: 1, exchange_services.NO_MATERIAL: 1}
    added = Coding.objects.get(code__name="Hope")
    assert (added.segment_id, added.coder) == (s.pk, world.users[Role.PEER_WORKER])


def test_a_broken_file_is_refused_on_the_page_and_nothing_is_saved(world, coded):
    ca, *_ = coded
    client = world.client(Role.PEER_WORKER)
    url = reverse("coassessment:exchange", args=[ca.pk])
    codes = Code.objects.count()
    bad = qda.export_codebook(qda.Codebook(codes=(qda.Code(qda.new_guid(), "Fine"),))).replace(b"<Code ", b"<Cod ")
    response = client.post(
        url, {"kind": "codebook", "codebook-file": SimpleUploadedFile("book.qdc", bad, "application/xml")}
    )
    assert response.status_code == 422
    body = response.content.decode()
    assert "The file could not be read, so nothing was saved" in body
    assert 'class="import-problems"' in body and '<li lang="en">' in body
    assert Code.objects.count() == codes
    response = client.post(
        url, {"kind": "project", "project-file": SimpleUploadedFile("p.qdpx", b"not a zip", "application/zip")}
    )
    assert response.status_code == 422
    assert "nothing was saved" in response.content.decode()


def test_the_exchange_page_imports_a_codebook_and_offers_both_downloads(world, coded):
    ca, *_ = coded
    client = world.client(Role.PEER_WORKER)
    book = qda.export_codebook(qda.Codebook(codes=(qda.Code(qda.new_guid(), "Hope"),)))
    response = client.post(
        reverse("coassessment:exchange", args=[ca.pk]),
        {"kind": "codebook", "codebook-file": SimpleUploadedFile("b.qdc", book, "application/xml")},
    )
    assert response.status_code == 200
    assert "1 new code in the codebook" in response.content.decode()
    download = client.get(reverse("coassessment:export_project", args=[ca.pk]))
    assert download["Content-Disposition"].endswith('.qdpx"')
    assert zipfile.ZipFile(io.BytesIO(download.content)).namelist()[0] == "project.qde"


def test_blind_coding_hides_the_others_codes_until_the_coder_chooses_to_compare(world, coded):
    ca, material, *_ = coded
    exchange_services.set_blind(world.actor(Role.MANAGER), ca, blind=True)
    client = world.client(Role.PEER_WORKER)
    page = client.get(reverse("coassessment:coding", args=[material.pk])).content.decode()
    manager = str(world.users[Role.MANAGER])
    assert manager not in page.split('id="segments"')[1].split("</table>")[0]
    assert "coding blind" in page
    compare = client.get(reverse("coassessment:compare", args=[ca.pk])).content.decode()
    assert "Compare with the other coders now" in compare and 'id="agreement"' not in compare
    differ = client.get(reverse("coassessment:disagreements", args=[ca.pk])).content.decode()
    assert "Given by" not in differ
    client.post(reverse("coassessment:compare_now", args=[ca.pk]))
    page = client.get(reverse("coassessment:coding", args=[material.pk])).content.decode()
    assert manager in page.split('id="segments"')[1].split("</table>")[0]
    # The manager has not compared yet: still blind for them.
    page = world.client(Role.MANAGER).get(reverse("coassessment:coding", args=[material.pk])).content.decode()
    assert str(world.users[Role.PEER_WORKER]) not in page.split('id="segments"')[1].split("</table>")[0]


def test_the_compare_page_shows_alpha_per_code_for_a_known_example(world, coded):
    """Being heard: coder 1 gives it on segments 1 and 2, coder 2 on segment 1; four segments compared.
    Values 1,1,0,0 and 1,0,0,0: observed disagreement 2/8, expected 2·3·5/(8·7), alpha = 1 − 7/15 = 8/15."""
    ca, *_ = coded
    result = exchange.comparison(world.actor(Role.MANAGER), ca.pk)
    figures = {row.code.name: row.figure for row in result.rows}
    assert figures["Being heard"].alpha == pytest.approx(8 / 15)
    assert figures["Timing"].alpha == pytest.approx(1.0)
    page = world.client(Role.PEER_WORKER).get(reverse("coassessment:compare", args=[ca.pk])).content.decode()
    assert "0.53" in page and "1.00" in page
    differ = world.client(Role.PEER_WORKER).get(reverse("coassessment:disagreements", args=[ca.pk]))
    body = differ.content.decode()
    assert "Guidance came too late for me." in body and "1 place where coders differ" in body


def test_not_enough_variation_is_said_in_words_and_nothing_is_blocked(world, coded):
    ca, material, segments, _ = coded
    Coding.objects.filter(code__name="Being heard").delete()
    page = world.client(Role.MANAGER).get(reverse("coassessment:compare", args=[ca.pk])).content.decode()
    assert "Every coder gave every shared segment the same answer" in page
    # A low or missing figure blocks nothing: the co-assessment moves on.
    services.advance(world.actor(Role.MANAGER), ca)


def test_other_organisations_and_people_outside_the_team_see_nothing(world, other_world, coded):
    ca, *_ = coded
    names = ["exchange", "export_project", "export_codebook", "compare", "disagreements"]
    outsider = other_world.client(Role.MANAGER)
    for name in names:
        assert outsider.get(reverse(f"coassessment:{name}", args=[ca.pk])).status_code == 404, name
    not_in_team = world.client(Role.PROFESSIONAL)
    for name in names:
        assert not_in_team.get(reverse(f"coassessment:{name}", args=[ca.pk])).status_code in (403, 404), name
    with pytest.raises(Exception):  # noqa: B017, PT011 - PermissionDenied or Http404, either refuses
        exchange_services.import_codebook(
            other_world.actor(Role.MANAGER), ca, data=qda.export_codebook(qda.Codebook(codes=()))
        )


def test_pages_keep_their_query_budget_as_segments_grow(world, coded, django_assert_max_num_queries):
    ca, material, segments, participants = coded
    client = world.client(Role.PEER_WORKER)
    urls = [
        reverse(f"coassessment:{name}", args=[ca.pk])
        for name in ("exchange", "export_project", "export_codebook", "compare", "disagreements")
    ]

    def counts() -> list[int]:
        from django.db import connection
        from django.test.utils import CaptureQueriesContext

        out = []
        for url in urls:
            client.get(url)  # the agreement figures are computed again once after a coding; count the reading
            with CaptureQueriesContext(connection) as ctx:
                assert client.get(url).status_code == 200, url
            out.append(len(ctx.captured_queries))
        return out

    for url in urls:
        with django_assert_max_num_queries(25):
            client.get(url)
    first = counts()
    manager = world.actor(Role.MANAGER)
    more = services.add_material(manager, ca, kind="notes", title="Notes", text=TEXT, group=None)
    for p, (s, e) in zip(participants, spans(TEXT), strict=True):
        seg = services.add_segment(manager, more, participant=p, start=s, end=e)
        services.code_segment(
            manager,
            Segment.objects.select_related("material__coassessment").get(pk=seg.pk),
            code=Code.objects.get(name="Timing"),
        )
    assert counts() == first


def _heard(world, ca) -> float | None:
    result = exchange.comparison(world.actor(Role.MANAGER), ca.pk, details=False)
    return {row.code.name: row.figure.alpha for row in result.rows}["Being heard"]


def test_the_stored_figures_follow_every_coding_undo_and_withdrawal(world, coded):
    ca, material, segments, participants = coded
    client = world.client(Role.PEER_WORKER)
    url = reverse("coassessment:compare", args=[ca.pk])
    assert "0.53" in client.get(url).content.decode()
    assert _heard(world, ca) == pytest.approx(8 / 15)
    peer = world.actor(Role.PEER_WORKER)
    heard = Code.objects.get(name="Being heard")
    coding = services.code_segment(peer, Segment.objects.get(pk=segments[1].pk), code=heard)
    assert _heard(world, ca) == pytest.approx(1.0)  # both coders now give it on segments 1 and 2
    assert "0.53" not in client.get(url).content.decode()
    services.uncode(peer, coding)
    assert _heard(world, ca) == pytest.approx(8 / 15)
    assert "0.53" in client.get(url).content.decode()
    # The participant whose words the coders read differently withdraws: the difference goes with them.
    services.withdraw_participant(world.actor(Role.MANAGER), participants[1])
    assert _heard(world, ca) == pytest.approx(1.0)
    body = client.get(reverse("coassessment:disagreements", args=[ca.pk])).content.decode()
    assert "Guidance came too late" not in body and "do not differ anywhere" in body


def test_the_stored_figures_follow_a_consent_withdrawn_elsewhere(world, coded):
    ca, material, segments, participants = coded
    assert _heard(world, ca) == pytest.approx(8 / 15)
    consent = participants[1].consent
    consent.withdrawn_at = timezone.now()
    consent.save(update_fields=["withdrawn_at"])
    assert _heard(world, ca) == pytest.approx(1.0)


def test_where_coders_differ_comes_a_page_at_a_time_and_by_code(world, coded):
    ca, material, segments, _ = coded
    manager = world.actor(Role.MANAGER)
    hope = services.add_code(manager, ca, name="Hope")
    for s in segments[:3]:
        services.code_segment(manager, Segment.objects.get(pk=s.pk), code=hope)
    # Four places: Being heard on segment 2, Hope on segments 1 to 3 (the peer worker did not give it).
    first = exchange.comparison(manager, ca.pk, page=3)
    assert (first.shown_count, len(first.disagreements), first.earlier) == (4, 3, False)
    later = exchange.comparison(manager, ca.pk, page=3, after=first.later)
    assert (len(later.disagreements), later.earlier, later.later) == (1, True, "")
    seen = [d.place for d in first.disagreements + later.disagreements]
    assert len(set(seen)) == 4
    assert [d.text for d in later.disagreements] == ["My guide had walked the same road."]
    client = world.client(Role.PEER_WORKER)
    url = reverse("coassessment:disagreements", args=[ca.pk])
    body = client.get(url, {"code": hope.pk}).content.decode()
    assert "3 places where coders differ" in body
    assert "Guidance came too late for me." in body and "I felt heard in guidance." in body
    rows = body.split('id="disagreements"')[1].split("<tbody")[1].split("</tbody>")[0]
    assert rows.count("<tr") == 3 and "Being heard" not in rows
    assert "4 places where coders differ" in client.get(url).content.decode()


def test_the_stored_figures_follow_an_imported_project(world, coded):
    ca, *_ = coded
    manager = world.actor(Role.MANAGER)
    data = exchange.export_project(manager, ca.pk)[1]
    Coding.objects.filter(coder=world.users[Role.PEER_WORKER], code__name="Being heard").delete()
    services.codings_changed(ca.pk)
    assert _heard(world, ca) == pytest.approx(-1 / 6)  # the peer worker no longer gives it anywhere
    exchange_services.import_project(manager, ca, data=data)
    assert _heard(world, ca) == pytest.approx(8 / 15)

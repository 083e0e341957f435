"""Exchange files carry the analysis: memos as notes, themes and code groups as sets, codings on new stretches
inside a segment; a withdrawn participant's words, and memos quoting them, never leave."""

from __future__ import annotations

import io
import zipfile
from dataclasses import replace

from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from peerwork import qda
from peerwork.audit.details import in_words
from peerwork.audit.models import AuditEntry
from peerwork.coassessment import analysis, exchange, exchange_services, services
from peerwork.coassessment.models import CoAssessment, Code, Coding, Decision, Memo, Segment, Theme
from peerwork.core.roles import Role
from tests.conftest import actor_for

from .conftest import plan, ready_for_material, start_analysis
from .test_exchange import TEXT, spans

THEMATIC = CoAssessment.Method.THEMATIC


def _under_way(world, *, title, prefix, method=THEMATIC):
    """A co-assessment being analysed, with TEXT as its one material and each turn a participant's segment."""
    manager = world.actor(Role.MANAGER)
    ca = plan(manager, title=title, method=method)
    group, participants = ready_for_material(world, ca, prefix=prefix)
    material = services.add_material(manager, ca, kind="transcript", title="Focus group 1", text=TEXT, group=group)
    segments = [
        services.add_segment(manager, material, participant=p, start=s, end=e)
        for p, (s, e) in zip(participants, spans(TEXT), strict=True)
    ]
    start_analysis(world, ca)
    ca.refresh_from_db()
    material.coassessment = ca
    return ca, material, segments, participants


def _analysed(world):
    """The first co-assessment: one coder (the manager), a coding on a stretch inside P4's segment, two memos
    and a defined theme."""
    ca, material, segments, participants = _under_way(world, title="First", prefix="a")
    manager = world.actor(Role.MANAGER)
    peer = actor_for(world.users[Role.PEER_WORKER], world.org)
    heard = services.add_code(manager, ca, name="Being heard", description="The person felt listened to.")
    late = services.add_code(manager, ca, name="Timing")
    for s, code in zip(segments, (heard, heard, late, late), strict=True):
        services.code_segment(manager, s, code=code)
    p4 = segments[3]
    inner = services.add_segment(manager, material, participant=participants[3], start=p4.start + 7, end=p4.end - 1)
    services.code_segment(manager, Segment.objects.select_related("material__coassessment").get(pk=inner.pk), code=late)
    analysis.write_memo(manager, material, text="Guidance matters to everyone in this group.")
    analysis.write_memo(peer, material, text="The group spoke warmly about their guides.")
    theme = analysis.add_theme(manager, ca, kind=Theme.Kind.THEME, name="Being met", codes=[heard, late])
    analysis.define_theme(manager, theme, name="Being met", definition="Being listened to, and helped in time.")
    return ca, material, segments, participants, (p4.start + 7, p4.end - 1)


def _project_xml(data: bytes) -> bytes:
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        return archive.read("project.qde")


def test_memos_themes_and_a_new_stretch_travel_to_another_co_assessment_and_arrive_once(world):
    first, material, _, _, inner = _analysed(world)
    manager = world.actor(Role.MANAGER)
    data = exchange.export_project(manager, first.pk)[1]
    assert qda.validate_project_xml(_project_xml(data)) == []
    project = qda.import_project(data).project
    assert sorted(n.text for n in project.notes) == [
        "Guidance matters to everyone in this group.",
        "The group spoke warmly about their guides.",
    ]
    (source,) = project.sources
    users = {u.guid for u in project.users}
    for note in project.notes:
        assert note.attached_to == (source.guid,) and note.creating_user in users and note.created is not None
        assert note.name == "Familiarisation memo on “Focus group 1”"
    (theme,) = project.sets
    names = {c.guid: c.name for c in project.all_codes()}
    assert (theme.name, theme.description) == ("Being met", "Being listened to, and helped in time.")
    assert sorted(names[g] for g in theme.code_guids) == ["Being heard", "Timing"]
    _, book = exchange.export_codebook(manager, first.pk)
    assert qda.validate_codebook_xml(book) == []
    assert [s.name for s in qda.import_codebook(book).sets] == ["Being met"]
    entry = AuditEntry.objects.get(action="export", object_id=str(first.pk), detail__contains="project_file")
    assert "Notes: 2. Sets: 1." in in_words(entry.detail)

    second, material2, segments2, participants2 = _under_way(world, title="Second", prefix="b")
    peer = actor_for(world.users[Role.PEER_WORKER], world.org)
    result = exchange_services.import_project(peer, second, data=data)
    assert (result.codes_added, result.codings_added, result.segments_added) == (2, 5, 1)
    assert not result.left_out and not result.notes_left_out and not result.sets_left_out
    new = Segment.objects.get(material=material2, start=inner[0], end=inner[1])
    assert new.participant == participants2[3] and new.created_by == world.users[Role.PEER_WORKER]
    assert list(new.codings.values_list("code__name", "coder")) == [("Timing", world.users[Role.PEER_WORKER].pk)]
    # Both memos came from coders unknown here: they are the importing person's memo on the same text.
    (memo,) = Memo.objects.filter(material=material2)
    assert memo.author == world.users[Role.PEER_WORKER]
    assert "Guidance matters to everyone" in memo.text and "spoke warmly about their guides" in memo.text
    assert (result.memos_added, result.themes_added) == (2, 1)
    (met,) = Theme.objects.filter(coassessment=second)
    assert (met.kind, met.definition) == (Theme.Kind.THEME, "Being listened to, and helped in time.")
    assert sorted(met.codes.values_list("name", flat=True)) == ["Being heard", "Timing"]
    assert Decision.objects.filter(coassessment=second, kind__in=["memo", "theme"]).count() == 2
    entry = (
        AuditEntry.objects.filter(action="create", object_type="coassessment.coassessment", object_id=str(second.pk))
        .order_by("-id")
        .first()
    )
    assert "New segments: 1. Notes added to memos: 2. New or changed themes: 1." in in_words(entry.detail)

    versions = second.codings_version
    again = exchange_services.import_project(peer, second, data=data)
    assert (again.codings_added, again.codings_known, again.segments_added) == (0, 5, 0)
    assert (again.memos_added, again.memos_known, again.themes_added, again.themes_known) == (0, 2, 0, 1)
    assert Memo.objects.get(pk=memo.pk).text == memo.text
    assert Segment.objects.filter(material=material2).count() == 5
    second.refresh_from_db()
    assert second.codings_version > versions

    # Back into the first: memos and codings return to their authors and coders, nothing is added twice.
    back = exchange_services.import_project(manager, first, data=data)
    assert (back.codings_added, back.segments_added, back.memos_added, back.memos_known) == (0, 0, 0, 2)
    assert back.themes_known == 1
    assert Memo.objects.filter(material=material).count() == 2


def test_a_withdrawn_participants_words_and_memos_quoting_or_naming_them_never_leave(world):
    ca, material, segments, participants, _ = _analysed(world)
    manager = world.actor(Role.MANAGER)
    peer = actor_for(world.users[Role.PEER_WORKER], world.org)
    analysis.write_memo(peer, material, text="One said: guidance came TOO LATE for me. That stays with me.")
    other = services.add_material(manager, ca, kind="notes", title="Notes", text="Notes of the day.", group=None)
    analysis.write_memo(manager, other, text="P2 looked tired.")
    theme = Theme.objects.get(coassessment=ca)
    analysis.define_theme(manager, theme, name="Being met", definition="As one put it, “Guidance came too late”.")
    consent = participants[1].consent
    consent.withdrawn_at = timezone.now()
    consent.save(update_fields=["withdrawn_at"])
    for data in (exchange.export_project(manager, ca.pk)[1], exchange.export_codebook(manager, ca.pk)[1]):
        assert b"too late" not in data.lower() and b"P2 looked" not in data
        if data[:2] == b"PK":
            assert qda.validate_project_xml(_project_xml(data)) == []
            with zipfile.ZipFile(io.BytesIO(data)) as archive:
                assert all(b"too late" not in archive.read(n).lower() for n in archive.namelist())
    project = qda.import_project(exchange.export_project(manager, ca.pk)[1]).project
    assert [n.text for n in project.notes] == ["Guidance matters to everyone in this group."]
    assert project.sets[0].description == ""


def test_stretches_across_participants_or_outside_segments_and_stray_notes_are_counted_and_said(world):
    ca, material, segments, participants = _under_way(world, title="Second", prefix="b")
    coder = qda.User(qda.new_guid(), "Coder A")
    hope, lost = qda.Code(qda.new_guid(), "Hope"), qda.Code(qda.new_guid(), "Lost")
    here = qda.Source(qda.new_guid(), "Same text", TEXT)
    p1, p2 = segments[0], segments[1]

    def coding(start, end, code=hope):
        return qda.Coding(qda.new_guid(), here.guid, start, end, code.guid, coder.guid)

    on_code = qda.Note(qda.new_guid(), "About hope", "Hope runs through it.", attached_to=(hope.guid,))
    on_text = qda.Note(qda.new_guid(), "Read first", "A memo from elsewhere.", coder.guid, None, (here.guid,))
    project = qda.Project(
        name="From another program",
        users=(coder,),
        codes=(hope, lost),
        sources=(here,),
        codings=(
            coding(p1.start + 3, p2.end - 3),  # from P1's words into P2's
            coding(0, 3),  # "P1:", outside every segment
            coding(p2.start + 2, p2.end - 2),  # inside P2's segment: a new segment
        ),
        notes=(on_code, on_text),
        sets=(
            qda.CodeSet(qda.new_guid(), "Hope and loss", "", (hope.guid, lost.guid)),
            qda.CodeSet(qda.new_guid(), "Empty", ""),
        ),
    )
    data = qda.export_project(project)
    assert qda.validate_project_xml(_project_xml(data)) == []
    client = world.client(Role.PEER_WORKER)
    response = client.post(
        reverse("coassessment:exchange", args=[ca.pk]),
        {"kind": "project", "project-file": SimpleUploadedFile("p.qdpx", data, "application/zip")},
    )
    assert response.status_code == 200
    body = response.content.decode()
    for words in (
        "1 coding left out: on a stretch of text that runs over the words of more than one participant",
        "1 coding left out: on a stretch of text that does not lie inside one segment marked here",
        "1 new segment marked inside a segment already here",
        "1 note added to the memos",
        "1 note left out: not about a text this co-assessment holds",
        "1 new theme or code group",
        "1 set of codes left out: none of its codes is in the codebook here",
    ):
        assert words in body, words
    (new,) = Segment.objects.filter(material=material).exclude(pk__in=[s.pk for s in segments])
    assert (new.participant, new.start, new.end) == (participants[1], p2.start + 2, p2.end - 2)
    assert Coding.objects.get(segment=new).code.name == "Hope"
    assert Memo.objects.get(material=material).text == "A memo from elsewhere."
    assert sorted(Theme.objects.get(coassessment=ca).codes.values_list("name", flat=True)) == ["Hope", "Lost"]

    # Words of someone whose consent no longer holds get no new segment.
    consent = participants[2].consent
    consent.withdrawn_at = timezone.now()
    consent.save(update_fields=["withdrawn_at"])
    p3 = segments[2]
    later = replace(project, codings=(coding(p3.start + 1, p3.end - 1),), notes=(), sets=())
    result = exchange_services.import_project(world.actor(Role.MANAGER), ca, data=qda.export_project(later))
    assert dict(result.left_out) == {exchange_services.NO_CONSENT: 1} and result.segments_added == 0


def test_sets_become_code_groups_in_a_condensation_and_wait_for_the_analysis(world):
    ca, material, segments, participants = _under_way(
        world, title="Second", prefix="b", method=CoAssessment.Method.CONDENSATION
    )
    manager = world.actor(Role.MANAGER)
    services.add_code(manager, ca, name="Hope")
    book = qda.Codebook(codes=(code := qda.Code(qda.new_guid(), "Hope"),))
    project = qda.Project(
        name="Elsewhere",
        codes=book.codes,
        sources=(qda.Source(qda.new_guid(), "Same text", TEXT),),
        sets=(qda.CodeSet(qda.new_guid(), "Hope in guidance", "", (code.guid,)),),
    )
    result = exchange_services.import_project(manager, ca, data=qda.export_project(project))
    assert result.themes_added == 1
    group = Theme.objects.get(coassessment=ca)
    assert group.kind == Theme.Kind.CODE_GROUP and list(group.codes.values_list("name", flat=True)) == ["Hope"]
    services.add_code(manager, ca, name="Loss")
    more = replace(
        project,
        codes=(code, loss := qda.Code(qda.new_guid(), "loss")),
        sets=(qda.CodeSet(qda.new_guid(), "hope in guidance", "", (code.guid, loss.guid)),),
    )
    result = exchange_services.import_project(manager, ca, data=qda.export_project(more))
    assert (result.themes_added, result.themes_updated) == (0, 1)
    assert sorted(group.codes.values_list("name", flat=True)) == ["Hope", "Loss"]
    CoAssessment.objects.filter(pk=ca.pk).update(status=CoAssessment.Status.COLLECTING)
    ca.refresh_from_db()
    result = exchange_services.import_project(manager, ca, data=qda.export_project(more))
    assert dict(result.sets_left_out) == {exchange_services.ANALYSIS_CLOSED: 1}
    assert Code.objects.filter(coassessment=ca).count() == 2

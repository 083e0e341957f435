"""The analysis, exchange and agreement API: the same scoping, forms, services and audit as the pages."""

from __future__ import annotations

import io
import zipfile
from datetime import timedelta

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from peerwork import qda
from peerwork.accounts import services as account_services
from peerwork.audit.models import AuditEntry
from peerwork.coassessment import analysis, exchange, exchange_services, services
from peerwork.coassessment.models import CoAssessment, Code, Coding, Decision, Segment, Theme
from peerwork.coassessment.views_exchange import NOTES_LEFT_OUT_WORDS, SETS_LEFT_OUT_WORDS
from peerwork.core.roles import Role

from .conftest import add_user, plan, ready_for_material, start_analysis
from .test_analysis import SPANS, TEXT
from .test_exchange import coded  # noqa: F401  (the fixture: two coders on four segments)

BASE = "/api/coassessment"
JSON = "application/json"


@pytest.fixture
def api(world):
    def make(role, w=None, user=None):
        w = w or world
        actor = w.actor(role) if user is None else _actor(user, w)
        _token, secret = account_services.create_api_token(actor, name="test", valid_days=1)
        return Client(HTTP_AUTHORIZATION=f"Bearer {secret}")

    return make


def _actor(user, w):
    from tests.conftest import actor_for

    return actor_for(user, w.org)


def _under_way(world, method=CoAssessment.Method.CONDENSATION):
    manager = world.actor(Role.MANAGER)
    ca = plan(manager, method=method)
    group, participants = ready_for_material(world, ca)
    material = services.add_material(manager, ca, kind="transcript", title="Group 1", text=TEXT, group=group)
    segs = [
        services.add_segment(manager, material, participant=participants[i], start=s, end=e)
        for i, (s, e) in enumerate(SPANS)
    ]
    start_analysis(world, ca)
    return ca, group, participants, material, segs


# --- analysis ---------------------------------------------------------------------------------------------


def test_a_team_member_reads_the_analysis_and_adds_to_it_through_the_api(world, api):
    ca, _group, _participants, _material, segs = _under_way(world)
    peer = api(Role.PEER_WORKER)
    r = peer.get(f"{BASE}/coassessments/{ca.pk}/analysis")
    assert r.status_code == 200, r.content
    state = r.json()
    assert state["method"] == "condensation" and state["open"] is True and state["step"] == 1
    assert [s["name"] for s in state["steps"]] == [str(n) for n in analysis.CONDENSATION_STEPS]
    assert [s["done"] for s in state["steps"]] == [False] * 4
    assert state["steps"][0]["team_is_here"] and all(s["items"] == [] for s in state["steps"])
    assert {u["text"] for u in state["units"]} == {TEXT[s:e] for s, e in SPANS}
    assert AuditEntry.objects.filter(action="read", object_id=str(ca.pk)).exists()

    r = peer.post(
        f"{BASE}/coassessments/{ca.pk}/analysis/themes",
        {"kind": "code_group", "name": "Timing", "why": "Read together"},
        content_type=JSON,
    )
    assert r.status_code == 201, r.content
    theme_id = r.json()["id"]
    r = peer.put(
        f"{BASE}/analysis/themes/{theme_id}/segments", {"segments": [s.pk for s in segs[:2]]}, content_type=JSON
    )
    assert r.status_code == 200 and r.json()["segments"] == sorted(s.pk for s in segs[:2])
    r = peer.put(
        f"{BASE}/analysis/themes/{theme_id}/condensate",
        {"text": "I wanted guidance sooner.", "why": "Both said it"},
        content_type=JSON,
    )
    assert r.status_code == 200 and r.json()["condensate"] == "I wanted guidance sooner."
    r = peer.post(f"{BASE}/coassessments/{ca.pk}/analysis/step", {"step": 3}, content_type=JSON)
    assert r.status_code == 200 and r.json()["step"] == 3

    state = peer.get(f"{BASE}/coassessments/{ca.pk}/analysis").json()
    assert [s["done"] for s in state["steps"]] == [True, True, False, False]
    (item,) = state["steps"][2]["items"]
    assert (item["kind"], item["name"], item["text"]) == ("condensate", "Timing", "I wanted guidance sooner.")
    assert [u["segment_id"] for u in item["units"]] == [s.pk for s in segs[:2]]
    # the same on the page, and in the decision trail with who and why
    page = world.client(Role.MANAGER).get(reverse("coassessment:analysis_step", args=[ca.pk, 3])).content.decode()
    assert "I wanted guidance sooner." in page and "Timing" in page
    trail = peer.get(f"{BASE}/coassessments/{ca.pk}/analysis/trail").json()
    assert trail[0]["kind"] == "step" and trail[1]["what"] == "Condensate of “Timing”"
    assert trail[1]["why"] == "Both said it" and trail[1]["who"] == str(world.users[Role.PEER_WORKER])

    # undo the condensate: the state and the page show it gone
    assert {u["kind"] for u in state["undoable"]} >= {"condensate", "theme", "grouping", "step"}
    r = peer.post(f"{BASE}/coassessments/{ca.pk}/analysis/undo", {"kind": "condensate"}, content_type=JSON)
    assert r.status_code == 200 and r.json()["what"] == "Undone: Condensate of “Timing”"
    assert Theme.objects.get(pk=theme_id).condensate == ""
    r = peer.post(f"{BASE}/coassessments/{ca.pk}/analysis/undo", {"kind": "condensate"}, content_type=JSON)
    assert r.status_code == 422
    assert r.json()["errors"]["__all__"] == ["There is no change of this kind left to undo."]


def test_bad_input_answers_422_with_the_forms_or_services_message_and_nothing_is_saved(world, api):
    ca, _group, _participants, _material, segs = _under_way(world)
    manager = world.actor(Role.MANAGER)
    cg = analysis.add_theme(manager, ca, kind=Theme.Kind.CODE_GROUP, name="Timing")
    peer = api(Role.PEER_WORKER)
    decisions = Decision.objects.count()

    r = peer.put(f"{BASE}/analysis/themes/{cg.pk}/condensate", {"text": "   "}, content_type=JSON)
    assert r.status_code == 422 and r.json()["errors"] == {"text": ["Fill this in to go on."]}
    r = peer.post(
        f"{BASE}/coassessments/{ca.pk}/analysis/themes", {"kind": "code_group", "name": "timing"}, content_type=JSON
    )
    assert r.status_code == 422
    assert r.json()["errors"]["name"] == ["There is already one with this name. Choose another name."]
    r = peer.post(
        f"{BASE}/coassessments/{ca.pk}/analysis/themes", {"kind": "theme", "name": "Other"}, content_type=JSON
    )
    assert r.json()["errors"]["kind"] == ["This kind of theme does not belong to this co-assessment's method."]
    # a quote needs the de-identification check, as on the page
    r = peer.put(f"{BASE}/analysis/themes/{cg.pk}/quote", {"segment_id": segs[1].pk}, content_type=JSON)
    assert r.status_code == 422 and "deidentified" in r.json()["errors"]
    # a meaning unit from another co-assessment is not among the form's choices
    other = plan(manager, title="Another")
    r = peer.put(f"{BASE}/analysis/themes/{cg.pk}/segments", {"segments": [10**9]}, content_type=JSON)
    assert r.status_code == 422 and r.json()["errors"]["segments"][0].startswith("Select a valid choice.")
    r = peer.post(f"{BASE}/coassessments/{ca.pk}/analysis/step", {"step": 5}, content_type=JSON)
    assert r.status_code == 422 and r.json()["errors"]["step"][0].startswith("Select a valid choice.")
    assert Decision.objects.count() == decisions
    assert Theme.objects.filter(coassessment=ca).count() == 1 and not Theme.objects.filter(coassessment=other)
    cg.refresh_from_db()
    assert (cg.condensate, cg.quote_id, list(cg.segments.all())) == ("", None, [])


def test_thematic_memos_themes_and_findings(world, api):
    ca, _group, _participants, material, segs = _under_way(world, CoAssessment.Method.THEMATIC)
    code = services.add_code(world.actor(Role.MANAGER), ca, name="Timing")
    peer = api(Role.PEER_WORKER)
    r = peer.put(f"{BASE}/analysis/materials/{material.pk}/memo", {"text": "Late help, again."}, content_type=JSON)
    assert r.status_code == 200, r.content
    r = peer.put(f"{BASE}/analysis/materials/{material.pk}/memo", {"text": ""}, content_type=JSON)
    assert r.status_code == 422 and r.json()["errors"] == {"text": ["Fill this in to go on."]}
    r = peer.post(
        f"{BASE}/coassessments/{ca.pk}/analysis/themes",
        {"kind": "theme", "name": "Waiting", "codes": [code.pk]},
        content_type=JSON,
    )
    assert r.status_code == 201 and r.json()["codes"] == [code.pk]
    tid = r.json()["id"]
    assert peer.put(f"{BASE}/analysis/themes/{tid}/review", {"review": "kept"}, content_type=JSON).status_code == 200
    r = peer.put(
        f"{BASE}/analysis/themes/{tid}/definition",
        {"name": "Waiting for help", "definition": "Help that comes late."},
        content_type=JSON,
    )
    assert r.status_code == 200
    r = peer.put(f"{BASE}/analysis/themes/{tid}/synthesis", {"text": "They waited."}, content_type=JSON)
    assert r.status_code == 200
    r = peer.put(
        f"{BASE}/analysis/themes/{tid}/quote", {"segment_id": segs[1].pk, "deidentified": True}, content_type=JSON
    )
    assert r.status_code == 200, r.content

    steps = peer.get(f"{BASE}/coassessments/{ca.pk}/analysis").json()["steps"]
    (memo,) = steps[0]["items"]
    assert (memo["kind"], memo["text"], memo["mine"]) == ("memo", "Late help, again.", True)
    assert [i["name"] for i in steps[1]["items"]] == ["Timing"]
    assert steps[2]["items"][0]["codes"] == ["Timing"] and steps[3]["items"][0]["review"] == "kept"
    assert steps[4]["items"][0]["text"] == "Help that comes late."
    write_up = steps[5]["items"][0]
    assert write_up["quote"]["text"] == TEXT[SPANS[1][0] : SPANS[1][1]] and write_up["quote"]["pseudonym"] == "P2"

    findings = peer.get(f"{BASE}/coassessments/{ca.pk}/analysis/findings").json()
    (finding,) = findings["findings"]
    assert (finding["name"], finding["synthesis"]) == ("Waiting for help", "They waited.")
    assert finding["quote"]["text"] == "guidance came too late for me."
    assert findings["reflexivity_notes"][0]["text"] == "I bring my own years of guidance."
    page = world.client(Role.PEER_WORKER).get(reverse("coassessment:analysis_findings", args=[ca.pk]))
    assert "Waiting for help" in page.content.decode()


def test_a_withdrawn_participants_words_are_not_in_the_analysis(world, api):
    ca, _group, participants, _material, segs = _under_way(world)
    manager = world.actor(Role.MANAGER)
    cg = analysis.add_theme(manager, ca, kind=Theme.Kind.CODE_GROUP, name="Timing")
    analysis.sort_segments(manager, cg, segments=segs)
    said = TEXT[SPANS[1][0] : SPANS[1][1]]
    assert said in api(Role.PEER_WORKER).get(f"{BASE}/coassessments/{ca.pk}/analysis").content.decode()
    services.withdraw_participant(manager, participants[1])
    body = api(Role.PEER_WORKER).get(f"{BASE}/coassessments/{ca.pk}/analysis").content.decode()
    assert said not in body and "P2" not in body


def test_outside_the_team_and_the_organisation_nothing_is_seen_or_changed(world, other_world, api):
    ca, _group, _participants, material, _segs = _under_way(world)
    theme = analysis.add_theme(world.actor(Role.MANAGER), ca, kind=Theme.Kind.CODE_GROUP, name="Timing")
    other_manager = add_user(world, Role.MANAGER, "second-manager")
    reads = [
        f"{BASE}/coassessments/{ca.pk}/analysis",
        f"{BASE}/coassessments/{ca.pk}/analysis/trail",
        f"{BASE}/coassessments/{ca.pk}/analysis/findings",
        f"{BASE}/coassessments/{ca.pk}/agreement",
        f"{BASE}/coassessments/{ca.pk}/agreement/differences",
        f"{BASE}/coassessments/{ca.pk}/exchange/project",
        f"{BASE}/coassessments/{ca.pk}/exchange/codebook",
    ]
    writes = [
        (f"{BASE}/coassessments/{ca.pk}/analysis/themes", "post", {"kind": "code_group", "name": "New"}),
        (f"{BASE}/analysis/themes/{theme.pk}/condensate", "put", {"text": "I was late."}),
        (f"{BASE}/analysis/materials/{material.pk}/memo", "put", {"text": "A memo."}),
        (f"{BASE}/coassessments/{ca.pk}/analysis/undo", "post", {"kind": "theme"}),
        (f"{BASE}/coassessments/{ca.pk}/agreement/compare-now", "post", {}),
    ]
    for client, refused in (
        (api(Role.MANAGER, other_world), {404}),  # another organisation: as if it did not exist
        (api(Role.PROFESSIONAL), {404}),  # not in the team, does not see the plan
        (api(Role.COORDINATOR), {403}),  # sees the plan, not the analysis
        (api(Role.MANAGER, user=other_manager), {403}),  # a manager not on the team
        (api(Role.DPO), {403}),  # not a role that analyses
    ):
        for url in reads:
            assert client.get(url).status_code in refused, url
        for url, method, body in writes:
            assert getattr(client, method)(url, body, content_type=JSON).status_code in refused, url
    theme.refresh_from_db()
    assert theme.condensate == "" and Theme.objects.filter(coassessment=ca).count() == 1


def test_the_analysis_reads_keep_their_query_budget_flat(world, api, django_assert_max_num_queries):
    ca, _group, _participants, material, segs = _under_way(world)
    peer = api(Role.PEER_WORKER)
    manager = world.actor(Role.MANAGER)
    urls = [
        f"{BASE}/coassessments/{ca.pk}/analysis",
        f"{BASE}/coassessments/{ca.pk}/analysis/trail",
        f"{BASE}/coassessments/{ca.pk}/analysis/findings",
    ]

    def fill(n):
        for i in range(n):
            cg = analysis.add_theme(manager, ca, kind=Theme.Kind.CODE_GROUP, name=f"Group {n}.{i}")
            analysis.sort_segments(manager, cg, segments=segs)
            analysis.write_condensate(manager, cg, text="I needed it earlier.")
            analysis.write_synthesis(manager, cg, text="They needed it earlier.")
            analysis.set_quote(manager, cg, segment=Segment.objects.get(pk=segs[0].pk), deidentified=True)

    counts = []
    for n in (1, 4):
        fill(n)
        row = []
        for url in urls:
            with django_assert_max_num_queries(30):
                with CaptureQueriesContext(connection) as ctx:
                    assert peer.get(url).status_code == 200, url
            row.append(len(ctx.captured_queries))
        counts.append(row)
    assert all(many <= few for few, many in zip(counts[0], counts[1], strict=True)), counts


def test_sending_a_draft_for_the_member_check_reads_only_the_groups(world, api, django_assert_max_num_queries):
    """The member-check route needs the groups to choose from, not the whole analysis: its query count stays
    the same however much the analysis holds."""
    ca, group, _participants, _material, _segs = _under_way(world, CoAssessment.Method.THEMATIC)
    manager = world.actor(Role.MANAGER)
    peer = api(Role.PEER_WORKER)
    theme = analysis.add_theme(manager, ca, kind=Theme.Kind.THEME, name="Waiting")
    analysis.review_theme(manager, theme, review=Theme.Review.KEPT)
    analysis.define_theme(manager, theme, name="Waiting for help", definition="Help that comes late.")
    url = f"{BASE}/analysis/themes/{theme.pk}/member-check"

    def sent() -> int:
        with django_assert_max_num_queries(30):
            with CaptureQueriesContext(connection) as ctx:
                r = peer.post(url, {"group_id": group.pk}, content_type=JSON)
        assert r.status_code == 200 and r.json() == {"theme_id": theme.pk, "member_check_group": group.name}
        return len(ctx.captured_queries)

    sent()  # the first request of the token also stores its throttle entry
    few = sent()
    for i in range(5):
        code = services.add_code(manager, ca, name=f"Code {i}")
        more = analysis.add_theme(manager, ca, kind=Theme.Kind.THEME, name=f"Theme {i}", codes=[code])
        analysis.define_theme(manager, more, name=f"Theme {i}", definition="Help that comes late.")
    assert sent() == few
    r = peer.post(url, {"group_id": group.pk + 1000}, content_type=JSON)
    assert r.status_code == 422 and "group" in r.json()["errors"]


# --- exchange ---------------------------------------------------------------------------------------------


def test_the_project_exported_through_the_api_passes_the_schema_and_comes_back_in(world, api, coded):  # noqa: F811
    ca, *_ = coded
    peer = api(Role.PEER_WORKER)
    r = peer.get(f"{BASE}/coassessments/{ca.pk}/exchange/project")
    assert r.status_code == 200 and r["Content-Type"] == "application/zip"
    assert r["Content-Disposition"].endswith('.qdpx"')
    data = r.content
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        assert qda.validate_project_xml(archive.read("project.qde")) == []
    book = peer.get(f"{BASE}/coassessments/{ca.pk}/exchange/codebook")
    assert book.status_code == 200 and qda.validate_codebook_xml(book.content) == []
    assert AuditEntry.objects.filter(action="export", object_id=str(ca.pk)).count() == 2

    before = set(Coding.objects.values_list("segment_id", "code_id", "coder_id"))
    Coding.objects.filter(coder=world.users[Role.PEER_WORKER], code__name="Being heard").delete()
    services.codings_changed(ca.pk)
    r = peer.post(
        f"{BASE}/coassessments/{ca.pk}/exchange/project",
        {"file": SimpleUploadedFile("p.qdpx", data, "application/zip")},
    )
    assert r.status_code == 200, r.content
    got = r.json()
    figures = ("codes_added", "codes_known", "codings_added", "codings_known", "left_out", "segments_added")
    assert {k: got[k] for k in figures} == {
        "codes_added": 0,
        "codes_known": 2,
        "codings_added": 1,
        "codings_known": 6,
        "left_out": [],
        "segments_added": 0,
    }
    assert set(Coding.objects.values_list("segment_id", "code_id", "coder_id")) == before


def test_a_codebook_import_and_what_a_project_leaves_out(world, api, coded):  # noqa: F811
    ca, material, segments, _ = coded
    peer = api(Role.PEER_WORKER)
    book = qda.export_codebook(
        qda.Codebook(codes=(qda.Code(qda.new_guid(), "Hope"), qda.Code(qda.new_guid(), "timing")))
    )
    r = peer.post(
        f"{BASE}/coassessments/{ca.pk}/exchange/codebook",
        {"file": SimpleUploadedFile("b.qdc", book, "application/xml")},
    )
    assert r.status_code == 200, r.content
    assert (r.json()["codes_added"], r.json()["codes_known"]) == (1, 1)
    coder, code = qda.User(qda.new_guid(), "Coder A"), qda.Code(qda.new_guid(), "Hope")
    elsewhere = qda.Source(qda.new_guid(), "Another text", "Something else was said.")
    project = qda.Project(
        name="From another program",
        users=(coder,),
        codes=(code,),
        sources=(elsewhere,),
        codings=(qda.Coding(qda.new_guid(), elsewhere.guid, 0, 9, code.guid, coder.guid),),
        notes=(qda.Note(qda.new_guid(), "Overall", "A thought about the whole project."),),
        sets=(qda.CodeSet(qda.new_guid(), "Empty theme"),),
    )
    r = peer.post(
        f"{BASE}/coassessments/{ca.pk}/exchange/project",
        {"file": SimpleUploadedFile("p.qdpx", qda.export_project(project), "application/zip")},
    )
    assert r.status_code == 200, r.content
    (left,) = r.json()["left_out"]
    assert (left["reason"], left["codings"]) == (exchange_services.NO_MATERIAL, 1)
    assert left["words"].startswith("on a text this co-assessment does not hold")
    # A note about the project as a whole and a set with no known code are counted, in the page's words.
    (note,) = r.json()["notes_left_out"]
    assert note["count"] == 1 and note["words"] == str(NOTES_LEFT_OUT_WORDS[note["reason"]])
    (theme,) = r.json()["sets_left_out"]
    assert theme["count"] == 1 and theme["words"] == str(SETS_LEFT_OUT_WORDS[theme["reason"]])
    assert (r.json()["memos_added"], r.json()["themes_added"]) == (0, 0)


def test_a_bad_file_answers_422_with_the_pages_message_and_nothing_is_saved(world, api, coded):  # noqa: F811
    ca, *_ = coded
    peer = api(Role.PEER_WORKER)
    codes = Code.objects.count()
    bad = qda.export_codebook(qda.Codebook(codes=(qda.Code(qda.new_guid(), "Fine"),))).replace(b"<Code ", b"<Cod ")
    r = peer.post(
        f"{BASE}/coassessments/{ca.pk}/exchange/codebook", {"file": SimpleUploadedFile("b.qdc", bad, "application/xml")}
    )
    assert r.status_code == 422
    assert r.json()["detail"] == "The file could not be read, so nothing was saved" and r.json()["errors"]["file"]
    r = peer.post(
        f"{BASE}/coassessments/{ca.pk}/exchange/project",
        {"file": SimpleUploadedFile("p.qdpx", b"not a zip", "application/zip")},
    )
    assert r.status_code == 422 and r.json()["detail"] == "The file could not be read, so nothing was saved"
    r = peer.post(
        f"{BASE}/coassessments/{ca.pk}/exchange/project", {"file": SimpleUploadedFile("p.qdpx", b"", "application/zip")}
    )
    assert r.status_code == 422 and r.json()["errors"] == {"file": ["The submitted file is empty."]}
    assert Code.objects.count() == codes


# --- agreement --------------------------------------------------------------------------------------------


def test_the_agreement_figures_are_the_compare_pages(world, api, coded):  # noqa: F811
    ca, *_ = coded
    r = api(Role.PEER_WORKER).get(f"{BASE}/coassessments/{ca.pk}/agreement")
    assert r.status_code == 200
    got = r.json()
    figures = {c["code"]: c for c in got["codes"]}
    assert figures["Being heard"]["alpha"] == pytest.approx(8 / 15)
    assert (figures["Being heard"]["alpha_shown"], figures["Timing"]["alpha_shown"]) == ("0.53", "1.00")
    page = exchange.comparison(world.actor(Role.PEER_WORKER), ca.pk, details=False)
    assert [(c["code"], c["alpha_shown"], c["segments_compared"], c["times_given"]) for c in got["codes"]] == [
        (row.code.name, row.alpha, row.figure.units, row.figure.applied) for row in page.rows
    ]
    assert (got["places_differing"], got["segments_compared"], len(got["coders"])) == (1, 4, 2)
    body = world.client(Role.PEER_WORKER).get(reverse("coassessment:compare", args=[ca.pk])).content.decode()
    assert "0.53" in body and "1.00" in body


def test_where_coders_differ_comes_a_page_at_a_time_and_by_code(world, api, coded, monkeypatch):  # noqa: F811
    ca, material, segments, _ = coded
    manager = world.actor(Role.MANAGER)
    hope = services.add_code(manager, ca, name="Hope")
    for s in segments[:3]:
        services.code_segment(manager, Segment.objects.get(pk=s.pk), code=hope)
    monkeypatch.setattr(exchange, "PAGE", 3)
    peer = api(Role.PEER_WORKER)
    url = f"{BASE}/coassessments/{ca.pk}/agreement/differences"
    first = peer.get(url).json()
    assert (first["total"], len(first["items"])) == (4, 3) and first["next_after"]
    later = peer.get(url, {"after": first["next_after"]}).json()
    assert (len(later["items"]), later["next_after"]) == (1, "")
    assert len({d["place"] for d in first["items"] + later["items"]}) == 4
    assert [d["text"] for d in later["items"]] == ["My guide had walked the same road."]
    by_code = peer.get(url, {"code": hope.pk}).json()
    assert by_code["total"] == 3 and {d["code"] for d in by_code["items"]} == {"Hope"}
    assert all(d["not_given_by"] == [str(world.users[Role.PEER_WORKER])] for d in by_code["items"])
    assert peer.get(url, {"after": "x"}).status_code == 422


def test_compare_now_ends_the_coders_blind_round(world, api, coded):  # noqa: F811
    ca, *_ = coded
    exchange_services.set_blind(world.actor(Role.MANAGER), ca, blind=True)
    peer = api(Role.PEER_WORKER)
    blind = peer.get(f"{BASE}/coassessments/{ca.pk}/agreement").json()
    assert blind["blind"] is True and blind["codes"] == [] and blind["coders"] == []
    assert peer.get(f"{BASE}/coassessments/{ca.pk}/agreement/differences").json()["items"] == []
    r = peer.post(f"{BASE}/coassessments/{ca.pk}/agreement/compare-now")
    assert r.status_code == 200 and r.json() == {"compared": True}
    seen = peer.get(f"{BASE}/coassessments/{ca.pk}/agreement").json()
    assert seen["blind"] is False and len(seen["codes"]) == 2
    assert AuditEntry.objects.filter(action="update", object_type="coassessment.teammember").exists()
    # the manager has not compared: still blind for them
    assert api(Role.MANAGER).get(f"{BASE}/coassessments/{ca.pk}/agreement").json()["blind"] is True


def test_the_agreement_reads_keep_their_query_budget_flat(world, api, coded, django_assert_max_num_queries):  # noqa: F811
    ca, material, segments, participants = coded
    peer = api(Role.PEER_WORKER)
    urls = [f"{BASE}/coassessments/{ca.pk}/agreement", f"{BASE}/coassessments/{ca.pk}/agreement/differences"]

    def counts():
        out = []
        for url in urls:
            peer.get(url)  # the figures are computed again once after a coding; count the reading
            with django_assert_max_num_queries(25):
                with CaptureQueriesContext(connection) as ctx:
                    assert peer.get(url).status_code == 200
            out.append(len(ctx.captured_queries))
        return out

    first = counts()
    manager = world.actor(Role.MANAGER)
    more = services.add_material(manager, ca, kind="notes", title="Notes", text=material.text, group=None)
    hope = services.add_code(manager, ca, name="Hope")
    for p, s in zip(participants, segments, strict=True):
        seg = services.add_segment(manager, more, participant=p, start=s.start, end=s.end)
        services.code_segment(
            manager, Segment.objects.select_related("material__coassessment").get(pk=seg.pk), code=hope
        )
    assert counts() == first


def test_a_codebook_without_codes_is_not_downloaded_but_explained(world, api):
    """The standard's codebook file holds at least one code: before the first code the page says so and the
    API answers 422 with the same words; nothing is recorded as exported."""
    manager = world.actor(Role.MANAGER)
    ca = plan(manager)
    client = world.client(Role.MANAGER)
    page = client.get(reverse("coassessment:export_codebook", args=[ca.pk]), follow=True)
    assert page.redirect_chain[-1][0] == reverse("coassessment:exchange", args=[ca.pk])
    assert "The codebook has no codes yet" in page.content.decode()
    r = api(Role.MANAGER).get(f"{BASE}/coassessments/{ca.pk}/exchange/codebook")
    assert r.status_code == 422 and r.json()["detail"].startswith("The codebook has no codes yet")
    assert not AuditEntry.objects.filter(action="export", object_id=str(ca.pk)).exists()
    services.add_code(manager, ca, name="Hope")
    assert qda.validate_codebook_xml(client.get(reverse("coassessment:export_codebook", args=[ca.pk])).content) == []


def test_a_finding_goes_for_comment_and_back_to_the_service_through_the_api(world, api):
    """The findings page's actions: a draft to a group for comment, a participant's comment, the finding into
    the readiness action plan and a "you said, we did" item; the same messages as the page when refused."""
    from peerwork.readiness.models import ActionItem

    ca, group, participants, _material, _segs = _under_way(world, CoAssessment.Method.THEMATIC)
    code = services.add_code(world.actor(Role.MANAGER), ca, name="Timing")
    peer = api(Role.PEER_WORKER)
    r = peer.post(
        f"{BASE}/coassessments/{ca.pk}/analysis/themes",
        {"kind": "theme", "name": "Waiting", "codes": [code.pk]},
        content_type=JSON,
    )
    tid = r.json()["id"]
    r = peer.post(f"{BASE}/analysis/themes/{tid}/member-check", {"group_id": group.pk}, content_type=JSON)
    assert r.status_code == 422 and "Write the draft first" in str(r.json()["errors"])
    assert peer.put(f"{BASE}/analysis/themes/{tid}/review", {"review": "kept"}, content_type=JSON).status_code == 200
    r = peer.put(
        f"{BASE}/analysis/themes/{tid}/definition",
        {"name": "Waiting for help", "definition": "Help that comes late."},
        content_type=JSON,
    )
    assert r.status_code == 200
    r = peer.post(f"{BASE}/analysis/themes/{tid}/member-check", {"group_id": group.pk}, content_type=JSON)
    assert r.status_code == 200 and r.json() == {"theme_id": tid, "member_check_group": group.name}
    r = peer.post(
        f"{BASE}/analysis/themes/{tid}/comments",
        {"participant_id": participants[0].pk, "text": "Yes, that is how it was."},
        content_type=JSON,
    )
    assert r.status_code == 201 and r.json()["pseudonym"] == participants[0].pseudonym
    r = peer.post(
        f"{BASE}/analysis/themes/{tid}/comments", {"participant_id": participants[0].pk, "text": ""}, content_type=JSON
    )
    assert r.status_code == 422 and "text" in r.json()["errors"]

    manager_id = world.users[Role.MANAGER].pk
    due = (timezone.localdate() + timedelta(days=30)).isoformat()
    actions = ActionItem.objects.count()
    r = peer.post(f"{BASE}/analysis/themes/{tid}/action", {"owner_id": manager_id, "due_on": due}, content_type=JSON)
    assert r.status_code == 403 and ActionItem.objects.count() == actions  # the action plan is the managers'
    r = api(Role.MANAGER).post(
        f"{BASE}/analysis/themes/{tid}/action", {"owner_id": manager_id, "due_on": due}, content_type=JSON
    )
    assert r.status_code == 201, r.content
    assert r.json()["outcome"] == "Action in the readiness plan: Waiting for help"
    assert ActionItem.objects.count() == actions + 1
    r = peer.post(f"{BASE}/analysis/themes/{tid}/contribution")
    assert r.status_code == 422 and "Link the co-assessment" in str(r.json()["errors"])
    r = peer.post(
        f"{BASE}/analysis/themes/{tid}/you-said-we-did", {"you_said": "Late help", "we_did": ""}, content_type=JSON
    )
    assert r.status_code == 422 and list(r.json()["errors"]) == ["we_did"]
    r = peer.post(
        f"{BASE}/analysis/themes/{tid}/you-said-we-did",
        {"you_said": "Help came late", "we_did": "We call within a week"},
        content_type=JSON,
    )
    assert r.status_code == 201 and r.json()["outcome"] == "You said: Help came late. We did: We call within a week"
    (finding,) = peer.get(f"{BASE}/coassessments/{ca.pk}/analysis/findings").json()["findings"]
    assert len(finding["outcomes"]) == 2
    page = world.client(Role.PEER_WORKER).get(reverse("coassessment:analysis_findings", args=[ca.pk]))
    assert "We call within a week" in page.content.decode()


def test_the_blind_setting_through_the_api(world, api, coded):  # noqa: F811
    ca, *_ = coded
    r = api(Role.PEER_WORKER).put(
        f"{BASE}/coassessments/{ca.pk}/exchange/blind", {"blind_coding": True}, content_type=JSON
    )
    assert r.status_code == 403  # the peer co-researcher is on the team but does not lead it
    r = api(Role.MANAGER).put(f"{BASE}/coassessments/{ca.pk}/exchange/blind", {"blind_coding": True}, content_type=JSON)
    assert r.status_code == 200 and r.json()["blind_coding"] is True
    assert r.json()["words"].startswith("Blind coding is on")
    ca.refresh_from_db()
    assert ca.blind_coding
    assert api(Role.PEER_WORKER).get(f"{BASE}/coassessments/{ca.pk}/agreement").json()["blind"] is True

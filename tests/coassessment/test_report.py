"""The report of a co-assessment: who reads it, what it shows (and never shows), the checklist, the tagged PDF."""

from __future__ import annotations

import io
import re

import pypdf
import pytest
from django.urls import reverse

from peerwork.audit.details import Detail
from peerwork.audit.models import AuditEntry
from peerwork.coassessment import analysis, report, services
from peerwork.coassessment.models import CoAssessment, Theme
from peerwork.coassessment.report_models import ReportChecklist
from peerwork.core.roles import Role
from peerwork.demo.seed import NO_SLUG, seed_demo
from peerwork.organisations.models import Organisation
from tests.conftest import actor_for, verified_client
from tests.core.test_pdf import assert_tagged

from .conftest import plan, ready_for_material, start_analysis

TEXT = (
    "P1: guidance came far too late for me. "
    "P2: my secret words about the night shift. "
    "P3: it helped me to plan my week. "
    "P4: I learnt most from the others."
)
SAID = (
    "guidance came far too late for me.",
    "my secret words about the night shift.",
    "it helped me to plan my week.",
    "I learnt most from the others.",
)
SPANS = [(TEXT.index(t), TEXT.index(t) + len(t)) for t in SAID]
CHECKLIST_HEADINGS = (
    "Who led and moderated the groups",
    "How those who led the groups relate to the participants",
    "What the co-researchers were trained in",
    "How participants were chosen and asked to take part",
    "What was collected",
    "How many coded the material",
    "Member check",
    "Limits of this co-assessment",
)


def _finished(world, *, finish=True):
    """A text condensation with two code groups: one quoting P1, one quoting P2 (who then withdraws)."""
    manager = world.actor(Role.MANAGER)
    ca = plan(manager)
    group, participants = ready_for_material(world, ca)
    material = services.add_material(manager, ca, kind="transcript", title="Group 1", text=TEXT, group=group)
    segs = [
        services.add_segment(manager, material, participant=participants[i], start=start, end=end)
        for i, (start, end) in enumerate(SPANS)
    ]
    start_analysis(world, ca)
    peer = actor_for(world.users[Role.PEER_WORKER], world.org)
    code = services.add_code(peer, ca, name="Timing")
    services.code_segment(peer, segs[0], code=code)
    services.code_segment(manager, segs[0], code=code)
    themes = []
    for name, seg in (("Guidance too late", segs[0]), ("Night shifts", segs[1])):
        t = analysis.add_theme(peer, ca, kind=Theme.Kind.CODE_GROUP, name=name)
        analysis.sort_segments(peer, t, segments=[seg])
        analysis.write_condensate(peer, t, text=f"I say {name.lower()}.")
        analysis.write_synthesis(peer, t, text=f"The peer workers describe {name.lower()}.")
        analysis.set_quote(peer, t, segment=seg, deidentified=True)
        themes.append(t)
    analysis.you_said_we_did(peer, themes[0], you_said="Guidance came late", we_did="Guidance now starts in week one")
    services.withdraw_participant(manager, participants[1])
    if finish:
        services.advance(manager, ca)
        services.advance(manager, ca)
    ca.refresh_from_db()
    return ca, participants


def test_a_finished_report_shows_findings_team_groups_and_checklist(world):
    ca, _participants = _finished(world)
    page = world.client(Role.PEER_WORKER).get(reverse("coassessment:report", args=[ca.pk]))
    assert page.status_code == 200
    html = page.content.decode()
    assert "Guidance too late" in html and "guidance came far too late for me." in html
    assert "Guidance now starts in week one" in html  # what came of it
    assert "Peer worker as co-researcher" in html and "Co-researcher" in html
    assert "I bring my own years of guidance." in html  # the reflexivity notes
    assert "Not yet answered." in html
    for heading in CHECKLIST_HEADINGS:
        assert heading in html
    # the group is counted without the participant who withdrew
    assert re.search(r'<td data-label="Participants"[^>]*>3</td>', html)
    assert AuditEntry.objects.filter(
        action="read", object_type="coassessment.coassessment", detail=Detail("shown", page="report").stored
    ).exists()


def test_withdrawn_participants_words_never_appear(world):
    ca, _participants = _finished(world)
    html = world.client(Role.MANAGER).get(reverse("coassessment:report", args=[ca.pk])).content.decode()
    assert "secret words" not in html
    pdf = world.client(Role.MANAGER).get(reverse("coassessment:report_pdf", args=[ca.pk])).content
    text = "".join(p.extract_text() for p in pypdf.PdfReader(io.BytesIO(pdf)).pages)
    assert "secret words" not in text
    assert "Guidance too late" in text


def test_quotes_from_a_group_of_two_are_not_shown(world):
    ca, participants = _finished(world, finish=False)
    manager = world.actor(Role.MANAGER)
    services.withdraw_participant(manager, participants[3])  # P1 (quoted), P3 stay: a group of two
    built = report.gather(manager, ca)
    quoted = {f.name: f.quote for f in built.findings}
    assert quoted["Guidance too late"] == ""
    assert built.withheld_quotes == 1
    html = world.client(Role.MANAGER).get(reverse("coassessment:report", args=[ca.pk])).content.decode()
    assert "far too late" not in html


def test_a_quote_without_the_deidentification_check_is_not_shown(world):
    ca, _participants = _finished(world)
    Theme.objects.filter(coassessment=ca).update(quote_checked_by=None)
    built = report.gather(world.actor(Role.MANAGER), ca)
    assert all(f.quote == "" for f in built.findings)


@pytest.mark.parametrize(
    ("role", "finished", "status"),
    [
        (Role.MANAGER, True, 200),  # a manager in the team, and the organisation's managers once finished
        (Role.COORDINATOR, True, 200),
        (Role.DPO, True, 200),
        (Role.PEER_WORKER, True, 200),  # in the team
        (Role.PEER_WORKER, False, 200),  # in the team: reads the draft
        (Role.DPO, False, 403),  # a draft is for the team only
        (Role.COORDINATOR, False, 403),
        (Role.PROFESSIONAL, True, 404),  # not in the team
        (Role.ADMINISTRATOR, True, 403),
    ],
)
def test_who_reads_the_report(world, role, finished, status):
    ca, _participants = _finished(world, finish=finished)
    if role == Role.MANAGER:
        assert services.is_member(world.actor(Role.MANAGER), ca)
    assert world.client(role).get(reverse("coassessment:report", args=[ca.pk])).status_code == status
    assert world.client(role).get(reverse("coassessment:report_pdf", args=[ca.pk])).status_code == status


def test_another_organisation_cannot_read_it(world, other_world):
    ca, _participants = _finished(world)
    assert other_world.client(Role.MANAGER).get(reverse("coassessment:report", args=[ca.pk])).status_code == 404


def test_a_draft_says_so(world):
    ca, _participants = _finished(world, finish=False)
    html = world.client(Role.PEER_WORKER).get(reverse("coassessment:report", args=[ca.pk])).content.decode()
    assert "A draft" in html


def test_the_team_answers_the_checklist(world):
    ca, _participants = _finished(world)
    client = world.client(Role.PEER_WORKER)
    answers = {name: "" for name in ReportChecklist.ANSWERS}
    answers["recruitment"] = "Recruited through the coordinators."
    response = client.post(reverse("coassessment:report", args=[ca.pk]), answers)
    assert response.status_code == 302
    html = client.get(reverse("coassessment:report", args=[ca.pk])).content.decode()
    assert "Recruited through the coordinators." in html
    assert AuditEntry.objects.filter(
        object_type="coassessment.reportchecklist", detail=Detail("checklist").stored
    ).exists()
    # someone outside the team reads but does not answer
    dpo = world.client(Role.DPO)
    assert dpo.post(reverse("coassessment:report", args=[ca.pk]), answers).status_code == 403
    assert 'name="recruitment"' not in dpo.get(reverse("coassessment:report", args=[ca.pk])).content.decode()


@pytest.mark.parametrize("language", ["en", "nb", "da"])
def test_the_pdf_is_tagged_and_holds_the_checklist(world, language):
    ca, _participants = _finished(world)
    client = world.client(Role.MANAGER)
    client.post(reverse("set_language"), {"language": language, "next": "/"})
    content = client.get(reverse("coassessment:report_pdf", args=[ca.pk])).content
    tags = assert_tagged(content, lang=language, title=ca.title)
    assert "/H3" in tags
    if language == "en":
        text = "".join(p.extract_text() for p in pypdf.PdfReader(io.BytesIO(content)).pages)
        for heading in CHECKLIST_HEADINGS:
            assert heading in text.replace("\n", " ")
    assert AuditEntry.objects.filter(
        action="export", detail=Detail("downloaded", page="report", format="pdf").stored
    ).exists()


@pytest.mark.django_db
def test_the_finished_demo_report_shows_its_themes():
    seed_demo()
    org = Organisation.objects.get(slug=NO_SLUG)
    ca = CoAssessment.objects.get(organisation=org, status="finished")
    from peerwork.accounts.models import User

    dpo = User.objects.get(username="dpo")
    built = report.gather(actor_for(dpo, org), ca)
    names = {f.name for f in built.findings}
    assert {"Tidspunkt for veiledning", "Likeverd og egen erfaring"} <= names
    assert all(f.quote for f in built.findings)  # a group of five: quotes are shown
    page = verified_client(dpo).get(reverse("coassessment:report", args=[ca.pk]))
    assert page.status_code == 200 and "Tidspunkt for veiledning" in page.content.decode()


def test_the_overview_links_to_the_report(world):
    ca, _participants = _finished(world)
    html = world.client(Role.DPO).get(reverse("coassessment:detail", args=[ca.pk])).content.decode()
    assert reverse("coassessment:report", args=[ca.pk]) in html

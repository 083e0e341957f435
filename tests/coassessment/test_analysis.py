"""The guided analysis: services, guardrails, scoping and the decision trail with undo."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.utils import timezone

from peerwork.coassessment import analysis, analysis_selectors, services
from peerwork.coassessment.models import CoAssessment, Decision, Feedback, MemberComment, Theme
from peerwork.cocreation import services as cocreation_services
from peerwork.cocreation.models import Contribution
from peerwork.core.roles import Role
from peerwork.readiness.models import ActionItem
from tests.conftest import actor_for

from .conftest import plan, ready_for_material, start_analysis

TEXT = (
    "P1: I felt heard in guidance when I met Kari in Bergen. "
    "P2: guidance came too late for me. "
    "P3: it helped me to plan my week."
)

SAID = ("I felt heard in guidance when I met Kari in Bergen.", "guidance came too late for me.", "it helped me")
SPANS = [(TEXT.index(t), TEXT.index(t) + len(t)) for t in SAID]


def _under_way(world, method):
    manager = world.actor(Role.MANAGER)
    ca = plan(manager, method=method)
    group, participants = ready_for_material(world, ca)
    material = services.add_material(manager, ca, kind="transcript", title="Group 1", text=TEXT, group=group)
    segs = [
        services.add_segment(manager, material, participant=participants[i], start=start, end=end)
        for i, (start, end) in enumerate(SPANS)
    ]
    start_analysis(world, ca)
    return ca, group, participants, material, segs


@pytest.fixture
def stc(world):
    return _under_way(world, CoAssessment.Method.CONDENSATION)


@pytest.fixture
def ta(world):
    return _under_way(world, CoAssessment.Method.THEMATIC)


def test_stc_four_steps_leave_a_trail(world, stc):
    ca, group, participants, material, segs = stc
    peer = actor_for(world.users[Role.PEER_WORKER], world.org)
    prelim = analysis.add_theme(peer, ca, kind=Theme.Kind.PRELIMINARY, name="Being met", why="First reading")
    cg = analysis.add_theme(peer, ca, kind=Theme.Kind.CODE_GROUP, name="Timing of guidance")
    analysis.sort_segments(peer, cg, segments=segs[1:], why="Both speak of when guidance came")
    analysis.write_condensate(peer, cg, text="I needed guidance earlier than I got it.")
    analysis.write_synthesis(peer, cg, text="The peer workers wanted guidance from the start.")
    analysis.set_quote(peer, cg, segment=segs[1], deidentified=True)
    analysis.move_to_step(peer, ca, step=2, why="Preliminary themes agreed")
    cg.refresh_from_db()
    assert set(cg.segments.values_list("pk", flat=True)) == {segs[1].pk, segs[2].pk}
    assert cg.condensate == "I needed guidance earlier than I got it."  # stored as typed, nothing generated
    assert cg.quote_checked_by == peer.user
    kinds = list(Decision.objects.filter(coassessment=ca).order_by("id").values_list("kind", flat=True))
    assert kinds == ["theme", "theme", "grouping", "condensate", "synthesis", "quote", "step"]
    first = Decision.objects.filter(coassessment=ca).order_by("id").first()
    assert first.who == peer.user and first.why == "First reading" and "Being met" in first.what
    assert prelim.kind == "preliminary"
    assert analysis.findings(ca) == [cg]


def test_undo_puts_back_the_last_change_of_each_kind(world, stc):
    ca, _group, _participants, _material, segs = stc
    peer = actor_for(world.users[Role.PEER_WORKER], world.org)
    cg = analysis.add_theme(peer, ca, kind=Theme.Kind.CODE_GROUP, name="Timing")
    analysis.write_condensate(peer, cg, text="First draft.")
    analysis.write_condensate(peer, cg, text="Second draft.")
    analysis.sort_segments(peer, cg, segments=segs[:2])
    analysis.undo_last(peer, ca, kind=Decision.Kind.CONDENSATE)
    cg.refresh_from_db()
    assert cg.condensate == "First draft."
    assert cg.segments.count() == 2  # a later change of another kind stays
    analysis.undo_last(peer, ca, kind=Decision.Kind.CONDENSATE)
    cg.refresh_from_db()
    assert cg.condensate == ""
    analysis.undo_last(peer, ca, kind=Decision.Kind.THEME)
    assert not Theme.objects.filter(pk=cg.pk).exists()
    with pytest.raises(ValidationError):
        analysis.undo_last(peer, ca, kind=Decision.Kind.THEME)
    analysis.move_to_step(peer, ca, step=3)
    analysis.undo_last(peer, ca, kind=Decision.Kind.STEP)
    ca.refresh_from_db()
    assert ca.step == 1
    assert Decision.objects.filter(coassessment=ca, kind="undo").count() == 4


def test_thematic_six_phases(world, ta):
    ca, _group, _participants, material, segs = ta
    manager = world.actor(Role.MANAGER)
    memo = analysis.write_memo(manager, material, text="Being heard comes up again and again.")
    analysis.write_memo(manager, material, text="Being heard, and timing.")
    memo.refresh_from_db()
    assert memo.text == "Being heard, and timing."
    analysis.undo_last(manager, ca, kind=Decision.Kind.MEMO)
    memo.refresh_from_db()
    assert memo.text == "Being heard comes up again and again."
    heard = services.add_code(manager, ca, name="Being heard")
    late = services.add_code(manager, ca, name="Too late")
    theme = analysis.add_theme(manager, ca, kind=Theme.Kind.THEME, name="Heard", codes=[heard])
    analysis.group_codes(manager, theme, codes=[heard, late])
    with pytest.raises(ValidationError) as exc:
        analysis.review_theme(manager, theme, review=Theme.Review.SET_ASIDE)
    assert "why" in exc.value.message_dict
    analysis.review_theme(manager, theme, review=Theme.Review.KEPT)
    analysis.define_theme(manager, theme, name="Being heard in time", definition="Guidance that listens, early.")
    analysis.write_synthesis(manager, theme, text="Participants valued being heard early.")
    theme.refresh_from_db()
    assert theme.codes.count() == 2 and theme.name == "Being heard in time"
    with pytest.raises(ValidationError):  # a code group's kind does not belong to thematic analysis
        analysis.add_theme(manager, ca, kind=Theme.Kind.CODE_GROUP, name="Nope")
    assert analysis.findings(ca) == [theme]


def test_quotes_need_a_group_of_three_and_the_deidentification_check(world, stc):
    ca, _group, participants, _material, segs = stc
    manager = world.actor(Role.MANAGER)
    cg = analysis.add_theme(manager, ca, kind=Theme.Kind.CODE_GROUP, name="Timing")
    with pytest.raises(ValidationError) as exc:
        analysis.set_quote(manager, cg, segment=segs[0], deidentified=False)
    assert "deidentified" in exc.value.message_dict
    assert analysis.identifying_words(SAID[0]) == ["Kari", "Bergen"]
    assert analysis.identifying_words("I am 34 and live at Main Street.") == ["34", "Main", "Street"]
    services.withdraw_participant(manager, participants[3])
    services.withdraw_participant(manager, participants[2])  # their segment goes with them
    with pytest.raises(ValidationError) as exc:
        analysis.set_quote(manager, cg, segment=segs[0], deidentified=True)
    assert "at least 3" in exc.value.message_dict["segment"][0]


def test_a_manager_cannot_analyse_alone(world, stc):
    ca = stc[0]
    manager = world.actor(Role.MANAGER)
    ca.team.update(is_peer_co_researcher=False)
    with pytest.raises(ValidationError, match="peer worker"):
        analysis.add_theme(manager, ca, kind=Theme.Kind.PRELIMINARY, name="Alone")
    assert not Theme.objects.filter(coassessment=ca).exists()


def test_only_the_team_analyses_and_reads(world, other_world, stc):
    ca = stc[0]
    outsider = world.actor(Role.PROFESSIONAL)
    with pytest.raises(PermissionDenied):
        analysis.add_theme(outsider, ca, kind=Theme.Kind.PRELIMINARY, name="Not mine")
    with pytest.raises(Http404):  # outside the team, a professional does not see it at all
        analysis_selectors.coassessment(outsider, ca.pk)
    with pytest.raises(PermissionDenied):  # a manager not in the team sees the plan, not the analysis
        analysis_selectors.coassessment(world.actor(Role.COORDINATOR), ca.pk)
    with pytest.raises(Http404):  # another organisation cannot even find it
        analysis_selectors.coassessment(other_world.actor(Role.MANAGER), ca.pk)


def test_member_check_hears_only_participants_still_taking_part(world, stc):
    ca, group, participants, _material, _segs = stc
    manager = world.actor(Role.MANAGER)
    cg = analysis.add_theme(manager, ca, kind=Theme.Kind.CODE_GROUP, name="Timing")
    with pytest.raises(ValidationError):
        analysis.send_for_member_check(manager, cg, group=group)  # nothing written yet
    analysis.write_condensate(manager, cg, text="I needed guidance earlier.")
    analysis.send_for_member_check(manager, cg, group=group)
    comment = analysis.record_member_comment(manager, cg, participant=participants[0], text="Yes, that is how it was.")
    assert comment.participant.pseudonym == "P1"
    services.withdraw_participant(manager, participants[1])
    with pytest.raises(ValidationError) as exc:
        analysis.record_member_comment(manager, cg, participant=participants[1], text="Too late.")
    assert "participant" in exc.value.message_dict
    services.withdraw_participant(manager, participants[0])
    state = analysis_selectors.state(manager, ca)
    shown = next(t for t in state.themes if t.pk == cg.pk)
    assert list(shown.comments.all()) == []  # a withdrawn participant's comment is no longer shown
    assert not MemberComment.objects.filter(participant=participants[0]).exists()  # and is deleted


def test_findings_go_back_to_the_service_through_its_parts(world, stc):
    ca, _group, participants, _material, _segs = stc
    manager = world.actor(Role.MANAGER)
    initiative = cocreation_services.create_initiative(
        manager, title="Better guidance", problem_statement="Guidance comes late."
    )
    ca.phase = initiative.phases.get(kind="assessment")
    ca.save(update_fields=["phase"])
    cg = analysis.add_theme(manager, ca, kind=Theme.Kind.CODE_GROUP, name="Guidance from the start")
    with pytest.raises(ValidationError):
        analysis.you_said_we_did(manager, cg, you_said="Late", we_did="Earlier")  # not a finding yet
    analysis.write_synthesis(manager, cg, text="The peer workers wanted guidance from the start.")
    due = timezone.localdate() + timedelta(days=30)
    action = analysis.finding_to_action(manager, cg, owner_id=manager.user.pk, due_on=due).action
    assert ActionItem.objects.get(pk=action.pk).title == "Guidance from the start"
    contribution = analysis.finding_to_contribution(manager, cg).contribution
    assert Contribution.objects.get(pk=contribution.pk).initiative == initiative
    item = analysis.you_said_we_did(
        manager, cg, you_said="Guidance came too late.", we_did="New peer workers get guidance in week one."
    )
    took_part = participants[0].consent.staff_member
    assert analysis_selectors.you_said(actor_for(took_part, world.org)) == [item]
    assert analysis_selectors.you_said(world.actor(Role.PROFESSIONAL)) == []
    services.withdraw_participant(manager, participants[0])
    assert analysis_selectors.you_said(actor_for(took_part, world.org)) == []
    assert Feedback.objects.filter(theme=cg).count() == 3


def test_state_reads_in_a_fixed_number_of_queries(world, stc, django_assert_max_num_queries):
    ca, _group, _participants, material, segs = stc
    manager = world.actor(Role.MANAGER)
    for i in range(3):
        cg = analysis.add_theme(manager, ca, kind=Theme.Kind.CODE_GROUP, name=f"Group {i}")
        analysis.sort_segments(manager, cg, segments=segs)
    with django_assert_max_num_queries(18):
        state = analysis_selectors.state(manager, ca, with_memos=True)
        for t in state.themes:
            list(t.segments.all()), list(t.comments.all()), list(t.feedback.all())
    assert len(state.units) == 3 and state.units[0].flags == ["Kari", "Bergen"]

from __future__ import annotations

from datetime import timedelta

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.utils import timezone

from peerwork.audit.details import Detail
from peerwork.audit.models import AuditEntry
from peerwork.coassessment import selectors, services
from peerwork.coassessment.models import CoAssessment, Coding, Material, Participant, ReflexivityNote, Segment
from peerwork.core import hooks
from peerwork.core.roles import Role
from peerwork.privacy import consent as consent_rules
from peerwork.privacy.models import Consent
from tests.conftest import actor_for
from tests.factories import MembershipFactory

from .conftest import plan, ready_for_material, staff, start_analysis

TEXT = "P1: I felt heard in guidance. P2: Guidance came too late for me. P3: We talked about boundaries."


def test_a_new_co_assessment_has_its_starter_as_lead(world):
    ca = plan(world.actor(Role.PEER_WORKER))
    assert ca.status == CoAssessment.Status.PLANNING
    assert list(ca.team.values_list("person__username", "role")) == [("alpha-peer_worker", "lead")]


def test_the_plan_says_how_to_fix_bad_input(world):
    with pytest.raises(ValidationError) as exc:
        plan(world.actor(Role.MANAGER), title="", method="guess", retention_until=timezone.localdate())
    assert set(exc.value.message_dict) == {"title", "method", "retention_until"}


def test_a_manager_cannot_run_a_co_assessment_alone(world):
    manager = world.actor(Role.MANAGER)
    ca = plan(manager)
    services.add_group(manager, ca, name="Peer workers", kind="peer_workers")
    with pytest.raises(ValidationError, match="peer worker to the team as co-researcher"):
        services.advance(manager, ca)
    # A professional cannot stand in for the peer co-researcher.
    with pytest.raises(ValidationError, match="Only a peer worker"):
        services.add_team_member(
            manager, ca, person=world.users[Role.PROFESSIONAL], role="coder", is_peer_co_researcher=True
        )
    # Someone who is both manager and peer worker does not make the team more than managers.
    MembershipFactory(organisation=world.org, user=manager.user, role=Role.PEER_WORKER)
    ca.team.filter(person=manager.user).update(is_peer_co_researcher=True)
    with pytest.raises(ValidationError, match="someone who is not a manager"):
        services.advance(manager, ca)
    services.add_team_member(manager, ca, person=world.users[Role.PEER_WORKER], role="coder")
    assert services.advance(manager, ca).status == CoAssessment.Status.ETHICS_REVIEW


def test_the_last_peer_co_researcher_cannot_leave_once_planning_is_over(world):
    manager = world.actor(Role.MANAGER)
    ca = plan(manager)
    ready_for_material(world, ca)
    member = ca.team.get(is_peer_co_researcher=True)
    pk = member.pk
    with pytest.raises(ValidationError, match="cannot leave the team now"):
        services.remove_team_member(manager, member)
    assert ca.team.filter(pk=pk).exists()


def test_groups_hold_four_to_eight(world):
    manager = world.actor(Role.MANAGER)
    ca = plan(manager)
    services.add_team_member(
        manager, ca, person=world.users[Role.PEER_WORKER], role="co_researcher", is_peer_co_researcher=True
    )
    group = services.add_group(manager, ca, name="Peer workers, spring", kind="peer_workers")
    people = staff(world, 9)
    for i, u in enumerate(people[:3]):
        services.add_participant(
            manager,
            ca,
            group=group,
            pseudonym=f"P{i}",
            staff_member=u,
            given_on=timezone.localdate(),
            how_given="verbal",
        )
    services.advance(manager, ca)
    services.approve_ethics(world.actor(Role.DPO), ca)
    with pytest.raises(
        ValidationError, match="“Peer workers, spring” has 3 participants; a group needs between 4 and 8"
    ):
        services.advance(manager, ca)
    for i, u in enumerate(people[3:8], start=3):
        services.add_participant(
            manager,
            ca,
            group=group,
            pseudonym=f"P{i}",
            staff_member=u,
            given_on=timezone.localdate(),
            how_given="verbal",
        )
    with pytest.raises(ValidationError) as exc:
        services.add_participant(
            manager,
            ca,
            group=group,
            pseudonym="P9",
            staff_member=people[8],
            given_on=timezone.localdate(),
            how_given="verbal",
        )
    assert "already has 8 participants" in exc.value.message_dict["group"][0]
    assert services.advance(manager, ca).status == CoAssessment.Status.COLLECTING


def test_each_participant_consents_to_evaluation_in_the_consent_model(world):
    ca = plan(world.actor(Role.MANAGER))
    _, participants = ready_for_material(world, ca)
    consent = participants[0].consent
    assert consent.purpose == Consent.Purpose.EVALUATION
    assert consent.staff_member is not None and consent.withdrawn_at is None


def test_no_material_before_the_ethics_checkpoint_is_approved(world):
    manager = world.actor(Role.MANAGER)
    ca = plan(manager)
    with pytest.raises(ValidationError, match="approved the ethics checkpoint"):
        services.add_material(manager, ca, kind="notes", title="Notes", text="Said in the group.")
    # Only the data protection officer approves it.
    services.add_team_member(
        manager, ca, person=world.users[Role.PEER_WORKER], role="co_researcher", is_peer_co_researcher=True
    )
    services.add_group(manager, ca, name="G", kind="peer_workers")
    services.advance(manager, ca)
    with pytest.raises(PermissionDenied):
        services.approve_ethics(manager, ca)
    with pytest.raises(ValidationError, match="approve the ethics checkpoint first"):
        services.advance(manager, ca)
    assert not Material.objects.exists()


def test_withdrawal_removes_segments_codings_and_words_in_one_audited_step(world):
    manager = world.actor(Role.MANAGER)
    ca = plan(manager)
    group, (p1, p2, *_) = ready_for_material(world, ca)
    material = services.add_material(manager, ca, kind="transcript", title="Group 1", text=TEXT, group=group)
    first = services.add_segment(manager, material, participant=p1, start=4, end=28)
    second = services.add_segment(manager, material, participant=p2, start=33, end=63)
    start_analysis(world, ca)
    code = services.add_code(manager, ca, name="Being heard")
    services.code_segment(manager, first, code=code)
    peer = world.actor(Role.PEER_WORKER)
    services.code_segment(peer, first, code=code, blind=True)
    services.code_segment(peer, second, code=code, blind=True)

    removed = services.withdraw_participant(manager, p1)

    assert removed == {"segments": 1, "codings": 2, "materials": 1, "told": 0}
    assert list(Segment.objects.values_list("pk", flat=True)) == [second.pk]
    assert Coding.objects.count() == 1
    material.refresh_from_db()
    assert "I felt heard" not in material.text
    assert material.text.startswith("P1: […]")
    assert len(material.text) == len(TEXT)  # the others' segments keep their places
    assert material.text[33:63] == TEXT[33:63]
    p1.refresh_from_db()
    assert p1.withdrawn_at is not None and p1.consent.withdrawn_at is not None
    entry = AuditEntry.objects.filter(object_type="coassessment.participant", action="delete").get()
    assert entry.detail == Detail("withdrawn_removed", segments=1, codings=2, material=1).stored
    assert entry.subject_type == "accounts.user"
    # Nothing of them can be added again.
    with pytest.raises(ValidationError):
        services.add_segment(manager, material, participant=p1, start=0, end=3)


def test_reflexivity_notes_are_locked_once_analysis_starts(world):
    manager = world.actor(Role.MANAGER)
    ca = plan(manager)
    ready_for_material(world, ca)
    with pytest.raises(ValidationError, match="Missing"):
        services.advance(manager, ca)
    start_analysis(world, ca)
    assert ReflexivityNote.objects.filter(member__coassessment=ca).count() == 2
    with pytest.raises(ValidationError, match="locked"):
        services.write_reflexivity_note(manager, ca, text="Changed my mind")


def test_a_guide_starts_from_a_template_and_its_questions_can_be_edited(world):
    manager = world.actor(Role.MANAGER)
    ca = plan(manager)
    guide = services.add_guide(manager, ca, kind="focus_group", template="recovery")
    first = guide.questions.order_by("position").first()
    assert first.text.startswith("Before we talk: write down")
    services.save_question(manager, guide, question=first, text="Write your own definition of recovery first.")
    services.save_question(manager, guide, text="What would you tell a new colleague?")
    services.remove_question(manager, guide.questions.order_by("position").last())
    assert guide.questions.count() == 4


def test_coding_is_for_the_team_and_can_be_undone(world):
    manager = world.actor(Role.MANAGER)
    ca = plan(manager)
    group, (p1, *_) = ready_for_material(world, ca)
    material = services.add_material(manager, ca, kind="notes", title="Notes", text=TEXT, group=group)
    seg = services.add_segment(manager, material, participant=p1, start=0, end=10)
    code = services.add_code(manager, ca, name="Timing")
    with pytest.raises(ValidationError, match="while the co-assessment is being analysed"):
        services.code_segment(manager, seg, code=code)
    start_analysis(world, ca)
    with pytest.raises(PermissionDenied):
        services.code_segment(world.actor(Role.PROFESSIONAL), seg, code=code)
    coding = services.code_segment(manager, seg, code=code)
    with pytest.raises(PermissionDenied):
        services.uncode(world.actor(Role.PEER_WORKER), coding)
    services.uncode(manager, coding)
    assert not Coding.objects.exists()


def test_material_segments_and_participants_go_on_the_deletion_date(world):
    manager = world.actor(Role.MANAGER)
    ca = plan(manager)
    group, (p1, *_) = ready_for_material(world, ca)
    material = services.add_material(manager, ca, kind="notes", title="Notes", text=TEXT, group=group)
    services.add_segment(manager, material, participant=p1, start=0, end=10)
    assert services.delete_expired(world.org.pk, ca.retention_until - timedelta(days=1)) == 0
    assert services.delete_expired(world.org.pk, ca.retention_until) == 1
    assert not Material.objects.exists() and not Segment.objects.exists() and not Participant.objects.exists()
    assert CoAssessment.objects.filter(pk=ca.pk).exists()


def test_peer_co_researchers_count_in_the_committee_check(world):
    ca = plan(world.actor(Role.MANAGER))
    ready_for_material(world, ca)
    peer = world.users[Role.PEER_WORKER]
    assert selectors.committee_counts(world.org.pk) == {peer.pk: 1}
    assert selectors.committee_counts in hooks.get(hooks.COMMITTEE_COUNTERS)
    assert selectors.monthly_hours(world.org.pk)[peer.pk] == 8
    ca.status = CoAssessment.Status.FINISHED
    ca.save()
    assert selectors.committee_counts(world.org.pk) == {}


def test_scope_across_organisations_and_roles(world, other_world):
    ca = plan(world.actor(Role.MANAGER))
    group, (p1, *_) = ready_for_material(world, ca)
    services.add_material(world.actor(Role.MANAGER), ca, kind="notes", title="Notes", text=TEXT, group=group)
    assert selectors.coassessments(other_world.actor(Role.MANAGER)) == []
    with pytest.raises(Http404):
        selectors.coassessment(other_world.actor(Role.DPO), ca.pk)
    with pytest.raises(Http404):
        selectors.participant(other_world.actor(Role.MANAGER), p1.pk)
    # In one's own organisation: a professional outside the team sees nothing; the DPO sees the plan,
    # not the material; the team reads the material.
    assert selectors.coassessments(world.actor(Role.PROFESSIONAL)) == []
    assert [c.pk for c in selectors.coassessments(world.actor(Role.DPO))] == [ca.pk]
    with pytest.raises(PermissionDenied):
        selectors.materials(world.actor(Role.DPO), ca)
    assert len(selectors.materials(world.actor(Role.PEER_WORKER), ca)) == 1
    # The name key: the data protection officer only, audited per person.
    with pytest.raises(PermissionDenied):
        selectors.name_key(world.actor(Role.MANAGER), ca)
    rows = selectors.name_key(world.actor(Role.DPO), ca)
    assert rows[0][1] == p1.consent.staff_member
    assert AuditEntry.objects.filter(detail=Detail("named").stored, subject_type="accounts.user").count() == 4


def test_a_coder_from_another_organisation_cannot_code(world, other_world):
    manager = world.actor(Role.MANAGER)
    ca = plan(manager)
    group, (p1, *_) = ready_for_material(world, ca)
    material = services.add_material(manager, ca, kind="notes", title="Notes", text=TEXT, group=group)
    seg = services.add_segment(manager, material, participant=p1, start=0, end=10)
    start_analysis(world, ca)
    code = services.add_code(manager, ca, name="Timing")
    stranger = actor_for(other_world.users[Role.PEER_WORKER], other_world.org)
    with pytest.raises(PermissionDenied):
        services.code_segment(stranger, seg, code=code)


def test_taking_part_puts_no_one_in_evaluation_extracts(world):
    ca = plan(world.actor(Role.MANAGER))
    _, participants = ready_for_material(world, ca)
    staff_member = participants[0].consent.staff_member
    assert participants[0].consent.study == "Co-assessment: Peer workers' experience of guidance"
    assert staff_member.pk not in set(consent_rules.consented_staff_ids(world.org.pk, "evaluation"))


def _join(manager, ca, group, pseudonym, **who):
    return services.add_participant(
        manager, ca, group=group, pseudonym=pseudonym, given_on=timezone.localdate(), how_given="verbal", **who
    )


def test_each_group_holds_only_its_own_kind_of_respondent(world):
    """Managers, professionals, peer workers and service users talk in groups of their own: a manager in the
    peer workers' group, or a service user among managers, is refused and nothing is saved."""
    from peerwork.service.models import ServiceUser

    manager = world.actor(Role.MANAGER)
    ca = plan(manager)
    peers = services.add_group(manager, ca, name="Peer workers", kind="peer_workers")
    managers = services.add_group(manager, ca, name="Managers", kind="managers")
    professionals = services.add_group(manager, ca, name="Professionals", kind="professionals")
    users = services.add_group(manager, ca, name="Service users", kind="service_users")
    someone = ServiceUser.objects.create(organisation=world.org, chosen_name="Kari")
    refused = [
        (peers, {"staff_member": world.users[Role.MANAGER]}, "staff_member", "is not a peer worker"),
        (peers, {"staff_member": world.users[Role.PROFESSIONAL]}, "staff_member", "is not a peer worker"),
        (managers, {"staff_member": world.users[Role.PEER_WORKER]}, "staff_member", "is not a manager"),
        (managers, {"service_user": someone}, "service_user", "is a group of staff"),
        (professionals, {"staff_member": world.users[Role.COORDINATOR]}, "staff_member", "is not a non-peer"),
        (users, {"staff_member": world.users[Role.PEER_WORKER]}, "staff_member", "is a group of service users"),
    ]
    for i, (group, who, field, says) in enumerate(refused):
        with pytest.raises(ValidationError) as exc:
            _join(manager, ca, group, f"X{i}", **who)
        assert says in exc.value.message_dict[field][0], exc.value.message_dict
        assert f"“{group.name}”" in exc.value.message_dict[field][0]
    assert not Participant.objects.filter(coassessment=ca).exists()
    assert not Consent.objects.filter(study__contains=ca.title).exists()
    # each fits the group of their own kind (a coordinator counts as a manager, a senior peer worker as a peer)
    _join(manager, ca, peers, "P1", staff_member=world.users[Role.PEER_WORKER])
    _join(manager, ca, peers, "P2", staff_member=world.users[Role.SENIOR_PEER_WORKER])
    _join(manager, ca, managers, "M1", staff_member=world.users[Role.MANAGER])
    _join(manager, ca, managers, "M2", staff_member=world.users[Role.COORDINATOR])
    _join(manager, ca, professionals, "F1", staff_member=world.users[Role.PROFESSIONAL])
    _join(manager, ca, users, "U1", service_user=someone)
    assert Participant.objects.filter(coassessment=ca).count() == 6


def test_a_team_left_with_managers_only_cannot_enter_mark_or_code(world):
    """The peer co-researcher lost their peer role (they became a manager): the team is managers alone, so no
    material, segment or coding is added until someone who is not a manager and a peer worker are back."""
    from peerwork.accounts.models import Membership

    manager = world.actor(Role.MANAGER)
    ca = plan(manager)
    group, (p1, *_) = ready_for_material(world, ca)
    material = services.add_material(manager, ca, kind="notes", title="Notes", text=TEXT, group=group)
    seg = services.add_segment(manager, material, participant=p1, start=0, end=10)
    code = services.add_code(manager, ca, name="Timing")
    start_analysis(world, ca)
    peer = world.users[Role.PEER_WORKER]
    Membership.objects.filter(organisation=world.org, user=peer).update(role=Role.MANAGER)
    assert services.team_problem(ca)
    with pytest.raises(ValidationError, match="peer worker to the team as co-researcher"):
        services.code_segment(manager, seg, code=code)
    with pytest.raises(ValidationError, match="peer worker to the team as co-researcher"):
        services.add_segment(manager, material, participant=p1, start=10, end=20)
    with pytest.raises(ValidationError, match="peer worker to the team as co-researcher"):
        services.add_material(manager, ca, kind="notes", title="More", text=TEXT, group=group)
    assert not Coding.objects.filter(segment__material__coassessment=ca).exists()
    assert Segment.objects.filter(material__coassessment=ca).count() == 1
    assert Material.objects.filter(coassessment=ca).count() == 1
    # their peer role back, the team may code again
    Membership.objects.filter(organisation=world.org, user=peer).update(role=Role.PEER_WORKER)
    assert services.code_segment(manager, seg, code=code).pk


def _plan_values(ca, **changes):
    values = {f: getattr(ca, f) for f in ("title", "question", "method", "retention_until", "phase", "gap")}
    values.update(changes)
    return values


def test_a_plan_changed_after_approval_goes_back_to_the_data_protection_officer(world):
    manager = world.actor(Role.MANAGER)
    dpo = world.actor(Role.DPO)
    ca = plan(manager)
    group, _participants = ready_for_material(world, ca)
    # a new title and an earlier deletion date keep the approval
    earlier = ca.retention_until - timedelta(days=30)
    services.update_plan(manager, ca, **_plan_values(ca, title="A shorter title", retention_until=earlier))
    ca.refresh_from_db()
    assert ca.ethics_approved_on is not None and ca.retention_until == earlier
    for change in (
        {"question": "What do peer workers need from guidance?"},
        {"method": CoAssessment.Method.THEMATIC},
        {"retention_until": ca.retention_until + timedelta(days=1)},
    ):
        services.update_plan(manager, ca, **_plan_values(ca, **change))
        ca.refresh_from_db()
        assert ca.ethics_approved_on is None and ca.ethics_approved_by is None, change
        assert ca.awaiting_approval and ca.status == CoAssessment.Status.COLLECTING
        field = next(iter(change))
        entry = AuditEntry.objects.filter(object_id=str(ca.pk), detail__contains="ethics_approval_cleared").latest("pk")
        assert entry.detail == Detail("ethics_approval_cleared", fields=[field]).stored
        # no material until the officer approves again, which they can while collecting
        with pytest.raises(ValidationError, match="approved the ethics checkpoint"):
            services.add_material(manager, ca, kind="notes", title="Notes", text=TEXT, group=group)
        services.approve_ethics(dpo, ca, note="The new plan is checked.")
        ca.refresh_from_db()
        assert ca.ethics_approved_on is not None
    assert services.add_material(manager, ca, kind="notes", title="Notes", text=TEXT, group=group).pk


def test_segments_and_codes_can_be_corrected_and_each_change_is_in_the_decision_trail(world):
    from peerwork.coassessment.models import Code, Decision

    manager = world.actor(Role.MANAGER)
    peer = world.actor(Role.PEER_WORKER)
    ca = plan(manager)
    group, (p1, p2, *_) = ready_for_material(world, ca)
    material = services.add_material(manager, ca, kind="notes", title="Notes", text=TEXT, group=group)
    wrong = services.add_segment(manager, material, participant=p2, start=0, end=10)
    right = services.add_segment(manager, material, participant=p1, start=10, end=20)
    start_analysis(world, ca)
    timing = services.add_code(manager, ca, name="Timing")
    spare = services.add_code(manager, ca, name="Spare")
    services.code_segment(manager, wrong, code=timing)
    services.code_segment(peer, wrong, code=timing)
    coding = services.code_segment(peer, right, code=timing)
    services.uncode(peer, coding)
    services.code_segment(peer, right, code=timing)
    # a segment marked by mistake goes with its codings, and the agreement figures are computed again
    version = CoAssessment.objects.get(pk=ca.pk).codings_version
    assert services.remove_segment(peer, wrong) == 2
    assert not Segment.objects.filter(pk=wrong.pk).exists()
    assert Coding.objects.filter(segment__material__coassessment=ca).count() == 1
    assert CoAssessment.objects.get(pk=ca.pk).codings_version > version
    assert material.text == Material.objects.get(pk=material.pk).text  # the words stay
    # a better name; not one the codebook already has
    with pytest.raises(ValidationError, match="already has a code by this name"):
        services.rename_code(manager, spare, name="timing")
    services.rename_code(manager, timing, name="When guidance comes")
    # an unused code goes; one in use only with its codings, when confirmed
    services.remove_code(manager, spare)
    used = Code.objects.get(pk=timing.pk)
    with pytest.raises(ValidationError) as exc:
        services.remove_code(manager, used)
    assert "is given to 1 segment" in exc.value.message_dict["confirm"][0]
    assert Coding.objects.filter(code=used).exists()
    assert services.remove_code(manager, used, confirm=True) == 1
    assert not Code.objects.filter(coassessment=ca).exists()
    assert not Coding.objects.filter(segment__material__coassessment=ca).exists()
    # each change in the trail, by whom, in order
    trail = list(Decision.objects.filter(coassessment=ca, kind="coding").order_by("id").values_list("what", "who"))
    m, p = manager.user.pk, peer.user.pk
    assert trail == [
        ("Code “Timing” added to the codebook", m),
        ("Code “Spare” added to the codebook", m),
        ("Coded P2: “P1: I felt” as “Timing”", m),
        ("Coded P2: “P1: I felt” as “Timing”", p),
        ("Coded P1: “heard in” as “Timing”", p),
        ("Coding of P1: “heard in” as “Timing” undone", p),
        ("Coded P1: “heard in” as “Timing”", p),
        ("Segment P2: “P1: I felt” removed, with 2 codings", p),
        ("Code “Timing” renamed “When guidance comes”", m),
        ("Code “Spare” removed from the codebook, with 0 codings", m),
        ("Code “When guidance comes” removed from the codebook, with 1 coding", m),
    ]
    details = set(AuditEntry.objects.filter(detail__contains="_removed").values_list("detail", flat=True))
    assert Detail("segment_removed", codings=2).stored in details
    assert Detail("code_removed", codings=1).stored in details
    # not for someone outside the team
    with pytest.raises(PermissionDenied):
        services.remove_segment(world.actor(Role.PROFESSIONAL), right)

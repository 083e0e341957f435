"""Each derived check fires on a generated team that has the gap, and stays quiet on one that does not."""

from __future__ import annotations

from datetime import timedelta

import pytest

from peerwork.audit.models import AuditEntry
from peerwork.cocreation.selectors import committee_counts
from peerwork.core import hooks
from peerwork.core.roles import Role
from peerwork.organisations.models import Unit
from peerwork.readiness import checks, services
from peerwork.readiness.models import ReadinessSettings
from peerwork.service.models import GuidanceKind, GuidanceParticipant, GuidanceSession, WorkloadSettings
from tests.conftest import actor_for
from tests.factories import PositionFactory

from .helpers import TODAY, team_with

pytestmark = pytest.mark.django_db


def run(world):
    return checks.run(world.actor(Role.MANAGER), today=TODAY)


def units_flagged(report, code):
    return {f.unit_id for f in report.result(code).findings}


def positions_flagged(report, code):
    return {f.position_id for f in report.result(code).findings}


def test_single_peer_worker_fires_for_one_and_not_for_two(world):
    lone, _ = team_with(world, 1)
    pair, _ = team_with(world, 2)
    report = run(world)
    assert lone.pk in units_flagged(report, "single_peer_worker")
    assert pair.pk not in units_flagged(report, "single_peer_worker")


def test_inexperienced_alone_fires_only_when_alone_and_under_a_year(world):
    new_alone, _ = team_with(world, 1, experience_days=100)
    old_alone, _ = team_with(world, 1, experience_days=500)
    new_pair, _ = team_with(world, 2, experience_days=100)
    report = run(world)
    flagged = units_flagged(report, "inexperienced_alone")
    assert new_alone.pk in flagged
    assert old_alone.pk not in flagged
    assert new_pair.pk not in flagged


def test_inexperience_is_measured_at_the_start_date_for_someone_not_yet_started(world):
    unit, (p,) = team_with(world, 1, started_days_ago=-30, experience_days=10)
    report = run(world)
    assert unit.pk in units_flagged(report, "inexperienced_alone")
    p.peer_work_experience_since = TODAY - timedelta(days=400)
    p.save()
    assert unit.pk not in units_flagged(run(world), "inexperienced_alone")


def test_new_peer_worker_without_buddy_fires_until_buddy_and_contact_are_named(world):
    _, (new,) = team_with(world, 1, started_days_ago=20)
    _, (veteran,) = team_with(world, 1, started_days_ago=900)
    report = run(world)
    assert new.pk in positions_flagged(report, "new_without_buddy")
    assert veteran.pk not in positions_flagged(report, "new_without_buddy")

    manager = world.actor(Role.MANAGER)
    services.save_orientation(manager, position_id=new.pk, contact_person_id=world.users[Role.PROFESSIONAL].pk)
    finding = next(f for f in run(world).result("new_without_buddy").findings if f.position_id == new.pk)
    assert "buddy" in finding.detail and "contact" not in finding.detail
    services.save_orientation(
        manager,
        position_id=new.pk,
        contact_person_id=world.users[Role.PROFESSIONAL].pk,
        buddy_id=world.users[Role.SENIOR_PEER_WORKER].pk,
    )
    assert new.pk not in positions_flagged(run(world), "new_without_buddy")


def test_no_supervision_uses_the_orientation_record_and_the_organisation_interval(world):
    _, (p,) = team_with(world, 1, started_days_ago=100)
    _, (starting,) = team_with(world, 1, started_days_ago=-10)
    report = run(world)
    assert p.pk in positions_flagged(report, "no_supervision")
    assert starting.pk not in positions_flagged(report, "no_supervision"), "not started yet: nothing is due"

    services.save_orientation(
        world.actor(Role.MANAGER), position_id=p.pk, first_supervision_on=TODAY - timedelta(days=10)
    )
    assert p.pk not in positions_flagged(run(world), "no_supervision")

    services.save_orientation(
        world.actor(Role.MANAGER), position_id=p.pk, first_supervision_on=TODAY - timedelta(days=35)
    )
    report = run(world)
    assert p.pk in positions_flagged(report, "no_supervision"), "Peerwork's default interval is 28 days"
    assert report.interval_days == 28
    # One interval for the service and this check: the service's workload settings.
    WorkloadSettings.objects.create(organisation=world.org, guidance_every_days=40)
    report = run(world)
    assert p.pk not in positions_flagged(report, "no_supervision")
    assert report.interval_days == 40


def supervise(world, peer_worker, days_ago, *, guide=None, kind=GuidanceKind.SUPERVISION):
    session = GuidanceSession.objects.create(
        organisation=world.org,
        kind=kind,
        guide=guide or world.users[Role.SENIOR_PEER_WORKER],
        meets_on=TODAY - timedelta(days=days_ago),
        topics="t",
    )
    GuidanceParticipant.objects.create(organisation=world.org, session=session, peer_worker=peer_worker)
    return session


def test_no_supervision_reads_the_guidance_sessions_of_the_service(world):
    _, (p,) = team_with(world, 1, started_days_ago=100)
    assert run(world).supervision_source == "guidance+orientation"
    assert p.pk in positions_flagged(run(world), "no_supervision")
    supervise(world, p.holder, 7)
    assert p.pk not in positions_flagged(run(world), "no_supervision")


def test_only_supervision_by_a_senior_peer_worker_counts(world):
    _, (p,) = team_with(world, 1, started_days_ago=100)
    coordinator = world.users[Role.COORDINATOR]
    supervise(world, p.holder, 3, guide=coordinator, kind=GuidanceKind.FOLLOW_UP)
    supervise(world, p.holder, 4, kind=GuidanceKind.INTERVISION)
    # a session marked supervision but held by someone who is not a senior peer worker does not count either
    supervise(world, p.holder, 5, guide=coordinator)
    planned = supervise(world, p.holder, -3)
    planned.status = GuidanceSession.Status.PLANNED
    planned.save()
    report = run(world)
    assert p.pk in positions_flagged(report, "no_supervision")
    assert "no supervision by a senior peer worker" in report.result("no_supervision").findings[0].detail
    supervise(world, p.holder, 6)
    assert p.pk not in positions_flagged(run(world), "no_supervision")


def test_the_later_of_guidance_and_orientation_counts(world):
    _, (p,) = team_with(world, 1, started_days_ago=200)
    supervise(world, p.holder, 150)
    assert p.pk in positions_flagged(run(world), "no_supervision"), "150 days ago is past the default interval"
    services.save_orientation(
        world.actor(Role.MANAGER), position_id=p.pk, first_supervision_on=TODAY - timedelta(days=10)
    )
    assert p.pk not in positions_flagged(run(world), "no_supervision")


def test_position_without_job_description_fires_until_one_is_attached(world):
    _, (p,) = team_with(world, 1)
    assert p.pk in positions_flagged(run(world), "no_job_description")
    manager = world.actor(Role.MANAGER)
    version = services.save_job_description(
        manager,
        title="Peer support worker",
        role_form="peer_team",
        role_type="peer_support",
        core_tasks=["individual"],
        tasks="Recovery support",
        demarcation="No treatment tasks",
        hours_per_week="20",
        reporting_line="Team leader",
        supervision="Senior peer worker, every two weeks",
        does_not_do="No coercion, no clinical files",
    )
    services.attach_job_description(manager, version_id=version.pk, position_ids=[p.pk])
    assert p.pk not in positions_flagged(run(world), "no_job_description")


def test_vacant_positions_need_a_job_description_too(world):
    vacant = PositionFactory(organisation=world.org, unit=world.other_team, holder=None)
    finding = next(f for f in run(world).result("no_job_description").findings if f.position_id == vacant.pk)
    assert finding.person == ""


def test_start_without_briefing_fires_and_a_briefing_before_the_start_clears_it(world):
    unit, (p,) = team_with(world, 1, started_days_ago=10)
    _, (veteran,) = team_with(world, 1, started_days_ago=900)
    report = run(world)
    assert p.pk in positions_flagged(report, "no_briefing")
    assert veteran.pk not in positions_flagged(report, "no_briefing"), "only new starts are checked"

    manager = world.actor(Role.MANAGER)
    services.record_briefing(manager, unit_id=unit.pk, held_on=TODAY - timedelta(days=5))
    assert p.pk in positions_flagged(run(world), "no_briefing"), "a briefing after the start does not count"
    services.record_briefing(manager, unit_id=unit.pk, held_on=TODAY - timedelta(days=12))
    assert p.pk not in positions_flagged(run(world), "no_briefing")


def test_committee_overload_adds_up_every_registered_counter(world):
    _, (busy,) = team_with(world, 1)
    _, (calm,) = team_with(world, 1)
    counts = {busy.holder_id: 3, calm.holder_id: 1}
    with (
        hooks.register_temporarily(hooks.COMMITTEE_COUNTERS, lambda org_id: counts if org_id == world.org.pk else {}),
        hooks.register_temporarily(hooks.COMMITTEE_COUNTERS, lambda org_id: {busy.holder_id: 2}),
    ):
        report = run(world)
        assert report.result("committee_overload").available
        assert positions_flagged(report, "committee_overload") == {busy.pk}, "3 + 2 = 5 is over the default limit of 3"
        services.update_settings(world.actor(Role.MANAGER), committee_limit=5)
        assert not run(world).result("committee_overload").findings
    assert not positions_flagged(run(world), "committee_overload"), "the temporary counters are gone again"


def test_placement_conflict_shows_only_what_was_shared_and_reading_it_is_audited(world):
    unit, (p,) = team_with(world, 1)
    other, (q,) = team_with(world, 1)
    peer = actor_for(p.holder, world.org)
    services.declare_treatment(peer, unit_id=unit.pk)
    services.declare_treatment(actor_for(q.holder, world.org), unit_id=world.team.pk)  # not where q works
    reads = AuditEntry.objects.filter(object_type="readiness.treatmenthistorydeclaration", action="read")
    before = reads.count()
    assert not run(world).result("placement_conflict").findings, "nothing until the peer worker chooses"
    assert reads.count() == before, "a declaration kept private is not even read"
    services.declare_treatment(peer, unit_id=unit.pk, disclosure="named")
    findings = run(world).result("placement_conflict").findings
    assert [(f.position_id, f.person) for f in findings] == [(p.pk, str(p.holder))]
    assert findings[0].detail == ""
    assert reads.count() == before + 1


def test_checks_are_scoped_to_the_organisation(world, other_world):
    team_with(other_world, 1)
    other_units = set(Unit.objects.filter(organisation=other_world.org).values_list("id", flat=True))
    report = run(world)
    assert report.finding_count
    assert not {f.unit_id for r in report.results for f in r.findings} & other_units


def test_settings_defaults_and_bounds(world):
    assert services.settings_for(world.org.pk).committee_limit == 3
    with pytest.raises(Exception) as exc:
        services.update_settings(world.actor(Role.MANAGER), committee_limit=0)
    assert "committee_limit" in exc.value.message_dict
    assert not ReadinessSettings.objects.exists()


def test_those_who_run_readiness_and_peer_workers_run_checks(world):
    from django.core.exceptions import PermissionDenied

    for role in (Role.PROFESSIONAL, Role.DPO):
        with pytest.raises(PermissionDenied):
            checks.run(world.actor(role))
    # Peer workers read them as counts of at least three, through partners.shared_checks (tests/readiness/
    # test_partners.py).
    for role in (Role.MANAGER, Role.COORDINATOR, Role.ADMINISTRATOR, Role.PEER_WORKER, Role.SENIOR_PEER_WORKER):
        checks.run(world.actor(role))


def test_checks_cost_a_fixed_number_of_queries(world):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    run(world)  # the first audit entry of an organisation also starts its chain
    counts = []
    for batch in (1, 9):  # 1 team, then 10 teams in all
        for i in range(batch):
            team_with(world, 1 + i % 2, started_days_ago=10 + i)
        with CaptureQueriesContext(connection) as ctx:
            report = run(world)
        counts.append(len(ctx))
        assert report.finding_count >= batch
    assert counts[0] == counts[1] <= 15, counts


def test_co_creation_registers_its_committee_counter():
    assert committee_counts in hooks.get(hooks.COMMITTEE_COUNTERS)

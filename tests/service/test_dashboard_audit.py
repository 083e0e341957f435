"""The coordinator dashboard records what it shows in one batch: an entry per person shown, and one for the
peer workers' figures, appended together (one lock, one INSERT)."""

from __future__ import annotations

from peerwork.audit.models import AuditEntry
from peerwork.core.roles import Role

from .conftest import engage, new_referral


def test_the_dashboard_records_the_people_and_the_figures_together(svc):
    new_referral(svc, "Waiting")
    engage(svc, new_referral(svc), svc.users[Role.PEER_WORKER])
    before = AuditEntry.objects.count()
    assert svc.client(Role.COORDINATOR).get("/service/dashboard/").status_code == 200
    written = list(AuditEntry.objects.order_by("id")[before:])
    shown = [e for e in written if '"dashboard"' in e.detail]
    assert any(e.object_type == "service.referral" and e.subject_type for e in shown)
    assert [e.object_type for e in shown if e.object_type == "service.workload"] == ["service.workload"]
    assert len({(e.chain, e.at) for e in shown}) == 1  # one batch

"""The scale generator fills every kind of data a year of use leaves (a small set here), and the audit
trail it writes in bulk is chained and signed so that ``peerwork audit verify`` finds nothing wrong."""

from __future__ import annotations

from io import StringIO

import pytest
from django.core.management import call_command

from peerwork.audit import trail
from peerwork.audit.details import Detail
from peerwork.audit.models import AuditEntry, AuditHead
from peerwork.cocreation.models import Board, Contribution, Initiative, Signal
from peerwork.demo.generate import generate
from peerwork.evaluation.models import PulseAnswer
from peerwork.organisations.models import Position
from peerwork.privacy.models import Consent
from peerwork.readiness.models import ActionItem, Invitation, Response, Risk, Round
from peerwork.service.models import Contact, Engagement, Goal, GuidanceSession, Referral, ServiceUser

pytestmark = pytest.mark.django_db


def test_every_kind_of_data_and_a_trail_that_verifies() -> None:
    g = generate(organisations=2, peer_workers=12, service_users=240, contacts=2400, seed=5)

    for org in g.organisations:
        for model in (
            Position,
            ServiceUser,
            Referral,
            Engagement,
            Contact,
            Goal,
            GuidanceSession,
            Initiative,
            Contribution,
            Signal,
            Board,
            PulseAnswer,
            Round,
            Invitation,
            Response,
            Risk,
            ActionItem,
        ):
            assert model.objects.filter(organisation=org).exists(), model.__name__
        purposes = set(Consent.objects.filter(organisation=org).values_list("purpose", flat=True))
        assert {"peer_support", "evaluation", "text_messages", "share"} <= purposes
        assert Consent.objects.filter(organisation=org, staff_member__isnull=False).exists()
        entries = AuditEntry.objects.filter(organisation=org)
        # A year of work: every contact of the year recorded, and read, by its peer worker; the queue; the DPO.
        assert entries.filter(action="create", object_type="service.contact").exists()
        assert entries.filter(detail=Detail("shown", page="referral_queue").stored).exists()
        assert entries.filter(role="dpo").exists()
        assert entries.count() > Contact.objects.filter(organisation=org).count() // 2
        # Spread over the lanes, each lane's head counting its entries.
        for chain in trail.lane_chains(org.pk):
            assert AuditHead.objects.get(chain=chain).count == AuditEntry.objects.filter(chain=chain).count() > 0

    assert g.audit_entries == AuditEntry.objects.exclude(chain=trail.SYSTEM_CHAIN).count()
    assert {"ANALYZE", "total"} <= set(g.timings)
    assert list(trail.verify()) == []
    out = StringIO()
    call_command("audit", "verify", stdout=out)
    assert out.getvalue().startswith("Audit trail intact")

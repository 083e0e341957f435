"""The demo shows availability in both organisations on first sign-in: a paused peer worker, a new peer
worker on hold with what is missing, and an access with a reason that the peer worker reads."""

from __future__ import annotations

import pytest

from peerwork.accounts.models import User
from peerwork.demo.seed import DK_SLUG, NO_SLUG, seed_demo
from peerwork.organisations.models import Organisation
from peerwork.service.models import PeerWorkerProfile
from tests.conftest import verified_client


@pytest.mark.django_db
def test_demo_availability_in_both_organisations():
    seed_demo()
    no, dk = Organisation.objects.get(slug=NO_SLUG), Organisation.objects.get(slug=DK_SLUG)
    for org, paused, new in ((no, "peerworker4", "peerworker9"), (dk, "dk-peerworker2", "dk-peerworker1")):
        assert PeerWorkerProfile.objects.get(organisation=org, user__username=paused).resumes_on is not None
        assert PeerWorkerProfile.objects.get(organisation=org, user__username=new).on_hold

    coordinator = verified_client(User.objects.get(username="coordinator"))
    dashboard = coordinator.get("/service/dashboard/?all=1").content.decode()
    assert "paused" in dashboard and "new: on hold" in dashboard
    new = User.objects.get(username="peerworker9")
    held = coordinator.get(f"/service/peer-workers/{new.pk}/availability/").content.decode()
    assert "Still missing" in held and "agreed working hours" in held

    ola = verified_client(User.objects.get(username="peerworker"))
    assert "Who looked at my work" in ola.get("/").content.decode()
    looked = ola.get("/privacy/who-looked-at-my-work/").content.decode()
    assert "Planning who can take new people from the waiting list" in looked
    assert "looked at your workload" in looked

    paused = verified_client(User.objects.get(username="peerworker4"))
    assert "New referrals paused: open to new people again on" in paused.get("/service/availability/").content.decode()

    dk_new = verified_client(User.objects.get(username="dk-peerworker1"))
    home = dk_new.get("/", HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "New: not open to new people until profile and orientation are complete." in home
    dk_looked = dk_new.get("/privacy/who-looked-at-my-work/").content.decode()
    assert str(User.objects.get(username="dk-coordinator")) in dk_looked
    assert "Planning who can take new people from the waiting list" in dk_looked or "Planlægning" in dk_looked

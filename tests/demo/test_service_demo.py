"""Both demo organisations show every capability of the peer recovery service on first sign-in: people
waiting and offered from the whole list, proposals the peer workers answer, engagements with contacts and
goals, contact agreements with a strain topic, an extension past two years, groups and courses."""

from __future__ import annotations

import pytest

from peerwork.accounts.models import User
from peerwork.activities.models import Activity, ActivityPlace
from peerwork.demo.seed import DK_SLUG, NO_SLUG, demo_logins, seed_demo
from peerwork.organisations.models import Organisation
from peerwork.service.models import (
    Contact,
    ContactAgreement,
    DeclaredConflict,
    Engagement,
    EngagementExtension,
    GoalRating,
    GuidanceRelationship,
    MatchProposal,
    ProposedCandidate,
    Referral,
)
from tests.conftest import verified_client

KINDS = {
    "people waiting": lambda org: Referral.objects.filter(organisation=org, status="waiting").count() >= 2,
    "active engagements": lambda org: Engagement.objects.filter(organisation=org, closed_on__isnull=True).exists(),
    "closed engagements": lambda org: Engagement.objects.filter(organisation=org, closed_on__isnull=False).exists(),
    "contacts": lambda org: Contact.objects.filter(organisation=org, kind="contact").count() >= 20,
    "tries and calls not taken": lambda org: (
        {"no_answer", "not_taken"} <= set(Contact.objects.filter(organisation=org).values_list("kind", flat=True))
    ),
    "goal ratings": lambda org: GoalRating.objects.filter(organisation=org).exists(),
    "pending proposals": lambda org: MatchProposal.objects.filter(organisation=org, outcome="pending").exists(),
    "each kind of answer": lambda org: (
        {"pending", "accepted", "declined", "talk"}
        <= set(ProposedCandidate.objects.filter(organisation=org).values_list("answer", flat=True))
    ),
    "contact agreements": lambda org: ContactAgreement.objects.filter(organisation=org).exists(),
    "extensions": lambda org: EngagementExtension.objects.filter(organisation=org).exists(),
    "declared acquaintances": lambda org: DeclaredConflict.objects.filter(organisation=org).exists(),
    "guidance": lambda org: GuidanceRelationship.objects.filter(organisation=org).exists(),
    "groups and courses": lambda org: Activity.objects.filter(organisation=org).count() >= 2,
    "a place offered while waiting": lambda org: ActivityPlace.objects.filter(
        organisation=org, from_waiting_list=True
    ).exists(),
}


@pytest.mark.django_db
def test_both_demo_organisations_have_every_kind_of_service_data_and_the_danish_roles_see_it():
    seed_demo()
    for slug in (NO_SLUG, DK_SLUG):
        org = Organisation.objects.get(slug=slug)
        missing = [kind for kind, present in KINDS.items() if not present(org)]
        assert missing == [], (slug, missing)
    assert {"coordinator", "dk-coordinator", "dk-recovery1"} <= {d.username for d in demo_logins()}

    # The Danish roles see the service on first sign-in (one seeded world for both checks: seeding is slow).
    en = {"HTTP_ACCEPT_LANGUAGE": "en"}
    coordinator = verified_client(User.objects.get(username="dk-coordinator"))
    offers = coordinator.get("/service/waiting-list/", **en).content.decode()
    assert offers.count('class="offer"') >= 1 and " fit<" in offers
    dashboard = coordinator.get("/service/dashboard/", **en).content.decode()
    assert "Waiting" in dashboard
    peer = User.objects.get(username="dk-recovery1")
    as_peer = verified_client(peer)
    assert "Nothing is waiting for your answer" not in as_peer.get("/service/proposed-to-me/", **en).content.decode()
    workload = as_peer.get("/service/workload/", **en).content.decode()
    assert "outside what was agreed" in workload
    extended = EngagementExtension.objects.get(engagement__peer_worker=peer).engagement
    page = as_peer.get(f"/service/engagements/{extended.pk}/", **en).content.decode()
    assert "Skal flytte i egen bolig" in page
    guided = coordinator.get(f"/service/peer-workers/{peer.pk}/workload/", **en).content.decode()
    assert "outside what was agreed" in guided
    home = verified_client(User.objects.get(username="dk-mentor1")).get("/", **en)
    assert home.status_code == 200

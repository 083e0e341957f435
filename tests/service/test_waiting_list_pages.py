"""The waiting list plans offers for everyone and shows them a page at a time, longest waiting first."""

from __future__ import annotations

from peerwork.audit.details import Detail
from peerwork.audit.models import AuditEntry
from peerwork.core.roles import Role
from peerwork.service import matching_adapter
from peerwork.service.models import Referral

from .conftest import OFFICE, add_peer_worker, profile_of
from .test_query_budget import populate


def test_the_waiting_list_shows_one_page_of_the_whole_plan(svc):
    profile_of(svc, svc.users[Role.PEER_WORKER], capacity=30, working_hours=OFFICE)
    team = [svc.users[Role.PEER_WORKER]] + [add_peer_worker(svc, f"wl-{i}", capacity=30) for i in range(3)]
    populate(svc, 2, team)  # 40 people waiting, places for all
    coordinator = svc.actor(Role.COORDINATOR)

    whole = matching_adapter.offer_waiting_list(coordinator)
    first = matching_adapter.offer_waiting_list(coordinator, page=1)
    second = matching_adapter.offer_waiting_list(coordinator, page=2)

    assert whole.offered == first.offered == len(whole.rows) > matching_adapter.OFFERS_PER_PAGE
    assert len(first.rows) == matching_adapter.OFFERS_PER_PAGE
    assert [r.referral.pk for r in first.rows + second.rows] == [r.referral.pk for r in whole.rows]
    assert [[o.user.pk for o in r.offers] for r in first.rows] == [
        [o.user.pk for o in r.offers] for r in whole.rows[: matching_adapter.OFFERS_PER_PAGE]
    ]
    days = [r.waiting_days for r in whole.rows]
    assert days == sorted(days, reverse=True)

    before = AuditEntry.objects.filter(detail=Detail("shown", page="waiting_list_offers").stored).count()
    body = svc.client(Role.COORDINATOR).get("/service/waiting-list/?page=2").content.decode()
    shown = {r.referral.pk for r in second.rows} | {r.pk for r, _outranked in second.waiting}
    assert AuditEntry.objects.filter(detail=Detail("shown", page="waiting_list_offers").stored).count() - before == len(
        shown
    )
    assert f"{whole.offered} people with offers" in body
    assert "Page 2 of 2" in body
    first_page_person = Referral.objects.get(pk=first.rows[0].referral.pk).service_user
    assert str(first_page_person) not in body


def test_a_changed_waiting_list_is_planned_afresh(svc):
    profile_of(svc, svc.users[Role.PEER_WORKER], capacity=30, working_hours=OFFICE)
    team = [svc.users[Role.PEER_WORKER]]
    populate(svc, 1, team)
    coordinator = svc.actor(Role.COORDINATOR)
    before = matching_adapter.offer_waiting_list(coordinator)
    populate(svc, 1, team)
    after = matching_adapter.offer_waiting_list(coordinator)
    assert after.offered > before.offered

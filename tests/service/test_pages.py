"""The pages: each role sees what it should, forms save through the services, errors are shown."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone

from peerwork.core.roles import Role
from peerwork.service import services
from peerwork.service.models import Contact, DeclaredConflict, Engagement, Referral

from .conftest import add_peer_worker, contact_values, engage, new_referral


def test_coordinator_pages_render(svc):
    referral = new_referral(svc)
    engagement = engage(svc, new_referral(svc, "Per"), svc.users[Role.PEER_WORKER])
    client = svc.client(Role.COORDINATOR)
    for url in (
        "/service/",
        "/service/dashboard/",
        "/service/queue/",
        "/service/waiting-list/",
        "/service/referrals/new/",
        f"/service/referrals/{referral.pk}/",
        f"/service/engagements/{engagement.pk}/",
        f"/service/engagements/{engagement.pk}/close/",
        f"/service/engagements/{engagement.pk}/handover/",
        f"/service/peer-workers/{svc.users[Role.PEER_WORKER].pk}/caseload/",
        f"/service/peer-workers/{svc.users[Role.PEER_WORKER].pk}/workload/",
        f"/service/peer-workers/{svc.users[Role.PEER_WORKER].pk}/guidance/",
        f"/service/peer-workers/{svc.users[Role.PEER_WORKER].pk}/profile/",
        "/service/settings/",
        "/",
    ):
        response = client.get(url, follow=True)
        assert response.status_code == 200, url


def test_peer_worker_pages_render(svc):
    engagement = engage(svc, new_referral(svc), svc.users[Role.PEER_WORKER])
    client = svc.client(Role.PEER_WORKER)
    for url in (
        "/service/",
        "/service/caseload/",
        "/service/contact/",
        "/service/workload/",
        "/service/profile/",
        "/service/my-guidance/",
        f"/service/engagements/{engagement.pk}/",
        f"/service/engagements/{engagement.pk}/contacts/new/",
        "/",
    ):
        assert client.get(url, follow=True).status_code == 200, url
    for url in (
        "/service/dashboard/",
        "/service/queue/",
        f"/service/referrals/{engagement.referral_id}/",
        "/service/settings/",
    ):
        assert client.get(url).status_code == 403, url


@pytest.mark.parametrize("role", [Role.PROFESSIONAL, Role.MANAGER, Role.DPO])
def test_professionals_and_others_have_no_access(svc, role):
    engagement = engage(svc, new_referral(svc), svc.users[Role.PEER_WORKER])
    client = svc.client(role)
    for url in (
        "/service/",
        "/service/dashboard/",
        "/service/queue/",
        f"/service/engagements/{engagement.pk}/",
        "/service/contact/",
        "/service/caseload/",
    ):
        assert client.get(url).status_code in (403, 404), (role, url)


def test_new_referral_form_and_errors(svc):
    client = svc.client(Role.COORDINATOR)
    bad = client.post("/service/referrals/new/", {"chosen_name": "", "source": "self", "received_on": "2999-01-01"})
    assert bad.status_code == 200
    assert "There is a problem" in bad.content.decode()
    assert not Referral.objects.exists()
    good = client.post(
        "/service/referrals/new/",
        {
            "chosen_name": "Nora",
            "source": "self",
            "received_on": timezone.localdate().isoformat(),
            "languages": "nb, en",
            "wish_gender": "woman",
            "wish_gender_firm": "on",
            "help_with": "Getting out more",
        },
    )
    referral = Referral.objects.get()
    assert good.status_code == 302 and good["Location"] == f"/service/referrals/{referral.pk}/"
    assert referral.service_user.wishes == [{"kind": "gender", "value": "woman", "firm": True}]
    assert referral.service_user.languages == ["en", "nb"]


def test_propose_choose_and_log_a_contact_through_the_pages(svc):
    pw = svc.users[Role.PEER_WORKER]
    other = add_peer_worker(svc, "pw-b")
    referral = new_referral(svc)
    coordinator = svc.client(Role.COORDINATOR)
    page = coordinator.get(f"/service/referrals/{referral.pk}/").content.decode()
    assert str(pw) in page and str(other) in page
    response = coordinator.post(f"/service/referrals/{referral.pk}/propose/", {"peer_workers": [pw.pk, other.pk]})
    assert response.status_code == 302
    proposal = referral.proposals.get()
    from tests.conftest import verified_client

    # Each peer worker answers on their own page first: one declines privately, the other accepts.
    pw_phone, other_phone = verified_client(pw), verified_client(other)
    mine = pw_phone.get("/service/proposed-to-me/").content.decode()
    assert str(referral.service_user) in mine and "Finding a flat" in mine
    assert (
        pw_phone.post(f"/service/proposals/{proposal.pk}/answer/", {f"p{proposal.pk}-answer": "declined"}).status_code
        == 302
    )
    assert (
        other_phone.post(
            f"/service/proposals/{proposal.pk}/answer/", {f"p{proposal.pk}-answer": "accepted"}
        ).status_code
        == 302
    )
    page = coordinator.get(f"/service/referrals/{referral.pk}/").content.decode()
    assert "Not available for this one" in page and "Accepted" in page
    # The person chooses among those who accepted: the one who declined is not offered.
    assert f'value="{pw.pk}"' not in page.split('id="choice"')[1].split("</form>")[0]
    # Started yesterday, so the contact logged half an hour ago falls inside it even just after midnight.
    yesterday = (timezone.localdate() - timedelta(days=1)).isoformat()
    response = coordinator.post(
        f"/service/proposals/{proposal.pk}/choice/",
        {"choice": str(other.pk), "started_on": yesterday, "frequency": "weekly"},
    )
    engagement = Engagement.objects.get(service_user=referral.service_user)
    assert response["Location"] == f"/service/engagements/{engagement.pk}/"
    assert engagement.peer_worker == other
    # The second browser, which still showed the proposal, gets a clear message and nothing changes.
    assert (
        pw_phone.post(f"/service/proposals/{proposal.pk}/answer/", {f"p{proposal.pk}-answer": "accepted"}).status_code
        == 200
    )
    again = coordinator.post(
        f"/service/proposals/{proposal.pk}/choice/",
        {"choice": str(pw.pk), "started_on": yesterday, "frequency": "weekly"},
    )
    assert again.status_code == 200
    assert "already recorded" in again.content.decode()
    assert Engagement.objects.filter(service_user=referral.service_user).count() == 1
    phone = other_phone
    now = timezone.localtime() - timedelta(minutes=30)
    response = phone.post(
        "/service/contact/",
        {
            "engagement": engagement.pk,
            "date": now.date().isoformat(),
            "start_time": now.strftime("%H:%M"),
            "duration_minutes": 30,
            "channel": "outdoors",
            "initiated_by": "peer_worker",
            "note_visibility": "private",
        },
    )
    assert response.status_code == 302
    assert Contact.objects.filter(engagement=engagement, channel="outdoors").exists()
    form = phone.get("/service/contact/").content.decode()
    assert 'value="outdoors" checked' in form.replace("checked id", "checked id") or "checked" in form


def test_quick_add_with_htmx_returns_the_form_again(svc):
    engagement = engage(svc, new_referral(svc), svc.users[Role.PEER_WORKER])
    client = svc.client(Role.PEER_WORKER)
    now = timezone.localtime() - timedelta(hours=3)
    data = {
        "engagement": engagement.pk,
        "date": now.date().isoformat(),
        "start_time": now.strftime("%H:%M"),
        "duration_minutes": 30,
        "channel": "phone",
        "initiated_by": "person",
        "note_visibility": "private",
    }
    response = client.post("/service/contact/", data, HTTP_HX_REQUEST="true")
    assert response.status_code == 200 and "Contact saved" in response.content.decode()
    again = client.post("/service/contact/", data, HTTP_HX_REQUEST="true")
    assert again.status_code == 200 and "overlap" in again.content.decode()
    assert Contact.objects.count() == 1


def test_private_note_is_not_shown_to_the_coordinator(svc):
    engagement = engage(svc, new_referral(svc), svc.users[Role.PEER_WORKER])
    actor = svc.actor(Role.PEER_WORKER)
    day = timezone.localdate() - timedelta(days=1)
    from datetime import time

    services.contacts.add_contact(
        actor,
        engagement_id=engagement.pk,
        **contact_values(day, time(9), note="SECRET-NOTE", note_visibility="private"),
    )
    services.contacts.add_contact(
        actor,
        engagement_id=engagement.pk,
        **contact_values(day, time(11), note="SHARED-NOTE", note_visibility="coordinator"),
    )
    own = svc.client(Role.PEER_WORKER).get(f"/service/engagements/{engagement.pk}/").content.decode()
    assert "SECRET-NOTE" in own and "SHARED-NOTE" in own
    coordinator = svc.client(Role.COORDINATOR).get(f"/service/engagements/{engagement.pk}/").content.decode()
    assert "SECRET-NOTE" not in coordinator and "SHARED-NOTE" in coordinator
    # A coordinator who does not guide this peer worker reads neither note.
    from tests.conftest import actor_for, verified_client
    from tests.factories import MembershipFactory, UserFactory

    stranger = UserFactory(username="coordinator-2")
    MembershipFactory(organisation=svc.org, user=stranger, role=Role.COORDINATOR)
    other = verified_client(stranger).get(f"/service/engagements/{engagement.pk}/").content.decode()
    assert "SECRET-NOTE" not in other and "SHARED-NOTE" not in other
    assert actor_for(stranger, svc.org)


def test_peer_worker_cannot_open_another_peer_workers_engagement(svc):
    other = add_peer_worker(svc, "pw-b")
    theirs = engage(svc, new_referral(svc), other)
    client = svc.client(Role.PEER_WORKER)
    assert client.get(f"/service/engagements/{theirs.pk}/").status_code == 404
    assert client.get(f"/service/engagements/{theirs.pk}/contacts/new/").status_code in (403, 404)
    assert client.get(f"/service/peer-workers/{other.pk}/workload/").status_code == 403
    assert client.get(f"/service/peer-workers/{other.pk}/caseload/").status_code == 403


def test_settings_page_saves_and_rejects(svc):
    client = svc.client(Role.COORDINATOR)
    response = client.post(
        "/service/settings/",
        {
            "which": "matching",
            "m-experience": "-1",
            "m-services": "1",
            "m-background": "1",
            "m-interests": "1",
            "m-age": "1",
            "m-language": "1",
            "m-district": "1",
            "m-wishes": "1",
            "m-availability": "1",
            "m-waiting": "1",
        },
    )
    assert response.status_code == 200
    assert "There is a problem" in response.content.decode()


def test_a_declared_acquaintance_is_a_flag_both_sides_waive_from_the_pages(svc):
    from tests.conftest import verified_client

    pw = svc.users[Role.PEER_WORKER]
    referral = new_referral(svc)
    client = svc.client(Role.COORDINATOR)
    response = client.post(f"/service/referrals/{referral.pk}/conflict/", {"conflict-peer_worker": pw.pk})
    assert response.status_code == 302
    page = client.get(f"/service/referrals/{referral.pk}/").content.decode()
    # Still on the list, flagged: ask both.
    assert f'value="{pw.pk}" id="candidate-{pw.pk}"' in page
    assert "Knows this person privately — ask both" in page
    bad = client.post(f"/service/referrals/{referral.pk}/conflict/", {"conflict-peer_worker": ""})
    assert bad.status_code == 200 and "There is a problem" in bad.content.decode()
    assert client.post(f"/service/referrals/{referral.pk}/propose/", {"peer_workers": [pw.pk]}).status_code == 302
    proposal = referral.proposals.get()
    # Accepting needs the peer worker's own note: their waiver.
    phone = verified_client(pw)
    answer = f"/service/proposals/{proposal.pk}/answer/"
    refused = phone.post(answer, {f"p{proposal.pk}-answer": "accepted"})
    assert refused.status_code == 200 and "write a short note" in refused.content.decode()
    ok = phone.post(answer, {f"p{proposal.pk}-answer": "accepted", f"p{proposal.pk}-note": "We met years ago; fine"})
    assert ok.status_code == 302
    known = DeclaredConflict.objects.get(service_user=referral.service_user)
    assert known.peer_worker_waived_by == pw and known.peer_worker_waiver_note == "We met years ago; fine"
    # The person has not been asked: the choice is refused and nothing starts.
    today = timezone.localdate().isoformat()
    choice = {"choice": str(pw.pk), "started_on": today, "frequency": "weekly"}
    early = client.post(f"/service/proposals/{proposal.pk}/choice/", choice)
    assert early.status_code == 200 and "Ask both" in early.content.decode()
    assert not Engagement.objects.filter(service_user=referral.service_user).exists()
    waive = f"/service/referrals/{referral.pk}/acquaintances/{known.pk}/waive/"
    empty = client.post(waive, {f"waiver{known.pk}-side": "person", f"waiver{known.pk}-note": " "})
    assert empty.status_code == 200 and "There is a problem" in empty.content.decode()
    assert (
        client.post(waive, {f"waiver{known.pk}-side": "person", f"waiver{known.pk}-note": "Glad it is her"}).status_code
        == 302
    )
    known.refresh_from_db()
    assert known.person_waived_by == svc.users[Role.COORDINATOR] and known.waived
    assert client.post(f"/service/proposals/{proposal.pk}/choice/", choice).status_code == 302
    assert Engagement.objects.get(service_user=referral.service_user).peer_worker == pw


def test_dashboard_shows_the_team_a_coordinator_guides_or_everyone(svc):
    stranger = add_peer_worker(svc, "pw-not-mine")
    client = svc.client(Role.COORDINATOR)
    mine = client.get("/service/dashboard/").content.decode()
    assert str(svc.users[Role.PEER_WORKER]) in mine and str(stranger) not in mine
    everyone = client.get("/service/dashboard/?all=1").content.decode()
    assert str(stranger) in everyone


def test_rating_a_goal_after_the_engagement_closed_says_why(svc):
    engagement = engage(svc, new_referral(svc), svc.users[Role.PEER_WORKER])
    actor = svc.actor(Role.PEER_WORKER)
    goal = services.goals.add_goal(
        actor, engagement_id=engagement.pk, life_area="family", words="See my son", visibility="coordinator"
    )
    services.engagements.close_engagement(
        actor, engagement_id=engagement.pk, closed_on=timezone.localdate(), reason="person_ended"
    )
    response = svc.client(Role.PEER_WORKER).post(f"/service/goals/{goal.pk}/rate/", {f"g{goal.pk}-rating": "7"})
    assert response.status_code == 200
    assert "can no longer be changed" in response.content.decode()
    assert not goal.ratings.exists()


def test_waiting_list_offers_are_sent_one_person_at_a_time(svc):
    pw = svc.users[Role.PEER_WORKER]
    other = add_peer_worker(svc, "pw-b", capacity=1)
    first, second = new_referral(svc, "A"), new_referral(svc, "B")
    client = svc.client(Role.COORDINATOR)
    page = client.get("/service/waiting-list/").content.decode()
    assert "Send these offers to A" in page and "Send these offers to B" in page
    assert "%" not in page.split("<main", 1)[-1]  # the fit is a band in words, never a bare percentage
    assert "good fit" in page or "some fit" in page or "little fit" in page or "fit not known" in page
    response = client.post("/service/waiting-list/", {"referral": first.pk, "peer_worker": [other.pk]})
    assert response.status_code == 302
    first.refresh_from_db()
    assert first.status == Referral.Status.PROPOSED
    assert first.proposals.get().origin == "waiting_list"
    # The pending offer holds other's only place: offering them to B as well is refused.
    taken = client.post("/service/waiting-list/", {"referral": second.pk, "peer_worker": [other.pk]}, follow=True)
    assert "has no room" in taken.content.decode()
    assert second.proposals.count() == 0
    # Offering again to the same person is refused with a message, and nothing changes.
    again = client.post("/service/waiting-list/", {"referral": first.pk, "peer_worker": [pw.pk]}, follow=True)
    assert "already been proposed" in again.content.decode()
    assert first.proposals.count() == 1
    # Nothing chosen: a message, nothing proposed.
    empty = client.post("/service/waiting-list/", {"referral": second.pk}, follow=True)
    assert "Choose the peer workers to offer." in empty.content.decode()

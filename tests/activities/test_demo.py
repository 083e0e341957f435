"""The demo shows groups and courses to each role on first sign-in: in each demo organisation whose service has
people, a recovery course and a self-help group with held sessions and who came, today's session to mark, and
one person on the waiting list offered a place."""

from __future__ import annotations

import pytest
from django.urls import reverse
from django.utils import timezone

from peerwork.accounts.models import User
from peerwork.activities.models import Activity, ActivityPlace, Attendance
from peerwork.demo.seed import DK_SLUG, NO_SLUG, seed_demo
from peerwork.organisations.models import Organisation
from peerwork.service.models import ServiceUser
from tests.conftest import verified_client


@pytest.mark.django_db
def test_the_demo_has_a_course_and_a_group_with_attendance_and_an_offer_to_someone_waiting():
    seed_demo()
    for slug in (NO_SLUG, DK_SLUG):
        org = Organisation.objects.get(slug=slug)
        if ServiceUser.objects.filter(organisation=org).count() < 6:
            assert not Activity.objects.filter(organisation=org).exists()  # no people: no group to hold them
            continue
        kinds = set(Activity.objects.filter(organisation=org).values_list("kind", flat=True))
        assert kinds == {"course", "self_help"}
        assert Attendance.objects.filter(organisation=org).exists()
        offered = ActivityPlace.objects.get(organisation=org, status="offered")
        assert offered.from_waiting_list
        assert offered.service_user.referrals.filter(status__in=["waiting", "proposed"]).exists()
    seed_demo()  # seeding again adds nothing
    assert Activity.objects.filter(organisation__slug=NO_SLUG).count() == 2
    today = timezone.localdate()
    ola = User.objects.get(username="peerworker")
    home = verified_client(ola).get(reverse("core:home")).text
    assert "Groups and courses" in home and "today: mark who came" in home
    coordinator = verified_client(User.objects.get(username="coordinator")).get(reverse("core:home")).text
    assert reverse("activities:activities") in coordinator
    assert Activity.objects.filter(leaders=ola, sessions__meets_on=today).count() == 2

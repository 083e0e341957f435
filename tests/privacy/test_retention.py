"""Retention: the dry run lists ids and dates only; the real run anonymises one person per transaction."""

from __future__ import annotations

import random
from datetime import date, timedelta
from io import StringIO

import pytest
from django.core.exceptions import ValidationError
from django.core.management import call_command
from django.core.management.base import CommandError

from peerwork.audit.models import AuditEntry
from peerwork.core.roles import Role
from peerwork.privacy import retention, services
from peerwork.privacy.models import RetentionPolicy
from peerwork.service.models import Contact, GoalRating, Referral, ServiceUser

from .helpers import contact, engage, goal, person

TODAY = date(2026, 6, 15)


def generated(world, n: int, seed: int = 7) -> dict[str, list[int]]:
    """People with engagements closed at various times, some still active, some with open referrals."""
    rng = random.Random(seed)
    kinds: dict[str, list[int]] = {
        "due": [],
        "not_yet": [],
        "active": [],
        "open_referral": [],
        "never_engaged": [],
    }
    for i in range(n):
        kind = rng.choice(list(kinds))
        p = person(world, f"Generated {i}", phone=f"+47 9{i:07d}")
        if kind == "due":
            closed = TODAY - timedelta(days=rng.randint(380, 900))
        elif kind == "not_yet":
            closed = TODAY - timedelta(days=rng.randint(1, 300))
        elif kind == "open_referral":  # long closed, but referred again: nothing happens while it is open
            closed = TODAY - timedelta(days=800)
        else:
            closed = None
        if kind != "never_engaged":
            eng = engage(
                world,
                p,
                world.users[Role.PEER_WORKER],
                closed_on=closed,
                started=(closed or TODAY) - timedelta(days=400),
            )
            g = goal(world, eng, f"My own goal {i}", ratings=[rng.randint(0, 10) for _ in range(2)])
            contact(world, eng, note=f"said something {i}", day=eng.started_on + timedelta(days=3))
            assert g
        if kind == "open_referral":
            Referral.objects.create(organisation=world.org, service_user=p, source="self", received_on=TODAY)
        if kind == "never_engaged":
            Referral.objects.create(
                organisation=world.org,
                service_user=p,
                source="self",
                status="declined",
                status_reason="Chose another offer",
                received_on=TODAY - timedelta(days=500),
            )
        kinds[kind].append(p.pk)
    return kinds


def test_add_months_handles_month_ends():
    assert retention.add_months(date(2025, 1, 31), 1) == date(2025, 2, 28)
    assert retention.add_months(date(2024, 11, 30), 12) == date(2025, 11, 30)
    assert retention.add_months(date(2024, 2, 29), 12) == date(2025, 2, 28)


def test_dry_run_then_real_run_on_generated_data(world, other_world):
    kinds = generated(world, 40)
    other = generated(other_world, 5, seed=9)
    people_before = ServiceUser.objects.count()
    contacts_before = Contact.objects.count()
    ratings_before = list(GoalRating.objects.order_by("pk").values_list("rating", flat=True))
    expected = sorted(kinds["due"] + kinds["never_engaged"])
    assert expected, "the generator should make some people due"

    out = StringIO()
    call_command(
        "retention",
        "run",
        "--dry-run",
        "--today",
        TODAY.isoformat(),
        "--organisation",
        str(world.org.pk),
        stdout=out,
    )
    text = out.getvalue()
    listed = sorted(int(line.split("person ")[1].split()[0]) for line in text.splitlines() if " person " in line)
    assert listed == expected
    assert "Generated" not in text and "+47" not in text  # ids and dates, never names
    assert f"{len(expected)} record(s) would be anonymised" in text
    assert not ServiceUser.objects.filter(anonymised_at__isnull=False).exists()
    assert not AuditEntry.objects.filter(action="delete").exists()

    out = StringIO()
    call_command("retention", "run", "--today", TODAY.isoformat(), stdout=out)
    done = set(ServiceUser.objects.filter(anonymised_at__isnull=False).values_list("pk", flat=True))
    other_due = set(other["due"] + other["never_engaged"])
    assert done == set(expected) | other_due
    assert ServiceUser.objects.count() == people_before and Contact.objects.count() == contacts_before
    assert list(GoalRating.objects.order_by("pk").values_list("rating", flat=True)) == ratings_before
    entries = AuditEntry.objects.filter(action="delete", subject_type="service.serviceuser")
    assert sorted(int(e.subject_id) for e in entries) == sorted(done)
    assert all(e.via == "retention run" and e.actor_id is None for e in entries)
    assert {e.organisation_id for e in entries} == {world.org.pk, other_world.org.pk}
    for pk in kinds["active"] + kinds["not_yet"] + kinds["open_referral"]:
        assert ServiceUser.objects.get(pk=pk).chosen_name.startswith("Generated")
    # running again changes nothing
    out = StringIO()
    call_command("retention", "run", "--today", TODAY.isoformat(), stdout=out)
    assert "0 record(s) anonymised" in out.getvalue()


def test_policy_is_per_organisation(world):
    p = person(world, "Anna")
    engage(world, p, world.users[Role.PEER_WORKER], closed_on=TODAY - timedelta(days=100))
    assert retention.due(world.org.pk, TODAY) == []
    services.set_retention(world.actor(Role.DPO), 3)
    assert [d.service_user_id for d in retention.due(world.org.pk, TODAY)] == [p.pk]
    for bad in ("0", "121", "twelve", ""):
        with pytest.raises(ValidationError, match="from 1 to 120"):
            services.set_retention(world.actor(Role.DPO), bad)
    assert RetentionPolicy.objects.get().months_after_last_engagement == 3


def test_command_refuses_bad_options(world):
    with pytest.raises(CommandError, match="No organisation"):
        call_command("retention", "run", "--dry-run", "--organisation", "nowhere")
    with pytest.raises(CommandError, match="--today"):
        call_command("retention", "run", "--dry-run", "--today", "31.12.2026")


@pytest.mark.django_db(transaction=True)  # the run is a job: the worker reopens its connection
def test_retention_page_for_the_dpo(world):
    p = person(world, "Anna")
    engage(world, p, world.users[Role.PEER_WORKER], closed_on=date.today() - timedelta(days=500))
    dpo = world.client(Role.DPO)
    body = dpo.get("/privacy/retention/").content.decode()
    assert "1 record is due" in body and "Anna" not in body
    assert "from 1 to 120" in dpo.post("/privacy/retention/", {"months_after_last_engagement": "200"}).content.decode()
    assert dpo.post("/privacy/retention/run/", {}).status_code == 302
    p.refresh_from_db()
    assert p.anonymised_at is None  # not confirmed
    assert (
        "runs in the background" in dpo.post("/privacy/retention/run/", {"confirm": "on"}, follow=True).content.decode()
    )
    p.refresh_from_db()
    assert p.anonymised_at is None  # queued: the worker runs it, in the officer's name
    call_command("worker", "--batch")
    p.refresh_from_db()
    assert p.anonymised_at is not None
    assert AuditEntry.objects.filter(action="delete", subject_id=str(p.pk), actor=world.users[Role.DPO]).exists()
    for role in (Role.COORDINATOR, Role.MANAGER, Role.ADMINISTRATOR):
        assert world.client(role).get("/privacy/retention/").status_code == 403
        assert world.client(role).post("/privacy/retention/run/", {"confirm": "on"}).status_code == 403


def test_query_budget_of_the_retention_page_is_flat(world, django_assert_max_num_queries):
    dpo = world.client(Role.DPO)
    generated(world, 3)
    dpo.get("/privacy/retention/")  # the first audit entry of an organisation also creates its chain head
    with django_assert_max_num_queries(12) as few:
        assert dpo.get("/privacy/retention/").status_code == 200
    generated(world, 30, seed=3)
    with django_assert_max_num_queries(12) as many:
        assert dpo.get("/privacy/retention/").status_code == 200
    assert len(many.captured_queries) == len(few.captured_queries)

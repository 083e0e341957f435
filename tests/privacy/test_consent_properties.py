"""No sequence of giving, withdrawing, letting run out and re-marking leaves anything visible to a
professional without a valid consent at the moment of reading. Real database, real selectors."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from peerwork.core.roles import Role
from peerwork.privacy import consent, services
from peerwork.privacy.models import Consent
from peerwork.service.models import Goal, Visibility
from tests.conftest import actor_for
from tests.factories import MembershipFactory, UserFactory

from .helpers import engage, goal, person

give = st.tuples(
    st.just("give"),
    st.sampled_from(["team", "other_team", "named", "named_other"]),
    st.one_of(st.just("all"), st.lists(st.integers(0, 2), min_size=1, max_size=3, unique=True)),
    st.integers(-5, 3),  # given this many days from "today"
    st.one_of(st.none(), st.integers(0, 10)),  # valid for this many days after given
)
withdraw = st.tuples(st.just("withdraw"), st.integers(0, 20))
advance = st.tuples(st.just("advance"), st.integers(1, 8))
remark = st.tuples(
    st.just("remark"), st.integers(0, 2), st.sampled_from([Visibility.CARE_TEAM, Visibility.COORDINATOR])
)


@pytest.fixture
def setting(world):
    kari = person(world)
    eng = engage(world, kari, world.users[Role.PEER_WORKER])
    goals = [goal(world, eng, f"goal {i}") for i in range(3)]
    named = UserFactory(username="named-prof")
    MembershipFactory(organisation=world.org, user=named, role=Role.PROFESSIONAL, unit=world.other_team)
    return world, kari, goals, named


@settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(ops=st.lists(st.one_of(give, withdraw, advance, remark), min_size=1, max_size=12))
def test_nothing_is_visible_without_a_valid_consent_when_read(setting, monkeypatch, ops):
    world, kari, goals, named = setting
    Consent.objects.all().delete()
    Goal.objects.filter(pk__in=[g.pk for g in goals]).update(visibility=Visibility.COORDINATOR)
    clock = {"today": date(2026, 3, 1)}
    monkeypatch.setattr(consent, "today", lambda: clock["today"])
    pw = world.actor(Role.PEER_WORKER)
    readers = {"team": world.actor(Role.PROFESSIONAL), "named": actor_for(named, world.org)}
    model: list[dict] = []  # what we expect, kept independently of the database
    marks = {g.pk: Visibility.COORDINATOR for g in goals}

    for op in ops:
        if op[0] == "give":
            _, to, scope, offset, days = op
            start = clock["today"] + timedelta(days=offset)
            values = {
                "purpose": "share",
                "how_given": "digital",
                "given_on": start,
                "valid_until": start + timedelta(days=days) if days is not None else None,
            }
            if to in ("team", "other_team"):
                values["recipient_unit"] = (world.team if to == "team" else world.other_team).pk
            else:
                values["recipient_user"] = (named if to == "named" else world.users[Role.PROFESSIONAL]).pk
            if scope == "all":
                values["goals"] = "all"
                chosen: set[int] = set()
            else:
                values["goals"] = "selected"
                chosen = {goals[i].pk for i in scope}
                values["goal_ids"] = sorted(chosen)
                for pk in chosen:
                    marks[pk] = Visibility.CARE_TEAM
            if to == "named_other":  # the world's professional is not a member of the other team…
                to = "team_named"  # …but can be named in person
            c = services.record_consent(pw, kari.pk, **values)
            model.append(
                {
                    "id": c.pk,
                    "to": to,
                    "all": scope == "all",
                    "goals": chosen,
                    "start": start,
                    "end": values["valid_until"],
                    "withdrawn": False,
                }
            )
        elif op[0] == "withdraw" and model:
            item = model[op[1] % len(model)]
            if not item["withdrawn"]:
                services.withdraw_consent(pw, item["id"])
                item["withdrawn"] = True
        elif op[0] == "advance":
            clock["today"] += timedelta(days=op[1])
        elif op[0] == "remark":
            g = goals[op[1]]
            Goal.objects.filter(pk=g.pk).update(visibility=op[2])
            marks[g.pk] = op[2]

        today = clock["today"]
        for reader_key, reader in readers.items():
            recipients = {"team": ("team", "team_named"), "named": ("named", "other_team")}[reader_key]
            expected = set()
            for c in model:
                valid = not c["withdrawn"] and c["start"] <= today and (c["end"] is None or c["end"] >= today)
                if valid and c["to"] in recipients:
                    covered = set(marks) if c["all"] else c["goals"]
                    expected |= {pk for pk in covered if marks[pk] == Visibility.CARE_TEAM}
            seen = set(consent.visible_goals_for_professional(reader).values_list("pk", flat=True))
            assert seen == expected, (op, reader_key)
            for g in goals:
                assert consent.shared_with(reader, kari.pk, g) == (g.pk in expected)

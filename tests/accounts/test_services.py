"""The accounts services validate every write themselves, whatever calls them (a page, the API, a command)."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError

from peerwork.accounts import services
from peerwork.accounts.models import ApiToken, Membership, User
from peerwork.audit.models import AuditEntry
from peerwork.core.roles import Role

NEW = {
    "first_name": "Kari",
    "last_name": "Nordmann",
    "username": "kari-n",
    "email": "kari@example.invalid",
    "role": Role.PEER_WORKER,
}


def _counts() -> tuple[int, int, int]:
    return User.objects.count(), Membership.objects.count(), AuditEntry.objects.count()


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("first_name", "K" * 151),
        ("last_name", "Nord\x00mann"),
        ("email", "not-an-email"),
        ("username", "kari n/ordmann"),
        ("username", "k" * 151),
    ],
)
def test_adding_a_person_directly_with_bad_input_is_refused_and_nothing_is_saved(world, field, value):
    before = _counts()
    with pytest.raises(ValidationError) as exc:
        services.add_person(world.actor(Role.ADMINISTRATOR), **{**NEW, field: value}, unit=None)
    assert field in exc.value.message_dict
    assert _counts() == before


def test_a_person_added_directly_with_good_input_is_saved(world):
    membership = services.add_person(world.actor(Role.ADMINISTRATOR), **NEW, unit=world.team)
    saved = (membership.user.email, membership.role, membership.unit_id)
    assert saved == (NEW["email"], Role.PEER_WORKER, world.team.pk)


def test_a_token_name_over_the_limit_is_refused_rather_than_cut(world):
    actor = world.actor(Role.MANAGER)
    for name in ("t" * 101, "token\x00name"):
        with pytest.raises(ValidationError) as exc:
            services.create_api_token(actor, name=name)
        assert "name" in exc.value.message_dict
    assert not ApiToken.objects.exists()
    token, _secret = services.create_api_token(actor, name="t" * 100)
    assert token.name == "t" * 100

"""Dates of a peer worker's position and of a consent are held to Peerwork's plausible range by the model
itself, so a model form, the API and every service give the same answer."""

from __future__ import annotations

from datetime import date

import pytest
from django.core.exceptions import ValidationError
from django.forms import modelform_factory

from peerwork.core import validation
from peerwork.organisations.models import Position

FIELDS = ["start_date", "end_date", "peer_work_experience_since"]


@pytest.mark.parametrize("field", FIELDS)
@pytest.mark.parametrize("day", [date(1, 1, 1), date(1899, 12, 31), date(9999, 12, 31)])
def test_position_dates_outside_the_plausible_range_are_refused(world, field, day):
    position = world.positions[0]
    setattr(position, field, day)
    with pytest.raises(ValidationError) as exc:
        validation.clean(position, exclude=["organisation", "unit", "holder", "reports_to"])
    assert list(exc.value.message_dict) == [field]
    form = modelform_factory(Position, fields=[field])(data={field: day.isoformat()}, instance=world.positions[0])
    assert not form.is_valid() and field in form.errors


def test_position_dates_inside_the_range_are_accepted(world):
    position = world.positions[0]
    position.start_date, position.end_date, position.peer_work_experience_since = (
        date(2024, 1, 1),
        date(2027, 6, 30),
        date(1999, 5, 1),
    )
    validation.clean(position, exclude=["organisation", "unit", "holder", "reports_to"])

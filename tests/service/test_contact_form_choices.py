"""Who a contact was with: tiles for a handful of people, a drop-down list for more (so the save button stays
on a phone's first screen), and a message that says what to do when nobody is chosen."""

from __future__ import annotations

from django import forms

from peerwork.service.forms import PEOPLE_AS_TILES, ContactForm

VALUES = {
    "date": "2026-11-02",
    "start_time": "10:00",
    "duration_minutes": "30",
    "channel": "phone",
    "initiated_by": "person",
    "note_visibility": "private",
}


def _people(count: int) -> list[tuple[int, str]]:
    return [(n, f"Person {n}") for n in range(1, count + 1)]


def test_a_handful_of_people_are_tiles():
    field = ContactForm(engagements=_people(PEOPLE_AS_TILES)).fields["engagement"]
    assert isinstance(field.widget, forms.RadioSelect)
    assert [v for v, _ in field.choices] == list(range(1, PEOPLE_AS_TILES + 1))


def test_more_people_are_a_drop_down_list_with_nobody_chosen_until_a_person_is():
    form = ContactForm(engagements=_people(12))
    field = form.fields["engagement"]
    assert isinstance(field.widget, forms.Select) and not isinstance(field.widget, forms.RadioSelect)
    assert field.choices[0] == ("", "Choose a person") and len(field.choices) == 13
    assert form.fields["engagement"].initial is None
    kept = ContactForm(engagements=_people(12), last={"engagement_id": 8})
    assert kept.fields["engagement"].initial == 8
    assert '<option value="8" selected>' in str(kept["engagement"])


def test_nobody_chosen_says_what_to_do():
    form = ContactForm(VALUES, engagements=_people(12))
    assert not form.is_valid()
    assert form.errors["engagement"] == ["Choose who the contact was with."]
    chosen = ContactForm({**VALUES, "engagement": "8"}, engagements=_people(12))
    assert chosen.is_valid(), chosen.errors
    assert chosen.cleaned_data["engagement"] == 8

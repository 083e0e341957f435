"""The statement on the peer worker's position asks about influence on decisions (S2's social position), not
team membership (which can reward encapsulation, S1 B8); surveys keep the version they asked, and results
across the change are never joined."""

from __future__ import annotations

from datetime import date

from django.urls import reverse

from peerwork.core.roles import Role
from peerwork.evaluation import figures, pulse, services
from peerwork.evaluation.forms import PulseForm
from peerwork.evaluation.items import ITEMS_VERSION, Condition, Group, items_for, wording_era

from .conftest import _pulse

OLD = "I am a full member of the team, and my voice counts when decisions are made."
NEW = "My view from my own experience changes decisions here."


def _position(group: str, version: int) -> str:
    return next(str(i.text) for i in items_for(group, version) if i.condition == Condition.POSITION)


def test_the_position_statement_measures_influence_and_the_earlier_wording_is_kept():
    assert ITEMS_VERSION == 2
    assert _position(Group.PEER_WORKERS, ITEMS_VERSION) == NEW
    assert _position(Group.PEER_WORKERS, 1) == OLD
    for group in Group.values:
        assert "full member" not in _position(group, ITEMS_VERSION)
        assert "changes decisions" in _position(group, ITEMS_VERSION)
        # the four other statements did not change
        assert [i.text for i in items_for(group, 1)][:4] == [i.text for i in items_for(group, 2)][:4]
        assert [i.condition for i in items_for(group, 1)] == Condition.values
    assert wording_era(Condition.POSITION, 1) != wording_era(Condition.POSITION, 2)
    assert wording_era(Condition.FIT, 1) == wording_era(Condition.FIT, 2)


def test_a_survey_asks_the_wording_of_its_version(world):
    survey = services.survey_for(world.org.pk)
    assert survey.items_version == ITEMS_VERSION
    assert str(PulseForm(Group.PEER_WORKERS, survey.items_version).fields["position"].label) == NEW
    assert str(PulseForm(Group.PEER_WORKERS, 1).fields["position"].label) == OLD


def test_an_unanswered_survey_opened_before_the_change_asks_the_new_wording_an_answered_one_keeps_its_own(world):
    survey = services.survey_for(world.org.pk)
    survey.items_version = 1
    survey.save()
    assert services.survey_for(world.org.pk).items_version == ITEMS_VERSION
    survey.items_version = 1
    survey.save()
    answers = {"acceptance": 0, "facilitation": 0, "fit": 0, "reflection": 0, "position": 4}
    services.submit_pulse(world.actor(Role.PEER_WORKER), survey, group=Group.PEER_WORKERS, answers=answers)
    assert services.survey_for(world.org.pk).items_version == 1
    page = world.client(Role.SENIOR_PEER_WORKER).get(reverse("evaluation:pulse")).content.decode()
    assert OLD in page  # the rest of the quarter answers what the first answer answered


def test_the_trend_has_a_line_per_wording_and_the_history_says_what_was_asked(world):
    three = [{"position": 2, "fit": 4}] * 3
    s1 = _pulse(world.org, date(2026, 1, 1), {"peer_workers": three})
    s2 = _pulse(world.org, date(2026, 4, 1), {"peer_workers": three})
    s3 = _pulse(world.org, date(2026, 7, 1), {"peer_workers": [{"position": 5, "fit": 4}] * 3})
    type(s1).objects.filter(pk__in=[s1.pk, s2.pk]).update(items_version=1)
    type(s1).objects.filter(pk=s3.pk).update(items_version=2)
    for s in (s1, s2, s3):
        s.refresh_from_db()
    results = pulse.results([s1, s2, s3])
    chart = figures.pulse_chart(results)
    names = [str(s.name) for s in chart.series]
    assert "Fit of backgrounds" in names and "The peer worker's position" not in names
    assert "The peer worker's position (wording asked from 2026 Q1)" in names
    assert "The peer worker's position (wording asked from 2026 Q3)" in names
    old, new = (
        names.index("The peer worker's position (wording asked from 2026 Q1)"),
        names.index("The peer worker's position (wording asked from 2026 Q3)"),
    )
    by_survey = {str(r.label): [v.value for v in r.values] for r in chart.rows}
    assert [by_survey[q][old] for q in ("2026 Q1", "2026 Q2", "2026 Q3")] == [2, 2, None]
    assert [by_survey[q][new] for q in ("2026 Q1", "2026 Q2", "2026 Q3")] == [None, None, 5]
    history = pulse.wording_history(results)
    (position,) = history
    assert position.condition == "position" and "encapsulation" in position.why and "not compared" in position.why
    assert position.cites == ("s1-b8", "s2-conditions")
    assert [(w.current, w.surveys) for w in position.wordings] == [(False, ["2026 Q1", "2026 Q2"]), (True, ["2026 Q3"])]
    assert (Group.PEER_WORKERS.label, OLD) in [(g, t) for g, t in position.wordings[0].texts]
    assert results[2].reworded == ["position"] and results[0].reworded == []


def test_the_dashboard_shows_the_break_in_words(world):
    three = [{"position": 2}] * 3
    s1 = _pulse(world.org, date(2026, 1, 1), {"peer_workers": three, "managers": three})
    s2 = _pulse(world.org, date(2026, 4, 1), {"peer_workers": three, "managers": three})
    type(s1).objects.filter(pk=s1.pk).update(items_version=1)
    body = (
        world.client(Role.MANAGER)
        .get(reverse("evaluation:dashboard"), {"period": "custom", "start": "2026-04-01", "end": "2026-06-30"})
        .content.decode()
    )
    assert "Statements that were reworded" in body and "asked in other words" in body
    assert "(reworded)" in body and s2.label in body

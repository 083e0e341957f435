"""The stored agreement figures are computed again per code: after a coding changes, only the codes whose
codings changed are computed again (while the units compared and who coded which material stay the same), and
the figures always equal those computed from scratch."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from peerwork.coassessment import exchange, services
from peerwork.coassessment.models import AgreementPlace, AgreementSnapshot, CoAssessment, Code, Segment
from peerwork.core.roles import Role
from tests.conftest import actor_for

from .test_exchange import coded  # noqa: F401  (the fixture: two coders on four segments)


def _stored(world, ca: CoAssessment) -> tuple[dict, set[tuple], dict[int, set[int]]]:
    """The figures per code, the places where coders differ and each code's stored place ids, as a visit finds
    them now (computed again where the codings changed)."""
    snapshot = exchange.agreement_snapshot(world.actor(Role.MANAGER), CoAssessment.objects.get(pk=ca.pk))
    figures = {f["code"]: f for f in snapshot.figures["codes"]}
    places = set()
    ids: dict[int, set[int]] = {}
    for p in AgreementPlace.objects.filter(snapshot=snapshot):
        places.add((p.position, p.material_id, p.start, p.end, p.code_id, tuple(p.applied_by), tuple(p.not_applied_by)))
        ids.setdefault(p.code_id, set()).add(p.pk)
    summary = {k: v for k, v in snapshot.figures.items() if k not in ("codes", "versions")}
    return {"summary": summary, "codes": figures}, places, ids


def _from_scratch(world, ca: CoAssessment) -> tuple[dict, set[tuple]]:
    AgreementSnapshot.objects.filter(coassessment=ca).delete()
    figures, places, _ids = _stored(world, ca)
    return figures, places


def _same_as_from_scratch(world, ca: CoAssessment) -> dict[int, set[int]]:
    figures, places, ids = _stored(world, ca)
    assert (figures, places) == _from_scratch(world, ca)
    return ids


def _segment(s: Segment) -> Segment:
    return Segment.objects.select_related("material__coassessment").get(pk=s.pk)


@pytest.fixture
def three_codes(world, coded):  # noqa: F811
    """The two coders of ``coded`` differ on "Being heard" (segment 2) and on "Hope" (segment 1)."""
    ca, material, segments, participants = coded
    manager = world.actor(Role.MANAGER)
    peer = actor_for(world.users[Role.PEER_WORKER], world.org)
    hope = services.add_code(manager, ca, name="Hope")
    for i in (0, 2):
        services.code_segment(manager, _segment(segments[i]), code=hope)
    services.code_segment(peer, _segment(segments[2]), code=hope)
    return ca, material, segments, participants, hope, peer


def test_a_changed_code_alone_is_computed_again_and_equals_a_computation_from_scratch(world, three_codes):
    ca, material, segments, participants, hope, peer = three_codes
    heard = Code.objects.get(coassessment=ca, name="Being heard")
    figures, _places, ids = _stored(world, ca)
    assert set(ids) == {heard.pk, hope.pk}
    assert figures["codes"][heard.pk]["differing"] == 1

    # The peer worker gives "Being heard" on segment 2 too: the units and who coded which material stay.
    coding = services.code_segment(peer, _segment(segments[1]), code=heard)
    _same_as_from_scratch(world, ca)
    figures, _places, ids = _stored(world, ca)
    assert figures["codes"][heard.pk]["alpha"] == pytest.approx(1.0)
    assert heard.pk not in ids  # they no longer differ on it
    assert figures["summary"]["differing"] == 1  # Hope's place stays

    # Undone: only "Being heard" is computed again; Hope's stored place is the very same row.
    hope_place = ids[hope.pk]
    services.uncode(peer, coding)
    _figures, _places, ids = _stored(world, ca)
    assert ids[hope.pk] == hope_place and len(ids[heard.pk]) == 1
    _same_as_from_scratch(world, ca)


def test_a_coding_on_a_new_stretch_computes_every_code_again(world, three_codes):
    """A coding on a segment nobody had coded adds a unit, which every code's figure counts (as a unit where
    the coders did not give it): every code is computed again, and the figures equal those from scratch."""
    ca, material, segments, participants, hope, peer = three_codes
    manager = world.actor(Role.MANAGER)
    _stored(world, ca)
    more = services.add_material(manager, ca, kind="notes", title="Notes", text=material.text, group=None)
    seg = services.add_segment(manager, more, participant=participants[0], start=segments[0].start, end=segments[0].end)
    services.code_segment(manager, _segment(seg), code=hope)
    _same_as_from_scratch(world, ca)
    services.code_segment(peer, _segment(seg), code=Code.objects.get(coassessment=ca, name="Timing"))
    _same_as_from_scratch(world, ca)


def test_removing_a_code_and_withdrawing_a_participant_keep_the_figures_right(world, three_codes):
    ca, material, segments, participants, hope, peer = three_codes
    manager = world.actor(Role.MANAGER)
    _stored(world, ca)
    services.remove_code(manager, Code.objects.get(coassessment=ca, name="Timing"), confirm=True)
    _same_as_from_scratch(world, ca)
    # The participant of segment 1 (where the coders differ on Hope) withdraws: their places go.
    _figures, places, _ids = _stored(world, ca)
    assert any(p[2] == segments[0].start for p in places)
    services.withdraw_participant(manager, participants[0])
    figures, places, ids = _stored(world, ca)
    assert not any((p[1], p[2]) == (material.pk, segments[0].start) for p in places)
    assert hope.pk not in ids
    assert figures["codes"][hope.pk]["differing"] == 0
    _same_as_from_scratch(world, ca)


def test_the_places_of_a_code_keep_the_order_of_the_text_across_codes(world, three_codes):
    ca, *_ = three_codes
    manager = world.actor(Role.MANAGER)
    shown = exchange.comparison(manager, ca.pk, page=1)
    rest = exchange.comparison(manager, ca.pk, page=1, after=shown.later)
    assert [d.text for d in shown.disagreements + rest.disagreements] == _texts_in_order(ca)
    assert rest.later == "" and rest.earlier


def _texts_in_order(ca: CoAssessment) -> list[str]:
    places = AgreementPlace.objects.filter(snapshot__coassessment=ca).order_by("material_id", "start", "code_id")
    return [p.material.text[p.start : p.end] for p in places.select_related("material")]


def test_where_coders_differ_reads_a_fixed_number_of_queries_as_places_grow(
    world, three_codes, django_assert_max_num_queries
):
    ca, material, segments, participants, hope, peer = three_codes
    manager = world.actor(Role.MANAGER)
    client = world.client(Role.PEER_WORKER)
    url = reverse("coassessment:disagreements", args=[ca.pk])

    def counts() -> list[int]:
        out = []
        first = exchange.comparison(manager, ca.pk, page=2)
        for params in ({}, {"code": hope.pk}, {"after": first.later}):
            client.get(url, params)  # the figures are computed again once after a coding; count the reading
            with django_assert_max_num_queries(20):
                with CaptureQueriesContext(connection) as ctx:
                    assert client.get(url, params).status_code == 200
            out.append(len(ctx.captured_queries))
        return out

    few = counts()
    for n in range(6):  # many more places: six codes the manager gives on every segment, the peer worker on none
        code = services.add_code(manager, ca, name=f"Code {n}")
        for s in segments:
            services.code_segment(manager, _segment(s), code=code)
    assert exchange.comparison(manager, ca.pk).shown_count > 6 * len(segments)
    assert counts() == few

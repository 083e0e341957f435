"""The analysis pages: every step of both methods within its query budget, forms posted through the pages,
who may open them, and "you said, we did" for those who took part."""

from __future__ import annotations

import pytest
from django.urls import reverse

from peerwork.coassessment import analysis, services
from peerwork.coassessment.models import CoAssessment, Decision, Theme
from peerwork.core.roles import Role
from tests.conftest import verified_client

from .conftest import plan, ready_for_material, start_analysis
from .test_analysis import SPANS, TEXT


def _under_way(world, method, extra_segments=0):
    manager = world.actor(Role.MANAGER)
    ca = plan(manager, method=method)
    group, participants = ready_for_material(world, ca)
    material = services.add_material(manager, ca, kind="transcript", title="Group 1", text=TEXT, group=group)
    segs = [
        services.add_segment(manager, material, participant=participants[i], start=s, end=e)
        for i, (s, e) in enumerate(SPANS)
    ]
    for i in range(extra_segments):
        segs.append(services.add_segment(manager, material, participant=participants[i % 4], start=i, end=i + 8))
    start_analysis(world, ca)
    return ca, group, participants, material, segs


def _fill(world, ca, segs, n=1):
    manager = world.actor(Role.MANAGER)
    code = services.add_code(manager, ca, name=f"Timing {n}")
    for i in range(n):
        if ca.method == CoAssessment.Method.CONDENSATION:
            analysis.add_theme(manager, ca, kind=Theme.Kind.PRELIMINARY, name=f"First reading {n}.{i}")
            cg = analysis.add_theme(manager, ca, kind=Theme.Kind.CODE_GROUP, name=f"Timing {n}.{i}")
            analysis.sort_segments(manager, cg, segments=segs)
            analysis.write_condensate(manager, cg, text="I needed guidance earlier.")
            analysis.write_synthesis(manager, cg, text="They needed guidance earlier.")
        else:
            t = analysis.add_theme(manager, ca, kind=Theme.Kind.THEME, name=f"Timing {n}.{i}", codes=[code])
            analysis.review_theme(manager, t, review=Theme.Review.KEPT)
            analysis.define_theme(manager, t, name=f"Timing {n}.{i}", definition="When guidance comes.")
            analysis.write_synthesis(manager, t, text="They needed guidance earlier.")


@pytest.mark.parametrize("method", [CoAssessment.Method.CONDENSATION, CoAssessment.Method.THEMATIC])
def test_every_step_and_page_keeps_its_query_budget_flat(world, method, django_assert_max_num_queries):
    ca, _group, _participants, _material, segs = _under_way(world, method, extra_segments=12)
    client = world.client(Role.MANAGER)
    steps = CoAssessment.STEPS[CoAssessment.Method(method)]
    urls = [reverse("coassessment:analysis_step", args=[ca.pk, n]) for n in range(1, steps + 1)]
    urls += [
        reverse("coassessment:analysis_trail", args=[ca.pk]),
        reverse("coassessment:analysis_findings", args=[ca.pk]),
    ]
    counts = {}
    for n in (1, 4):
        _fill(world, ca, segs, n)
        for url in urls:
            with django_assert_max_num_queries(40) as ctx:
                response = client.get(url)
            assert response.status_code == 200, url
            counts.setdefault(url, []).append(len(ctx.captured_queries))
    for url, (few, many) in counts.items():
        assert many <= few, f"{url}: {few} queries with one theme, {many} with five"


def test_a_stc_step_posted_through_its_page(world):
    ca, group, participants, _material, segs = _under_way(world, CoAssessment.Method.CONDENSATION)
    manager = world.actor(Role.MANAGER)
    cg = analysis.add_theme(manager, ca, kind=Theme.Kind.CODE_GROUP, name="Timing")
    client = world.client(Role.PEER_WORKER)
    url = reverse("coassessment:analysis_step", args=[ca.pk, 3])
    page = client.get(url).content.decode()
    assert "What comes next: step 4" in page
    bad = client.post(url, {"do": "condensate", "on": cg.pk, f"condensate{cg.pk}-text": ""})
    assert bad.status_code == 200 and "error-summary" in bad.content.decode()
    ok = client.post(
        url,
        {
            "do": "condensate",
            "on": cg.pk,
            f"condensate{cg.pk}-text": "I wanted it sooner.",
            f"condensate{cg.pk}-why": "Read together",
        },
    )
    assert ok.status_code == 302
    cg.refresh_from_db()
    assert cg.condensate == "I wanted it sooner."
    d = Decision.objects.filter(kind="condensate").get()
    assert d.who == world.users[Role.PEER_WORKER] and d.why == "Read together"
    trail = client.get(reverse("coassessment:analysis_trail", args=[ca.pk])).content.decode()
    assert "Condensate of “Timing”" in trail and "Read together" in trail
    client.post(reverse("coassessment:analysis_undo", args=[ca.pk]), {"kind": "condensate", "step": "3"})
    cg.refresh_from_db()
    assert cg.condensate == ""
    # the step form moves the team
    assert (
        client.post(url, {"do": "step", "on": "0", "step0-step": "4", "step0-why": "Condensates done"}).status_code
        == 302
    )
    ca.refresh_from_db()
    assert ca.step == 4


def test_findings_show_the_reflexivity_notes_again(world):
    ca, group, participants, _material, segs = _under_way(world, CoAssessment.Method.CONDENSATION)
    _fill(world, ca, segs)
    page = world.client(Role.MANAGER).get(reverse("coassessment:analysis_findings", args=[ca.pk])).content.decode()
    assert "Reflexivity notes, written before the analysis" in page
    assert "I bring my own years of guidance." in page
    assert "They needed guidance earlier." in page


def test_who_may_open_the_analysis(world, other_world):
    ca, *_ = _under_way(world, CoAssessment.Method.CONDENSATION)
    urls = [
        reverse("coassessment:analysis_step", args=[ca.pk, 1]),
        reverse("coassessment:analysis_trail", args=[ca.pk]),
        reverse("coassessment:analysis_findings", args=[ca.pk]),
    ]
    for url in urls:
        assert world.client(Role.PEER_WORKER).get(url).status_code == 200  # in the team
        assert world.client(Role.PROFESSIONAL).get(url).status_code == 404  # not in the team: not even seen
        assert world.client(Role.COORDINATOR).get(url).status_code == 403  # sees the plan, not the analysis
        assert world.client(Role.DPO).get(url).status_code in (403, 404)  # not a runner
        assert other_world.client(Role.MANAGER).get(url).status_code == 404  # another organisation
    assert world.client(Role.MANAGER).get(reverse("coassessment:analysis_step", args=[ca.pk, 9])).status_code == 404


def test_you_said_we_did_for_those_who_took_part(world):
    ca, group, participants, _material, segs = _under_way(world, CoAssessment.Method.CONDENSATION)
    _fill(world, ca, segs)
    manager = world.actor(Role.MANAGER)
    cg = Theme.objects.get(kind=Theme.Kind.CODE_GROUP)
    analysis.you_said_we_did(manager, cg, you_said="Guidance came late.", we_did="Guidance in week one.")
    took_part = participants[0].consent.staff_member
    page = verified_client(took_part).get(reverse("coassessment:you_said")).content.decode()
    assert "Guidance in week one." in page
    other = world.client(Role.PROFESSIONAL).get(reverse("coassessment:you_said")).content.decode()
    assert "Guidance in week one." not in other

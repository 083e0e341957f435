"""The coding page and the compare-coders page read a fixed number of queries however big the co-assessment:
from a demo-sized workspace to one with many more transcripts, segments, codes and coders. The coding page
shows one page of the transcript's segments, the participants of its group, and counts with an aggregate."""

from __future__ import annotations

import random

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from peerwork.coassessment import generate
from peerwork.coassessment.models import Material, Segment, TeamMember
from peerwork.coassessment.selectors import SEGMENTS_PER_PAGE
from tests.conftest import verified_client

from .conftest import staff

pytestmark = pytest.mark.django_db


def _pages(world, size):
    built = generate.build(world.org.pk, rng=random.Random(3), title=f"Workspace {size['transcripts']}", **size)
    ca = built.coassessment
    lead = TeamMember.objects.get(coassessment=ca, role=TeamMember.Role.LEAD).person
    material = Material.objects.filter(coassessment=ca).order_by("pk").first()
    client = verified_client(lead)
    last = Segment.objects.filter(material=material).order_by("start", "pk")[SEGMENTS_PER_PAGE - 1 : SEGMENTS_PER_PAGE]
    urls = {
        "coding": reverse("coassessment:coding", args=[material.pk]),
        "compare": reverse("coassessment:compare", args=[ca.pk]),
        "differences": reverse("coassessment:disagreements", args=[ca.pk]),
    }
    if last:
        urls["coding, later segments"] = urls["coding"] + f"?after={last[0].start}-{last[0].pk}"
    return client, urls, built


def _counts(client, urls):
    out = {}
    for name, url in urls.items():
        client.get(url)  # warm
        with CaptureQueriesContext(connection) as ctx:
            response = client.get(url)
        assert response.status_code == 200, url
        out[name] = len(ctx.captured_queries)
    return out


def test_coding_and_compare_pages_keep_flat_query_counts_as_the_workspace_grows(world, django_assert_max_num_queries):
    staff(world, 6)  # coders for the larger workspace
    small_client, small_urls, small_built = _pages(
        world, {"transcripts": 2, "words": 200, "segments": 5, "coders": 2, "codes": 4}
    )
    big_client, big_urls, big = _pages(
        world, {"transcripts": 10, "words": 2400, "segments": 60, "coders": 5, "codes": 30}
    )
    assert big.codings > 20 * small_built.codings
    small = _counts(small_client, small_urls)
    large = _counts(big_client, big_urls)
    for name in ("coding", "compare", "differences"):
        assert large[name] == small[name], (name, small, large)
        with django_assert_max_num_queries(25):
            big_client.get(big_urls[name])
    assert large["coding, later segments"] == large["coding"]


def test_the_coding_page_shows_a_page_of_segments_and_the_groups_participants(world):
    staff(world, 6)
    client, urls, built = _pages(world, {"transcripts": 6, "words": 1200, "segments": 40, "coders": 3, "codes": 6})
    material = Material.objects.filter(coassessment=built.coassessment).order_by("pk").first()
    first = client.get(urls["coding"]).content.decode()
    assert first.count('class="segment"') == SEGMENTS_PER_PAGE
    assert "40 segments" in first and "showing 1 to 25" in first
    later = client.get(urls["coding, later segments"]).content.decode()
    assert later.count('class="segment"') == 40 - SEGMENTS_PER_PAGE
    assert "showing 26 to 40" in later
    # every segment shown once over the two pages, in the order of the text
    said = [material.text[s.start : s.end] for s in Segment.objects.filter(material=material).order_by("start")]
    table = first[first.index('<table id="segments"') :]
    assert said[0][:40] in table and said[-1][:40] not in table
    assert said[-1][:40] in later[later.index('<table id="segments"') :]
    # the participant choice offers the material's group only
    group_names = set(
        built.coassessment.participants.filter(group_id=material.group_id).values_list("pseudonym", flat=True)
    )
    others = set(built.coassessment.participants.values_list("pseudonym", flat=True)) - group_names
    assert others, "the workspace has more than one group"
    assert all(f">{p}</option>" in first for p in group_names)
    assert not any(f">{p}</option>" in first for p in others)

from __future__ import annotations

import pytest
from django.urls import reverse
from django.utils import timezone

from peerwork.coassessment import services
from peerwork.coassessment.models import Coding, Segment
from peerwork.core.roles import Role

from .conftest import plan, ready_for_material, start_analysis

TEXT = "P1: I felt heard in guidance. P2: Guidance came too late for me."


@pytest.fixture
def under_way(world):
    manager = world.actor(Role.MANAGER)
    ca = plan(manager)
    group, participants = ready_for_material(world, ca)
    material = services.add_material(manager, ca, kind="transcript", title="Group 1", text=TEXT, group=group)
    services.add_segment(manager, material, participant=participants[0], start=4, end=28)
    services.add_guide(manager, ca, kind="focus_group", template="recovery")
    start_analysis(world, ca)
    services.add_code(manager, ca, name="Being heard")
    return ca, material, participants


def test_each_page_renders_within_its_query_budget(world, under_way, django_assert_max_num_queries):
    ca, material, participants = under_way
    guide = ca.guides.get()
    pages = {
        Role.MANAGER: [
            reverse("coassessment:list"),
            reverse("coassessment:new"),
            reverse("coassessment:detail", args=[ca.pk]),
            reverse("coassessment:team", args=[ca.pk]),
            reverse("coassessment:reflexivity", args=[ca.pk]),
            reverse("coassessment:guides", args=[ca.pk]),
            reverse("coassessment:guide", args=[guide.pk]),
            reverse("coassessment:participants", args=[ca.pk]),
            reverse("coassessment:ethics", args=[ca.pk]),
            reverse("coassessment:material_new", args=[ca.pk]),
            reverse("coassessment:coding", args=[material.pk]),
            reverse("coassessment:coding", args=[material.pk]) + "?blind=1&q=heard",
            reverse("coassessment:withdraw", args=[participants[0].pk]),
            reverse("coassessment:codebook", args=[ca.pk]),
            reverse("coassessment:plan", args=[ca.pk]),
        ],
        Role.DPO: [
            reverse("coassessment:list"),
            reverse("coassessment:ethics", args=[ca.pk]),
            reverse("coassessment:name_key", args=[ca.pk]),
        ],
        Role.PEER_WORKER: [reverse("coassessment:list"), reverse("coassessment:coding", args=[material.pk])],
    }
    for role, urls in pages.items():
        client = world.client(role)
        for url in urls:
            with django_assert_max_num_queries(30):
                response = client.get(url)
            assert response.status_code == 200, (role, url)


def test_the_coding_page_budget_stays_flat_as_segments_grow(world, under_way, django_assert_max_num_queries):
    ca, material, participants = under_way
    manager = world.actor(Role.MANAGER)
    code = ca.codes.get()
    for i in range(20):
        seg = services.add_segment(manager, material, participant=participants[i % 4], start=i, end=i + 5)
        services.code_segment(manager, seg, code=code)
    client = world.client(Role.MANAGER)
    with django_assert_max_num_queries(30):
        assert client.get(reverse("coassessment:coding", args=[material.pk])).status_code == 200


def test_code_a_segment_and_search_the_codebook_by_htmx(world, under_way):
    ca, material, participants = under_way
    client = world.client(Role.PEER_WORKER)
    url = reverse("coassessment:coding", args=[material.pk])
    seg = Segment.objects.get()
    response = client.post(url, {"coding-segment": seg.pk, "coding-code": ca.codes.get().pk})
    assert response.status_code == 302
    assert Coding.objects.get().coder == world.users[Role.PEER_WORKER]
    partial = client.get(url, {"q": "heard"}, HTTP_HX_REQUEST="true")
    assert b"Being heard" in partial.content and b"<html" not in partial.content
    # A segment marked by its words
    client.post(url, {"segment-participant": participants[1].pk, "segment-words": "Guidance came too late"})
    assert Segment.objects.filter(participant=participants[1], start=TEXT.index("Guidance came")).exists()


def test_withdraw_a_participant_from_the_page(world, under_way):
    ca, material, participants = under_way
    client = world.client(Role.MANAGER)
    url = reverse("coassessment:withdraw", args=[participants[0].pk])
    assert client.post(url, {}).status_code == 200  # asks to confirm
    assert Segment.objects.exists()
    response = client.post(url, {"confirm": "on"}, follow=True)
    assert not Segment.objects.exists()
    # one segment and no coding, in the singular and the plural as each needs
    assert "P1 has withdrawn. 1 segment is removed. 0 codings are removed." in response.content.decode()
    page = client.get(reverse("coassessment:coding", args=[material.pk])).content.decode()
    assert "I felt heard" not in page


def test_the_plan_form_creates_a_co_assessment(world):
    client = world.client(Role.PEER_WORKER)
    response = client.post(
        reverse("coassessment:new"),
        {
            "title": "What helps in the first weeks",
            "question": "What helps new service users in their first weeks?",
            "method": "thematic",
            "retention_until": (timezone.localdate().replace(year=timezone.localdate().year + 1)).isoformat(),
        },
    )
    assert response.status_code == 302
    bad = client.post(reverse("coassessment:new"), {"title": "", "method": "thematic"})
    assert bad.status_code == 200 and b"error-summary" in bad.content


def test_material_waits_for_the_ethics_checkpoint(world):
    ca = plan(world.actor(Role.MANAGER))
    page = world.client(Role.MANAGER).get(reverse("coassessment:material_new", args=[ca.pk])).content.decode()
    assert "approved the ethics checkpoint" in page and "<textarea" not in page


def test_the_participant_form_says_why_a_person_does_not_fit_the_group(world):
    manager = world.actor(Role.MANAGER)
    ca = plan(manager)
    group = services.add_group(manager, ca, name="Peer workers", kind="peer_workers")
    response = world.client(Role.MANAGER).post(
        reverse("coassessment:participants", args=[ca.pk]),
        {
            "group": group.pk,
            "pseudonym": "P1",
            "staff_member": world.users[Role.MANAGER].pk,
            "given_on": timezone.localdate().isoformat(),
            "how_given": "verbal",
        },
    )
    assert response.status_code == 200
    assert "is not a peer worker or senior peer worker, so cannot take part in “Peer workers”" in response.text
    assert not ca.participants.exists()


def test_the_plan_page_says_a_changed_question_goes_back_to_the_officer(world):
    manager = world.actor(Role.MANAGER)
    ca = plan(manager)
    ready_for_material(world, ca)
    client = world.client(Role.MANAGER)
    url = reverse("coassessment:plan", args=[ca.pk])
    page = client.get(url).content.decode()
    assert "the officer must approve it again" in page
    response = client.post(
        url,
        {
            "title": ca.title,
            "question": "What do peer workers need from guidance?",
            "method": ca.method,
            "retention_until": ca.retention_until.isoformat(),
        },
        follow=True,
    )
    text = response.content.decode()
    assert "The data protection officer must approve it again" in text
    assert "The plan changed after the data protection officer approved it" in text
    ca.refresh_from_db()
    assert ca.ethics_approved_on is None
    ethics = world.client(Role.DPO).get(reverse("coassessment:ethics", args=[ca.pk])).content.decode()
    assert "Approve the checkpoint" in ethics


def test_remove_a_segment_and_rename_or_remove_a_code_from_the_pages(world, under_way):
    ca, material, participants = under_way
    client = world.client(Role.PEER_WORKER)
    segment = Segment.objects.get(material=material)
    code = ca.codes.get()
    page = client.get(reverse("coassessment:coding", args=[material.pk])).content.decode()
    remove = reverse("coassessment:segment_remove", args=[segment.pk])
    assert f'action="{remove}"' in page and "Remove this segment of P1" in page
    assert reverse("coassessment:codebook", args=[ca.pk]) in page
    # buttons post; a link cannot remove anything
    assert client.get(remove).status_code == 405
    assert client.get(reverse("coassessment:code_remove", args=[code.pk])).status_code == 405
    services.code_segment(world.actor(Role.PEER_WORKER), segment, code=code)
    book = client.get(reverse("coassessment:codebook", args=[ca.pk])).content.decode()
    assert "Being heard" in book and "Remove its 1 coding too" in book
    response = client.post(reverse("coassessment:code_remove", args=[code.pk]), follow=True)
    assert "Tick the box to remove the code with its coding" in response.content.decode()
    assert ca.codes.exists()
    client.post(reverse("coassessment:code_rename", args=[code.pk]), {"name": "Feeling heard"})
    assert ca.codes.get().name == "Feeling heard"
    response = client.post(remove, follow=True)
    assert "The segment is removed, with 1 coding on it." in response.content.decode()
    assert not Segment.objects.filter(pk=segment.pk).exists()
    trail = client.get(reverse("coassessment:analysis_trail", args=[ca.pk])).content.decode()
    assert "Segment P1: “I felt heard in guidance” removed, with 1 coding" in trail
    assert "Code “Being heard” renamed “Feeling heard”" in trail
    # someone outside the team cannot
    assert world.client(Role.PROFESSIONAL).post(reverse("coassessment:code_remove", args=[code.pk])).status_code in (
        403,
        404,
    )

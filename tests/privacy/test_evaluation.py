"""Pseudonymised extracts: only consenting people (and peer workers who consented themselves), stable
pseudonyms within one extract, key kept apart, dates as months, every description shared by at least the
anonymity threshold."""

from __future__ import annotations

import hashlib
import hmac
import json

import pytest
from django.utils import timezone

from peerwork.audit.details import Detail
from peerwork.audit.models import AuditEntry
from peerwork.core.roles import Role
from peerwork.privacy import services
from peerwork.privacy.models import EvaluationExport, PseudonymKey

from .helpers import contact, engage, goal, person


def _consent(world, p, purpose="evaluation"):
    return services.record_consent(
        world.actor(Role.COORDINATOR),
        p.pk,
        **{"purpose": purpose, "how_given": "written", "given_on": timezone.localdate()},
    )


@pytest.fixture
def people(world):
    """Three people who consented (as many as the anonymity threshold, with the same description), one who
    consented to something else and one who withdrew; their peer worker consented too."""
    out = []
    names = ["Yes Evaluation", "No Consent", "Withdrew Later", "Also Yes", "Yes Too"]
    for i, name in enumerate(names):
        p = person(world, name, phone=f"+47 90000{i}")
        eng = engage(world, p, world.users[Role.PEER_WORKER])
        goal(world, eng, f"Private words {i}", ratings=[2, 5])
        contact(world, eng, note=f"Secret note {i}")
        contact(world, eng)
        out.append(p)
    _consent(world, out[0])
    services.withdraw_consent(world.actor(Role.COORDINATOR), _consent(world, out[2]).pk)
    _consent(world, out[1], purpose="text_messages")
    _consent(world, out[3])
    _consent(world, out[4])
    services.give_own_consent(world.actor(Role.PEER_WORKER))
    return out


def test_extract_is_pseudonymised_and_consented_only(world, people):
    made = services.create_evaluation_export(
        world.actor(Role.MANAGER), recipient="Evaluation team", purpose="Yearly report"
    )
    extract = made.content
    text = json.dumps(extract)
    for p in people:
        assert p.chosen_name not in text and p.phone not in text
    assert "Private words" not in text and "Secret note" not in text
    assert made.people == 3 and len(extract["people"]) == 3
    row = extract["people"][0]
    key = bytes.fromhex(PseudonymKey.objects.get(export=made).key)
    assert row["person"] == "P-" + hmac.new(key, f"person:{people[0].pk}".encode(), hashlib.sha256).hexdigest()[:12]
    assert key.hex() not in text
    assert row["engagements"][0]["contacts"] == 2 and row["goals"][0]["ratings"][1]["rating"] == 5
    assert row["engagements"][0]["peer_worker"].startswith("W-")
    # a second extract gets a new key: pseudonyms do not link across extracts
    again = services.create_evaluation_export(world.actor(Role.DPO), recipient="University", purpose="Study")
    assert again.content["people"][0]["person"] != row["person"]
    # every included person has an EXPORT entry; the others none
    # (and the peer worker who consented has one too, with them as subject)
    exported = set(
        AuditEntry.objects.filter(action="export", detail=Detail("evaluation_export").stored).values_list(
            "subject_type", "subject_id"
        )
    )
    assert exported == {("service.serviceuser", str(people[i].pk)) for i in (0, 3, 4)} | {
        ("accounts.user", str(world.users[Role.PEER_WORKER].pk))
    }


def test_key_only_for_the_dpo_and_deletable(world, other_world, people):
    made = services.create_evaluation_export(world.actor(Role.DPO), recipient="University", purpose="Study")
    manager = world.client(Role.MANAGER)
    assert manager.get("/privacy/evaluation/").status_code == 200
    download = manager.get(f"/privacy/evaluation/{made.pk}/extract.json")
    assert download.status_code == 200 and "attachment" in download["Content-Disposition"]
    assert manager.get(f"/privacy/evaluation/{made.pk}/key/").status_code == 403
    key = PseudonymKey.objects.get(export=made).key
    assert key not in download.content.decode()
    dpo = world.client(Role.DPO)
    assert key in dpo.get(f"/privacy/evaluation/{made.pk}/key/").content.decode()
    assert AuditEntry.objects.filter(object_type="privacy.pseudonymkey", action="read").count() == 1
    assert other_world.client(Role.DPO).get(f"/privacy/evaluation/{made.pk}/key/").status_code == 404
    assert other_world.client(Role.DPO).get(f"/privacy/evaluation/{made.pk}/extract.json").status_code == 404
    for role in (Role.COORDINATOR, Role.PEER_WORKER, Role.PROFESSIONAL, Role.ADMINISTRATOR):
        assert world.client(role).get(f"/privacy/evaluation/{made.pk}/extract.json").status_code == 403
    dpo.post(f"/privacy/evaluation/{made.pk}/key/delete/")
    assert not PseudonymKey.objects.filter(export=made).exists()
    assert EvaluationExport.objects.filter(pk=made.pk).exists()
    again = dpo.post(f"/privacy/evaluation/{made.pk}/key/delete/", follow=True)
    assert "already deleted" in again.content.decode()


def test_bad_input_and_query_budget(world, people, django_assert_max_num_queries):
    dpo = world.client(Role.DPO)
    response = dpo.post("/privacy/evaluation/", {"recipient": "", "purpose": ""})
    assert response.status_code == 200 and "Say who receives" in response.content.decode()
    assert EvaluationExport.objects.count() == 0
    with django_assert_max_num_queries(40) as few:
        assert dpo.post("/privacy/evaluation/", {"recipient": "Team", "purpose": "Report"}).status_code == 302
    for i in range(10):
        p = person(world, f"More {i}")
        eng = engage(world, p, world.users[Role.PEER_WORKER])
        goal(world, eng, "g", ratings=[1])
        contact(world, eng)
        _consent(world, p)
    with django_assert_max_num_queries(40) as many:
        assert dpo.post("/privacy/evaluation/", {"recipient": "Team", "purpose": "Report"}).status_code == 302
    assert len(many.captured_queries) == len(few.captured_queries)
    assert EvaluationExport.objects.order_by("-pk").first().people == 13


def test_query_budget_of_the_extract_list(world, people, django_assert_max_num_queries):
    for i in range(3):
        services.create_evaluation_export(world.actor(Role.DPO), recipient=f"R{i}", purpose="P")
    dpo = world.client(Role.DPO)
    dpo.get("/privacy/evaluation/")  # the first page after sign-in stamps the session
    with django_assert_max_num_queries(9) as few:
        assert dpo.get("/privacy/evaluation/").status_code == 200
    for i in range(10):
        services.create_evaluation_export(world.actor(Role.DPO), recipient=f"S{i}", purpose="P")
    with django_assert_max_num_queries(9) as many:
        assert dpo.get("/privacy/evaluation/").status_code == 200
    assert len(many.captured_queries) == len(few.captured_queries)

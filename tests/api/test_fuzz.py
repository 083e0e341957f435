"""Every operation of the published OpenAPI, fuzzed against a live server with the demo world.

Schemathesis reads /api/openapi.json and sends, for each operation and for a token of each of several roles,
the coverage phase (boundary and just-out-of-range values of every documented limit) and a small fuzzing
phase, with a fixed seed so the run is the same every time. It asserts that the server never answers 5xx,
that every answer matches its documented schema, and that every status code it answers is documented.
"""

from __future__ import annotations

import time
from collections import Counter

import pytest
import schemathesis
from schemathesis.engine import events, from_schema

from peerwork.accounts import services
from peerwork.core.roles import Role
from peerwork.demo.seed import seed_demo
from tests.conftest import actor_for

SEED = 20261129
ROLES = {  # the demo's people whose tokens the fuzzer uses
    "coordinator": Role.COORDINATOR,
    "peerworker": Role.PEER_WORKER,
    "manager": Role.MANAGER,
    "dpo": Role.DPO,
}
CHECKS = (
    "not_a_server_error",
    "status_code_conformance",
    "content_type_conformance",
    "response_schema_conformance",
)


def _config(base_url: str, token: str, *, coverage: bool) -> schemathesis.Config:
    return schemathesis.Config.from_dict(
        {
            "seed": SEED,
            "base-url": base_url,
            "headers": {"Authorization": f"Bearer {token}"},
            "workers": 1,
            "suppress-health-check": ["all"],
            "cache": {"enabled": False},  # nothing learnt from earlier runs: the same run every time
            "generation": {"max-examples": 3, "database": "none", "deterministic": True},
            "phases": {
                "examples": {"enabled": False},
                "coverage": {"enabled": coverage},
                "fuzzing": {"enabled": True},
                "stateful": {"enabled": False},
            },
            "checks": {"enabled": False, **{name: {"enabled": True} for name in CHECKS}},
        }
    )


@pytest.mark.django_db(transaction=True)
def test_every_operation_survives_fuzzing(live_server, settings):
    from peerwork.accounts.models import Membership, User

    seed_demo()
    settings.DEBUG = False
    failures: list[str] = []
    figures: Counter[str] = Counter()
    started = time.monotonic()
    for username, role in ROLES.items():
        user = User.objects.get(username=username)
        organisation = Membership.objects.filter(user=user, role=role).first().organisation
        _token, secret = services.create_api_token(actor_for(user, organisation), name="fuzz", valid_days=1)
        # The coverage phase (every boundary of every limit) once, as the coordinator; fuzzing for every role.
        config = _config(live_server.url, secret, coverage=role == Role.COORDINATOR)
        schema = schemathesis.openapi.from_url(f"{live_server.url}/api/openapi.json", config=config)
        figures["operations"] = len(list(schema.get_all_operations()))
        for event in from_schema(schema).execute():
            if isinstance(event, events.ScenarioFinished):
                recorder = event.recorder
                figures["requests"] += len(recorder.interactions)
                for case_id, nodes in recorder.checks.items():
                    for node in nodes:
                        if node.status.value == "failure":
                            case = recorder.cases[case_id].value
                            response = recorder.interactions.get(case_id)
                            status = response.response.status_code if response and response.response else None
                            failures.append(
                                f"{username}: {node.name} {case.method} {case.formatted_path} -> {status}: "
                                f"{node.failure_info.failure.title if node.failure_info else ''} "
                                f"{case.as_curl_command()[:400]}"
                            )
            elif isinstance(event, events.NonFatalError | events.FatalError):
                failures.append(f"{username}: error {getattr(event, 'label', '')} {event}")
    seconds = time.monotonic() - started
    print(f"fuzz: {figures['operations']} operations, {figures['requests']} requests, {seconds:.0f} s")
    first = sorted(set(failures), key=lambda f: ("not_a_server_error" not in f, "schema" not in f, f))
    assert not failures, f"{len(set(failures))} problems:\n" + "\n".join(first[:40])

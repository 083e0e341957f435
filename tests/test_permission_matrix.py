"""The permission matrix (src/peerwork/audit/matrix.py), asserted over the real URL configuration.

1. Every page and API route has exactly one row; a new route without one fails here with the line to add.
2. Every row is exercised: a person holding exactly one role, in a demo organisation, requests the route
   for an object of their own, of their team, of another team and of another organisation. Allowed means
   an answer (2xx, 3xx, or a form's 400/422); refused means 403 or 404, with nothing of the object in it.
   Another organisation's object gets exactly the answer an id that does not exist gets.
3. Objects whose relation to the actor this test can build (people, consents, positions, peer workers,
   extracts) are checked in all four relations; other objects are taken from the demo data and checked
   for "whole organisation" and "no access" rows and for the other organisation.

Every request runs in a transaction that is rolled back, so a POST cannot change what the next one sees.
"""

from __future__ import annotations

import re
from datetime import timedelta
from typing import Any

import pytest
from django.apps import apps
from django.db import transaction
from django.test import Client
from django.utils import timezone

from peerwork.accounts import services as account_services
from peerwork.accounts.models import Membership, User
from peerwork.activities.models import Activity, ActivitySession
from peerwork.api.main import api
from peerwork.audit import matrix
from peerwork.core.roles import Role
from peerwork.demo.seed import DK_SLUG, NO_SLUG, seed_demo
from peerwork.organisations.models import Organisation, Position, Unit
from peerwork.privacy.models import Consent, EvaluationExport
from peerwork.service.models import (
    Contact,
    Engagement,
    Goal,
    GuidanceParticipant,
    GuidanceRelationship,
    GuidanceSession,
    ServiceUser,
    Visibility,
)
from tests.conftest import actor_for, verified_client
from tests.factories import UserFactory

CONVERTER = re.compile(r"<(?:(?P<conv>\w+):)?(?P<name>\w+)>")
MISSING_ID = "987654321"
ALLOWED_ERRORS = {400, 405, 422}  # the route answered: a form or body with errors, or a method note
REFUSED = {403, 404}
HOW_TO_ADD = (
    "Add one line per route to ROUTES in src/peerwork/audit/matrix.py, e.g.\n"
    '    R("{name}", access={{COORD: ORG, PW: OWN}}{obj}{method}),\n'
    "with every role that may use it (OWN: their own objects, TEAM: their team's, "
    "ORG: the whole organisation; roles left out are refused).\n"
    "Then run `peerwork permissions doc` to update docs/data-protection.md."
)


# --- the URL configuration --------------------------------------------------------------------------------


def routes() -> dict[str, str]:
    return matrix.url_patterns()


def api_methods() -> dict[str, str]:
    """url name → HTTP method of each django-ninja operation."""
    out = {}
    for _prefix, router in api._routers:
        for path_view in router.path_operations.values():
            for op in path_view.operations:
                name = getattr(op, "url_name", None) or op.view_func.__name__
                out[f"api:{name}"] = op.methods[0]
    return out


def test_every_route_is_declared_in_the_matrix():
    declared = matrix.by_name()
    assert len(declared) == len(matrix.ROUTES), "a route is declared twice in audit/matrix.py"
    methods = api_methods()
    missing = []
    for name, route in sorted(routes().items()):
        if name not in declared:
            obj = ', obj="<app>.<model>"' if CONVERTER.search(route) else ""
            method = methods.get(name, "GET")
            missing.append(
                f"  /{route}  (url name {name!r})\n"
                + HOW_TO_ADD.format(name=name, obj=obj, method=', method="POST"' if method != "GET" else "")
            )
    assert not missing, "Routes not declared in the permission matrix:\n" + "\n".join(missing)


def test_every_matrix_row_is_a_real_route():
    present = routes()
    stale = [r.name for r in matrix.ROUTES if r.name not in present]
    assert not stale, f"Rows for routes that no longer exist; remove them from audit/matrix.py: {stale}"
    for r in matrix.ROUTES:
        assert set(r.access) <= set(matrix.ROLES) and set(r.access.values()) <= set(matrix.LEVELS), r.name
        if r.obj:
            label = r.obj.split(".")
            assert apps.get_model(label[0], label[1]), f"{r.name}: unknown model {r.obj}"


# --- the world the walk uses ------------------------------------------------------------------------------


class Walk:
    """The demo organisations plus one person per role (exactly that role) in the Norwegian one."""

    def __init__(self) -> None:
        seed_demo()
        self.org = Organisation.objects.get(slug=NO_SLUG)
        self.other_org = Organisation.objects.get(slug=DK_SLUG)
        units = list(Unit.objects.filter(organisation=self.org).order_by("pk"))
        self.team, self.other_team = units[0], units[1]
        self.other_org_unit = Unit.objects.filter(organisation=self.other_org).order_by("pk").first()
        self.people: dict[str, User] = {}
        self.clients: dict[str, Client] = {}
        self.tokens: dict[str, Client] = {}
        for role in matrix.ROLES:
            user = UserFactory(username=f"matrix-{role}")
            unit = (
                self.team
                if role in (Role.PEER_WORKER, Role.PROFESSIONAL, Role.COORDINATOR, Role.SENIOR_PEER_WORKER)
                else None
            )
            Membership.objects.create(organisation=self.org, user=user, role=role, unit=unit)
            self.people[role] = user
            self.clients[role] = self._quiet(verified_client(user))
            _token, secret = account_services.create_api_token(actor_for(user, self.org), name="matrix", valid_days=1)
            self.tokens[role] = Client(HTTP_AUTHORIZATION=f"Bearer {secret}", raise_request_exception=False)
        # The senior peer worker and the coordinator guide the teammate (named guidance relationships): for
        # guidance, their team is the people they guide.
        self.teammate = self._peer_worker("matrix-teammate", self.org, self.team, self.people[Role.SENIOR_PEER_WORKER])
        for role in (Role.SENIOR_PEER_WORKER, Role.COORDINATOR):
            GuidanceRelationship.objects.create(
                organisation=self.org,
                peer_worker=self.teammate,
                guide=self.people[role],
                starts_on=timezone.localdate() - timedelta(days=30),
            )
        self.other_team_pw = self._peer_worker("matrix-elsewhere", self.org, self.other_team)
        self.foreign_pw = self._peer_worker("matrix-foreign", self.other_org, self.other_org_unit)
        self.outside_guide = UserFactory(username="matrix-other-guide")
        Membership.objects.create(
            organisation=self.org, user=self.outside_guide, role=Role.SENIOR_PEER_WORKER, unit=self.other_team
        )
        self.counter = 0

    @staticmethod
    def _quiet(client: Client) -> Client:
        """A crash becomes a 500 in the report instead of stopping the walk."""
        client.raise_request_exception = False
        return client

    @staticmethod
    def _peer_worker(username: str, org: Organisation, unit: Unit, reports_to: User | None = None) -> User:
        user = UserFactory(username=username)
        Membership.objects.create(organisation=org, user=user, role=Role.PEER_WORKER, unit=unit)
        Position.objects.create(
            organisation=org,
            title="Peer worker",
            unit=unit,
            holder=user,
            role_form="peer_team",
            hours_per_week=20,
            reports_to=reports_to,
        )
        return user

    def client(self, role: str) -> Client:
        """The role's signed-in client; signed in again if a route (sign-out, switch) ended the session."""
        if "_auth_user_id" not in self.clients[role].session:
            self.clients[role] = self._quiet(verified_client(self.people[role]))
        return self.clients[role]

    def marker(self) -> str:
        self.counter += 1
        return f"Matrixperson Nr{self.counter:04d}"

    # Builders: an object in the given relation to ``actor`` (None when the relation cannot exist for them).

    def service_user(self, role: str, relation: str) -> tuple[Any, str] | None:
        me = self.people[role]
        has_team = role in (Role.PEER_WORKER, Role.PROFESSIONAL, Role.COORDINATOR, Role.SENIOR_PEER_WORKER)
        if relation == "team" and not has_team:
            return None
        org = self.other_org if relation == "other_org" else self.org
        peer = {
            "own": me,
            "team": self.teammate,
            "other_team": self.other_team_pw,
            "other_org": self.foreign_pw,
        }[relation]
        name = self.marker()
        person = ServiceUser.objects.create(organisation=org, chosen_name=name, phone="+47 000")
        start = timezone.localdate() - timedelta(days=30)
        eng = Engagement.objects.create(
            organisation=org,
            service_user=person,
            peer_worker=peer,
            started_on=start,
            planned_end_on=start + timedelta(days=365),
        )
        Goal.objects.create(
            organisation=org,
            service_user=person,
            engagement=eng,
            life_area="housing",
            words=f"Goal of {name}",
            visibility=Visibility.CARE_TEAM,
            created_by=peer,
        )
        share = {"purpose": "share", "how_given": "verbal", "given_on": start, "goals": "all"}
        if relation == "own":
            share["recipient_user"] = me
        else:
            share["recipient_unit"] = {
                "team": self.team,
                "other_team": self.other_team,
                "other_org": self.other_org_unit,
            }[relation]
        Consent.objects.create(organisation=org, service_user=person, **share)
        return person, name

    def consent(self, role: str, relation: str) -> tuple[Any, str] | None:
        built = self.service_user(role, relation)
        if built is None:
            return None
        person, name = built
        return Consent.objects.get(service_user=person), name

    def position(self, role: str, relation: str) -> tuple[Any, str] | None:
        me = self.people[role]
        if relation == "own":
            unit = self.team if me.memberships.filter(unit__isnull=False).exists() else self.other_team
            holder, org = me, self.org
        elif relation == "team":
            if not me.memberships.filter(unit=self.team).exists():
                return None
            unit, holder, org = self.team, self.teammate, self.org
        elif relation == "other_team":
            unit, holder, org = self.other_team, self.other_team_pw, self.org
        else:
            unit, holder, org = self.other_org_unit, self.foreign_pw, self.other_org
        title = self.marker()
        return Position.objects.create(
            organisation=org, title=title, unit=unit, holder=holder, role_form="peer_team", hours_per_week=10
        ), title

    def engagement(self, role: str, relation: str) -> tuple[Any, str] | None:
        built = self.service_user(role, relation)
        return (Engagement.objects.get(service_user=built[0]), built[1]) if built else None

    def goal(self, role: str, relation: str) -> tuple[Any, str] | None:
        built = self.service_user(role, relation)
        return (Goal.objects.get(service_user=built[0]), built[1]) if built else None

    def contact(self, role: str, relation: str) -> tuple[Any, str] | None:
        built = self.engagement(role, relation)
        if built is None:
            return None
        eng = built[0]
        return Contact.objects.create(
            organisation_id=eng.organisation_id,
            engagement=eng,
            peer_worker=eng.peer_worker,
            date=eng.started_on,
            start_time="10:00",
            duration_minutes=30,
            channel="phone",
            initiated_by="person",
            note=built[1],
        ), built[1]

    def peer_worker(self, role: str, relation: str) -> tuple[Any, str] | None:
        if relation == "own":
            # only a peer worker has peer-worker data of their own
            return (self.people[role], self.people[role].username) if role == Role.PEER_WORKER else None
        if relation == "team":
            return (
                (self.teammate, "matrix-teammate")
                if role in (Role.PEER_WORKER, Role.SENIOR_PEER_WORKER, Role.COORDINATOR, Role.PROFESSIONAL)
                else None
            )
        if relation == "other_team":
            return self.other_team_pw, "matrix-elsewhere"
        return self.foreign_pw, "matrix-foreign"

    def guidance_session(self, role: str, relation: str) -> tuple[Any, str] | None:
        """own: a one-to-one session the actor takes part in (a peer worker) or holds (a guide); team: one of
        the teammate's, held by someone else; other_team and other_org: someone else's altogether."""
        me = self.people[role]
        if relation == "own":
            if role == Role.PEER_WORKER:
                pw, guide = me, self.outside_guide
            elif role in (Role.SENIOR_PEER_WORKER, Role.COORDINATOR):
                pw, guide = self.teammate, me
            else:
                return None
        elif relation == "team":
            if role not in (Role.PEER_WORKER, Role.SENIOR_PEER_WORKER, Role.COORDINATOR, Role.PROFESSIONAL):
                return None
            pw, guide = self.teammate, self.outside_guide
        elif relation == "other_team":
            pw, guide = self.other_team_pw, self.outside_guide
        else:
            pw, guide = self.foreign_pw, self.outside_guide
        org = self.other_org if relation == "other_org" else self.org
        mark = self.marker()
        session = GuidanceSession.objects.create(
            organisation=org, guide=guide, meets_on=timezone.localdate(), topics=mark, kind="team_coaching"
        )
        GuidanceParticipant.objects.create(organisation=org, session=session, peer_worker=pw)
        return session, mark

    def activity(self, role: str, relation: str) -> tuple[Any, str] | None:
        """own: a group the actor leads (a peer worker or senior peer worker; for other roles one led by the
        teammate); team: led by the teammate; other_team and other_org: led by someone else altogether."""
        me = self.people[role]
        leader = {
            "own": me if role in (Role.PEER_WORKER, Role.SENIOR_PEER_WORKER) else self.teammate,
            "team": self.teammate,
            "other_team": self.other_team_pw,
            "other_org": self.foreign_pw,
        }[relation]
        org = self.other_org if relation == "other_org" else self.org
        mark = self.marker()
        group = Activity.objects.create(
            organisation=org, kind="self_help", title=mark, venue="Room", places=8, starts_on=timezone.localdate()
        )
        group.leaders.set([leader])
        return group, mark

    def activity_session(self, role: str, relation: str) -> tuple[Any, str] | None:
        built = self.activity(role, relation)
        if built is None:
            return None
        group, mark = built
        meeting = ActivitySession.objects.create(
            organisation_id=group.organisation_id, activity=group, meets_on=timezone.localdate()
        )
        return meeting, mark

    def evaluation_export(self, role: str, relation: str) -> tuple[Any, str] | None:
        if relation == "team":
            return None
        org = self.other_org if relation == "other_org" else self.org
        by = self.people[role] if relation == "own" else None
        mark = self.marker()
        return EvaluationExport.objects.create(organisation=org, created_by=by, recipient=mark, purpose="matrix"), mark


BUILDERS = {
    "service.serviceuser": Walk.service_user,
    "service.engagement": Walk.engagement,
    "service.goal": Walk.goal,
    "service.contact": Walk.contact,
    "privacy.consent": Walk.consent,
    "organisations.position": Walk.position,
    "accounts.user": Walk.peer_worker,
    "service.guidancesession": Walk.guidance_session,
    "privacy.evaluationexport": Walk.evaluation_export,
    "activities.activity": Walk.activity,
    "activities.activitysession": Walk.activity_session,
}


# --- requests ---------------------------------------------------------------------------------------------


def fill(route: str, value: str) -> str:
    return "/" + CONVERTER.sub(lambda m: value, route)


def normalised(body: bytes, path: str) -> bytes:
    """The answer without what differs between any two requests: tokens, its own address, flash messages."""
    body = re.sub(rb'<div class="messages">.*?</div>\s*</div>', b"", body, flags=re.S)
    body = re.sub(rb'name="csrfmiddlewaretoken" value="[^"]+"', b"", body)
    body = re.sub(rb'name="next" value="[^"]+"', b"", body)
    return re.sub(rb"\s+", b" ", body.replace(path.encode(), b""))


def ask(client: Client, method: str, path: str, is_api: bool) -> Any:
    with transaction.atomic():
        if method == "GET":
            response = client.get(path)
        elif is_api:
            response = getattr(client, method.lower())(path, data="{}", content_type="application/json")
        else:
            response = client.post(path, {})
        transaction.set_rollback(True)
    return response


@pytest.mark.django_db
def test_the_matrix_holds_for_every_role_route_and_relation(settings, worker_alive):
    w = Walk()
    present = routes()
    methods = api_methods()
    failures: list[str] = []
    exercised = unexercised = undecided = 0

    for row in matrix.ROUTES:
        route = present.get(row.name)
        if route is None or row.check:
            unexercised += 1
            continue
        is_api = route.startswith("api/")
        method = methods.get(row.name, row.method) if is_api else row.method
        params = CONVERTER.findall(route)
        if len(params) > 1:
            failures.append(f"{row.name}: {len(params)} parameters; give the row check='why' or a builder")
            continue
        for role in matrix.ROLES:
            client = w.tokens[role] if is_api else w.clients[role]
            cases: list[tuple[str | None, str, str]] = []  # (relation, path, marker)
            if not params:
                cases.append((None, fill(route, ""), ""))
            elif row.obj in BUILDERS:
                for relation in matrix.RELATIONS:
                    built = BUILDERS[row.obj](w, role, relation)
                    if built is not None:
                        cases.append((relation, fill(route, str(built[0].pk)), built[1]))
            else:
                model = apps.get_model(*row.obj.split("."))
                field = "organisation" if hasattr(model, "organisation_id") else None
                mine = model.objects.filter(**{field: w.org} if field else {}).order_by("pk").first()
                theirs = model.objects.filter(**{field: w.other_org} if field else {}).order_by("pk").first()
                level = row.level(role)
                if mine is not None and level in (matrix.ORG, matrix.NONE):
                    cases.append(("other_team", fill(route, str(mine.pk)), ""))
                if theirs is not None:
                    cases.append(("other_org", fill(route, str(theirs.pk)), ""))
                if mine is None:
                    unexercised += 1  # the demo data holds none yet: only the other organisation is tried
            for relation, path, marker in cases:
                exercised += 1
                client = w.tokens[role] if is_api else w.client(role)
                response = ask(client, method, path, is_api)
                status = response.status_code
                expected = row.allows(role, relation)
                where = f"{method} {path} as {role} ({relation or 'no object'})"
                if is_api and method != "GET" and status == 422 and not expected:
                    undecided += 1  # django-ninja checks the body before the view checks the role
                elif status >= 500:
                    failures.append(f"{where}: crashed with {status}")
                elif expected and (status in REFUSED or status >= 400 and status not in ALLOWED_ERRORS):
                    failures.append(f"{where}: refused with {status}, but the matrix allows it")
                elif not expected and status not in REFUSED:
                    failures.append(f"{where}: answered {status}, but the matrix refuses it")
                elif not expected and marker and marker.encode() in response.content:
                    failures.append(f"{where}: refused, yet the answer shows the object ({marker})")
                if relation == "other_org":
                    nothing = ask(client, method, fill(route, MISSING_ID), is_api)
                    a, b = (
                        normalised(response.content, path),
                        normalised(nothing.content, fill(route, MISSING_ID)),
                    )
                    if nothing.status_code != status or a != b:
                        at = next(
                            (i for i, (x, y) in enumerate(zip(a, b, strict=False)) if x != y),
                            min(len(a), len(b)),
                        )
                        failures.append(
                            f"{where}: answers differently from an id that does not exist "
                            f"({status} vs {nothing.status_code}): it tells that the object exists "
                            f"[{a[at - 60 : at + 60]!r} vs {b[at - 60 : at + 60]!r}]"
                        )
    print(f"matrix: {exercised} requests, {unexercised} rows or kinds not exercised, {undecided} undecided (422)")
    assert exercised > len(matrix.ROUTES), "the walk should exercise every route several times"
    assert not failures, f"{len(failures)} matrix failures ({exercised} checks):\n" + "\n".join(failures)


# --- counts, search, exports and error messages never cross organisations ---------------------------------


@pytest.mark.django_db
def test_counts_search_exports_and_messages_stay_in_the_organisation(settings):
    w = Walk()
    mine = w.service_user(Role.PROFESSIONAL, "team")
    theirs = w.service_user(Role.PROFESSIONAL, "other_org")
    assert mine and theirs
    # the professional's count and list: only their own organisation's consents
    body = w.clients[Role.PROFESSIONAL].get("/privacy/shared/").content.decode()
    assert mine[1] in body and theirs[1] not in body
    assert "1 person shares" in body
    # search: the other organisation's person is not found, by name or by number
    dpo = w.clients[Role.DPO]
    assert theirs[1] not in dpo.post("/privacy/people/", {"q": "Matrixperson"}).content.decode()
    by_number = dpo.post("/privacy/people/", {"q": str(theirs[0].pk)}).content.decode()
    assert f"/privacy/people/{theirs[0].pk}/" not in by_number and theirs[1] not in by_number
    # the coordinator's consent list counts only their organisation
    listing = w.clients[Role.COORDINATOR].get("/privacy/consent/").content.decode()
    assert theirs[1] not in listing
    # error messages: naming another organisation's team reads exactly like naming a team that does not exist
    coordinator = w.clients[Role.COORDINATOR]
    answers = []
    for unit_id in (w.other_org_unit.pk, int(MISSING_ID)):
        response = coordinator.post(
            f"/privacy/consent/{mine[0].pk}/",
            {
                "purpose": "share",
                "recipient_unit": unit_id,
                "goals": "all",
                "given_on": timezone.localdate().isoformat(),
                "how_given": "verbal",
            },
        )
        answers.append((response.status_code, normalised(response.content, "")))
    assert answers[0] == answers[1] and answers[0][0] == 200
    # exports: a person's export and an evaluation extract hold nothing of the other organisation
    export = dpo.get(f"/privacy/people/{mine[0].pk}/export.json").content.decode()
    assert theirs[1] not in export and w.other_org.name not in export

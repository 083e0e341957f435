"""Load test: Peerwork under many signed-in people at once, served the way production serves it.

    PEERWORK_LOAD_SCALE=small PEERWORK_LOAD_USERS=20 PEERWORK_LOAD_SECONDS=60 ./run bench load

What it does, in one run:

1. creates a throw-away PostgreSQL database on the server of ``PEERWORK_DATABASE_URL`` (default
   ``postgres://postgres@127.0.0.1:5432/postgres``; only the server is used, a new database is created on it), migrates
   it, seeds the demo world and fills it with ``peerwork generate`` data (``PEERWORK_LOAD_SCALE``: ``national`` by
   default, or ``medium``, ``small``, ``demo`` for the demo world alone);
2. gives the chosen accounts a known password and a two-step device (the database is a throw-away copy) and API tokens;
3. starts ``peerwork serve`` (migrate, static files, ``check --deploy``, gunicorn with ``PEERWORK_LOAD_WORKERS``
   processes, default 3, and the background worker) on a free port with production settings (debug off, secure
   cookies, HTTPS as a TLS-terminating proxy announces it with ``X-Forwarded-Proto``);
4. signs every virtual user in through the real pages: password, then the two-step code computed from the device's
   secret, as an authenticator app does;
5. runs the floor phase: every signed-in user asks for the floor page (``PEERWORK_LOAD_FLOOR``, default
   ``/bench/floor/``: the signed-in empty page of the page benches, ``urls_floor.py``, which the server answers only
   because the load test serves it with ``load_settings.py``) as fast as it is answered, for
   ``PEERWORK_LOAD_FLOOR_SECONDS``; so the ratio compares the page mix with the cheapest signed-in page, through
   the same middleware and base layout;
6. runs the page mix for ``PEERWORK_LOAD_SECONDS`` (default 600) with ``PEERWORK_LOAD_USERS`` (default 50)
   concurrent users: coordinators (queue, dashboard, waiting list, referrals), peer workers on phones (home, caseload,
   engagement, logging a contact through the form), managers (readiness, checks, evaluation), the data protection
   officer (audit trail, access report, retention) and API clients (token, /api/ endpoints). Each user waits
   ``PEERWORK_LOAD_THINK`` seconds between actions (default 0: a closed loop, so the rate measured is what the server
   sustains);
7. prints per-page p50/p95/p99 and counts, requests per second, the ratio to the floor's throughput, the errors
   (any answer other than 2xx/3xx, a redirect to the sign-in pages, or an exception; the first few shown), and ends
   with ``load: <users> users, <rps> req/s, <ratio> of floor throughput, p95 <ms> ms, <n> errors``.

The server and the database are removed at the end, also after Ctrl-C. Nothing here passes or fails on time.
"""

from __future__ import annotations

import asyncio
import contextlib
import datetime as dt
import hashlib
import hmac
import json
import math
import os
import random
import re
import secrets
import signal
import socket
import struct
import subprocess
import sys
import tempfile
import time
from collections import defaultdict
from dataclasses import dataclass, field
from email.utils import parsedate_to_datetime
from html import unescape
from html.parser import HTMLParser
from http.cookies import SimpleCookie
from pathlib import Path
from typing import Any
from urllib.parse import urljoin, urlsplit, urlunsplit

ROOT = Path(__file__).resolve().parent.parent
PASSWORD = "load-test-password-2026"  # set on the throw-away database's chosen accounts only
PHONE = (
    "Mozilla/5.0 (Linux; Android 14; Pixel 7) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/124.0 Mobile Safari/537.36"
)
DESKTOP = "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/124.0 Safari/537.36"
SIGN_IN_PATHS = ("/account/sign-in/", "/account/two-step/")
# Virtual users per role, as shares of the whole (at least one each).
ROLE_SHARES = {"coordinator": 0.2, "peer_worker": 0.4, "manager": 0.1, "dpo": 0.06, "api": 0.24}
SHOW_ERRORS = 5
FLOOR_PATH = "/bench/floor/"  # the signed-in empty page (urls_floor.py), served with load_settings.py
CONTACT_SLOTS = 40  # quarter hours a virtual peer worker fills in one day before going on to the day before
ATTEMPTS = 6  # start times a virtual peer worker tries, an hour apart, when the generated data holds one


# --- statistics ------------------------------------------------------------------------------------------------------


def percentile(values: list[float], q: float) -> float:
    """The q-th percentile (0–100) with linear interpolation between the closest ranks (numpy's default)."""
    if not values:
        return math.nan
    if not 0 <= q <= 100:
        raise ValueError("q must be between 0 and 100")
    ordered = sorted(values)
    rank = (len(ordered) - 1) * q / 100
    low = math.floor(rank)
    high = min(low + 1, len(ordered) - 1)
    return ordered[low] + (ordered[high] - ordered[low]) * (rank - low)


@dataclass
class Summary:
    count: int
    p50: float
    p95: float
    p99: float


def summarise(values: list[float]) -> Summary:
    return Summary(len(values), percentile(values, 50), percentile(values, 95), percentile(values, 99))


@dataclass
class Recorder:
    """Response times (ms) per page label, and errors, of one phase."""

    times: dict[str, list[float]] = field(default_factory=lambda: defaultdict(list))
    errors: list[str] = field(default_factory=list)
    error_count: int = 0
    started: float = 0.0
    ended: float = 0.0

    def ok(self, label: str, ms: float) -> None:
        self.times[label].append(ms)

    def error(self, label: str, what: str) -> None:
        self.error_count += 1
        if len(self.errors) < SHOW_ERRORS:
            self.errors.append(f"{label}: {what}")

    @property
    def requests(self) -> int:
        return sum(len(v) for v in self.times.values()) + self.error_count

    @property
    def seconds(self) -> float:
        return max(self.ended - self.started, 1e-9)

    @property
    def rps(self) -> float:
        return self.requests / self.seconds

    def all_times(self) -> list[float]:
        return [t for values in self.times.values() for t in values]


def summary_line(users: int, rps: float, floor_rps: float, p95: float, errors: int) -> str:
    ratio = rps / floor_rps if floor_rps else math.nan
    return f"load: {users} users, {rps:.1f} req/s, {ratio:.2f} of floor throughput, p95 {p95:.0f} ms, {errors} errors"


# --- two-step codes and forms ----------------------------------------------------------------------------------------


def totp(hex_key: str, at: float | None = None, *, step: int = 30, digits: int = 6) -> str:
    """The code an authenticator app shows for the device's secret (RFC 6238, SHA-1, as django-otp's TOTP)."""
    counter = int((time.time() if at is None else at) // step)
    digest = hmac.new(bytes.fromhex(hex_key), struct.pack(">Q", counter), hashlib.sha1).digest()
    offset = digest[-1] & 0x0F
    code = (struct.unpack(">I", digest[offset : offset + 4])[0] & 0x7FFFFFFF) % 10**digits
    return str(code).zfill(digits)


class FormParser(HTMLParser):
    """The forms of a page with the values a browser would send unchanged (checked radios, selected options, the
    first radio of a group where none is checked)."""

    def __init__(self) -> None:
        super().__init__()
        self.forms: list[dict[str, Any]] = []
        self._select: str | None = None
        self._textarea: str | None = None
        self._first_radio: dict[str, str] = {}

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = {k: v or "" for k, v in attrs}
        if tag == "form":
            self.forms.append({"action": a.get("action", ""), "method": a.get("method", "get").lower(), "fields": {}})
            self._first_radio = {}
            return
        if not self.forms:
            return
        fields = self.forms[-1]["fields"]
        name = a.get("name")
        if tag == "input" and name:
            kind = a.get("type", "text").lower()
            if kind in ("submit", "button", "image", "reset", "file"):
                return
            if kind == "radio":
                if "checked" in a:
                    fields[name] = a.get("value", "on")
                elif name not in fields and name not in self._first_radio:
                    self._first_radio[name] = a.get("value", "on")
                    fields.setdefault(name, a.get("value", "on"))
            elif kind == "checkbox":
                if "checked" in a:
                    fields[name] = a.get("value", "on")
            else:
                fields[name] = a.get("value", "")
        elif tag == "select" and name:
            self._select = name
        elif tag == "option" and self._select:
            if "selected" in a or self._select not in fields:
                fields[self._select] = a.get("value", "")
        elif tag == "textarea" and name:
            self._textarea = name
            fields[name] = ""

    def handle_endtag(self, tag: str) -> None:
        if tag == "select":
            self._select = None
        elif tag == "textarea":
            self._textarea = None

    def handle_data(self, data: str) -> None:
        if self._textarea and self.forms:
            self.forms[-1]["fields"][self._textarea] += data


def keep_cookies(cookies: dict[str, str], set_cookie: list[str]) -> None:
    """Apply a response's Set-Cookie headers as a browser does: set, replace, or delete (expired or max-age 0)."""
    for header in set_cookie:
        jar = SimpleCookie()
        jar.load(header)
        for name, morsel in jar.items():
            expires = morsel["expires"]
            gone = morsel["max-age"] in ("0", "-1") or (
                expires and parsedate_to_datetime(expires).timestamp() <= time.time()
            )
            if gone:
                cookies.pop(name, None)
            else:
                cookies[name] = morsel.value


def refusal(html: str) -> str:
    """The messages of a form's error summary, as plain text (empty when the page has none)."""
    found = re.search(r'<div class="error-summary".*?</div>', html, re.DOTALL)
    if found is None:
        return ""
    text = re.sub(r"<[^>]+>", " ", found.group(0))
    return re.sub(r"\s+", " ", unescape(text)).strip()


def form_with(html: str, field_name: str) -> dict[str, Any] | None:
    parser = FormParser()
    parser.feed(html)
    return next((f for f in parser.forms if field_name in f["fields"]), None)


# --- the throw-away database and the server --------------------------------------------------------------------------


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def with_database(url: str, name: str) -> str:
    parts = urlsplit(url)
    return urlunsplit((parts.scheme, parts.netloc, "/" + name, parts.query, ""))


def admin(url: str, sql: str) -> None:
    import psycopg

    with psycopg.connect(with_database(url, "postgres"), autocommit=True, connect_timeout=10) as conn:
        conn.execute(sql)  # type: ignore[arg-type]


def prepare(plan_path: str) -> None:
    """In a child process with the server's environment: migrate, seed, generate, choose accounts, write the plan."""
    sys.path.insert(0, str(ROOT / "src"))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "peerwork.settings")
    import django

    django.setup()
    from django.contrib.auth.hashers import make_password
    from django.core.management import call_command
    from django_otp.plugins.otp_totp.models import TOTPDevice

    from peerwork.accounts.models import Membership, User
    from peerwork.accounts.services import create_api_token
    from peerwork.core.actor import Actor
    from peerwork.core.roles import Role
    from peerwork.demo.generate import SCALES, generate
    from peerwork.demo.seed import NO_SLUG, seed_demo
    from peerwork.service.models import Engagement, Referral, ServiceUser

    scale = os.environ["PEERWORK_LOAD_SCALE"]
    users = int(os.environ["PEERWORK_LOAD_USERS"])
    started = time.perf_counter()
    call_command("migrate", verbosity=0)
    seed_demo()
    print(f"  migrated and seeded the demo world in {time.perf_counter() - started:.0f} s", flush=True)
    if scale != "demo":
        t = time.perf_counter()
        generate(seed=7, **SCALES[scale])
        print(f"  generated {scale} data in {time.perf_counter() - t:.0f} s", flush=True)
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")

    counts = role_counts(users)
    wanted = {
        "coordinator": Role.COORDINATOR,
        "peer_worker": Role.PEER_WORKER,
        "manager": Role.MANAGER,
        "dpo": Role.DPO,
        "api": Role.COORDINATOR,
    }
    memberships = Membership.objects.select_related("user", "organisation").order_by("organisation_id", "id")
    if scale != "demo":
        memberships = memberships.exclude(user__is_demo=True)
    else:
        memberships = memberships.filter(organisation__slug=NO_SLUG)
    by_role: dict[str, list[Membership]] = defaultdict(list)
    for m in memberships:
        by_role[m.role].append(m)
    hashed = make_password(PASSWORD)
    plan: dict[str, list[dict[str, Any]]] = {}
    used: set[int] = set()
    for kind, count in counts.items():
        pool = spread(by_role[wanted[kind]])
        people: list[dict[str, Any]] = []
        for i in range(count):
            if kind == "api":
                m = pool[i % len(pool)]  # a token needs no sign-in: accounts may be shared
            else:
                free = [m for m in pool if m.user_id not in used]
                if free:
                    m = free[0]
                else:  # fewer accounts of this role than users: one more person with the same role and team
                    model = pool[i % len(pool)]
                    extra = User.objects.create(username=f"load-{kind}-{i}", first_name="Load", last_name=f"Test {i}")
                    m = Membership.objects.create(
                        organisation=model.organisation, user=extra, role=model.role, unit=model.unit
                    )
                used.add(m.user_id)
            people.append(person_plan(kind, m, Engagement, Referral, ServiceUser))
            if kind == "api":
                actor = Actor.from_memberships(m.user, [m], m.organisation_id, via="load test")
                assert actor is not None
                _token, people[-1]["token"] = create_api_token(actor, name=f"load test {i}")
        plan[kind] = people
    signing_in = [p["user_id"] for kind, people in plan.items() if kind != "api" for p in people]
    User.objects.filter(pk__in=signing_in).update(password=hashed)
    TOTPDevice.objects.filter(user_id__in=signing_in).delete()
    for person in (p for kind, people in plan.items() if kind != "api" for p in people):
        device = TOTPDevice.objects.create(user_id=person["user_id"], name="load test", confirmed=True)
        person["key"] = device.key
    Path(plan_path).write_text(json.dumps(plan), encoding="utf-8")
    print(f"  prepared {users} users in {time.perf_counter() - started:.0f} s", flush=True)


def spread(pool: list[Any]) -> list[Any]:
    """Memberships ordered so that consecutive ones come from different organisations (users spread over the
    country, as they are)."""
    by_org: dict[int, list[Any]] = defaultdict(list)
    for m in pool:
        by_org[m.organisation_id].append(m)
    out: list[Any] = []
    queues = list(by_org.values())
    while any(queues):
        for q in queues:
            if q:
                out.append(q.pop(0))
    return out


def person_plan(kind: str, m: Any, engagement: Any, referral: Any, service_user: Any) -> dict[str, Any]:
    from django.utils.timezone import localdate

    org = m.organisation_id
    person: dict[str, Any] = {"username": m.user.username, "user_id": m.user_id, "organisation": org}
    if kind == "peer_worker":
        active = engagement.objects.filter(organisation_id=org, peer_worker_id=m.user_id, closed_on__isnull=True)
        person["engagements"] = list(active.order_by("id").values_list("id", flat=True)[:50])
        # Contacts are logged on the days before today: engagements that began at least a month ago.
        person["contact_engagements"] = list(
            active.filter(started_on__lte=localdate() - dt.timedelta(days=30))
            .order_by("id")
            .values_list("id", flat=True)[:50]
        )
    if kind in ("coordinator", "api"):
        person["referrals"] = list(
            referral.objects.filter(organisation_id=org).order_by("-id").values_list("id", flat=True)[:100]
        )
    if kind == "api":
        person["engagements"] = list(
            engagement.objects.filter(organisation_id=org).order_by("-id").values_list("id", flat=True)[:100]
        )
    if kind == "dpo":
        person["service_users"] = list(
            service_user.objects.filter(organisation_id=org).order_by("-id").values_list("id", flat=True)[:100]
        )
    return person


def role_counts(users: int) -> dict[str, int]:
    counts = {kind: max(1, round(users * share)) for kind, share in ROLE_SHARES.items()}
    while sum(counts.values()) > users and counts["peer_worker"] > 1:
        counts["peer_worker"] -= 1
    counts["peer_worker"] += max(0, users - sum(counts.values()))
    return counts


# --- virtual users ---------------------------------------------------------------------------------------------------


class Stop(Exception):
    pass


class VirtualUser:
    def __init__(self, kind: str, person: dict[str, Any], base: str, rng: random.Random) -> None:
        import httpx

        self.kind = kind
        self.person = person
        self.rng = rng
        self.origin = "https://" + urlsplit(base).netloc
        self.cookies: dict[str, str] = {}
        agent = PHONE if kind == "peer_worker" else DESKTOP
        headers = {"User-Agent": agent, "X-Forwarded-Proto": "https"}
        if kind == "api":
            headers["Authorization"] = f"Bearer {person['token']}"
        self.http = httpx.AsyncClient(base_url=base, headers=headers, timeout=120, follow_redirects=False)
        self.recorder: Recorder | None = None
        self.contacts_logged = 0

    async def close(self) -> None:
        await self.http.aclose()

    async def request(
        self, label: str, method: str, path: str, data: dict[str, str] | None = None, *, record: bool = True
    ) -> Any:
        """One request with the session's cookies; times and errors go to the current phase."""
        headers = {}
        if self.cookies:
            headers["Cookie"] = "; ".join(f"{k}={v}" for k, v in self.cookies.items())
        if method == "POST":
            headers["Origin"] = self.origin
            headers["Referer"] = self.origin + path
        t = time.perf_counter()
        try:
            response = await self.http.request(method, path, data=data, headers=headers)
        except Exception as exc:  # noqa: BLE001 - every failure counts as an error and the run goes on
            if self.recorder is not None and record:
                self.recorder.error(label, f"{method} {path}: {type(exc).__name__}: {exc}")
            return None
        ms = (time.perf_counter() - t) * 1000
        # Our own Cookie header carries them: the cookies are secure and the proxy's side is plain HTTP.
        keep_cookies(self.cookies, response.headers.get_list("set-cookie"))
        self.http.cookies.clear()
        location = response.headers.get("location", "")
        problem = None
        if response.status_code >= 400:
            problem = f"{method} {path}: {response.status_code}"
        elif self.kind != "api" and record and urlsplit(location).path.startswith(SIGN_IN_PATHS):
            problem = f"{method} {path}: sent to {location} (signed out)"
        if self.recorder is not None and record:
            if problem:
                self.recorder.error(label, problem)
            else:
                self.recorder.ok(label, ms)
        return None if problem else response

    async def sign_in(self) -> None:
        page = await self.request("sign-in", "GET", "/account/sign-in/", record=False)
        form = form_with(page.text, "username") if page is not None else None
        if form is None:
            raise Stop(f"{self.person['username']}: no sign-in form")
        form["fields"].update(username=self.person["username"], password=PASSWORD)
        answer = await self.request("sign-in", "POST", "/account/sign-in/", form["fields"], record=False)
        path = answer.headers.get("location", "/") if answer is not None and answer.status_code == 302 else None
        if path is None:
            raise Stop(f"{self.person['username']}: password refused")
        for _hop in range(5):
            page = await self.request("sign-in", "GET", path, record=False)
            if page is None:
                raise Stop(f"{self.person['username']}: {path} failed")
            if page.status_code in (301, 302):
                path = urljoin(path, page.headers["location"])
                continue
            if not path.startswith("/account/two-step/"):
                return
            form = form_with(page.text, "token")
            if form is None:
                raise Stop(f"{self.person['username']}: no two-step form")
            form["fields"]["token"] = totp(self.person["key"])
            answer = await self.request("sign-in", "POST", path, form["fields"], record=False)
            if answer is None or answer.status_code != 302:
                raise Stop(f"{self.person['username']}: two-step code refused")
            path = urljoin(path, answer.headers["location"])
        raise Stop(f"{self.person['username']}: too many redirects while signing in")

    # The actions of each role: (weight, coroutine).
    def actions(self) -> list[tuple[int, Any]]:
        p, pick = self.person, self.rng.choice
        get = self.get
        if self.kind == "coordinator":
            referrals = p["referrals"] or [0]
            return [
                (3, lambda: get("coordinator: referral queue", "/service/queue/")),
                (2, lambda: get("coordinator: dashboard", "/service/dashboard/")),
                (1, lambda: get("coordinator: waiting list", "/service/waiting-list/")),
                (3, lambda: get("coordinator: referral", f"/service/referrals/{pick(referrals)}/")),
                (1, lambda: get("coordinator: home", "/")),
            ]
        if self.kind == "peer_worker":
            engagements, older = p["engagements"], p["contact_engagements"]
            acts = [
                (2, lambda: get("peer worker: home", "/")),
                (2, lambda: get("peer worker: caseload", "/service/caseload/")),
            ]
            if engagements:
                acts.append((3, lambda: get("peer worker: engagement", f"/service/engagements/{pick(engagements)}/")))
            if older:
                acts.append((2, lambda: self.log_contact(pick(older))))
            return acts
        if self.kind == "manager":
            return [
                (2, lambda: get("manager: readiness", "/readiness/")),
                (1, lambda: get("manager: readiness checks", "/readiness/checks/")),
                (2, lambda: get("manager: evaluation dashboard", "/evaluation/dashboard/")),
                (1, lambda: get("manager: home", "/")),
            ]
        if self.kind == "dpo":
            people = p["service_users"] or [0]
            return [
                (3, lambda: get("DPO: audit trail", "/privacy/audit/")),
                (2, lambda: get("DPO: access report", f"/privacy/people/{pick(people)}/access/")),
                (2, lambda: get("DPO: retention", "/privacy/retention/")),
            ]
        referrals, engagements = p["referrals"] or [0], p["engagements"] or [0]
        return [
            (1, lambda: get("API: me", "/api/me")),
            (2, lambda: get("API: referrals", "/api/service/referrals")),
            (2, lambda: get("API: referral", f"/api/service/referrals/{pick(referrals)}")),
            (2, lambda: get("API: engagements", "/api/service/engagements")),
            (2, lambda: get("API: contacts", f"/api/service/engagements/{pick(engagements)}/contacts")),
        ]

    async def get(self, label: str, path: str) -> None:
        await self.request(label, "GET", path)

    async def log_contact(self, engagement: int) -> None:
        path = f"/service/engagements/{engagement}/contacts/new/"
        page = await self.request("peer worker: contact form", "GET", path)
        if page is None:
            return
        form = form_with(page.text, "duration_minutes")
        if form is None:
            if self.recorder is not None:
                self.recorder.error("peer worker: log a contact", f"GET {path}: no contact form on the page")
            return
        fields = form["fields"]
        fields["note"] = ""
        label = "peer worker: log a contact (POST)"
        for _attempt in range(ATTEMPTS):
            # Yesterday's contacts, a quarter of an hour each, one after the other through the working day (8:00 to
            # 18:00): the form refuses a contact that overlaps one already logged, or one in the future.
            day, slot = divmod(self.contacts_logged, CONTACT_SLOTS)
            self.contacts_logged += 1
            fields["date"] = (dt.date.today() - dt.timedelta(days=1 + day)).isoformat()  # not in the future
            fields["start_time"] = f"{8 + slot // 4:02d}:{slot % 4 * 15:02d}"
            fields["duration_minutes"] = "15"
            answer = await self.request(label, "POST", urljoin(path, form["action"] or path), fields)
            if answer is None or answer.status_code == 302 or self.recorder is None:
                return
            ms = self.recorder.times[label].pop()  # the form came back: nothing was saved
            refused = refusal(answer.text)
            if "overlap" not in refused:
                self.recorder.error(label, f"POST {path}: {answer.status_code}, not saved: {refused}")
                return
            # A contact the generated data already holds at that time (it may last an hour or more): the person
            # picks a time an hour later.
            self.recorder.ok("peer worker: log a contact (overlap, retried)", ms)
            self.contacts_logged += 3
        if self.recorder is not None:
            self.recorder.error(label, f"POST {path}: {ATTEMPTS} start times refused as overlapping")

    async def run(self, recorder: Recorder, until: float, think: float, floor: str | None = None) -> None:
        self.recorder = recorder
        acts = self.actions()
        weights = [w for w, _ in acts]
        while time.monotonic() < until:
            if floor is not None:
                await self.request(f"floor ({floor})", "GET", floor)
            else:
                await self.rng.choices(acts, weights)[0][1]()
            if think:
                await asyncio.sleep(self.rng.expovariate(1 / think))


async def phase(users: list[VirtualUser], seconds: float, think: float, floor: str | None = None) -> Recorder:
    recorder = Recorder(started=time.monotonic())
    until = recorder.started + seconds
    await asyncio.gather(*(u.run(recorder, until, think, floor) for u in users))
    recorder.ended = time.monotonic()
    return recorder


def print_phase(title: str, recorder: Recorder) -> None:
    print(f"\n{title}: {recorder.requests} requests in {recorder.seconds:.0f} s, {recorder.rps:.1f} req/s")
    print(f"  {'page':<46} {'count':>7} {'p50 ms':>8} {'p95 ms':>8} {'p99 ms':>8}")
    for label in sorted(recorder.times):
        s = summarise(recorder.times[label])
        print(f"  {label:<46} {s.count:>7} {s.p50:>8.0f} {s.p95:>8.0f} {s.p99:>8.0f}")
    s = summarise(recorder.all_times())
    print(f"  {'all':<46} {s.count:>7} {s.p50:>8.0f} {s.p95:>8.0f} {s.p99:>8.0f}")
    print(f"  errors: {recorder.error_count}")
    for line in recorder.errors:
        print(f"    {line}")


async def drive(base: str, plan: dict[str, list[dict[str, Any]]], cfg: dict[str, Any]) -> str:
    """Sign everyone in, run the floor phase and the page mix; returns the summary line."""
    rng = random.Random(cfg["seed"])
    users = [
        VirtualUser(kind, person, base, random.Random(rng.random()))
        for kind, people in plan.items()
        for person in people
    ]
    try:
        gate = asyncio.Semaphore(4)

        async def signed_in(u: VirtualUser) -> None:
            async with gate:
                await u.sign_in()

        t = time.perf_counter()
        await asyncio.gather(*(signed_in(u) for u in users if u.kind != "api"))
        mix = ", ".join(f"{len(people)} {kind.replace('_', ' ')}" for kind, people in plan.items())
        print(f"Signed in {sum(u.kind != 'api' for u in users)} sessions in {time.perf_counter() - t:.0f} s ({mix})")
        # The floor is a page for people signed in, so the sessions ask for it (API clients have none).
        sessions = [u for u in users if u.kind != "api"]
        await phase(sessions, min(5.0, cfg["floor_seconds"]), 0, cfg["floor"])  # warm-up, not counted
        floor = await phase(sessions, cfg["floor_seconds"], 0, cfg["floor"])
        floor_kind = "signed-in sessions, anonymous page" if cfg["floor"].startswith("/health") else "signed-in page"
        print_phase(f"Floor phase: {cfg['floor']} ({floor_kind}), {len(sessions)} signed-in users", floor)
        mix_run = await phase(users, cfg["seconds"], cfg["think"])
        print_phase(f"Page mix: {len(users)} users, think time {cfg['think']:g} s", mix_run)
        p95 = percentile(mix_run.all_times(), 95)
        print(f"\nfloor used: {cfg['floor']}; mix throughput / floor throughput = {mix_run.rps / floor.rps:.2f}")
        return summary_line(len(users), mix_run.rps, floor.rps, p95, mix_run.error_count + floor.error_count)
    finally:
        await asyncio.gather(*(u.close() for u in users))


def main() -> None:
    sys.stdout.reconfigure(line_buffering=True)  # type: ignore[union-attr]  (progress shows when piped too)
    if len(sys.argv) == 3 and sys.argv[1] == "--prepare":
        prepare(sys.argv[2])
        return
    env_int = lambda name, default: int(os.environ.get(name, "") or default)  # noqa: E731
    cfg = {
        "users": env_int("PEERWORK_LOAD_USERS", 50),
        "seconds": float(os.environ.get("PEERWORK_LOAD_SECONDS", "") or 600),
        "scale": os.environ.get("PEERWORK_LOAD_SCALE", "") or "national",
        "workers": env_int("PEERWORK_LOAD_WORKERS", 3),
        "floor": os.environ.get("PEERWORK_LOAD_FLOOR", "") or FLOOR_PATH,
        "think": float(os.environ.get("PEERWORK_LOAD_THINK", "") or 0),
        "seed": env_int("PEERWORK_LOAD_SEED", 2026),
    }
    cfg["floor_seconds"] = float(
        os.environ.get("PEERWORK_LOAD_FLOOR_SECONDS", "") or min(60, max(10, cfg["seconds"] / 5))
    )
    if cfg["scale"] not in ("demo", "small", "medium", "national"):
        sys.exit("PEERWORK_LOAD_SCALE is one of demo, small, medium, national")
    server_url = os.environ.get("PEERWORK_DATABASE_URL", "") or "postgres://postgres@127.0.0.1:5432/postgres"
    if not server_url.startswith(("postgres://", "postgresql://")):
        sys.exit("The load test runs on PostgreSQL: set PEERWORK_DATABASE_URL to a PostgreSQL server's address.")
    name = f"peerwork_load_{os.getpid()}_{secrets.token_hex(3)}"
    workdir = tempfile.mkdtemp(prefix="peerwork-load-")
    port = free_port()
    env = {
        **os.environ,
        "PYTHONPATH": os.pathsep.join((str(ROOT / "src"), str(ROOT / "bench"), os.environ.get("PYTHONPATH", ""))),
        "DJANGO_SETTINGS_MODULE": "load_settings",  # Peerwork's settings with the floor page (load_settings.py)
        "PEERWORK_DATABASE_URL": with_database(server_url, name),
        "PEERWORK_DEBUG": "0",
        "PEERWORK_SECRET_KEY": secrets.token_urlsafe(50),
        "PEERWORK_AUDIT_KEYS": f"load:{secrets.token_urlsafe(32)}",
        "PEERWORK_ALLOWED_HOSTS": "127.0.0.1,localhost",
        "PEERWORK_DATA_DIR": workdir,
        # Static files are collected once and kept between runs (serve collects again only when they changed).
        "PEERWORK_STATIC_ROOT": os.environ.get("PEERWORK_STATIC_ROOT", "") or str(ROOT / "var" / "load-static"),
        "PEERWORK_BASE_URL": f"https://127.0.0.1:{port}",
        # `check --deploy` wants a mail server; nothing listens here, so nothing is sent (a job that e-mails fails)
        "PEERWORK_EMAIL_URL": f"smtp://load:test@127.0.0.1:{free_port()}",
        "PEERWORK_LOAD_SCALE": cfg["scale"],
        "PEERWORK_LOAD_USERS": str(cfg["users"]),
    }
    for key in ("PEERWORK_DEMO_MODE", "PEERWORK_CACHE_URL"):
        env.pop(key, None)
    print(
        f"Load test: {cfg['users']} users for {cfg['seconds']:g} s (floor phase {cfg['floor_seconds']:g} s), "
        f"{cfg['scale']} data, gunicorn with {cfg['workers']} workers, database {name}"
    )
    server: subprocess.Popen[bytes] | None = None
    created = False

    def terminate(signum: int, _frame: Any) -> None:
        raise KeyboardInterrupt

    signal.signal(signal.SIGTERM, terminate)
    try:
        admin(server_url, f'CREATE DATABASE "{name}"')
        created = True
        plan_path = os.path.join(workdir, "plan.json")
        subprocess.run([sys.executable, __file__, "--prepare", plan_path], env=env, check=True, cwd=ROOT)
        plan = json.loads(Path(plan_path).read_text(encoding="utf-8"))
        log = open(os.path.join(workdir, "server.log"), "wb")  # noqa: SIM115 - closed with the work directory
        server = subprocess.Popen(
            [
                sys.executable,
                "-m",
                "peerwork.cli",
                "serve",
                "--bind",
                f"127.0.0.1:{port}",
                "--processes",
                str(cfg["workers"]),
            ],
            env=env,
            cwd=ROOT,
            stdout=log,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
        base = f"http://127.0.0.1:{port}"
        t = time.perf_counter()
        wait_until_up(base, server, os.path.join(workdir, "server.log"))
        up = time.perf_counter() - t
        print(f"Serving on {base} (peerwork serve, {cfg['workers']} gunicorn workers; up in {up:.0f} s)")
        summary = asyncio.run(drive(base, plan, cfg))
        errors = server_errors(os.path.join(workdir, "server.log"))
        if errors:
            print("\nServer log:")
            print(errors)
        print(summary)
    except KeyboardInterrupt:
        print("\nInterrupted: cleaning up.", file=sys.stderr)
    finally:
        if server is not None and server.poll() is None:
            with contextlib.suppress(ProcessLookupError):
                os.killpg(server.pid, signal.SIGTERM)
            try:
                server.wait(timeout=40)
            except subprocess.TimeoutExpired:
                with contextlib.suppress(ProcessLookupError):
                    os.killpg(server.pid, signal.SIGKILL)
                server.wait()
        if created:
            admin(server_url, f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        subprocess.run(["rm", "-rf", workdir], check=False)


def wait_until_up(base: str, server: subprocess.Popen[bytes], log: str, timeout: float = 900) -> None:
    import httpx

    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if server.poll() is not None:
            raise SystemExit(
                f"peerwork serve stopped (exit code {server.returncode}):\n{Path(log).read_text()[-4000:]}"
            )
        with contextlib.suppress(httpx.HTTPError):
            if httpx.get(base + "/health/", headers={"X-Forwarded-Proto": "https"}, timeout=5).status_code == 200:
                return
        time.sleep(0.5)
    raise SystemExit("peerwork serve did not answer in time")


def server_errors(log: str) -> str:
    """The server's exceptions and worker time-outs, one line each; failed e-mail deliveries (the mail address
    points at a closed port on purpose) are only counted."""
    text = Path(log).read_text(encoding="utf-8", errors="replace")
    exceptions = re.findall(r"^(?:[\w.]+(?:Error|Exception|Exit)\b.*|.*WORKER TIMEOUT.*)$", text, re.MULTILINE)
    mail = sum("ConnectionRefusedError" in line for line in exceptions)
    others = [line for line in exceptions if "ConnectionRefusedError" not in line]
    lines = [f"  {line}" for line in others[:20]]
    if mail:
        lines.append(f"  ({mail} e-mails not delivered by the background worker: no mail server, as intended)")
    return "\n".join(lines)


if __name__ == "__main__":
    main()

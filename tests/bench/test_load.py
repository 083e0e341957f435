"""The load test's own arithmetic (bench/load.py): percentiles, the summary line, two-step codes, forms."""

from __future__ import annotations

import importlib.util
import random
import re
import sys
from pathlib import Path

import numpy as np
import pytest
from django_otp.oath import TOTP

_PATH = Path(__file__).resolve().parents[2] / "bench" / "load.py"
_spec = importlib.util.spec_from_file_location("peerwork_bench_load", _PATH)
assert _spec is not None and _spec.loader is not None
load = importlib.util.module_from_spec(_spec)
sys.modules[_spec.name] = load
_spec.loader.exec_module(load)


def test_percentiles_match_numpy_linear_interpolation() -> None:
    rng = random.Random(3)
    for size in (1, 2, 3, 10, 101, 1000):
        values = [rng.expovariate(1 / 200) for _ in range(size)]
        for q in (0, 50, 95, 99, 100):
            assert load.percentile(values, q) == pytest.approx(float(np.percentile(values, q)))


def test_percentile_of_small_known_lists() -> None:
    assert load.percentile([10.0, 20.0, 30.0, 40.0], 50) == 25.0
    assert load.percentile([5.0], 99) == 5.0
    assert load.percentile([3.0, 1.0, 2.0], 0) == 1.0  # order of arrival does not matter
    with pytest.raises(ValueError):
        load.percentile([1.0], 101)


def test_percentile_of_nothing_is_not_a_number() -> None:
    assert load.percentile([], 95) != load.percentile([], 95)  # NaN


def test_summary_of_a_page() -> None:
    s = load.summarise([float(v) for v in range(1, 101)])
    assert (s.count, s.p50, s.p95, s.p99) == (100, 50.5, pytest.approx(95.05), pytest.approx(99.01))


def test_recorder_counts_every_error_and_keeps_the_first_few() -> None:
    recorder = load.Recorder(started=0.0, ended=2.0)
    recorder.ok("home", 12.0)
    for i in range(load.SHOW_ERRORS + 3):
        recorder.error("home", f"GET /: 500 ({i})")
    assert recorder.error_count == load.SHOW_ERRORS + 3
    assert recorder.errors[0] == "home: GET /: 500 (0)"
    assert len(recorder.errors) == load.SHOW_ERRORS
    assert recorder.requests == 1 + load.SHOW_ERRORS + 3
    assert recorder.rps == recorder.requests / 2


def test_summary_line_has_the_agreed_shape() -> None:
    line = load.summary_line(50, 41.23, 123.4, 812.6, 0)
    assert line == "load: 50 users, 41.2 req/s, 0.33 of floor throughput, p95 813 ms, 0 errors"
    assert re.fullmatch(r"load: \d+ users, [\d.]+ req/s, [\d.]+ of floor throughput, p95 \d+ ms, \d+ errors", line)


def test_two_step_codes_are_the_ones_django_otp_accepts() -> None:
    # RFC 6238's SHA-1 test vector (T = 59 s: 94287082, of which an authenticator shows the last six digits).
    assert load.totp(b"12345678901234567890".hex(), at=59) == "287082"
    key = "3132333435363738393031323334353637383930aabbccdd"
    for at in (0, 1_000_000_000, 1_790_000_000):
        reference = TOTP(bytes.fromhex(key), step=30, t0=0, digits=6, drift=0)
        reference.time = at
        assert load.totp(key, at=at) == str(reference.token()).zfill(6)


def test_forms_carry_what_a_browser_sends_unchanged() -> None:
    html = """
    <form method="post" action="/search/"><input name="q" value="x"></form>
    <form method="post">
      <input type="hidden" name="csrfmiddlewaretoken" value="abc">
      <input type="radio" name="duration_minutes" value="15">
      <input type="radio" name="duration_minutes" value="30">
      <input type="radio" name="channel" value="phone">
      <input type="radio" name="channel" value="meeting" checked>
      <input type="checkbox" name="urgent" value="yes">
      <input type="checkbox" name="kept" value="yes" checked>
      <select name="kind"><option value="a">A</option><option value="b" selected>B</option></select>
      <textarea name="note">Hello</textarea>
      <input type="date" name="date" value="2026-11-30">
      <button type="submit" name="save">Save</button>
    </form>"""
    form = load.form_with(html, "duration_minutes")
    assert form is not None
    assert form["method"] == "post" and form["action"] == ""
    assert form["fields"] == {
        "csrfmiddlewaretoken": "abc",
        "duration_minutes": "15",
        "channel": "meeting",
        "kept": "yes",
        "kind": "b",
        "note": "Hello",
        "date": "2026-11-30",
    }
    assert load.form_with(html, "missing") is None


def test_every_user_has_a_role_and_each_role_someone() -> None:
    for users in (5, 20, 50, 200):
        counts = load.role_counts(users)
        assert sum(counts.values()) == users
        assert min(counts.values()) >= 1


def test_a_refused_form_gives_its_messages_in_plain_text() -> None:
    html = """<main><div class="error-summary" role="alert"><h2>There is a problem</h2><ul>
      <li><a href="#id_start_time">Start time: You already logged a contact from 08:00 to 08:15 that day.</a></li>
    </ul></div><form></form></main>"""
    assert load.refusal(html) == (
        "There is a problem Start time: You already logged a contact from 08:00 to 08:15 that day."
    )
    assert load.refusal("<main><p>Saved &amp; done</p></main>") == ""


def test_cookies_are_set_replaced_and_deleted_as_a_browser_does() -> None:
    cookies = {"messages": "old"}
    load.keep_cookies(
        cookies,
        [
            "sessionid=abc; expires=Mon, 30 Nov 2099 10:00:00 GMT; HttpOnly; Max-Age=1800; Path=/; Secure",
            "csrftoken=xyz; Path=/; SameSite=Lax; Secure",
            'messages=""; expires=Thu, 01 Jan 1970 00:00:00 GMT; Max-Age=0; Path=/; SameSite=Lax',
        ],
    )
    assert cookies == {"sessionid": "abc", "csrftoken": "xyz"}
    load.keep_cookies(cookies, ["sessionid=def; Path=/"])
    assert cookies["sessionid"] == "def"

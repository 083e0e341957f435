"""What an audit entry may hold: who acted, and ids, codes and counts, never a personal value.

The trail is kept after a person's record is anonymised (accountability, GDPR Art. 5(2)), so nothing in it may
hold what a person wrote or what identifies a service user: no names, e-mail addresses, notes or search terms.
Each field has a shape, and ``problems`` names every field of an entry that has another one:

* ``actor_label`` is the acting user's user name (who acted) or empty;
* ``role`` and ``action`` are codes (``Role``, ``AuditEntry.Action``);
* ``object_type`` and ``subject_type`` are ``app.model`` labels of an installed app, ``object_id`` and
  ``subject_id`` are ids (digits, or a UUID);
* ``via`` is one of Peerwork's URL paths (no query string), ``API <METHOD> <path>``, or the name of a job
  made of words of the vocabulary below;
* ``detail`` is a structured detail (``details.Detail``: a registered kind and the parameters it declares)
  whose values are of the shape below; an entry written before details were structured is made of numbers
  (ids, counts, dates as digits), UUIDs and words of the vocabulary: the name of any model field, model or
  app, any choice code of any model field, a role or an action, and ``DETAIL_WORDS``.

The test suite checks every entry written by every test against these shapes (``tests/conftest.py``).
"""

from __future__ import annotations

import re
from functools import cache

from django.apps import apps
from django.urls import Resolver404, resolve

from peerwork.core.roles import Role

from . import details
from .models import AuditEntry

# Plain words that audit details use besides codes (field names, choice codes, model names): kept short on
# purpose; a word added here is a word that can never carry a person's value.
DETAIL_WORDS = frozenset(
    """
    a accepted acknowledged after all and answer answered answers anonymous api as assignment at before board by
    care caseload chain changed check checks chosen closed code committee count counts csv dashboard data decided
    demo description device draft enrolled factor fields for from guided home in inbox job late link links list
    made new of on opened organisation own page password pdf peer pending placement proposals pulse queue quick
    read refused report retention review round run set aside signals survey team to too two verified version via
    waiting workers workload long add achieved handover named test shown visibility sent mail extract downloaded
    descriptions lived my reset rectified overview search shared me rights invited teams html json xlsx
    erasure match jointly reason allocation cover person asked who looked work briefing pack role cards what is hard
    now record view offers extended
    bound invitation sessions tokens off switched unknown removed recovery codes used no role other sign
    """.split()
)
_ATOM = re.compile(r"[A-Za-z0-9]+|[^A-Za-z0-9\s]+")
_LABEL = re.compile(r"^[a-z_]+\.[a-z_]+$")
_UUID = re.compile(r"[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}")
_ID = re.compile(rf"^(\d+|{_UUID.pattern})$")
_API = re.compile(r"^API [A-Z]+ (/\S*)$")


@cache
def vocabulary() -> frozenset[str]:
    """Every code Peerwork declares: field, model and app names, choice codes, roles, actions, and
    ``DETAIL_WORDS`` — split into their alphanumeric parts, lower case."""
    words: set[str] = set(DETAIL_WORDS)
    for config in apps.get_app_configs():
        words.add(config.label)
    for model in apps.get_models():
        words.update((model._meta.model_name or "", model._meta.app_label))
        for field in model._meta.get_fields():
            words.add(field.name)
            for value, _label in getattr(field, "flatchoices", None) or []:
                words.add(str(value))
    words.update(Role.values)
    words.update(AuditEntry.Action.values)
    return frozenset(part.lower() for word in words for part in re.findall(r"[A-Za-z0-9]+", word))


def _words_only(text: str) -> bool:
    known = vocabulary()
    atoms = _ATOM.findall(_UUID.sub(" ", text))
    return all(atom.isdigit() or atom.lower() in known or not atom.isalnum() for atom in atoms)


def _detail_ok(text: str) -> bool:
    """A structured detail (``details.Detail``) names a registered kind, only parameters that kind declares, and
    values of the detail shape; an entry written before details were structured is words of the vocabulary."""
    said = details.parse(text)
    if said is None:
        return not text.startswith("{") and _words_only(text)
    name, params = said
    declared = details.KINDS[name].params
    values = [v for p in params.values() for v in (p if isinstance(p, list) else [p])]
    return set(params) <= set(declared) and all(_words_only(str(v)) for v in values)


def _a_path(path: str) -> bool:
    if "?" in path:
        return False
    try:
        resolve(path)
    except Resolver404:
        return False
    return True


def problems(entry: dict[str, object]) -> list[str]:
    """The fields of ``entry`` (a dict of AuditEntry values, with ``actor__username``) whose value is not of
    the shape that field may hold."""
    found = []
    label = str(entry["actor_label"])
    if label and label != entry.get("actor__username"):
        found.append("actor_label")
    if entry["role"] and entry["role"] not in Role.values:
        found.append("role")
    if entry["action"] not in AuditEntry.Action.values:
        found.append("action")
    for name in ("object_type", "subject_type"):
        value = str(entry[name])
        if value and not (_LABEL.match(value) and value.split(".")[0] in _app_labels()):
            found.append(name)
    for name in ("object_id", "subject_id"):
        value = str(entry[name])
        if value and not _ID.match(value):
            found.append(name)
    via = str(entry["via"])
    api = _API.match(via)
    if via and not (_a_path(api.group(1)) if api else _a_path(via) if via.startswith("/") else _words_only(via)):
        found.append("via")
    if not _detail_ok(str(entry["detail"])):
        found.append("detail")
    return found


@cache
def _app_labels() -> frozenset[str]:
    return frozenset(config.label for config in apps.get_app_configs())

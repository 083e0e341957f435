"""An audit entry's detail as structured data, shown in the reader's language.

A call site says what happened with a registered kind and its parameters::

    record(actor, Action.UPDATE, action_item, detail=Detail("progress", status=status))

and the entry stores a compact canonical JSON text (sorted keys, the kind under ``"k"``):
``{"k":"progress","status":"done"}``. It is an ordinary string in ``AuditEntry.detail`` (at most 300
characters), so the hash chain hashes it like any other detail and its format does not change.

``in_words(stored)`` turns it into a sentence in the active language: each kind has a lazily translated
template with named placeholders, and each parameter says how it is shown: a code as its choice label (read
from the model field that declares it, through the app registry, so this base layer imports no app above it),
a date in the local format, a count with the right plural, field names as their labels. Entries written before
details were structured hold plain English text, and still read through ``core.plain.detail_sentence``.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date
from functools import cache
from typing import Any

from django.apps import apps
from django.core.exceptions import FieldDoesNotExist
from django.utils.module_loading import import_string
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext_lazy

from peerwork.core import plain

MAX_LENGTH = 300  # AuditEntry.detail's max_length
MAX_VALUE = 60  # one text parameter, at most
KIND_KEY = "k"
Value = str | int | date | list[str] | tuple[str, ...] | None


# --- how a parameter is shown -----------------------------------------------------------------------------


class Param:
    """A parameter shown as it is (a number, an id)."""

    def store(self, value: Any) -> Any:
        if isinstance(value, bool):
            return int(value)
        if isinstance(value, int):
            return value
        if isinstance(value, date):
            return value.isoformat()
        if isinstance(value, (list, tuple)):
            return [str(v)[:MAX_VALUE] for v in value]
        return str(value)[:MAX_VALUE]

    def words(self, value: Any) -> str:
        return str(value)

    def sample(self) -> Any:
        return 3


class Count(Param):
    """A number of things; the kind's plural form follows it."""

    def words(self, value: Any) -> str:
        return str(value)


class Hidden(Param):
    """Kept in the entry (an id, for whoever follows it up), not shown in the sentence."""

    def sample(self) -> Any:
        return 7


@dataclass
class Choice(Param):
    """A code shown as the label its model field gives it (``app.model``, field name)."""

    model: str
    field: str

    def words(self, value: Any) -> str:
        return str(_choices(self.model, self.field).get(str(value)) or _spaced(value))

    def sample(self) -> Any:
        return next(iter(_choices(self.model, self.field)))


@dataclass
class Enum(Param):
    """A code shown as the label of a choices class named by its dotted path (resolved when shown)."""

    path: str

    def words(self, value: Any) -> str:
        return str(dict(import_string(self.path).choices).get(str(value)) or _spaced(value))

    def sample(self) -> Any:
        return import_string(self.path).values[0]


@dataclass
class Words(Param):
    """A code shown as one of a fixed set of words."""

    words_of: Mapping[str, Any]

    def words(self, value: Any) -> str:
        return str(self.words_of.get(str(value)) or _spaced(value))

    def sample(self) -> Any:
        return next(iter(self.words_of))


class Day(Param):
    """A date, shown in the local format of the reader's language."""

    def words(self, value: Any) -> str:
        try:
            return plain.day(date.fromisoformat(str(value)))
        except ValueError:
            return str(value)

    def sample(self) -> Any:
        return date(2026, 3, 2)


@dataclass
class Fields(Param):
    """Names of a model's fields, shown as their labels."""

    model: str

    def words(self, value: Any) -> str:
        names = value if isinstance(value, list) else [value]
        return ", ".join(_field_label(self.model, str(n)) for n in names)

    def sample(self) -> Any:
        model = apps.get_model(self.model)
        return [f.name for f in model._meta.concrete_fields if f.verbose_name and not f.primary_key][1:3]


@dataclass
class Named(Param):
    """The id of a record shown by its name (a unit); ``empty`` when there is none."""

    model: str
    empty: Any

    def words(self, value: Any) -> str:
        if value in ("", None, "-"):
            return str(self.empty)
        found = apps.get_model(self.model)._default_manager.filter(pk=value).first() if str(value).isdigit() else None
        return str(found) if found is not None else str(self.empty)

    def sample(self) -> Any:
        return ""


def _spaced(value: Any) -> str:
    return str(value).replace("_", " ")


@cache
def _choices(model: str, name: str) -> dict[str, Any]:
    return {str(k): v for k, v in apps.get_model(model)._meta.get_field(name).flatchoices}


def _field_label(model: str, name: str) -> str:
    try:
        return str(apps.get_model(model)._meta.get_field(name).verbose_name)
    except (FieldDoesNotExist, LookupError):
        return _spaced(name)


# --- the registry -----------------------------------------------------------------------------------------


@dataclass
class Kind:
    name: str
    template: Any  # a lazy text, or a lazy plural text whose number is the parameter ``plural``
    params: dict[str, Param] = field(default_factory=dict)
    plural: str = ""


KINDS: dict[str, Kind] = {}


def kind(name: str, template: Any, plural: str = "", **params: Param) -> Kind:
    """Register a kind of detail (each kind once)."""
    if name in KINDS:
        raise ValueError(f"audit detail kind {name!r} is registered twice")
    found = KINDS[name] = Kind(name, template, params, plural)
    return found


class Detail:
    """What a call site passes as ``record(..., detail=...)``: a registered kind and its parameters."""

    __slots__ = ("kind", "params")

    def __init__(self, kind_name: str, **params: Value) -> None:
        found = KINDS.get(kind_name)
        if found is None:
            raise ValueError(f"unknown audit detail kind {kind_name!r}")
        unknown = set(params) - set(found.params)
        if unknown:
            raise ValueError(f"audit detail kind {kind_name!r} has no parameter {sorted(unknown)}")
        self.kind = kind_name
        self.params = {k: found.params[k].store(v) for k, v in params.items() if v is not None}

    @property
    def stored(self) -> str:
        """The canonical JSON text the entry stores: sorted keys, no spaces, at most ``MAX_LENGTH``."""
        values: dict[str, Any] = {KIND_KEY: self.kind, **self.params}
        text = _dumps(values)
        while len(text) > MAX_LENGTH:  # shorten the longest parameter until it fits, keeping valid JSON
            longest = max((k for k in values if k != KIND_KEY), key=lambda k: len(_dumps(values[k])))
            value = values[longest]
            if isinstance(value, list) and len(value) > 1:
                values[longest] = value[:-1]
            elif isinstance(value, str) and len(value) > 1:
                values[longest] = value[: len(value) // 2]
            else:
                del values[longest]
            text = _dumps(values)
        return text

    def __str__(self) -> str:
        return self.stored

    def __repr__(self) -> str:
        return f"Detail({self.stored})"

    def __eq__(self, other: object) -> bool:
        return isinstance(other, Detail) and other.stored == self.stored

    def __hash__(self) -> int:
        return hash(self.stored)


def _dumps(value: Any) -> str:
    return json.dumps(value, sort_keys=True, separators=(",", ":"), ensure_ascii=False)


def stored(detail: Detail | None) -> str:
    """The text an entry stores for ``detail`` ("" for none). Plain text is refused: details are structured."""
    if detail is None or detail == "":
        return ""
    if not isinstance(detail, Detail):
        raise TypeError("an audit detail is a peerwork.audit.details.Detail, not plain text")
    return detail.stored


def parse(text: str) -> tuple[str, dict[str, Any]] | None:
    """(kind, parameters) of a stored structured detail, or None for plain text (an entry written before)."""
    if not text.startswith("{"):
        return None
    try:
        values = json.loads(text)
    except ValueError:
        return None
    if not isinstance(values, dict) or values.get(KIND_KEY) not in KINDS:
        return None
    name = values.pop(KIND_KEY)
    return name, values


def in_words(text: str) -> str:
    """An entry's stored detail as a sentence in the active language ("" for none)."""
    found = parse(text or "")
    if found is None:
        return plain.detail_sentence(text or "")
    name, values = found
    k = KINDS[name]
    shown: dict[str, Any] = {p: renderer.words(values[p]) if p in values else "—" for p, renderer in k.params.items()}
    if k.plural:
        shown[k.plural] = _number(values.get(k.plural))
    return str(k.template % shown)


def _number(value: Any) -> int:
    try:
        return int(value)
    except (TypeError, ValueError):
        return 0


def params_of(text: str) -> dict[str, Any]:
    """The parameters of a stored structured detail with its kind under ``"k"`` ({} for plain text)."""
    found = parse(text or "")
    return {KIND_KEY: found[0], **found[1]} if found else {}


# --- what a detail may say --------------------------------------------------------------------------------

FORMATS = Words(
    {
        "csv": _("a CSV file"),
        "xlsx": _("a spreadsheet (XLSX)"),
        "pdf": _("a PDF"),
        "json": _("a JSON file"),
        "html": _("a web page"),
        "api": _("the API"),
    }
)

# The pages and lists a read was made on.
PAGES = Words(
    {
        "list": _("the list"),
        "home": _("the home page"),
        "cocreation_home": _("the home page (waiting signals and late proposals)"),
        "referral_queue": _("the referral queue"),
        "caseload": _("the caseload"),
        "workload": _("the workload"),
        "contacts": _("the contacts"),
        "goals": _("the goals"),
        "quick_add": _("quick add of a contact"),
        "proposals": _("the proposals"),
        "dashboard": _("the dashboard"),
        "guided_peer_workers": _("the peer workers one guides"),
        "availability": _("the availability"),
        "lived_experience": _("the lived experience"),
        "waiting_list_offers": _("offers from the waiting list"),
        "api_referrals": _("referrals through the API"),
        "api_engagements": _("engagements through the API"),
        "job_descriptions": _("the job descriptions"),
        "new_peer_workers": _("the new peer workers"),
        "role_cards": _("the role cards of one's teams"),
        "briefing_pack": _("the briefing pack"),
        "readiness_checks": _("the readiness checks"),
        "placement_check": _("the placement check"),
        "pending_too_long": _("contributions pending too long"),
        "committee_counts": _("the committee counts"),
        "inbox": _("the inbox"),
        "organisation_list": _("the organisation's list"),
        "consents": _("the consents"),
        "shared_with_me": _("what is shared with me"),
        "consent_list": _("the consent list"),
        "search": _("a search"),
        "subject_rights": _("the overview of the person's rights"),
        "access_report": _("the access report"),
        "who_looked": _("who looked at my work"),
        "retention": _("the retention overview"),
        "my_peer_workers": _("my peer workers"),
        "person": _("the person's page"),
        "overview": _("the overview"),
        "report": _("the report"),
        "survey_answers": _("the answers to a survey"),
    }
)

SIGN_IN_REFUSALS = Words(
    {
        "refused": _("the sign-in was not accepted"),
        "switched_off": _("the account is switched off"),
        "no_role": _("no role in the organisation"),
        "other_organisation": _("another organisation"),
        "unknown": _("not known"),
        "invitation_used": _("the invitation was already used"),
    }
)
YES_NO = Words({"1": _("yes"), "0": _("no")})
SIDES = Words({"peer_worker": _("by the peer worker"), "person": _("by the person")})
ERASURE_REASONS = Words(
    {"erasure": _("erasure on request"), "retention": _("retention period over"), "request": _("on request")}
)

# Reads of pages and lists, and downloads
kind("shown", _("Seen in %(page)s."), page=PAGES)
kind(
    "shown_for_reason",
    _("Seen in %(page)s. Reason: %(reason)s."),
    page=PAGES,
    reason=Enum("peerwork.service.access.AccessReason"),
)
kind("downloaded", _("Downloaded from %(page)s as %(format)s."), page=PAGES, format=FORMATS)
kind(
    "trail_file",
    ngettext_lazy("%(count)s entry downloaded as %(format)s.", "%(count)s entries downloaded as %(format)s.", "count"),
    plural="count",
    count=Count(),
    format=FORMATS,
)
kind(
    "period",
    _("Period %(start)s – %(end)s, unit: %(unit)s."),
    start=Day(),
    end=Day(),
    unit=Named("organisations.unit", _("all units")),
)
kind(
    "period_peer_view",
    _("Period %(start)s – %(end)s, unit: %(unit)s, as peer workers see it."),
    start=Day(),
    end=Day(),
    unit=Named("organisations.unit", _("all units")),
)
kind(
    "period_file",
    _("Period %(start)s – %(end)s, unit: %(unit)s, downloaded as %(format)s."),
    start=Day(),
    end=Day(),
    unit=Named("organisations.unit", _("all units")),
    format=FORMATS,
)
kind("subject_access", _("Everything held about the person, as %(format)s."), format=FORMATS)
kind("chain_verified", _("The chain was checked."))
kind("chain_opened", _("Chain opened."))
kind("own", _("Their own."))
kind("named", _("With names."))

# Readiness
kind("board_report", _("The board report, as a PDF."))
kind("round_opened", _("Invited: %(invited)s. Answer links made: %(links)s."), invited=Count(), links=Count())
kind(
    "links_made",
    ngettext_lazy("%(count)s answer link made.", "%(count)s answer links made.", "count"),
    plural="count",
    count=Count(),
)
kind("round_status", _("Status: %(status)s."), status=Choice("readiness.round", "status"))
kind("answer_draft", _("Answers saved as a draft."))
kind("anonymous_answers", _("Anonymous answers to a round."), round=Hidden())
kind("named_answers", _("Answers with a name."))
kind("progress", _("Progress: %(status)s."), status=Choice("readiness.actionitem", "status"))
kind("job_description_version", _("A job description version was chosen."), version=Hidden())
kind("comments", ngettext_lazy("%(count)s comment.", "%(count)s comments.", "count"), plural="count", count=Count())

# Evaluation, notifications, activities
kind("pulse_answered", _("Pulse survey answered."))
kind("mail_sent", _("Sent by e-mail."))
kind("sent", _("Sent."))
kind(
    "marked_read",
    ngettext_lazy("%(count)s notification marked as read.", "%(count)s notifications marked as read.", "count"),
    plural="count",
    count=Count(),
)
kind("preferences_set", _("Notification settings saved."))
kind("cancelled", _("Cancelled."))
kind(
    "attendance",
    ngettext_lazy("Attendance: %(count)s person present.", "Attendance: %(count)s people present.", "count"),
    plural="count",
    count=Count(),
)
kind("attendance_taken", _("Attendance taken."))
kind("on_waiting_list", _("On the waiting list."))
kind("place_status", _("Status: %(status)s."), status=Choice("activities.activityplace", "status"))

# Co-creation
kind("outcome", _("Outcome: %(outcome)s."), outcome=Choice("cocreation.contribution", "outcome"))
kind(
    "outcome_with_board",
    _("Outcome: %(outcome)s, decided jointly with a board."),
    outcome=Choice("cocreation.contribution", "outcome"),
    board=Hidden(),
)
kind("proposed", _("Proposed."))
kind("confirmed", _("Confirmed."))
kind("acknowledged", _("Acknowledged."))
kind("decided", _("Decided."))
kind("closed", _("Closed."))

# Co-assessment
kind("method", _("Method: %(method)s."), method=Choice("coassessment.coassessment", "method"))
kind("plan", _("Plan changed."))
kind("team_role", _("Role in the team: %(role)s."), role=Choice("coassessment.teammember", "role"))
kind("removed", _("Removed."))
kind("group_kind", _("Kind: %(kind)s."), kind=Choice("coassessment.group", "kind"))
kind("guide_kind", _("Kind: %(kind)s."), kind=Choice("coassessment.guide", "kind"))
kind("material_kind", _("Kind: %(kind)s."), kind=Choice("coassessment.material", "kind"))
kind("theme_kind", _("Kind: %(kind)s."), kind=Choice("coassessment.theme", "kind"))
kind("feedback_kind", _("Kind: %(kind)s."), kind=Choice("coassessment.feedback", "kind"))
kind("decision_kind", _("Kind: %(kind)s."), kind=Choice("coassessment.decision", "kind"))
kind("consent_purpose", _("Consent given, for: %(purpose)s."), purpose=Choice("privacy.consent", "purpose"))
kind("withdrawn", _("Withdrawn."))
kind(
    "withdrawn_removed",
    _("Consent withdrawn. Removed: %(segments)s segments, %(codings)s codings, from %(material)s materials."),
    segments=Count(),
    codings=Count(),
    material=Count(),
)
kind("ethics_approved", _("Ethics approval recorded."))
kind(
    "ethics_approval_cleared",
    _("Changed after approval: %(fields)s. The data protection officer must approve again."),
    fields=Fields("coassessment.coassessment"),
)
kind("checklist", _("Checklist answers saved."))
kind("draft", _("Saved as a draft."))
kind("survey_changed", _("The survey was changed."))
kind("question_moved", _("A question was moved."))
kind("published", _("Published."))
kind("results_shared", _("Results shared: %(shared)s."), shared=YES_NO)
kind("survey_answered", _("Survey answered."))
kind("survey_answered_via_link", _("Survey answered through a link."))
kind("survey_run_again", _("The survey was run again: its next round was made as a draft."))
kind("coassessment_status", _("Status: %(status)s."), status=Choice("coassessment.coassessment", "status"))
kind("step", _("Analysis step: %(step)s."), step=Param())
kind("blind_coding", _("Blind coding: %(blind)s."), blind=YES_NO)
kind("code_renamed", _("Code renamed."))
kind(
    "code_removed",
    ngettext_lazy("Code removed, with %(codings)s coding.", "Code removed, with %(codings)s codings.", "codings"),
    plural="codings",
    codings=Count(),
)
kind(
    "segment_removed",
    ngettext_lazy("Segment removed, with %(codings)s coding.", "Segment removed, with %(codings)s codings.", "codings"),
    plural="codings",
    codings=Count(),
)
kind(
    "retention_removed",
    ngettext_lazy(
        "Retention: %(count)s material or participant removed.",
        "Retention: %(count)s materials and participants removed.",
        "count",
    ),
    plural="count",
    count=Count(),
)
kind("segments", ngettext_lazy("%(count)s segment.", "%(count)s segments.", "count"), plural="count", count=Count())
kind(
    "codes_added", ngettext_lazy("%(count)s new code.", "%(count)s new codes.", "count"), plural="count", count=Count()
)
kind(
    "project_imported",
    _(
        "New codes: %(codes)s. New codings: %(codings)s. New segments: %(segments)s. Notes added to memos: "
        "%(memos)s. New or changed themes: %(themes)s. Left out: %(refused)s."
    ),
    codes=Count(),
    codings=Count(),
    segments=Count(),
    memos=Count(),
    themes=Count(),
    refused=Count(),
)
kind("compared", _("Comparison seen."))
kind(
    "project_file",
    _("Materials: %(material)s. Codings: %(coding)s. Notes: %(notes)s. Sets: %(sets)s."),
    material=Count(),
    coding=Count(),
    notes=Count(),
    sets=Count(),
)
kind("codebook_file", ngettext_lazy("%(count)s code.", "%(count)s codes.", "count"), plural="count", count=Count())
kind("codes_and_segments", _("Codes: %(codes)s. Segments: %(segments)s."), codes=Count(), segments=Count())
kind("undone", _("Undone."))
kind(
    "exported_copies",
    ngettext_lazy(
        "Exported copies to delete: %(count)s person told.",
        "Exported copies to delete: %(count)s people told.",
        "count",
    ),
    plural="count",
    count=Count(),
)
kind("exported_copies_deleted", _("Exported copies marked as deleted."))

# Service
kind("ended", _("Ended."))
kind("guidance_record", _("Guidance record written."))
kind("what_is_hard_now", _("What is hard now."))
kind("person_fields", _("Changed: %(fields)s."), fields=Fields("service.serviceuser"))
kind("profile_fields", _("Changed: %(fields)s."), fields=Fields("service.peerworkerprofile"))
kind("account_fields", _("Changed: %(fields)s."), fields=Fields("accounts.user"))
kind("referral_status", _("Status: %(status)s."), status=Choice("service.referral", "status"))
kind("goal_words", _("The goal's words changed."))
kind("goal_achieved", _("Achieved."))
kind("goal_set_aside", _("Set aside."))
kind(
    "candidates",
    ngettext_lazy("%(count)s peer worker proposed.", "%(count)s peer workers proposed.", "count"),
    plural="count",
    count=Count(),
)
kind("waived", _("Waived %(side)s."), side=SIDES)
kind("answer", _("Answer: %(answer)s."), answer=Choice("service.proposedcandidate", "answer"))
kind("handover", _("Handed over to a new engagement."), engagement=Hidden())
kind("chosen", _("Chosen."))
kind("proposal_outcome", _("Outcome: %(outcome)s."), outcome=Choice("service.matchproposal", "outcome"))
kind("review", _("Reviewed."))
kind("closed_reason", _("Closed. Reason: %(reason)s."), reason=Choice("service.engagement", "closure_reason"))
kind("extended", _("Extended."))
kind(
    "availability",
    _("%(kind)s: %(fields)s."),
    kind=Choice("service.availabilitychange", "kind"),
    fields=Fields("service.peerworkerprofile"),
)
kind("new_peer_worker_needed", _("A new peer worker is needed."))
kind("peer_worker_left", _("The peer worker is no longer active."))
kind("peer_worker_back", _("The peer worker is active again: no new peer worker is needed."))

# Privacy
kind(
    "visibility_by_consent",
    _("Visibility: %(visibility)s, by consent."),
    visibility=Enum("peerwork.service.models.Visibility"),
    consent=Hidden(),
)
kind(
    "retention_months",
    ngettext_lazy("Kept for %(count)s month.", "Kept for %(count)s months.", "count"),
    plural="count",
    count=Count(),
)
kind("rectified", _("Corrected: %(fields)s."), fields=Fields("service.serviceuser"))
kind(
    "export_people",
    ngettext_lazy("%(count)s person in the export.", "%(count)s people in the export.", "count"),
    plural="count",
    count=Count(),
)
kind("evaluation_export", _("In an evaluation export."))
kind("own_consent_given", _("Own consent given, for: %(purpose)s."), purpose=Choice("privacy.consent", "purpose"))
kind(
    "own_consent_withdrawn", _("Own consent withdrawn, for: %(purpose)s."), purpose=Choice("privacy.consent", "purpose")
)
kind("own_consent", _("Own consents, for: %(purpose)s."), purpose=Choice("privacy.consent", "purpose"))
kind("export_key", _("The key of a pseudonymised export."), export=Hidden())
kind("retention_run", _("Retention run."))
kind("extract_downloaded", _("Evaluation extract downloaded."))
kind(
    "anonymised",
    ngettext_lazy("Anonymised (%(reason)s): %(count)s value.", "Anonymised (%(reason)s): %(count)s values.", "count"),
    plural="count",
    reason=ERASURE_REASONS,
    count=Count(),
    parts=Hidden(),
)

# Accounts and signing in
kind("token_created", _("API token created."))
kind("token_revoked", _("API token revoked."))
kind("language", _("Language changed."))
kind("invitation_mail_sent", _("Invitation sent by e-mail."))
kind("two_factor_enrolled", _("Two-factor sign-in set up."))
kind("recovery_codes_made", _("Recovery codes made."))
kind("recovery_code_accepted", _("Recovery code accepted."))
kind("recovery_code_refused", _("Recovery code refused."))
kind("org_sign_in_bound", _("Organisation sign-in linked through an invitation."))
kind("org_sign_in_refused", _("Organisation sign-in refused: %(why)s."), why=SIGN_IN_REFUSALS)
kind("org_sign_in_invited", _("Invited to organisation sign-in."))
kind("org_sign_in_set", _("Organisation sign-in set."))
kind("org_sign_in_removed", _("Organisation sign-in removed."))
kind("org_sign_in_accepted", _("Organisation sign-in accepted."))
kind(
    "switched_off",
    _("Account switched off. Sessions ended: %(sessions)s. Tokens revoked: %(tokens)s."),
    sessions=Count(),
    tokens=Count(),
)
kind("switched_on", _("Account switched on."))
kind("two_factor_reset", _("Two-factor sign-in reset. Sessions ended: %(sessions)s."), sessions=Count())
kind("password_accepted", _("Password accepted."))
kind("password_refused", _("Password refused."))
kind("two_factor_accepted", _("Two-factor code accepted."))
kind("two_factor_refused", _("Two-factor code refused."))
kind("password_reset", _("Password changed with a reset link."))


def renders(name: str, **values: Any) -> str:
    """The sentence for kind ``name`` with sample parameters (each parameter's own sample unless given)."""
    k = KINDS[name]
    params = {p: values.get(p, renderer.sample()) for p, renderer in k.params.items()}
    return in_words(Detail(name, **params).stored)

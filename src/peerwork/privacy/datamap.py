"""The data map: every field of every installed table, declared once.

For each field it says whose data it is, what kind of data (identifying, special category / health, free
text, operational), whether it is part of a service user's copy of their data (with a plain label), what
anonymisation does to it and how long it is kept. The subject-access copy (``subject.collect``), the
anonymisation (``subject.anonymise``, which the retention run calls) and the record of processing in
docs/data-protection.md (``peerwork datamap doc``) are all read from here, and a test fails on any field
of any installed model that is not declared, so a field added later cannot be left out.

A table reads as ``{field: declaration}``; the declaration helpers say the kind of data (``ident``,
``health``, ``text``, ``op``), the label in the person's copy (``True`` takes the field's own label, a
string gives another, nothing means not part of the copy) and, where it differs from the table's rule,
the treatment on erasure. The table's rule: for a service user's tables, personal fields are blanked and
operational ones kept as anonymous statistics; everyone else's fields are kept on the table's legal basis.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from enum import StrEnum
from typing import Any

from django.apps import apps
from django.db import models
from django.utils.text import capfirst
from django.utils.translation import gettext_lazy as _

from peerwork.core import docs
from peerwork.core.roles import Role
from peerwork.service.models import ExperienceKind, LifeArea, ServiceUsed


class Whose(StrEnum):
    SERVICE_USER = "service user"
    PEER_WORKER = "peer worker"
    STAFF = "staff member"  # anyone who signs in: employees, peer workers as employees, professionals
    OUTSIDER = "someone outside Peerwork"  # a co-creation participant named by hand
    PARTICIPANT = "co-assessment participant"  # under a pseudonym; the name key is their consent's subject
    NONE = "no one"


class Kind(StrEnum):
    IDENTIFYING = "identifying"
    HEALTH = "special category (health)"
    FREE_TEXT = "free text"
    OPERATIONAL = "operational"


class Erase(StrEnum):
    BLANK = "blanked"
    REPLACE = "replaced by “[anonymised]”"
    STAMP = "set to the time of anonymisation"
    DELETE = "row deleted"
    STATISTIC = "kept as an anonymous statistic"
    KEEP = "kept"
    NOT_PERSONAL = "not personal data"


PERSONAL_KINDS = (Kind.IDENTIFYING, Kind.HEALTH, Kind.FREE_TEXT)
REMOVED = (Erase.BLANK, Erase.REPLACE, Erase.DELETE)

# --- legal bases and retention, in plain words -----------------------------------------------------------

WHO_ACTED = "who acted, Art. 5(2)"
AUDIT_BASIS = "accountability and the access report, Art. 5(2), 15(1)(c) and 30; ids, codes and who acted only"
EMPLOYMENT = "organisation of the work, Art. 6(1)(b), (c) or (e); removed with the account"
SECURITY = "security of processing, Art. 32"
SELF_DECLARED = "the peer worker's own declaration for matching and placement, Art. 9(2)(a); they change it"
CO_CREATION = "the record of co-creation, Art. 6(1)(e); the coordinator removes a name on request"
OWN_CONSENT = "the staff member's own consent, Art. 6(1)(a) and 89; they withdraw it on their own page"
EVALUATION = "pseudonymised evaluation extract, Art. 89; the key is deleted when the work is done"

HARD_NOW_BASIS = (
    "the peer worker's explicit choice to write it, Art. 9(2)(a); only they read it unless they share it with "
    "the session's guide; they see and clear it on the session page"
)
HARD_NOW_RETENTION = "until the peer worker clears it, or their account is removed"
R_PERSON = "until anonymised (the retention period, §5)"
R_STATISTIC = "anonymous, for statistics"
R_ACCOUNT = "while the account exists"
R_AUDIT = "append-only, for the audit period"
R_SESSION = "until sign-out or 30 minutes idle"
R_SIGN_IN = "until an administrator resets them"
R_ORG = "while the organisation uses Peerwork"
R_WORK = "while the organisation keeps the work record"
R_EXTRACT = "until the DPO deletes the extract or its key"
R_NOTIFICATION = "180 days, then deleted by the weekly clean-up job"
R_COASSESSMENT = (
    "until the co-assessment's deletion date (set in its plan), then deleted by the daily retention run; "
    "a participant's withdrawal deletes their segments and codings at once"
)
COASSESSMENT_BASIS = (
    "the participant's consent to evaluation, Art. 6(1)(a), 9(2)(a) and 89; pseudonymised, the name key is read "
    "by the data protection officer only"
)
R_JOBS = "successful jobs 30 days, failed ones 90 days, then deleted by the weekly clean-up job"


@dataclass(frozen=True)
class Field:
    """One field's declaration. ``label``: ``True`` (the field's own label), a text, or ``None`` (not part
    of the person's copy). ``show``: ``"name"`` shows a linked row by its name instead of its number,
    ``"languages"`` language codes by their names, ``"kind of record"`` a model label by the model's name and
    ``"through"`` an audit entry's page or API call in words; ``choices`` turns the codes of a list into words."""

    kind: Kind = Kind.OPERATIONAL
    label: Any = None
    erase: Erase | None = None
    whose: Whose | None = None
    basis: str = ""
    retention: str = ""
    show: str = "value"
    choices: Any = None


def ident(label: Any = None, **kw: Any) -> Field:
    return Field(Kind.IDENTIFYING, label, **kw)


def health(label: Any = None, **kw: Any) -> Field:
    return Field(Kind.HEALTH, label, **kw)


def text(label: Any = None, **kw: Any) -> Field:
    return Field(Kind.FREE_TEXT, label, **kw)


def op(label: Any = None, **kw: Any) -> Field:
    return Field(Kind.OPERATIONAL, label, **kw)


def acted(label: Any = None, show: str = "name") -> Field:
    """A staff member who wrote, decided or recorded something: kept, so the record shows who acted."""
    return Field(Kind.IDENTIFYING, label, Erase.KEEP, Whose.STAFF, WHO_ACTED, R_ACCOUNT, show=show)


KEY = op()  # the row's number or a link to another row


@dataclass(frozen=True)
class Table:
    """One model's fields. ``person``: the lookup from this table to the service user (the row belongs
    to that person's record), with ``where`` for a link that is not a foreign key. ``section`` and
    ``heading`` name the part of the person's copy; ``delete_rows``: anonymisation deletes the rows."""

    whose: Whose
    retention: str
    fields: dict[str, Field]
    basis: str = ""
    person: str | None = None
    where: dict[str, str] = field(default_factory=dict)
    section: str = ""
    heading: Any = ""
    delete_rows: bool = False

    def resolved(self, name: str) -> Field:
        """The declaration with the table's rule filled in (whose, erasure, legal basis, retention)."""
        f = self.fields[name]
        whose = f.whose or self.whose
        erase = f.erase
        if erase is None:
            if self.delete_rows:
                erase = Erase.DELETE
            elif whose is Whose.NONE:
                erase = Erase.NOT_PERSONAL
            elif self.person and whose is Whose.SERVICE_USER:
                erase = Erase.STATISTIC if f.kind is Kind.OPERATIONAL else Erase.BLANK
            else:
                erase = Erase.KEEP
        basis = f.basis or (self.basis if erase is Erase.KEEP else "")
        retention = f.retention or (R_STATISTIC if erase is Erase.STATISTIC else self.retention)
        return replace(f, whose=whose, erase=erase, basis=basis, retention=retention)


PERSON = "service.serviceuser"

# --- the service user and the peer recovery service -------------------------------------------------------

_SU = Whose.SERVICE_USER
SERVICE: dict[str, Table] = {
    "service.ServiceUser": Table(
        _SU,
        R_PERSON,
        person="pk",
        section="person",
        heading=_("The person"),
        fields={
            "id": op(_("Number")),
            "organisation": KEY,
            "chosen_name": ident(_("Name")),
            "phone": ident(_("Phone")),
            "email": ident(_("E-mail")),
            "birth_year": ident(_("Year of birth")),
            "languages": ident(_("Languages"), show="languages"),
            "municipality": ident(_("Municipality")),
            "district": ident(_("District")),
            "gender": ident(_("Gender")),
            "help_with": text(_("What the person wants help with")),
            "help_areas": health(_("Life areas"), choices=LifeArea),
            "interests": ident(True),
            "background": health(True),
            "services_used": health(True, choices=ServiceUsed),
            "wishes": health(_("Wishes about the peer worker")),
            "created_at": op(_("Registered")),
            "created_by": acted(),
            "anonymised_at": op(_("Anonymised"), erase=Erase.STAMP),
        },
    ),
    "service.Referral": Table(
        _SU,
        R_PERSON,
        person="service_user",
        section="referrals",
        heading=_("Referrals"),
        fields={
            "id": op(_("Number")),
            "organisation": KEY,
            "service_user": KEY,
            "source": op(True),
            "referrer": ident(True),
            "referrer_user": acted(),
            "received_on": op(True),
            "status": op(True),
            "status_reason": text(_("Reason"), erase=Erase.REPLACE),
            "status_changed_at": op(),
            "wanted_experience": health(True, choices=ExperienceKind),
            "needs_evenings": op(True),
            "needs_weekends": op(True),
            "created_at": op(),
            "created_by": acted(),
        },
    ),
    "service.MatchProposal": Table(
        _SU,
        R_PERSON,
        person="referral__service_user",
        section="match_proposals",
        heading=_("Match proposals"),
        fields={
            "id": op(_("Number")),
            "organisation": KEY,
            "referral": op(_("Referral")),
            "origin": op(),
            "proposed_by": acted(),
            "proposed_at": op(_("Proposed")),
            "outcome": op(True),
            "chosen": acted(),
            "refusal_reason": text(True),
            "decided_at": op(_("Decided")),
            "handover_from": op(_("Handover from engagement")),
            "planned_end_on": op(True),
            # free text agreed with the person, as an extension's reason: may say something about their life
            "planned_end_reason": text(True),
        },
    ),
    "service.ProposedCandidate": Table(
        _SU,
        R_PERSON,
        person="proposal__referral__service_user",
        section="proposed_candidates",
        heading=_("Peer workers proposed"),
        fields={
            "id": KEY,
            "organisation": KEY,
            "proposal": op(_("Match proposal")),
            "peer_worker": acted(_("Peer worker")),
            "rank": op(_("Rank")),
            "score": op(_("Fit")),
            # reason codes may name what the person and the peer worker share (interests, services used)
            "reasons": health(),
            "answer": op(True),
            # only what the peer worker chose to write when answering; a decline needs no reason
            "answer_note": text(True),
            "answered_at": op(_("Answered")),
        },
    ),
    "service.Engagement": Table(
        _SU,
        R_PERSON,
        person="service_user",
        section="engagements",
        heading=_("Engagements"),
        fields={
            "id": op(_("Number")),
            "organisation": KEY,
            "service_user": KEY,
            "peer_worker": acted(_("Peer worker")),
            "referral": KEY,
            "previous": KEY,
            "started_on": op(True),
            "frequency": op(True),
            "next_review_on": op(),
            "last_review_on": op(True),
            "planned_end_on": op(True),
            "closed_on": op(True),
            "closure_reason": op(True),
            "closure_words": text(_("In the person's words")),
            "closed_by": acted(),
            "new_peer_worker_needed_since": op(),
            "created_at": op(),
            "created_by": acted(),
        },
    ),
    "service.EngagementExtension": Table(
        _SU,
        R_PERSON,
        person="engagement__service_user",
        section="engagement_extensions",
        heading=_("Agreed extensions of an engagement"),
        fields={
            "id": op(_("Number")),
            "organisation": KEY,
            "engagement": KEY,
            "previous_end_on": op(True),
            "new_end_on": op(True),
            # free text agreed with the person: may say something about their health or life
            "reason": text(_("Why the engagement goes on")),
            "person_agreed": op(True),
            "peer_worker_agreed": op(True),
            "agreed_on": op(True),
            "recorded_by": acted(),
            "recorded_at": op(),
        },
    ),
    "service.ContactAgreement": Table(
        _SU,
        R_PERSON,
        person="engagement__service_user",
        section="contact_agreement",
        heading=_("Contact agreement"),
        fields={
            "id": op(_("Number")),
            "organisation": KEY,
            "engagement": KEY,
            "channels": op(_("Preferred ways of contact")),
            "days": op(_("Agreed days")),
            "hours_from": op(_("From")),
            "hours_until": op(_("Until")),
            # free text made with the person: may name people around them or something about their health
            "out_of_hours": text(_("What happens out of hours")),
            "crisis": text(_("In a crisis, who to call instead")),
            "agreed_on": op(True),
            "reviewed_on": op(True),
            "updated_by": acted(),
            "updated_at": op(),
        },
    ),
    "service.StrainAction": Table(
        _SU,
        R_PERSON,
        person="engagement__service_user",
        section="strain_actions",
        heading=_("What was done about strain in contact"),
        fields={
            "id": op(_("Number")),
            "organisation": KEY,
            "peer_worker": acted(_("Peer worker")),
            "engagement": KEY,
            "topic": op(_("Topic")),
            "action": op(True),
            "taken_on": op(True),
            "recorded_by": acted(),
            "recorded_at": op(),
        },
    ),
    "service.Contact": Table(
        _SU,
        R_PERSON,
        person="engagement__service_user",
        section="contacts",
        heading=_("Contacts"),
        fields={
            "id": op(_("Number")),
            "organisation": KEY,
            "engagement": KEY,
            "peer_worker": acted(),
            "date": op(True),
            "start_time": op(_("Time")),
            "duration_minutes": op(_("Minutes")),
            "channel": op(True),
            "initiated_by": op(True),
            "kind": op(_("What happened")),
            "outside_agreed_hours": op(),
            "note": text(_("Note")),
            "note_visibility": op(True),
            "created_at": op(),
            "updated_at": op(),
        },
    ),
    "service.Goal": Table(
        _SU,
        R_PERSON,
        person="service_user",
        section="goals",
        heading=_("Goals"),
        fields={
            "id": op(_("Number")),
            "organisation": KEY,
            "service_user": KEY,
            "engagement": KEY,
            "life_area": op(True),
            "words": text(_("In the person's words")),
            "visibility": op(True),
            "created_at": op(_("Set")),
            "created_by": acted(),
            "achieved_on": op(_("Reached")),
            "closed_on": op(True),
        },
    ),
    "service.GoalRating": Table(
        _SU,
        R_PERSON,
        person="goal__service_user",
        section="goal_ratings",
        heading=_("Ratings of goals"),
        fields={
            "id": KEY,
            "organisation": KEY,
            "goal": op(_("Goal")),
            "rated_on": op(True),
            "rating": op(True),
            "comment": text(_("In the person's words")),
            "recorded_by": acted(),
        },
    ),
    "service.GoalRevision": Table(
        _SU,
        R_PERSON,
        person="goal__service_user",
        section="goal_revisions",
        heading=_("Earlier wordings of goals"),
        fields={
            "id": KEY,
            "organisation": KEY,
            "goal": op(_("Goal")),
            "words": text(_("Earlier wording")),
            "revised_at": op(_("Corrected")),
            "revised_by": acted(),
        },
    ),
    "service.DeclaredConflict": Table(
        _SU,
        R_PERSON,
        person="service_user",
        section="declared_conflicts",
        heading=_("Declared acquaintance with a peer worker"),
        delete_rows=True,
        fields={
            "id": KEY,
            "organisation": KEY,
            # who it is stays with the service: it is the peer worker's declaration
            "profile": Field(Kind.IDENTIFYING, whose=Whose.PEER_WORKER),
            "service_user": KEY,
            "declared_on": op(True),
            "peer_worker_waiver_note": text(True),
            "peer_worker_waived_at": op(_("The peer worker said it is fine")),
            "peer_worker_waived_by": acted(),
            "person_waiver_note": text(True),
            "person_waived_at": op(_("The person said it is fine")),
            "person_waived_by": acted(),
        },
    ),
    "service.PeerWorkerProfile": Table(
        Whose.PEER_WORKER,
        R_ACCOUNT,
        basis=SELF_DECLARED,
        fields={
            "id": KEY,
            "organisation": KEY,
            "user": ident(),
            "experience_kinds": health(),
            "services_used": health(),
            "background": health(),
            "interests": ident(),
            "languages": ident(),
            "districts": ident(),
            "birth_year": ident(),
            "gender": ident(),
            "working_hours": op(),
            "evenings": op(),
            "weekends": op(),
            "capacity": op(),
            "capacity_min": op(),
            "capacity_max": op(),
            "accepting": op(),
            "resumes_on": op(),
            "on_hold": op(),
            "hold_lifted_at": op(),
            "hold_lifted_by": acted(),
            "updated_at": op(),
        },
    ),
    "service.AvailabilityChange": Table(
        Whose.PEER_WORKER,
        R_ACCOUNT,
        basis=EMPLOYMENT,
        fields={
            "id": KEY,
            "organisation": KEY,
            "profile": KEY,
            "kind": op(),
            "values": op(),
            "changed_by": acted(),
            "changed_at": op(),
        },
    ),
    "service.GuidanceRelationship": Table(
        Whose.PEER_WORKER,
        R_WORK,
        basis=EMPLOYMENT,
        fields={
            "id": KEY,
            "organisation": KEY,
            "peer_worker": ident(),
            "guide": acted(),
            "starts_on": op(),
            "ends_on": op(),
            "set_by": acted(),
            "created_at": op(),
        },
    ),
    "service.GuidanceSession": Table(
        Whose.PEER_WORKER,
        R_WORK,
        basis=EMPLOYMENT,
        fields={
            "id": KEY,
            "organisation": KEY,
            "kind": op(),
            "status": op(),
            "is_group_session": op(),
            "guide": acted(),
            "meets_on": op(),
            "topics": text(),
            "signals": op(),
            "follow_ups": text(),
            "next_on": op(),
            "created_at": op(),
        },
    ),
    "service.GuidanceParticipant": Table(
        Whose.PEER_WORKER,
        R_WORK,
        basis=EMPLOYMENT,
        fields={
            "id": KEY,
            "organisation": KEY,
            "session": KEY,
            "peer_worker": ident(),
            # The peer worker's own note before a session: it may say how their health is (special
            # category). Read by them alone, or by the session's guide when they tick the box; they see it
            # whole on the session page (their access) and clear it there (their erasure), and it goes with
            # their account.
            "hard_now": health(erase=Erase.BLANK, basis=HARD_NOW_BASIS, retention=HARD_NOW_RETENTION),
            "hard_now_shared": op(),
            "updated_at": op(),
        },
    ),
    "service.GuidanceAgendaItem": Table(
        Whose.PEER_WORKER,
        R_WORK,
        basis=EMPLOYMENT,
        fields={
            "id": KEY,
            "organisation": KEY,
            "session": KEY,
            "author": acted(),
            "text": text(),
            "created_at": op(),
        },
    ),
    "service.GuidanceShare": Table(
        Whose.PEER_WORKER,
        R_WORK,
        basis=EMPLOYMENT,
        fields={
            "id": KEY,
            "organisation": KEY,
            "session": KEY,
            "reader": ident(whose=Whose.STAFF),
            "shared_at": op(),
        },
    ),
}

_SETTINGS = ["id", "organisation", "updated_at"]


def _settings(*names: str) -> Table:
    return Table(Whose.NONE, R_ORG, fields={n: op() for n in [*_SETTINGS, *names]})


SERVICE |= {
    "service.MatchingSettings": _settings(
        "experience",
        "services",
        "background",
        "interests",
        "age",
        "language",
        "district",
        "wishes",
        "availability",
        "waiting",
        "plan_version",
    ),
    "service.WorkloadSettings": _settings(
        "contacts_per_week",
        "hours_per_week",
        "outside_hours_percent",
        "weekend_contacts",
        "burst_contacts",
        "burst_days",
        "guidance_every_days",
        "review_every_weeks",
        "end_reminder_days",
    ),
}

# --- groups and courses led by peer workers ---------------------------------------------------------------

# The group or course itself is the organisation's work record (who leads it is the peer workers' work); a
# person's place in it and the sessions they came to are that person's data: in their copy, and blanked or
# kept as an anonymous count (attendance counts in the evaluation's reach) when they are erased.
ACTIVITIES: dict[str, Table] = {
    "activities.Activity": Table(
        Whose.NONE,
        R_ORG,
        fields={
            "id": KEY,
            "organisation": KEY,
            "kind": op(),
            "title": op(),
            "description": op(),
            "venue": op(),
            "schedule": op(),
            "places": op(),
            "starts_on": op(),
            "ends_on": op(),
            "created_at": op(),
            "created_by": acted(),
        },
    ),
    "activities.Activity_leaders": Table(
        Whose.PEER_WORKER, R_WORK, basis=EMPLOYMENT, fields={"id": KEY, "activity": KEY, "user": ident()}
    ),
    "activities.ActivitySession": Table(
        Whose.NONE,
        R_ORG,
        fields={
            "id": KEY,
            "organisation": KEY,
            "activity": KEY,
            "meets_on": op(),
            "starts_at": op(),
            "status": op(),
            "marked_by": acted(),
            "marked_at": op(),
        },
    ),
    "activities.ActivityPlace": Table(
        _SU,
        R_PERSON,
        person="service_user",
        section="activity_places",
        heading=_("Places in groups and courses"),
        fields={
            "id": op(_("Number")),
            "organisation": KEY,
            "activity": op(_("Group or course"), show="name"),
            "service_user": KEY,
            "status": op(True),
            "from_waiting_list": op(True),
            "offered_on": op(True),
            "offered_by": acted(),
            "answered_on": op(True),
        },
    ),
    "activities.Attendance": Table(
        _SU,
        R_PERSON,
        person="place__service_user",
        section="attendance",
        heading=_("Sessions of groups and courses the person came to"),
        fields={
            "id": KEY,
            "organisation": KEY,
            "session": op(_("Session"), show="name"),
            "place": op(_("Place (number)")),
        },
    ),
}

# --- privacy: consent, the audit trail, retention, evaluation extracts ------------------------------------

PRIVACY: dict[str, Table] = {
    "privacy.Consent": Table(
        _SU,
        R_PERSON,
        person="service_user",
        section="consents",
        heading=_("Consents"),
        fields={
            "id": op(_("Number")),
            "organisation": KEY,
            "service_user": KEY,
            # A staff member's own consent (a peer worker's to evaluation extracts): a row of theirs, never
            # part of a service user's record; it goes with the account.
            "staff_member": ident(whose=Whose.STAFF, basis=OWN_CONSENT, retention=R_ACCOUNT),
            "purpose": op(_("For")),
            "goals": op(True),
            "contact_summaries": op(True),
            "recipient_unit": op(_("With"), show="name"),
            "recipient_user": acted(_("With (a person)")),
            "given_on": op(_("Given")),
            "valid_until": op(_("Until")),
            "how_given": op(_("How")),
            "recorded_by": acted(),
            "recorded_at": op(),
            "withdrawn_at": op(_("Withdrawn"), erase=Erase.STAMP),
            "withdrawn_by": acted(),
            "study": op(_("For this study only")),
        },
    ),
    "privacy.ConsentItem": Table(
        _SU,
        R_PERSON,
        person="consent__service_user",
        section="consent_items",
        heading=_("What each consent shares"),
        fields={
            "id": KEY,
            "organisation": KEY,
            "consent": op(_("Consent")),
            "goal": op(_("Goal")),
            "contact": op(_("Contact")),
        },
    ),
    # Kept on erasure: who acted and on what (ids and codes). The person's copy shows when, in which role,
    # what kind of thing and through which page; names of who acted are in the access report.
    "audit.AuditEntry": Table(
        Whose.STAFF,
        R_AUDIT,
        basis=AUDIT_BASIS,
        person="subject_id",
        where={"subject_type": PERSON},
        section="access",
        heading=_("Who read or changed this record"),
        fields={
            "id": KEY,
            "chain": KEY,
            "organisation": KEY,
            "at": op(_("When")),
            "actor": acted(),
            "actor_label": acted(),
            "role": op(True, choices=Role),
            "action": op(True),
            "object_type": op(_("What"), show="kind of record"),
            "object_id": KEY,
            "subject_type": KEY,
            "subject_id": KEY,
            "via": op(_("Page or API call"), show="through"),
            "detail": op(),
            "prev_hash": KEY,
            "hash": KEY,
        },
    ),
    "audit.AuditHead": Table(
        Whose.NONE, R_AUDIT, fields={"chain": KEY, "last_hash": KEY, "count": KEY, "key_id": KEY, "mac": KEY}
    ),
    "privacy.RetentionPolicy": Table(
        Whose.NONE,
        R_ORG,
        fields={
            "id": KEY,
            "organisation": KEY,
            "months_after_last_engagement": op(),
            "updated_at": op(),
            "updated_by": acted(),
        },
    ),
    "privacy.EvaluationExport": Table(
        _SU,
        R_EXTRACT,
        basis=EVALUATION,
        fields={
            "id": KEY,
            "organisation": KEY,
            "created_at": op(),
            "created_by": acted(),
            "recipient": op(),
            "purpose": op(),
            "people": op(),
            # pseudonymised, no names or free text; only people who consented to evaluation
            "content": health(),
        },
    ),
    "privacy.PseudonymKey": Table(
        Whose.NONE,
        R_EXTRACT,
        fields={"id": KEY, "organisation": KEY, "export": KEY, "key": KEY, "created_at": op()},
    ),
}

# --- accounts and organisations ---------------------------------------------------------------------------

_ST = Whose.STAFF
ACCOUNTS: dict[str, Table] = {
    "accounts.User": Table(
        _ST,
        R_ACCOUNT,
        basis=EMPLOYMENT,
        fields={
            "id": KEY,
            "password": op(basis=SECURITY),
            "last_login": op(),
            "is_superuser": op(),
            "username": ident(),
            "first_name": ident(),
            "last_name": ident(),
            "email": ident(),
            "is_staff": op(),
            "is_active": op(),
            "date_joined": op(),
            "display_name": ident(),
            "language": op(),
            "is_demo": op(),
            "unread_notifications": op(),
        },
    ),
    "accounts.User_groups": Table(_ST, R_ACCOUNT, basis=EMPLOYMENT, fields={"id": KEY, "user": KEY, "group": KEY}),
    "accounts.User_user_permissions": Table(
        _ST, R_ACCOUNT, basis=EMPLOYMENT, fields={"id": KEY, "user": KEY, "permission": KEY}
    ),
    "accounts.Membership": Table(
        _ST,
        R_ACCOUNT,
        basis=EMPLOYMENT,
        fields={"id": KEY, "organisation": KEY, "user": KEY, "role": op(), "unit": op(), "created_at": op()},
    ),
    "accounts.ApiToken": Table(
        _ST,
        R_ACCOUNT,
        basis=SECURITY,
        fields={
            "id": KEY,
            "organisation": KEY,
            "user": KEY,
            "name": op(),
            "key_hash": KEY,
            "hint": op(),
            "created_at": op(),
            "expires_at": op(),
            "last_used_at": op(),
            "revoked_at": op(),
        },
    ),
    "accounts.OidcIdentity": Table(
        _ST,
        R_ACCOUNT,
        basis=SECURITY,
        fields={
            "id": KEY,
            "organisation": KEY,
            "user": KEY,
            "provider": op(),
            "issuer": op(),
            "subject": ident(),
            "created_at": op(),
        },
    ),
    "organisations.Organisation": Table(
        Whose.NONE,
        R_ORG,
        fields={n: op() for n in ["id", "name", "slug", "kind", "country", "language", "created_at"]},
    ),
    "organisations.Unit": Table(
        Whose.NONE, R_ORG, fields={n: op() for n in ["id", "organisation", "name", "kind", "district"]}
    ),
    "organisations.Position": Table(
        _ST,
        R_WORK,
        basis=EMPLOYMENT,
        fields={
            "id": KEY,
            "organisation": KEY,
            "title": op(),
            "unit": op(),
            "holder": ident(),
            "role_form": op(),
            "hours_per_week": op(),
            "reports_to": KEY,
            "start_date": op(),
            "end_date": op(),
            "peer_work_experience_since": op(),
        },
    ),
}

# --- readiness, co-creation, evaluation -------------------------------------------------------------------

READINESS: dict[str, Table] = {
    "readiness.ReadinessSettings": Table(
        Whose.NONE,
        R_ORG,
        fields={n: op() for n in ["id", "organisation", "committee_limit"]},
    ),
    "readiness.CustomItem": Table(
        Whose.NONE,
        R_ORG,
        fields={
            n: op() for n in ["id", "organisation", "domain", "text_en", "text_nb", "text_da", "active", "created_at"]
        },
    ),
    "readiness.Round_custom_items": Table(Whose.NONE, R_ORG, fields={"id": KEY, "round": KEY, "customitem": KEY}),
    "readiness.Round": Table(
        Whose.NONE,
        R_WORK,
        fields={
            "id": KEY,
            "organisation": KEY,
            "title": op(),
            "unit": op(),
            "status": op(),
            "opens_on": op(),
            "closes_on": op(),
            "created_by": acted(),
            "created_at": op(),
        },
    ),
    "readiness.Invitation": Table(
        _ST,
        R_WORK,
        basis=EMPLOYMENT,
        fields={
            "id": KEY,
            "organisation": KEY,
            "round": KEY,
            "group": op(),
            "user": ident(),
            "token_hash": KEY,
            "completed": op(),
        },
    ),
    "readiness.Response": Table(
        _ST,
        R_WORK,
        basis=EMPLOYMENT,
        fields={
            "organisation": KEY,
            "id": KEY,
            "round": KEY,
            "group": op(),
            "status": op(),
            "anonymous": op(),
            "invitation": KEY,
            "respondent": ident(),
            "answers": op(),
            "submitted_on": op(),
        },
    ),
    "readiness.Risk": Table(
        Whose.NONE,
        R_WORK,
        fields={
            "id": KEY,
            "organisation": KEY,
            "unit": op(),
            "code": op(),
            "status": op(),
            "notes": text(whose=_ST, basis=EMPLOYMENT),
            "review_on": op(),
            "updated_by": acted(),
            "updated_at": op(),
        },
    ),
    "readiness.ActionItem": Table(
        Whose.NONE,
        R_WORK,
        fields={
            "id": KEY,
            "organisation": KEY,
            "title": text(whose=_ST, basis=EMPLOYMENT),
            "owner": acted(),
            "due_on": op(),
            "status": op(),
            "source": op(),
            "source_ref": op(),
            "round": KEY,
            "risk": KEY,
            "unit": op(),
            "created_by": acted(),
            "created_at": op(),
            "done_on": op(),
        },
    ),
    "readiness.Comment": Table(
        _ST,
        R_WORK,
        basis=EMPLOYMENT,
        fields={
            "id": KEY,
            "organisation": KEY,
            "author": acted(),
            "kind": op(),
            "round": KEY,
            "unit": op(),
            "code": op(),
            "action": KEY,
            "text": text(),
            "private_to": acted(),
            "created_at": op(),
        },
    ),
    "readiness.JobDescription": Table(
        Whose.NONE, R_WORK, fields={"id": KEY, "organisation": KEY, "title": op(), "created_at": op()}
    ),
    "readiness.JobDescriptionVersion": Table(
        Whose.NONE,
        R_WORK,
        fields={
            **{
                n: op()
                for n in [
                    "id",
                    "organisation",
                    "job_description",
                    "number",
                    "role_form",
                    "role_type",
                    "core_tasks",
                    "tasks",
                    "demarcation",
                    "hours_per_week",
                    "reporting_line",
                    "supervision",
                    "does_not_do",
                    "created_at",
                ]
            },
            "created_by": acted(),
        },
    ),
    "readiness.PositionJobDescription": Table(
        Whose.NONE,
        R_WORK,
        fields={
            "id": KEY,
            "organisation": KEY,
            "position": KEY,
            "version": KEY,
            "attached_by": acted(),
            "attached_at": op(),
        },
    ),
    "readiness.Orientation": Table(
        _ST,
        R_WORK,
        basis=EMPLOYMENT,
        fields={
            "id": KEY,
            "organisation": KEY,
            "position": KEY,
            "contact_person": acted(),
            "buddy": acted(),
            "intro_meeting_on": op(),
            "job_coaching": op(),
            "first_supervision_on": op(),
            "training": text(),
            "status": op(),
            "updated_at": op(),
        },
    ),
    "readiness.TeamBriefing": Table(
        Whose.NONE,
        R_WORK,
        fields={
            "id": KEY,
            "organisation": KEY,
            "unit": op(),
            "held_on": op(),
            "topics": op(),
            "recorded_by": acted(),
        },
    ),
    "readiness.TreatmentHistoryDeclaration": Table(
        Whose.PEER_WORKER,
        R_ACCOUNT,
        basis=SELF_DECLARED,
        fields={
            "id": KEY,
            "organisation": KEY,
            "peer_worker": ident(),
            "unit": health(),
            "disclosure": op(),
            "declared_at": op(),
        },
    ),
}

_OUT = Whose.OUTSIDER
COCREATION: dict[str, Table] = {
    "cocreation.CocreationPolicy": Table(
        Whose.NONE, R_ORG, fields={"id": KEY, "organisation": KEY, "contribution_pending_limit_days": op()}
    ),
    "cocreation.Initiative": Table(
        Whose.NONE,
        R_WORK,
        fields={
            "id": KEY,
            "organisation": KEY,
            "title": op(),
            "problem_statement": op(),
            "owner": acted(),
            "unit": op(),
            "created_at": op(),
        },
    ),
    "cocreation.CoOwner": Table(
        Whose.NONE,
        R_WORK,
        fields={"id": KEY, "organisation": KEY, "initiative": KEY, "person": acted(), "added_on": op()},
    ),
    "cocreation.Phase": Table(
        Whose.NONE,
        R_WORK,
        fields={
            n: op()
            for n in ["id", "organisation", "initiative", "kind", "position", "start_date", "end_date", "status"]
        },
    ),
    "cocreation.Participation": Table(
        _OUT,
        R_WORK,
        basis=CO_CREATION,
        fields={
            "id": KEY,
            "organisation": KEY,
            "phase": KEY,
            "person": acted(),
            "external_name": ident(),
            "kind": op(),
        },
    ),
    "cocreation.Contribution": Table(
        _OUT,
        R_WORK,
        basis=CO_CREATION,
        fields={
            "id": KEY,
            "organisation": KEY,
            "initiative": KEY,
            "phase": KEY,
            "contributor": acted(),
            "contributor_name": ident(),
            "contributor_kind": op(),
            "summary": text(),
            "details": text(),
            "submitted_on": op(),
            "outcome": op(),
            "outcome_note": text(whose=_ST),
            "decided_by": acted(),
            "decided_on": op(),
            "decided_with": op(),
            "recorded_by": acted(),
        },
    ),
    "cocreation.DecisionParticipant": Table(
        _OUT,
        R_WORK,
        basis=CO_CREATION,
        fields={
            "id": KEY,
            "organisation": KEY,
            "contribution": KEY,
            "person": acted(),
            "name": ident(),
            "kind": op(),
        },
    ),
    "cocreation.Board": Table(
        Whose.NONE,
        R_WORK,
        fields={
            **{n: op() for n in ["id", "organisation", "name", "kind", "purpose", "unit", "ended_on", "created_at"]},
            "status": op(),
            "proposed_by": acted(),
        },
    ),
    "cocreation.Seat": Table(
        _OUT,
        R_WORK,
        basis=CO_CREATION,
        fields={
            "id": KEY,
            "organisation": KEY,
            "board": KEY,
            "kind": op(),
            "holder": acted(),
            "holder_name": ident(),
            "leads": op(),
            "also_acts_as": op(),
            "converted_from": op(),
        },
    ),
    "cocreation.Meeting": Table(
        Whose.NONE, R_WORK, fields={"id": KEY, "organisation": KEY, "board": KEY, "held_on": op(), "agenda": op()}
    ),
    "cocreation.Decision": Table(
        Whose.NONE,
        R_WORK,
        fields={"id": KEY, "organisation": KEY, "meeting": KEY, "text": op(), "follow_up_by": op()},
    ),
    # A signal is about the service, never about a person: it has no tie to a service user. Its words are the
    # peer worker's, to management, and stay with the organisation's record.
    "cocreation.Signal": Table(
        _ST,
        R_WORK,
        basis=EMPLOYMENT,
        fields={
            "id": KEY,
            "organisation": KEY,
            "raised_by": acted(),
            "kind": op(),
            "title": text(),
            "description": text(),
            "unit": op(),
            "visibility": op(),
            "responsible_manager": acted(),
            "status": op(),
            "raised_at": op(),
            "acknowledged_at": op(),
            "acknowledged_by": acted(),
            "decision": text(),
            "decided_at": op(),
            "outcome": text(),
            "closed_at": op(),
        },
    ),
}

EVALUATION_TABLES: dict[str, Table] = {
    "evaluation.PulseSurvey": Table(
        Whose.NONE,
        R_WORK,
        fields={n: op() for n in ["id", "organisation", "period_start", "period_end", "created_at", "items_version"]},
    ),
    # who took part is kept apart from what was answered, so answers stay anonymous
    "evaluation.PulseParticipation": Table(
        _ST, R_WORK, basis=EMPLOYMENT, fields={"organisation": KEY, "id": KEY, "survey": KEY, "user": ident()}
    ),
    "evaluation.PulseResponse": Table(
        Whose.NONE, R_WORK, fields={"organisation": KEY, "id": KEY, "survey": KEY, "group": op()}
    ),
    "evaluation.PulseAnswer": Table(
        Whose.NONE,
        R_WORK,
        fields={"organisation": KEY, "id": KEY, "response": KEY, "condition": op(), "value": op()},
    ),
}

_PA = Whose.PARTICIPANT
COASSESSMENT_TABLES: dict[str, Table] = {
    "coassessment.CoAssessment": Table(
        Whose.NONE,
        R_WORK,
        fields={
            "id": KEY,
            "organisation": KEY,
            "title": op(),
            "question": op(),
            "phase": KEY,
            "gap": KEY,
            "pulse_survey": KEY,
            "method": op(),
            "status": op(),
            "step": op(),
            "retention_until": op(),
            "created_by": acted(),
            "created_at": op(),
            "ethics_approved_by": acted(),
            "ethics_approved_on": op(),
            "ethics_note": op(),
            "blind_coding": op(),
            "codings_version": op(),
        },
    ),
    "coassessment.TeamMember": Table(
        _ST,
        R_WORK,
        basis=EMPLOYMENT,
        fields={
            "id": KEY,
            "organisation": KEY,
            "coassessment": KEY,
            "person": ident(),
            "role": op(),
            "is_peer_co_researcher": op(),
            "hours_per_month": op(),
            "compared_at": op(),
        },
    ),
    "coassessment.Group": Table(
        Whose.NONE, R_WORK, fields={"id": KEY, "organisation": KEY, "coassessment": KEY, "name": op(), "kind": op()}
    ),
    "coassessment.Participant": Table(
        _PA,
        R_COASSESSMENT,
        basis=COASSESSMENT_BASIS,
        fields={
            "id": KEY,
            "organisation": KEY,
            "coassessment": KEY,
            "group": KEY,
            "pseudonym": ident(),
            # the name key: the consent's data subject, read by the data protection officer only
            "consent": ident(),
            "withdrawn_at": op(),
        },
    ),
    "coassessment.ReflexivityNote": Table(
        _ST,
        R_COASSESSMENT,
        basis=EMPLOYMENT,
        fields={"id": KEY, "organisation": KEY, "member": KEY, "text": text(), "written_at": op()},
    ),
    "coassessment.Guide": Table(
        Whose.NONE,
        R_WORK,
        fields={n: op() for n in ["id", "organisation", "coassessment", "kind", "title"]},
    ),
    "coassessment.GuideQuestion": Table(
        Whose.NONE, R_WORK, fields={n: op() for n in ["id", "organisation", "guide", "position", "text"]}
    ),
    "coassessment.Material": Table(
        _PA,
        R_COASSESSMENT,
        basis=COASSESSMENT_BASIS,
        fields={
            "id": KEY,
            "organisation": KEY,
            "coassessment": KEY,
            "group": KEY,
            "kind": op(),
            "title": op(),
            "text": health(),
            "entered_by": acted(),
            "entered_at": op(),
        },
    ),
    "coassessment.Segment": Table(
        _PA,
        R_COASSESSMENT,
        basis=COASSESSMENT_BASIS,
        fields={
            "id": KEY,
            "organisation": KEY,
            "material": KEY,
            "participant": ident(),
            "start": op(),
            "end": op(),
            "created_by": acted(),
        },
    ),
    "coassessment.Code": Table(
        Whose.NONE,
        R_COASSESSMENT,
        fields={n: op() for n in ["id", "organisation", "coassessment", "name", "description", "codings_version"]},
    ),
    "coassessment.Coding": Table(
        _PA,
        R_COASSESSMENT,
        basis=COASSESSMENT_BASIS,
        fields={
            "id": KEY,
            "organisation": KEY,
            "segment": KEY,
            "code": op(),
            "coder": acted(),
            "blind": op(),
            "created_at": op(),
        },
    ),
    # Computed figures kept to spare recomputing: per code and coder id, no names and no words said.
    "coassessment.AgreementSnapshot": Table(
        Whose.NONE,
        R_COASSESSMENT,
        fields={n: op() for n in ["id", "organisation", "coassessment", "key", "figures", "computed_at"]},
    ),
    "coassessment.AgreementPlace": Table(
        Whose.NONE,
        R_COASSESSMENT,
        fields={
            n: op()
            for n in ["id", "organisation", "snapshot", "position", "material", "start", "end", "code"]
            + ["applied_by", "not_applied_by"]
        },
    ),
    # The guided analysis (coassessment/analysis_models.py): written by team members about what participants said.
    "coassessment.Memo": Table(
        _PA,
        R_COASSESSMENT,
        basis=COASSESSMENT_BASIS,
        fields={
            "id": KEY,
            "organisation": KEY,
            "material": KEY,
            "author": acted(),
            "text": health(),
            "written_at": op(),
        },
    ),
    "coassessment.Theme": Table(
        _PA,
        R_COASSESSMENT,
        basis=COASSESSMENT_BASIS,
        fields={
            "id": KEY,
            "organisation": KEY,
            "coassessment": KEY,
            "kind": op(),
            "name": op(),
            "definition": text(),
            "review": op(),
            "condensate": health(),
            "synthesis": text(),
            "quote": KEY,
            "quote_checked_by": acted(),
            "member_check_group": KEY,
            "member_check_sent_at": op(),
        },
    ),
    "coassessment.Theme_codes": Table(Whose.NONE, R_COASSESSMENT, fields={"id": KEY, "theme": KEY, "code": KEY}),
    "coassessment.Theme_segments": Table(
        _PA, R_COASSESSMENT, basis=COASSESSMENT_BASIS, fields={"id": KEY, "theme": KEY, "segment": KEY}
    ),
    "coassessment.MemberComment": Table(
        _PA,
        R_COASSESSMENT,
        basis=COASSESSMENT_BASIS,
        fields={
            "id": KEY,
            "organisation": KEY,
            "theme": KEY,
            "participant": ident(),
            "text": health(),
            "recorded_by": acted(),
            "recorded_at": op(),
        },
    ),
    "coassessment.Feedback": Table(
        Whose.NONE,
        R_WORK,
        fields={
            "id": KEY,
            "organisation": KEY,
            "theme": KEY,
            "kind": op(),
            "action": KEY,
            "contribution": KEY,
            "you_said": text(),
            "we_did": op(),
            "created_by": acted(),
            "created_at": op(),
        },
    ),
    "coassessment.Decision": Table(
        _ST,
        R_COASSESSMENT,
        basis=EMPLOYMENT,
        fields={
            "id": KEY,
            "organisation": KEY,
            "coassessment": KEY,
            "kind": op(),
            "who": acted(),
            "at": op(),
            "what": op(),
            "why": text(),
            "before": text(),
            "undone_at": op(),
        },
    ),
    # After a withdrawal: who downloaded a copy holding participants' words before it, told to delete it; never
    # who withdrew.
    "coassessment.ExportReminder": Table(
        Whose.NONE,
        R_WORK,
        fields={
            **{n: op() for n in ["id", "organisation", "coassessment", "exported_before", "created_at", "done_at"]},
            "done_by": acted(),
        },
    ),
    "coassessment.ExportReminder_downloaded_by": Table(
        Whose.NONE,
        R_WORK,
        fields={"id": KEY, "exportreminder": KEY, "user": acted()},
    ),
    # The team's answers to the report's checklist (how the groups were led, recruited and set; limits).
    "coassessment.ReportChecklist": Table(
        Whose.NONE,
        R_WORK,
        fields={
            **{n: op() for n in ["id", "organisation", "coassessment", "updated_at"]},
            **{n: text() for n in ["facilitator_relation", "training", "recruitment", "setting", "limits"]},
            "updated_by": acted(),
        },
    ),
    # Peer-led surveys: who took part is kept apart from what was answered, as in the pulse survey
    "coassessment.PeerSurvey": Table(
        Whose.NONE,
        R_WORK,
        fields={
            **{
                n: op()
                for n in [
                    "id",
                    "organisation",
                    "title",
                    "purpose",
                    "for_service_users",
                    "for_peer_workers",
                    "for_staff",
                    "opens_on",
                    "closes_on",
                    "status",
                    "results_shared",
                    "created_at",
                ]
            },
            "coassessment": KEY,
            "previous_round": KEY,
            "created_by": acted(),
        },
    ),  # fmt: skip
    "coassessment.SurveyQuestion": Table(
        Whose.NONE,
        R_WORK,
        fields={
            **{
                n: op()
                for n in [
                    "id",
                    "organisation",
                    "survey",
                    "position",
                    "kind",
                    "text",
                    "low_label",
                    "high_label",
                    "options",
                ]
            },
            "copied_from": KEY,
        },
    ),
    "coassessment.SurveyParticipation": Table(
        _ST, R_WORK, basis=EMPLOYMENT, fields={"organisation": KEY, "id": KEY, "survey": KEY, "user": ident()}
    ),
    "coassessment.SurveyLink": Table(
        Whose.NONE, R_WORK, fields={"organisation": KEY, "id": KEY, "survey": KEY, "token_hash": op(), "used": op()}
    ),
    "coassessment.SurveyResponse": Table(
        Whose.NONE, R_WORK, fields={"organisation": KEY, "id": KEY, "survey": KEY, "group": op()}
    ),
    # anonymous answers; free text is shown only where at least three people answered the question
    "coassessment.SurveyAnswer": Table(
        Whose.NONE,
        R_WORK,
        fields={"organisation": KEY, "id": KEY, "response": KEY, "question": KEY, "value": op(), "text": text()},
    ),
}

# --- third-party tables: Django, two-step sign-in, sign-in throttling ------------------------------------

_ACCESS_LOG = ["id", "user_agent", "ip_address", "username", "http_accept", "path_info", "attempt_time"]
THIRD_PARTY: dict[str, Table] = {
    "auth.Permission": Table(Whose.NONE, R_ORG, fields={n: op() for n in ["id", "name", "content_type", "codename"]}),
    "auth.Group": Table(Whose.NONE, R_ORG, fields={"id": KEY, "name": op()}),
    "auth.Group_permissions": Table(Whose.NONE, R_ORG, fields={"id": KEY, "group": KEY, "permission": KEY}),
    "contenttypes.ContentType": Table(Whose.NONE, R_ORG, fields={"id": KEY, "app_label": op(), "model": op()}),
    "sessions.Session": Table(
        _ST,
        R_SESSION,
        basis=SECURITY,
        fields={"session_key": KEY, "session_data": ident(), "expire_date": op()},
    ),
    "otp_totp.TOTPDevice": Table(
        _ST,
        R_ACCOUNT,
        basis=SECURITY,
        fields={
            n: op()
            for n in [
                "id",
                "user",
                "name",
                "confirmed",
                "throttling_failure_timestamp",
                "throttling_failure_count",
                "created_at",
                "last_used_at",
                "key",
                "step",
                "t0",
                "digits",
                "tolerance",
                "drift",
                "last_t",
            ]
        },
    ),
    "otp_static.StaticDevice": Table(
        _ST,
        R_ACCOUNT,
        basis=SECURITY,
        fields={
            n: op()
            for n in [
                "id",
                "user",
                "name",
                "confirmed",
                "throttling_failure_timestamp",
                "throttling_failure_count",
                "created_at",
                "last_used_at",
            ]
        },
    ),
    # Recovery codes, kept only as digests (peerwork.accounts.services._code_digest).
    "otp_static.StaticToken": Table(_ST, R_ACCOUNT, basis=SECURITY, fields={"id": KEY, "device": KEY, "token": KEY}),
    "axes.AccessAttempt": Table(
        _ST,
        R_SIGN_IN,
        basis=SECURITY,
        fields={
            **{n: ident() if n in ("ip_address", "username") else op() for n in _ACCESS_LOG},
            "get_data": op(),
            "post_data": op(),
            "failures_since_start": op(),
        },
    ),
    "axes.AccessAttemptExpiration": Table(
        _ST, R_SIGN_IN, basis=SECURITY, fields={"access_attempt": KEY, "expires_at": op()}
    ),
    "axes.AccessFailureLog": Table(
        _ST,
        R_SIGN_IN,
        basis=SECURITY,
        fields={
            **{n: ident() if n in ("ip_address", "username") else op() for n in _ACCESS_LOG},
            "locked_out": op(),
        },
    ),
    "axes.AccessLog": Table(
        _ST,
        R_SIGN_IN,
        basis=SECURITY,
        fields={
            **{n: ident() if n in ("ip_address", "username") else op() for n in _ACCESS_LOG},
            "logout_time": op(),
            "session_hash": KEY,
        },
    ),
}

# Notifications hold a kind, a link and counts only (never a service user's name); background jobs take ids.
JOBS_AND_NOTIFICATIONS: dict[str, Table] = {
    "notifications.Notification": Table(
        _ST,
        R_NOTIFICATION,
        basis=EMPLOYMENT,
        fields={
            "id": KEY,
            "organisation": KEY,
            "recipient": KEY,
            **{
                n: op()
                for n in [
                    "kind",
                    "url",
                    "counts",
                    "created_at",
                    "in_app",
                    "by_email",
                    "by_sms",
                    "read_at",
                    "emailed_at",
                    "texted_at",
                ]
            },
        },
    ),
    "notifications.Preference": Table(
        _ST,
        R_ACCOUNT,
        basis=EMPLOYMENT,
        fields={"id": KEY, "user": KEY, **{n: op() for n in ["kind", "in_app", "by_email", "by_sms"]}},
    ),
    "core.WorkerHeartbeat": Table(Whose.NONE, R_ORG, fields={"id": KEY, "worker_id": op(), "seen_at": op()}),
    "core.ScheduledRun": Table(
        Whose.NONE, R_ORG, fields={"id": KEY, "name": op(), "period": op(), "enqueued_at": op()}
    ),
    "django_tasks_database.DBTaskResult": Table(
        Whose.NONE,
        R_JOBS,
        fields={
            **{
                n: op()
                for n in [
                    "id",
                    "status",
                    "enqueued_at",
                    "started_at",
                    "finished_at",
                    "args_kwargs",
                    "priority",
                    "task_path",
                    "worker_ids",
                    "queue_name",
                    "backend_name",
                    "run_after",
                    "return_value",
                    "exception_class_path",
                ]
            },
            # An error's trace may quote a recipient's e-mail address (a refused address, say).
            "traceback": text(whose=Whose.STAFF, basis=SECURITY, retention=R_JOBS),
        },
    ),
}

# In this order the person's copy shows its sections: the person and the service, consents, who read it.
MAP: dict[str, Table] = {
    **SERVICE,
    **ACTIVITIES,
    **PRIVACY,
    **THIRD_PARTY,
    **ACCOUNTS,
    **READINESS,
    **COCREATION,
    **EVALUATION_TABLES,
    **COASSESSMENT_TABLES,
    **JOBS_AND_NOTIFICATIONS,
}


# --- reading the map ---------------------------------------------------------------------------------------


def model_of(label: str) -> type[models.Model]:
    app_label, name = label.split(".")
    return apps.get_model(app_label, name)


def field_of(model: type[models.Model], name: str) -> models.Field[Any, Any]:
    """The concrete field ``name`` of the model: the map declares concrete fields only (see ``gaps``)."""
    f = model._meta.get_field(name)
    if not isinstance(f, models.Field):
        raise LookupError(f"{model._meta.label}.{name} is not a concrete field")
    return f


def installed() -> dict[str, type[models.Model]]:
    """label → model of every installed model, the auto-created through tables included."""
    return {m._meta.label: m for m in apps.get_models(include_auto_created=True)}


def gaps() -> tuple[list[str], list[str]]:
    """(fields that exist but are not declared, declarations of fields or tables that do not exist)."""
    models_now = installed()
    undeclared, unknown = [], []
    for label, model in models_now.items():
        names = [f.name for f in model._meta.concrete_fields]
        table = MAP.get(label)
        for n in names:
            if table is None or n not in table.fields:
                undeclared.append(f"{label}.{n}")
        if table is not None:
            unknown += [f"{label}.{n}" for n in table.fields if n not in names]
    unknown += [f"{label} (no such model)" for label in MAP if label not in models_now]
    return undeclared, unknown


def person_tables() -> list[tuple[str, Table]]:
    """The tables that hold rows of one service user's record, in the order of the person's copy."""
    return [(label, t) for label, t in MAP.items() if t.person]


def exported(label: str) -> list[tuple[str, Field]]:
    """(field, declaration) of the fields in the person's copy, in the order of the map."""
    table = MAP[label]
    return [(n, table.resolved(n)) for n, f in table.fields.items() if f.label is not None]


def label_of(model: type[models.Model], name: str, f: Field) -> str:
    if f.label is True:
        return str(capfirst(field_of(model, name).verbose_name))
    return str(f.label)


def erased(label: str) -> dict[str, Erase]:
    """field → what anonymisation does, for the fields of this table that belong to the service user."""
    table = MAP[label]
    out = {}
    for n in table.fields:
        f = table.resolved(n)
        if f.whose is Whose.SERVICE_USER and f.erase in (*REMOVED, Erase.STAMP):
            out[n] = f.erase
    return out


def personal(label: str) -> list[str]:
    """The service user's personal fields of a table (what must not survive anonymisation)."""
    table = MAP[label]
    return [
        n for n in table.fields if (f := table.resolved(n)).whose is Whose.SERVICE_USER and f.kind in PERSONAL_KINDS
    ]


# --- the record of processing in docs/data-protection.md ----------------------------------------------------


def table_markdown() -> str:
    """One Markdown table per app: every field with whose, kind, copy, erasure and retention."""
    out: list[str] = []
    app = ""
    for label in sorted(MAP, key=lambda x: (x.split(".")[0], x)):
        model = model_of(label)
        if label.split(".")[0] != app:
            app = label.split(".")[0]
            out += [
                "",
                f"#### {app}",
                "",
                "| table | field | whose | kind | in the person's copy | on anonymisation | kept |",
                "|---|---|---|---|---|---|---|",
            ]
        table = MAP[label]
        for n in table.fields:
            f = table.resolved(n)
            copy = f"yes: “{label_of(model, n, f)}”" if f.label is not None and table.person else "—"
            erase = str(f.erase) + (f" ({f.basis})" if f.erase is Erase.KEEP and f.basis else "")
            out.append(f"| {label.split('.')[1]} | {n} | {f.whose} | {f.kind} | {copy} | {erase} | {f.retention} |")
    return "\n".join(out).strip()


DOC_COMMAND = "datamap doc"
DOC_SECTION = "data-map"


def doc_body() -> str:
    return (
        "Every field of every table Peerwork installs, as `peerwork.privacy.datamap` declares it; the copy of a "
        "person's data, anonymisation and the retention run are driven by the same declarations. “In the "
        "person's copy” is the label in a service user's subject-access copy (JSON, readable page, PDF); the "
        "copy holds the rows of the tables linked to the person.\n\n"
        f"{table_markdown()}"
    )


def with_table(document: str) -> str:
    """``document`` with the record of processing between the markers replaced by the current map."""
    return docs.with_section(document, DOC_SECTION, DOC_COMMAND, doc_body())

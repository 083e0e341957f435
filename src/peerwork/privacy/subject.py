"""Subject rights for a service user: everything held about them, and anonymisation that keeps statistics.

``collect`` gathers every row that belongs to the person: the peer recovery service's own tables, handled
explicitly, and — found through the model graph — any table another part of Peerwork links to the person,
so a new feature is never left out of an access request. ``anonymise`` blanks what identifies the person
or records what they said (names, contact details, free text, goal words), keeps what statistics need
(counts, dates, life areas, ratings, closure reasons) and withdraws every consent. Other parts of Peerwork
can add their own steps to ``ERASERS``; in any case their optional free-text fields in rows linked to the
person are blanked.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, datetime
from decimal import Decimal
from typing import Any

from django.apps import apps
from django.db import models, transaction
from django.utils import timezone

from peerwork.audit.models import AuditEntry
from peerwork.audit.trail import Action, record
from peerwork.privacy.models import Consent, ConsentItem
from peerwork.service.models import (
    Contact,
    DeclaredConflict,
    Engagement,
    Goal,
    GoalRating,
    MatchProposal,
    ProposedCandidate,
    Referral,
    ServiceUser,
)

SUBJECT_TYPE = "service.serviceuser"
ANONYMISED_REASON = "[anonymised]"

# (service user) -> number of rows changed; called inside the anonymisation transaction.
ERASERS: list[Callable[[ServiceUser], int]] = []

PERSON_FIELDS = [
    "id",
    "chosen_name",
    "phone",
    "email",
    "birth_year",
    "languages",
    "municipality",
    "district",
    "gender",
    "help_with",
    "help_areas",
    "wishes",
    "created_at",
    "anonymised_at",
]
HANDLED = {
    ServiceUser,
    Referral,
    MatchProposal,
    ProposedCandidate,
    Engagement,
    Contact,
    Goal,
    GoalRating,
    DeclaredConflict,
    Consent,
    ConsentItem,
}


def _plain(value: Any) -> Any:
    if isinstance(value, datetime):
        return (
            timezone.localtime(value).isoformat(timespec="seconds") if timezone.is_aware(value) else value.isoformat()
        )
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, Decimal):
        return str(value)
    if isinstance(value, models.Model):
        return value.pk
    return value


def _row(obj: models.Model, fields: list[str]) -> dict[str, Any]:
    return {f: _plain(getattr(obj, f)) for f in fields}


def links_to_person() -> list[tuple[type[models.Model], str]]:
    """(model, field name) of every foreign key to ``ServiceUser`` outside the tables handled here."""
    found = []
    for model in apps.get_models():
        if model in HANDLED:
            continue
        for f in model._meta.concrete_fields:
            if isinstance(f, models.ForeignKey) and f.related_model is ServiceUser:
                found.append((model, f.name))
    return found


def _generic_rows(person: ServiceUser) -> dict[str, list[dict[str, Any]]]:
    """Rows of other parts of Peerwork that point at the person (found through the model graph)."""
    out: dict[str, list[dict[str, Any]]] = {}
    for model, field in links_to_person():
        rows = model._default_manager.filter(**{field: person})
        if hasattr(model, "organisation_id"):
            rows = rows.filter(organisation_id=person.organisation_id)
        names = [f.attname for f in model._meta.concrete_fields]
        found = [{n: _plain(v) for n, v in r.items()} for r in rows.values(*names)[:1000]]
        if found:
            out[model._meta.label_lower] = found
    return out


def collect(person: ServiceUser) -> dict[str, Any]:
    """Everything Peerwork holds about one person, as plain data (for JSON, HTML and PDF)."""
    org = person.organisation_id
    referrals = list(Referral.objects.filter(organisation_id=org, service_user=person).order_by("received_on", "pk"))
    proposals = list(
        MatchProposal.objects.filter(organisation_id=org, referral__service_user=person)
        .prefetch_related("candidates__peer_worker")
        .order_by("proposed_at", "pk")
    )
    engagements = list(
        Engagement.objects.filter(organisation_id=org, service_user=person)
        .select_related("peer_worker")
        .order_by("started_on", "pk")
    )
    contacts = list(
        Contact.objects.filter(organisation_id=org, engagement__service_user=person).order_by(
            "date", "start_time", "pk"
        )
    )
    goals = list(
        Goal.objects.filter(organisation_id=org, service_user=person)
        .prefetch_related("ratings")
        .order_by("created_at", "pk")
    )
    consents = list(
        Consent.objects.filter(organisation_id=org, service_user=person)
        .select_related("recipient_unit", "recipient_user")
        .prefetch_related("items")
        .order_by("given_on", "pk")
    )
    conflicts = list(DeclaredConflict.objects.filter(organisation_id=org, service_user=person).order_by("declared_on"))
    access = list(
        AuditEntry.objects.filter(organisation_id=org, subject_type=SUBJECT_TYPE, subject_id=str(person.pk))
        .order_by("id")
        .values("at", "role", "action", "object_type", "via")[:5000]
    )
    return {
        "generated_at": _plain(timezone.now()),
        "organisation": person.organisation.name,
        "person": _row(person, PERSON_FIELDS),
        "referrals": [
            _row(
                r,
                [
                    "id",
                    "source",
                    "referrer",
                    "received_on",
                    "status",
                    "status_reason",
                    "wanted_experience",
                    "needs_evenings",
                    "needs_weekends",
                ],
            )
            for r in referrals
        ],
        "match_proposals": [
            {
                **_row(p, ["id", "referral_id", "proposed_at", "outcome", "refusal_reason", "decided_at"]),
                "candidates": [
                    {"rank": c.rank, "peer_worker": str(c.peer_worker), "score": round(c.score, 3)}
                    for c in p.candidates.all()
                ],
            }
            for p in proposals
        ],
        "engagements": [
            {
                **_row(
                    e,
                    [
                        "id",
                        "started_on",
                        "frequency",
                        "planned_end_on",
                        "last_review_on",
                        "closed_on",
                        "closure_reason",
                        "closure_words",
                    ],
                ),
                "peer_worker": str(e.peer_worker),
            }
            for e in engagements
        ],
        "contacts": [
            _row(
                c,
                [
                    "id",
                    "engagement_id",
                    "date",
                    "start_time",
                    "duration_minutes",
                    "channel",
                    "initiated_by",
                    "note",
                    "note_visibility",
                ],
            )
            for c in contacts
        ],
        "goals": [
            {
                **_row(g, ["id", "life_area", "words", "visibility", "created_at", "achieved_on", "closed_on"]),
                "ratings": [{"rated_on": _plain(r.rated_on), "rating": r.rating} for r in g.ratings.all()],
            }
            for g in goals
        ],
        "consents": [
            {
                **_row(
                    c,
                    [
                        "id",
                        "purpose",
                        "goals",
                        "contact_summaries",
                        "given_on",
                        "valid_until",
                        "how_given",
                        "recorded_at",
                        "withdrawn_at",
                    ],
                ),
                "recipient": (
                    c.recipient_unit.name if c.recipient_unit else str(c.recipient_user) if c.recipient_user else None
                ),
                "goal_ids": [i.goal_id for i in c.items.all() if i.goal_id],
                "note_ids": [i.contact_id for i in c.items.all() if i.contact_id],
            }
            for c in consents
        ],
        # A peer worker said they know the person privately; who it is stays with the service (their data).
        "declared_conflicts": [{"declared_on": _plain(c.declared_on)} for c in conflicts],
        "access": [{k: _plain(v) for k, v in row.items()} for row in access],
        "other": _generic_rows(person),
    }


def anonymise(person: ServiceUser, *, actor: Any = None, reason: str = "erasure") -> dict[str, int]:
    """Blank what identifies the person or records their words; keep counts, dates and ratings.
    One transaction; one DELETE audit entry with the person as subject (counts only in the detail)."""
    org = person.organisation_id
    now = timezone.now()
    with transaction.atomic():
        changed: dict[str, int] = {}
        ServiceUser.objects.filter(pk=person.pk).update(
            chosen_name="",
            phone="",
            email="",
            birth_year=None,
            languages=[],
            district="",
            gender="",
            help_with="",
            wishes=[],
            anonymised_at=now,
        )
        changed["referrals"] = Referral.objects.filter(organisation_id=org, service_user=person).update(referrer="")
        Referral.objects.filter(organisation_id=org, service_user=person).exclude(status_reason="").update(
            status_reason=ANONYMISED_REASON
        )
        changed["proposals"] = MatchProposal.objects.filter(organisation_id=org, referral__service_user=person).update(
            refusal_reason=""
        )
        changed["engagements"] = Engagement.objects.filter(organisation_id=org, service_user=person).update(
            closure_words=""
        )
        changed["contacts"] = Contact.objects.filter(organisation_id=org, engagement__service_user=person).update(
            note=""
        )
        changed["goals"] = Goal.objects.filter(organisation_id=org, service_user=person).update(words="")
        changed["conflicts"], _ = DeclaredConflict.objects.filter(organisation_id=org, service_user=person).delete()
        changed["consents_withdrawn"] = Consent.objects.filter(
            organisation_id=org, service_user=person, withdrawn_at__isnull=True
        ).update(withdrawn_at=now)
        changed["other"] = sum(eraser(person) for eraser in ERASERS) + _blank_other_free_text(person)
        detail = "anonymised (" + reason + "): " + ", ".join(f"{k}={v}" for k, v in changed.items())
        if actor is not None:
            record(actor, Action.DELETE, person, subject=person, detail=detail)
        else:
            record(
                None,
                Action.DELETE,
                person,
                subject=person,
                detail=detail,
                organisation_id=org,
                via="retention run",
            )
    return changed


def _blank_other_free_text(person: ServiceUser) -> int:
    """Other parts' rows linked to the person: blank their optional free-text fields."""
    total = 0
    for model, field in links_to_person():
        text = [f.name for f in model._meta.concrete_fields if isinstance(f, models.TextField) and f.blank]
        if text:
            total += model._default_manager.filter(**{field: person}).update(**dict.fromkeys(text, ""))
    return total


def as_sections(data: dict[str, Any]) -> list[dict[str, Any]]:
    """The export as readable sections (heading, column headers, rows) for the HTML page and the PDF."""
    from django.utils.translation import gettext as _

    p = data["person"]
    sections: list[dict[str, Any]] = [
        {
            "heading": _("The person"),
            "pairs": [
                (_("Number"), p["id"]),
                (_("Name"), p["chosen_name"]),
                (_("Phone"), p["phone"]),
                (_("E-mail"), p["email"]),
                (_("Year of birth"), p["birth_year"]),
                (_("Languages"), ", ".join(p["languages"] or [])),
                (_("Municipality"), p["municipality"]),
                (_("District"), p["district"]),
                (_("Gender"), p["gender"]),
                (_("What the person wants help with"), p["help_with"]),
                (_("Life areas"), ", ".join(p["help_areas"] or [])),
                (
                    _("Wishes about the peer worker"),
                    "; ".join(str(w.get("value", "")) for w in p["wishes"] or []),
                ),
                (_("Registered"), p["created_at"]),
                (_("Anonymised"), p["anonymised_at"]),
            ],
        }
    ]

    def table(heading: str, headers: list[str], keys: list[str], rows: list[dict[str, Any]]) -> None:
        sections.append(
            {
                "heading": heading,
                "headers": headers,
                "rows": [["" if r.get(k) is None else r.get(k) for k in keys] for r in rows],
            }
        )

    table(
        _("Referrals"),
        [_("Received"), _("Referred by"), _("Referrer"), _("Status"), _("Reason")],
        ["received_on", "source", "referrer", "status", "status_reason"],
        data["referrals"],
    )
    table(
        _("Engagements"),
        [
            _("Start"),
            _("Peer worker"),
            _("Planned end"),
            _("Closed"),
            _("Reason"),
            _("In the person's words"),
        ],
        ["started_on", "peer_worker", "planned_end_on", "closed_on", "closure_reason", "closure_words"],
        data["engagements"],
    )
    table(
        _("Contacts"),
        [_("Date"), _("Time"), _("Minutes"), _("How"), _("Note")],
        ["date", "start_time", "duration_minutes", "channel", "note"],
        data["contacts"],
    )
    goals = [
        {**g, "ratings_text": ", ".join(f"{r['rated_on']}: {r['rating']}" for r in g["ratings"])} for g in data["goals"]
    ]
    table(
        _("Goals"),
        [_("Life area"), _("In the person's words"), _("Set"), _("Reached"), _("Ratings")],
        ["life_area", "words", "created_at", "achieved_on", "ratings_text"],
        goals,
    )
    table(
        _("Consents"),
        [_("For"), _("With"), _("Given"), _("Until"), _("How"), _("Withdrawn")],
        ["purpose", "recipient", "given_on", "valid_until", "how_given", "withdrawn_at"],
        data["consents"],
    )
    table(
        _("Declared acquaintance with a peer worker"),
        [_("Declared on")],
        ["declared_on"],
        data["declared_conflicts"],
    )
    table(
        _("Who read or changed this record"),
        [_("When"), _("Role"), _("Action"), _("What"), _("Page or API call")],
        ["at", "role", "action", "object_type", "via"],
        data["access"],
    )
    for label, rows in data["other"].items():
        headers = sorted({k for r in rows for k in r})
        table(label, headers, headers, rows)
    return sections

"""The peer recovery service: referral → match → engagement → contacts and goals → review → closure.

Sources: S3 (the peer recovery service), with S1 and S2; see docs/service.md and docs/sources.md.
Every table belongs to one organisation (``TenantModel``) and
carries its invariants as database constraints where the database can hold them; the rest is checked in
``services.py``. Nothing here is a clinical record (S1 B3): only what peer support needs.

List-valued fields (languages, districts, interests, experience kinds…) are JSON lists of short codes or
lower-case words. They are read whole for matching and never filtered on in SQL, so a JSON list is cheaper
than a join table.

Wishes (``ServiceUser.wishes``) are a JSON list of ``{"kind": str, "value": str, "firm": bool}``, with the
kinds of the matching module (``peerwork.matching.profiles.WISH_ATTRIBUTES``): ``gender``, ``language``,
``experience``, ``district``, ``interest``, ``background``, ``service``, ``age_max_difference`` (value is a
number of years) and ``evenings_weekends`` (value ``"yes"``). A wish with ``firm: true`` is a hard
requirement; every other wish only raises the fit score (fit is a score, not a gate: a Peerwork design).
"""

from __future__ import annotations

from datetime import date

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from peerwork.core import validation
from peerwork.organisations.models import TenantModel

USER = settings.AUTH_USER_MODEL
GUIDANCE_EVERY_DAYS = 28  # Peerwork default (the sources ask for "regular" supervision, no interval)


# --- shared vocabularies ---------------------------------------------------------------------------------


class Gender(models.TextChoices):
    WOMAN = "woman", _("Woman")
    MAN = "man", _("Man")
    NON_BINARY = "non_binary", _("Non-binary")
    OTHER = "other", _("Another gender")


class ExperienceKind(models.TextChoices):
    """Kinds of lived experience (S3, S1). "Both" is both codes in the list."""

    MENTAL_HEALTH = "mental_health", _("Mental health")
    SUBSTANCE_USE = "substance_use", _("Substance use")


class ServiceUsed(models.TextChoices):
    """Kinds of service a peer worker has used themself (optional, self-declared)."""

    COMMUNITY_MENTAL_HEALTH = "community_mental_health", _("Community mental health services")
    INPATIENT = "inpatient", _("Inpatient care")
    SUBSTANCE_TREATMENT = "substance_treatment", _("Substance use treatment")
    SUBSTITUTION = "substitution", _("Opioid substitution treatment")
    HOUSING = "housing", _("Housing support or homelessness services")
    WELFARE = "welfare", _("Welfare and employment services")
    CHILD_WELFARE = "child_welfare", _("Child welfare services")
    PRISON = "prison", _("Prison or probation")
    EMERGENCY = "emergency", _("Emergency or crisis services")
    SELF_HELP = "self_help", _("Self-help and user organisations")


class LifeArea(models.TextChoices):
    """Life areas a person's own goals fall in (S3)."""

    HOUSING = "housing", _("Housing")
    FINANCES = "finances", _("Finances")
    WORK_EDUCATION = "work_education", _("Work or education")
    DRUG_FREE = "drug_free", _("Drug-free activities and networks")
    FAMILY = "family", _("Family")
    SOCIAL = "social", _("Social life")
    PHYSICAL_HEALTH = "physical_health", _("Physical health")
    SERVICES = "services", _("Dealing with public services")
    OTHER = "other", _("Other")


class Visibility(models.TextChoices):
    """Who may read a note or goal besides the peer worker who wrote it.

    ``care_team`` is granted only by a consent check in the privacy part (S1 B4: shared with the care team
    only with the person's consent; fail closed). Until that check exists it is shown as coordinator-only.
    """

    PRIVATE = "private", _("Only me")
    COORDINATOR = "coordinator", _("Me and my coordinator or supervisor")
    CARE_TEAM = "care_team", _("Also the care team, if the person has consented")


VISIBILITY_VALUES = [v.value for v in Visibility]
LIFE_AREA_VALUES = [a.value for a in LifeArea]


# --- the person and the referral ------------------------------------------------------------------------


class ServiceUser(TenantModel):
    """A person who receives peer support. Holds only what peer support and matching need, in the person's
    own terms (a chosen name is enough). ``anonymised_at`` is set when the privacy part erases the person:
    the row stays so contacts still count in anonymous statistics, but every identifying field is blank."""

    chosen_name = models.CharField(_("name"), max_length=120, help_text=_("The name the person wants to be called."))
    phone = models.CharField(_("phone"), max_length=40, blank=True)
    email = models.EmailField(_("email"), blank=True)
    birth_year = models.PositiveSmallIntegerField(_("year of birth"), null=True, blank=True)
    languages = models.JSONField(_("languages"), default=list, blank=True, help_text=_("Language codes, e.g. nb, en."))
    municipality = models.CharField(_("municipality"), max_length=120, blank=True)
    district = models.CharField(_("district"), max_length=120, blank=True)
    gender = models.CharField(_("gender"), max_length=20, choices=Gender.choices, blank=True)
    help_with = models.TextField(_("what the person wants help with"), blank=True)
    help_areas = models.JSONField(_("life areas"), default=list, blank=True)
    interests = models.JSONField(_("interests"), default=list, blank=True)
    background = models.JSONField(_("background"), default=list, blank=True)
    services_used = models.JSONField(_("services used"), default=list, blank=True)
    wishes = models.JSONField(_("wishes about the peer worker"), default=list, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    created_by = models.ForeignKey(USER, on_delete=models.SET_NULL, null=True, blank=True, related_name="+")
    anonymised_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("service user")
        constraints = [
            models.CheckConstraint(
                condition=Q(birth_year__isnull=True) | (Q(birth_year__gte=1900) & Q(birth_year__lte=2100)),
                name="serviceuser_birth_year_range",
            ),
        ]
        indexes = [models.Index(fields=["organisation", "created_at"])]

    def __str__(self) -> str:
        return self.chosen_name or f"#{self.pk}"


class Referral(TenantModel):
    """A request for peer support for one person, and its place in the waiting list. The status moves
    waiting → proposed → matched, or ends as referred back / declined with a reason. At most one open
    referral (waiting or proposed) per person, held by the database."""

    class Source(models.TextChoices):
        PROFESSIONAL = "professional", _("A professional")
        USER_ORGANISATION = "user_organisation", _("A user organisation")
        SELF = "self", _("The person themself")

    class Status(models.TextChoices):
        WAITING = "waiting", _("Waiting")
        PROPOSED = "proposed", _("Peer workers proposed")
        MATCHED = "matched", _("Matched")
        REFERRED_BACK = "referred_back", _("Referred back")
        DECLINED = "declined", _("Declined")

    OPEN = (Status.WAITING, Status.PROPOSED)

    service_user = models.ForeignKey(ServiceUser, on_delete=models.CASCADE, related_name="referrals")
    source = models.CharField(_("referred by"), max_length=20, choices=Source.choices)
    referrer = models.CharField(
        _("referrer"),
        max_length=200,
        blank=True,
        help_text=_("Who referred: a service or organisation and a contact."),
    )
    referrer_user = models.ForeignKey(USER, on_delete=models.SET_NULL, null=True, blank=True, related_name="+")
    received_on = models.DateField(_("received on"), validators=[validation.plausible_date])
    status = models.CharField(_("status"), max_length=20, choices=Status.choices, default=Status.WAITING)
    status_reason = models.TextField(_("reason"), blank=True)
    status_changed_at = models.DateTimeField(null=True, blank=True)
    wanted_experience = models.JSONField(_("wanted kind of experience"), default=list, blank=True)
    needs_evenings = models.BooleanField(_("needs contact in the evenings"), default=False)
    needs_weekends = models.BooleanField(_("needs contact at weekends"), default=False)
    created_at = models.DateTimeField(auto_now_add=True)
    created_by = models.ForeignKey(USER, on_delete=models.SET_NULL, null=True, blank=True, related_name="+")

    class Meta:
        verbose_name = _("referral")
        constraints = [
            models.CheckConstraint(
                condition=Q(status__in=["waiting", "proposed", "matched", "referred_back", "declined"]),
                name="referral_status_valid",
            ),
            models.CheckConstraint(
                condition=Q(source__in=["professional", "user_organisation", "self"]),
                name="referral_source_valid",
            ),
            models.CheckConstraint(
                condition=~Q(status__in=["declined", "referred_back"]) | ~Q(status_reason=""),
                name="referral_closed_has_reason",
            ),
            models.UniqueConstraint(
                fields=["service_user"],
                condition=Q(status__in=["waiting", "proposed"]),
                name="referral_one_open_per_person",
            ),
        ]
        indexes = [
            models.Index(fields=["organisation", "status", "received_on"]),
            # Retention reads one organisation's referrals grouped by person.
            models.Index(fields=["organisation", "service_user"]),
        ]

    def __str__(self) -> str:
        return f"#{self.pk}"

    @property
    def is_open(self) -> bool:
        return self.status in self.OPEN

    @property
    def waiting_days(self) -> int:
        """Days since the referral was received (today in the service's time zone)."""
        return (timezone.localdate() - self.received_on).days


# --- peer workers ---------------------------------------------------------------------------------------


class PeerWorkerProfile(TenantModel):
    """What matching needs to know about one peer worker in one organisation. Lived-experience fields are
    the peer worker's own, self-declared and optional; only coordinators of the organisation see them.

    ``working_hours`` maps weekday ("0" = Monday … "6" = Sunday) to a list of ``["HH:MM", "HH:MM"]`` spans
    of agreed working time; a contact outside every span is "outside agreed hours"."""

    user = models.ForeignKey(USER, on_delete=models.CASCADE, related_name="peer_profiles")
    experience_kinds = models.JSONField(_("kinds of lived experience"), default=list, blank=True)
    services_used = models.JSONField(_("services used"), default=list, blank=True)
    background = models.JSONField(
        _("background"), default=list, blank=True, help_text=_("Short words, e.g. parent, rural.")
    )
    interests = models.JSONField(_("interests"), default=list, blank=True)
    languages = models.JSONField(_("languages"), default=list, blank=True)
    districts = models.JSONField(_("districts known well"), default=list, blank=True)
    birth_year = models.PositiveSmallIntegerField(_("year of birth"), null=True, blank=True)
    gender = models.CharField(_("gender"), max_length=20, choices=Gender.choices, blank=True)
    working_hours = models.JSONField(_("agreed working hours"), default=dict, blank=True)
    evenings = models.BooleanField(_("willing to work evenings"), default=False)
    weekends = models.BooleanField(_("willing to work weekends"), default=False)
    capacity = models.PositiveSmallIntegerField(_("most active engagements"), default=5)
    # The range the coordinator agrees; the peer worker picks ``capacity`` within it (Peerwork default 1–8).
    capacity_min = models.PositiveSmallIntegerField(_("fewest engagements agreed"), default=1)
    capacity_max = models.PositiveSmallIntegerField(_("most engagements agreed"), default=8)
    accepting = models.BooleanField(_("open to new engagements"), default=True)
    resumes_on = models.DateField(
        _("open to new people again on"),
        null=True,
        blank=True,
        help_text=_("Leave empty to pause until you open again yourself."),
        validators=[validation.plausible_date],
    )
    # A new peer worker waits for a complete profile and orientation before anyone is proposed to them.
    # Profiles the service creates start on hold (``services.availability``); the coordinator lifts it.
    on_hold = models.BooleanField(_("waiting for profile and orientation"), default=False)
    hold_lifted_at = models.DateTimeField(null=True, blank=True)
    hold_lifted_by = models.ForeignKey(USER, on_delete=models.SET_NULL, null=True, blank=True, related_name="+")
    conflicts: models.ManyToManyField[ServiceUser, DeclaredConflict] = models.ManyToManyField(
        ServiceUser, through="DeclaredConflict", related_name="+", blank=True
    )
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("peer worker profile")
        constraints = [
            models.UniqueConstraint(fields=["organisation", "user"], name="peerprofile_one_per_org"),
            models.CheckConstraint(condition=Q(capacity__lte=30), name="peerprofile_capacity_range"),
            models.CheckConstraint(
                condition=Q(capacity_min__lte=F("capacity_max")) & Q(capacity_max__lte=30),
                name="peerprofile_agreed_range",
            ),
            models.CheckConstraint(
                condition=Q(birth_year__isnull=True) | (Q(birth_year__gte=1900) & Q(birth_year__lte=2100)),
                name="peerprofile_birth_year_range",
            ),
        ]

    def __str__(self) -> str:
        return str(self.user)

    def open_to_new(self, today: date) -> bool:
        """May anyone propose a new person to this peer worker today? Not while on hold; not while paused,
        unless the day they chose to open again has come."""
        if self.on_hold:
            return False
        return self.accepting or (self.resumes_on is not None and self.resumes_on <= today)


class AvailabilityChange(TenantModel):
    """One change to a peer worker's availability: who made it and when, and the new values (a JSON object
    of field name to value, e.g. ``{"accepting": false, "resumes_on": "2026-03-01"}``). Shown to the peer
    worker and to coordinators as a history in words; never edited."""

    class Kind(models.TextChoices):
        CHANGED = "changed", _("Changed availability")
        RANGE = "range", _("Agreed a range of engagements")
        HOLD = "hold", _("Put on hold until profile and orientation are complete")
        LIFTED = "lifted", _("Opened to new people after orientation")

    profile = models.ForeignKey(PeerWorkerProfile, on_delete=models.CASCADE, related_name="availability_changes")
    kind = models.CharField(max_length=20, choices=Kind.choices, default=Kind.CHANGED)
    values = models.JSONField(default=dict, blank=True)
    changed_by = models.ForeignKey(USER, on_delete=models.SET_NULL, null=True, blank=True, related_name="+")
    changed_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("availability change")
        ordering = ["-changed_at", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(kind__in=["changed", "range", "hold", "lifted"]), name="availabilitychange_kind_valid"
            ),
        ]
        indexes = [models.Index(fields=["organisation", "profile", "changed_at"])]


class DeclaredConflict(TenantModel):
    """A peer worker knows a person privately. A flag, not a gate: knowing someone from before can help as
    well as hinder, so both are asked. The coordinator sees the flag when proposing; an engagement between
    them starts only once the peer worker's and the person's waivers are recorded (who recorded each, when,
    and a note). Peerwork default: no reason for the acquaintance itself is stored."""

    profile = models.ForeignKey(PeerWorkerProfile, on_delete=models.CASCADE, related_name="declared_conflicts")
    service_user = models.ForeignKey(ServiceUser, on_delete=models.CASCADE, related_name="declared_conflicts")
    declared_on = models.DateField(_("declared on"), validators=[validation.plausible_date])
    peer_worker_waiver_note = models.TextField(_("the peer worker's note"), blank=True)
    peer_worker_waived_at = models.DateTimeField(null=True, blank=True)
    peer_worker_waived_by = models.ForeignKey(USER, on_delete=models.SET_NULL, null=True, blank=True, related_name="+")
    person_waiver_note = models.TextField(_("the person's note"), blank=True)
    person_waived_at = models.DateTimeField(null=True, blank=True)
    person_waived_by = models.ForeignKey(USER, on_delete=models.SET_NULL, null=True, blank=True, related_name="+")

    class Meta:
        verbose_name = _("declared acquaintance")
        constraints = [
            models.UniqueConstraint(fields=["profile", "service_user"], name="conflict_unique"),
            models.CheckConstraint(
                condition=Q(peer_worker_waived_at__isnull=True) | ~Q(peer_worker_waiver_note=""),
                name="conflict_peer_worker_waiver_has_note",
            ),
            models.CheckConstraint(
                condition=Q(person_waived_at__isnull=True) | ~Q(person_waiver_note=""),
                name="conflict_person_waiver_has_note",
            ),
        ]

    @property
    def waived(self) -> bool:
        """Both have said it is fine to work together."""
        return self.peer_worker_waived_at is not None and self.person_waived_at is not None


class MatchingSettings(TenantModel):
    """How much each kind of fit counts in this organisation's ranking (the weights of the pure matching
    module; the defaults are the module's own). Documented in docs/service.md; zero switches a factor off."""

    experience = models.FloatField(_("shared kind of experience"), default=3.0)
    services = models.FloatField(_("services used in common"), default=1.0)
    background = models.FloatField(_("background"), default=1.0)
    interests = models.FloatField(_("interests"), default=1.5)
    age = models.FloatField(_("age closeness"), default=1.0)
    language = models.FloatField(_("language"), default=2.0)
    district = models.FloatField(_("local knowledge"), default=1.0)
    wishes = models.FloatField(_("the person's wishes"), default=2.0)
    availability = models.FloatField(_("evenings and weekends"), default=1.5)
    waiting = models.FloatField(
        _("priority for waiting time"),
        default=0.5,
        help_text=_(
            "In whole-list assignment: what a wait of 180 days or more adds to a fit of 0 to 1 "
            "(a shorter wait adds less)."
        ),
    )
    updated_at = models.DateTimeField(auto_now=True)
    # Takes a new value at every change to what the waiting list's offer plan is computed from (a waiting
    # person's referral or profile, a peer worker's profile, role or availability, an engagement opened or
    # closed, an offer made, answered or ended, these weights), in the changing transaction, from every service
    # that makes one (``services.plan_inputs_changed``): a plan remembered under a value is the plan of the
    # inputs that value stands for. 0: never stamped (nothing is remembered then).
    plan_version = models.PositiveBigIntegerField(default=0, editable=False)

    class Meta:
        verbose_name = _("matching settings")
        constraints = [
            models.UniqueConstraint(fields=["organisation"], name="matchingsettings_one_per_org"),
            models.CheckConstraint(
                condition=Q(experience__gte=0)
                & Q(services__gte=0)
                & Q(background__gte=0)
                & Q(interests__gte=0)
                & Q(age__gte=0)
                & Q(language__gte=0)
                & Q(district__gte=0)
                & Q(wishes__gte=0)
                & Q(availability__gte=0)
                & Q(waiting__gte=0),
                name="matchingsettings_non_negative",
            ),
        ]


# --- matching ---------------------------------------------------------------------------------------------


class MatchProposal(TenantModel):
    """One round of proposing one to three peer workers to a person, who chooses one or refuses (a Peerwork
    design choice: the person chooses among peer workers; see docs/sources.md, ``default-choice``). The
    candidates, with the score and reasons shown at the time, are in ``ProposedCandidate``; three at
    most, held by the database (rank 1–3, unique per proposal)."""

    class Origin(models.TextChoices):
        SINGLE = "single", _("Ranked for this referral")
        WAITING_LIST = "waiting_list", _("Whole waiting-list proposal")
        HANDOVER = "handover", _("Handover to another peer worker")

    class Outcome(models.TextChoices):
        PENDING = "pending", _("Waiting for the person's choice")
        CHOSEN = "chosen", _("The person chose a peer worker")
        REFUSED = "refused", _("The person refused")
        WITHDRAWN = "withdrawn", _("Withdrawn")

    referral = models.ForeignKey(Referral, on_delete=models.CASCADE, related_name="proposals")
    origin = models.CharField(max_length=20, choices=Origin.choices, default=Origin.SINGLE)
    proposed_by = models.ForeignKey(USER, on_delete=models.SET_NULL, null=True, related_name="+")
    proposed_at = models.DateTimeField(auto_now_add=True)
    outcome = models.CharField(_("outcome"), max_length=20, choices=Outcome.choices, default=Outcome.PENDING)
    chosen = models.ForeignKey(USER, on_delete=models.SET_NULL, null=True, blank=True, related_name="+")
    refusal_reason = models.TextField(_("why the person refused"), blank=True)
    decided_at = models.DateTimeField(null=True, blank=True)
    handover_from = models.ForeignKey(
        "Engagement", on_delete=models.CASCADE, null=True, blank=True, related_name="handover_proposals"
    )
    # A handover may set a new plan: the new engagement's planned end (empty keeps the old one), and why,
    # needed as for any extension when it lies past the typical length from the new start.
    planned_end_on = models.DateField(
        _("new planned end"), null=True, blank=True, validators=[validation.plausible_date]
    )
    planned_end_reason = models.TextField(_("why the engagement goes on past the typical length"), blank=True)

    class Meta:
        verbose_name = _("match proposal")
        constraints = [
            models.CheckConstraint(
                condition=Q(outcome="chosen", chosen__isnull=False) | ~Q(outcome="chosen"),
                name="proposal_chosen_has_peer_worker",
            ),
            models.UniqueConstraint(fields=["referral"], condition=Q(outcome="pending"), name="proposal_one_pending"),
        ]


class ProposedCandidate(TenantModel):
    """One peer worker put to the person in a proposal, with the score and reason codes the ranking gave
    (reasons: a JSON list of ``{"code": str, "params": {...}}`` from the matching module).

    The peer worker answers first: accept, decline, or ask to talk with the coordinator. A decline needs no
    reason; the coordinator sees only "not available for this one", and a note only if the peer worker
    chose to write one. An acceptance may be withdrawn until the person has chosen; the person chooses
    only among those who accepted."""

    class Answer(models.TextChoices):
        PENDING = "pending", _("Not answered yet")
        ACCEPTED = "accepted", _("Accepted")
        DECLINED = "declined", _("Not available for this one")
        TALK = "talk", _("Wants to talk with you first")

    proposal = models.ForeignKey(MatchProposal, on_delete=models.CASCADE, related_name="candidates")
    peer_worker = models.ForeignKey(USER, on_delete=models.CASCADE, related_name="+")
    rank = models.PositiveSmallIntegerField()
    score = models.FloatField()
    reasons = models.JSONField(default=list, blank=True)
    answer = models.CharField(_("answer"), max_length=20, choices=Answer.choices, default=Answer.PENDING)
    answer_note = models.TextField(_("a note for the coordinator (optional)"), blank=True)
    answered_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["rank"]
        constraints = [
            models.UniqueConstraint(fields=["proposal", "peer_worker"], name="candidate_unique_peer_worker"),
            models.UniqueConstraint(fields=["proposal", "rank"], name="candidate_unique_rank"),
            models.CheckConstraint(condition=Q(rank__gte=1) & Q(rank__lte=3), name="candidate_rank_1_to_3"),
            models.CheckConstraint(
                condition=Q(answer__in=["pending", "accepted", "declined", "talk"]), name="candidate_answer_valid"
            ),
        ]


# --- engagements ----------------------------------------------------------------------------------------


class Engagement(TenantModel):
    """The peer support relationship between one person and one peer worker, usually up to two years (S3).
    A handover to another peer worker closes this engagement and starts a new one whose ``previous`` points
    here, so the history stays whole. One active engagement per person, held by the database."""

    class Frequency(models.TextChoices):
        WEEKLY = "weekly", _("Weekly")
        FORTNIGHTLY = "fortnightly", _("Every other week")
        MONTHLY = "monthly", _("Monthly")
        AS_NEEDED = "as_needed", _("When the person asks")

    class ClosureReason(models.TextChoices):
        GOALS_REACHED = "goals_reached", _("The person reached what they wanted")
        PLANNED_END = "planned_end", _("Planned end")
        PERSON_ENDED = "person_ended", _("The person chose to end")
        MOVED = "moved", _("The person moved away")
        NO_CONTACT = "no_contact", _("Contact was lost")
        HANDOVER = "handover", _("Handed over to another peer worker")
        BACK_TO_QUEUE = "back_to_queue", _("The peer worker left; the person went back to the waiting list")
        OTHER = "other", _("Other")

    # The typical length (S3: peer workers typically support a person for up to two years). It sets the default
    # planned end and the figures beside it; it is not a limit: the planned end is a review point, and the
    # person and the peer worker may agree to go on (``EngagementExtension``).
    TYPICAL_YEARS = 2

    service_user = models.ForeignKey(ServiceUser, on_delete=models.CASCADE, related_name="engagements")
    peer_worker = models.ForeignKey(USER, on_delete=models.PROTECT, related_name="engagements")
    referral = models.ForeignKey(Referral, on_delete=models.SET_NULL, null=True, blank=True, related_name="engagements")
    previous = models.OneToOneField(
        "self",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="next",
        verbose_name=_("handed over from"),
    )
    started_on = models.DateField(_("start"), validators=[validation.plausible_date])
    frequency = models.CharField(
        _("agreed frequency"), max_length=20, choices=Frequency.choices, default=Frequency.WEEKLY
    )
    next_review_on = models.DateField(_("next review"), null=True, blank=True, validators=[validation.plausible_date])
    last_review_on = models.DateField(_("last review"), null=True, blank=True, validators=[validation.plausible_date])
    planned_end_on = models.DateField(_("planned end"), validators=[validation.plausible_date])
    closed_on = models.DateField(_("closed on"), null=True, blank=True, validators=[validation.plausible_date])
    closure_reason = models.CharField(_("reason for closing"), max_length=20, choices=ClosureReason.choices, blank=True)
    closure_words = models.TextField(_("what it meant, in the person's own words"), blank=True)
    closed_by = models.ForeignKey(USER, on_delete=models.SET_NULL, null=True, blank=True, related_name="+")
    # Set when the peer worker is switched off while the engagement is open: a coordinator proposes a new peer
    # worker (a handover) or sends the person back to the waiting list. Closing the engagement settles it.
    new_peer_worker_needed_since = models.DateTimeField(_("needs a new peer worker since"), null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    created_by = models.ForeignKey(USER, on_delete=models.SET_NULL, null=True, blank=True, related_name="+")

    class Meta:
        verbose_name = _("engagement")
        constraints = [
            models.CheckConstraint(condition=Q(planned_end_on__gt=F("started_on")), name="engagement_end_after_start"),
            models.CheckConstraint(
                condition=Q(closed_on__isnull=True) | Q(closed_on__gte=F("started_on")),
                name="engagement_closed_after_start",
            ),
            models.CheckConstraint(
                condition=Q(closed_on__isnull=True, closure_reason="")
                | (Q(closed_on__isnull=False) & ~Q(closure_reason="")),
                name="engagement_closed_has_reason",
            ),
            models.UniqueConstraint(
                fields=["service_user"],
                condition=Q(closed_on__isnull=True),
                name="engagement_one_active_per_person",
            ),
        ]
        indexes = [
            models.Index(fields=["organisation", "peer_worker", "closed_on"]),
            models.Index(fields=["organisation", "closed_on", "next_review_on"]),
            # Each person's first engagement and last closing, grouped within one organisation (the evaluation
            # dashboard's new people, the retention page).
            models.Index(fields=["organisation", "service_user", "started_on", "closed_on"]),
        ]

    def __str__(self) -> str:
        return f"#{self.pk}"

    @property
    def is_active(self) -> bool:
        return self.closed_on is None


class EngagementExtension(TenantModel):
    """A later planned end, agreed by the person and by the peer worker, with the reason in plain words."""

    engagement = models.ForeignKey(Engagement, on_delete=models.CASCADE, related_name="extensions")
    previous_end_on = models.DateField(_("planned end before"))
    new_end_on = models.DateField(_("new planned end"), validators=[validation.plausible_date])
    reason = models.TextField(_("why the engagement goes on"))
    person_agreed = models.BooleanField(_("the person agrees"), default=False)
    peer_worker_agreed = models.BooleanField(_("the peer worker agrees"), default=False)
    agreed_on = models.DateField(_("agreed on"), validators=[validation.plausible_date])
    recorded_by = models.ForeignKey(USER, on_delete=models.SET_NULL, null=True, blank=True, related_name="+")
    recorded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("extension of an engagement")
        ordering = ["agreed_on", "id"]
        constraints = [
            models.CheckConstraint(condition=Q(new_end_on__gt=F("previous_end_on")), name="extension_later_end"),
            models.CheckConstraint(
                condition=Q(person_agreed=True, peer_worker_agreed=True), name="extension_both_agree"
            ),
        ]


class Contact(TenantModel):
    """One contact between a peer worker and the person they support (S2, S3: evenings, weekends, phone,
    outdoors). ``outside_agreed_hours`` is derived from the peer worker's agreed hours when the contact is
    written and stored, so workload reads need no re-computation and do not change if the hours change."""

    class Channel(models.TextChoices):
        MEETING = "meeting", _("Meeting")
        PHONE = "phone", _("Phone")
        MESSAGE = "message", _("Message")
        OUTDOORS = "outdoors", _("Outdoors activity")
        ACCOMPANYING = "accompanying", _("Accompanying to a service")
        GROUP = "group", _("Group")

    class Initiator(models.TextChoices):
        PERSON = "person", _("The person")
        PEER_WORKER = "peer_worker", _("The peer worker")
        OTHER = "other", _("Someone else")

    class Kind(models.TextChoices):
        """A contact that took place, or an attempt: both take time and count as strain (S3)."""

        CONTACT = "contact", _("We were in contact")
        NO_ANSWER = "no_answer", _("Tried to reach the person, no answer")
        NOT_TAKEN = "not_taken", _("Call received out of hours, not taken")

    engagement = models.ForeignKey(Engagement, on_delete=models.CASCADE, related_name="contacts")
    kind = models.CharField(_("what happened"), max_length=20, choices=Kind.choices, default=Kind.CONTACT)
    peer_worker = models.ForeignKey(USER, on_delete=models.PROTECT, related_name="+")
    date = models.DateField(_("date"), validators=[validation.plausible_date])
    start_time = models.TimeField(_("start time"))
    duration_minutes = models.PositiveSmallIntegerField(_("duration in minutes"))
    channel = models.CharField(_("how"), max_length=20, choices=Channel.choices)
    initiated_by = models.CharField(_("who made contact"), max_length=20, choices=Initiator.choices)
    outside_agreed_hours = models.BooleanField(default=False, editable=False)
    note = models.TextField(_("short note"), blank=True)
    note_visibility = models.CharField(
        _("who may read the note"), max_length=20, choices=Visibility.choices, default=Visibility.PRIVATE
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("contact")
        ordering = ["-date", "-start_time"]
        constraints = [
            models.CheckConstraint(
                condition=Q(duration_minutes__gt=0) & Q(duration_minutes__lte=1440),
                name="contact_duration_range",
            ),
            models.CheckConstraint(
                condition=Q(channel__in=["meeting", "phone", "message", "outdoors", "accompanying", "group"]),
                name="contact_channel_valid",
            ),
            models.CheckConstraint(condition=Q(note_visibility__in=VISIBILITY_VALUES), name="contact_visibility_valid"),
            models.CheckConstraint(
                condition=Q(kind__in=["contact", "no_answer", "not_taken"]), name="contact_kind_valid"
            ),
        ]
        indexes = [
            models.Index(fields=["organisation", "peer_worker", "date"]),
            models.Index(fields=["engagement", "date"]),
            # One kind of contact in a period (the evaluation dashboard's accompaniments).
            models.Index(fields=["organisation", "channel", "date"]),
            # The contacts of a period counted and summed by channel, from the index alone (the evaluation
            # dashboard).
            models.Index(fields=["organisation", "date", "channel", "duration_minutes"]),
        ]


class ContactAgreement(TenantModel):
    """How the person and their peer worker agreed to be in touch, made with the person and looked at again at
    each review: preferred channels, days and hours, what happens out of hours, and whom to call in a crisis.
    ``days`` lists weekdays (0 = Monday … 6 = Sunday). Strain topics compare contacts with this agreement,
    within the peer worker's own availability."""

    engagement = models.OneToOneField(Engagement, on_delete=models.CASCADE, related_name="contact_agreement")
    channels = models.JSONField(_("preferred ways of contact"), default=list)
    days = models.JSONField(_("agreed days"), default=list)
    hours_from = models.TimeField(_("from"))
    hours_until = models.TimeField(_("until"))
    out_of_hours = models.TextField(_("what happens out of hours"))
    crisis = models.TextField(_("in a crisis, who to call instead"))
    agreed_on = models.DateField(_("agreed on"), validators=[validation.plausible_date])
    reviewed_on = models.DateField(_("last looked at"), null=True, blank=True, validators=[validation.plausible_date])
    updated_by = models.ForeignKey(USER, on_delete=models.SET_NULL, null=True, blank=True, related_name="+")
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("contact agreement")
        constraints = [
            models.CheckConstraint(condition=Q(hours_until__gt=F("hours_from")), name="agreement_hours_order"),
        ]


class StrainAction(TenantModel):
    """What a coordinator did about a strain topic, from a fixed list (no free text: a record of support)."""

    class Action(models.TextChoices):
        TALKED_PERSON = "talked_with_person", _("Talked with the person about contact")
        TALKED_PEER_WORKER = "talked_with_peer_worker", _("Talked with the peer worker")
        AGREEMENT_REVIEWED = "agreement_reviewed", _("Looked at the contact agreement again")
        GUIDANCE = "raised_in_guidance", _("Raised it in guidance")
        CASELOAD_EASED = "caseload_eased", _("Eased the peer worker's caseload")

    peer_worker = models.ForeignKey(USER, on_delete=models.CASCADE, related_name="+")
    engagement = models.ForeignKey(
        Engagement, on_delete=models.CASCADE, null=True, blank=True, related_name="strain_actions"
    )
    topic = models.CharField(_("topic"), max_length=40)
    action = models.CharField(_("what was done"), max_length=30, choices=Action.choices)
    taken_on = models.DateField(_("date"), validators=[validation.plausible_date])
    recorded_by = models.ForeignKey(USER, on_delete=models.SET_NULL, null=True, blank=True, related_name="+")
    recorded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("action on a strain topic")
        ordering = ["-taken_on", "-id"]


# --- goals ------------------------------------------------------------------------------------------------


class Goal(TenantModel):
    """A goal in the person's own words (recovery is a meaningful life as the person defines it, S3).
    The peer worker writes it down as said; the rating of progress is the person's own."""

    service_user = models.ForeignKey(ServiceUser, on_delete=models.CASCADE, related_name="goals")
    engagement = models.ForeignKey(Engagement, on_delete=models.SET_NULL, null=True, blank=True, related_name="goals")
    life_area = models.CharField(_("life area"), max_length=20, choices=LifeArea.choices)
    words = models.TextField(_("the goal, in the person's words"))
    visibility = models.CharField(
        _("who may read it"), max_length=20, choices=Visibility.choices, default=Visibility.COORDINATOR
    )
    created_at = models.DateTimeField(auto_now_add=True)
    created_by = models.ForeignKey(USER, on_delete=models.SET_NULL, null=True, blank=True, related_name="+")
    achieved_on = models.DateField(_("achieved on"), null=True, blank=True, validators=[validation.plausible_date])
    closed_on = models.DateField(_("set aside on"), null=True, blank=True, validators=[validation.plausible_date])

    class Meta:
        verbose_name = _("goal")
        ordering = ["created_at"]
        constraints = [
            models.CheckConstraint(condition=Q(life_area__in=LIFE_AREA_VALUES), name="goal_life_area_valid"),
            models.CheckConstraint(condition=Q(visibility__in=VISIBILITY_VALUES), name="goal_visibility_valid"),
        ]


class GoalRevision(TenantModel):
    """An earlier wording of a goal, kept when the wording is corrected: the goal is the person's, so what
    was written down before stays readable beside the corrected words."""

    goal = models.ForeignKey(Goal, on_delete=models.CASCADE, related_name="revisions")
    words = models.TextField(_("earlier wording"))
    revised_at = models.DateTimeField(auto_now_add=True)
    revised_by = models.ForeignKey(USER, on_delete=models.SET_NULL, null=True, blank=True, related_name="+")

    class Meta:
        verbose_name = _("earlier wording of a goal")
        ordering = ["revised_at", "id"]


class GoalRating(TenantModel):
    """The person's own rating of progress on a goal, 0 (not started) to 10 (there), on one day, with what
    they said about it in their own words when they wanted to."""

    goal = models.ForeignKey(Goal, on_delete=models.CASCADE, related_name="ratings")
    rated_on = models.DateField(_("date"), validators=[validation.plausible_date])
    rating = models.PositiveSmallIntegerField(_("the person's own rating (0–10)"))
    comment = models.TextField(_("in the person's own words"), blank=True, default="")
    recorded_by = models.ForeignKey(USER, on_delete=models.SET_NULL, null=True, blank=True, related_name="+")

    class Meta:
        verbose_name = _("goal rating")
        ordering = ["rated_on"]
        constraints = [
            models.CheckConstraint(condition=Q(rating__gte=0) & Q(rating__lte=10), name="goalrating_0_to_10"),
            models.UniqueConstraint(fields=["goal", "rated_on"], name="goalrating_one_per_day"),
        ]


# --- guidance and workload -------------------------------------------------------------------------------


class GuidanceKind(models.TextChoices):
    """The kinds of support a peer worker gets for their work (S1 A9; S3). Named *guidance* throughout, so
    they are never confused with the groups and courses the service offers its users or with a contact
    made in a group."""

    SUPERVISION = "supervision", _("Supervision by a senior peer worker")
    FOLLOW_UP = "follow_up", _("Follow-up with a coordinator")
    INTERVISION = "intervision", _("Intervision group")
    TEAM_COACHING = "team_coaching", _("Team coaching")
    USER_ORGANISATION = "user_organisation", _("Contact with the user organisation")


class GuidanceRelationship(TenantModel):
    """Who guides whom, from when until when. A coordinator sets it; the peer worker sees it on their guidance
    page. It is the only source of "the peer workers I guide": a reporting line or a session held once does
    not make anyone a guide."""

    peer_worker = models.ForeignKey(USER, on_delete=models.CASCADE, related_name="guides_assigned")
    guide = models.ForeignKey(USER, on_delete=models.PROTECT, related_name="guiding")
    starts_on = models.DateField(_("from"), validators=[validation.plausible_date])
    ends_on = models.DateField(_("until"), null=True, blank=True, validators=[validation.plausible_date])
    set_by = models.ForeignKey(USER, on_delete=models.SET_NULL, null=True, blank=True, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("guidance relationship")
        ordering = ["starts_on", "id"]
        constraints = [
            models.CheckConstraint(condition=~Q(peer_worker=F("guide")), name="guidance_relationship_not_self"),
            models.CheckConstraint(
                condition=Q(ends_on__isnull=True) | Q(ends_on__gte=F("starts_on")),
                name="guidance_relationship_ends_after_start",
            ),
        ]
        indexes = [models.Index(fields=["organisation", "guide"]), models.Index(fields=["organisation", "peer_worker"])]


class GuidanceSession(TenantModel):
    """One guidance session: planned (the peer workers prepare it) or held (the guide records it). Its peer
    workers are its ``participants``: one for a one-to-one session, several for a group session (intervision,
    team coaching). ``signals`` keeps the workload topics the system suggested, as codes with parameters, so
    the record shows what was noticed without copying anyone's data."""

    class Status(models.TextChoices):
        PLANNED = "planned", _("Planned")
        HELD = "held", _("Held")

    kind = models.CharField(_("kind"), max_length=20, choices=GuidanceKind.choices, default=GuidanceKind.SUPERVISION)
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.HELD)
    is_group_session = models.BooleanField(_("group session"), default=False)
    guide = models.ForeignKey(USER, on_delete=models.PROTECT, related_name="guidance_given")
    meets_on = models.DateField(_("date"), validators=[validation.plausible_date])
    topics = models.TextField(_("topics"), blank=True)
    signals = models.JSONField(default=list, blank=True)
    follow_ups = models.TextField(_("agreed follow-ups"), blank=True)
    next_on = models.DateField(_("next session"), null=True, blank=True, validators=[validation.plausible_date])
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("guidance session")
        ordering = ["-meets_on"]
        constraints = [
            models.CheckConstraint(
                condition=Q(next_on__isnull=True) | Q(next_on__gt=F("meets_on")), name="guidance_next_after"
            ),
        ]
        indexes = [models.Index(fields=["organisation", "guide", "meets_on"])]

    @property
    def planned(self) -> bool:
        return self.status == self.Status.PLANNED


class GuidanceParticipant(TenantModel):
    """A peer worker taking part in a guidance session, with their own preparation: a "what is hard now"
    note that only they read, unless they share it with the session's guide for this session."""

    session = models.ForeignKey(GuidanceSession, on_delete=models.CASCADE, related_name="participants")
    peer_worker = models.ForeignKey(USER, on_delete=models.CASCADE, related_name="guidance_received")
    hard_now = models.TextField(_("what is hard now"), blank=True, max_length=2000)
    hard_now_shared = models.BooleanField(_("share with my guide for this session"), default=False)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("guidance participant")
        constraints = [
            models.UniqueConstraint(fields=["session", "peer_worker"], name="guidance_participant_once"),
        ]
        indexes = [models.Index(fields=["organisation", "peer_worker"])]


class GuidanceAgendaItem(TenantModel):
    """Something a participant (or the guide) wants to talk about in a session."""

    session = models.ForeignKey(GuidanceSession, on_delete=models.CASCADE, related_name="agenda")
    author = models.ForeignKey(USER, on_delete=models.CASCADE, related_name="+")
    text = models.CharField(_("agenda item"), max_length=300)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("agenda item")
        ordering = ["created_at", "id"]


class GuidanceShare(TenantModel):
    """The peer worker of a one-to-one session lets one more person read its record (not their private note)."""

    session = models.ForeignKey(GuidanceSession, on_delete=models.CASCADE, related_name="shares")
    reader = models.ForeignKey(USER, on_delete=models.CASCADE, related_name="+")
    shared_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("shared guidance record")
        constraints = [models.UniqueConstraint(fields=["session", "reader"], name="guidance_share_once")]


class WorkloadSettings(TenantModel):
    """Thresholds that turn a peer worker's week into topics for guidance (S3 theme 3, S1 B1). They are for
    support, not surveillance; defaults are documented in docs/service.md."""

    contacts_per_week = models.PositiveSmallIntegerField(_("contacts in a week"), default=20)
    hours_per_week = models.DecimalField(_("hours of contact in a week"), max_digits=4, decimal_places=1, default=15)
    outside_hours_percent = models.PositiveSmallIntegerField(
        _("share of contacts outside agreed hours (%)"), default=25
    )
    weekend_contacts = models.PositiveSmallIntegerField(_("weekend contacts in a week"), default=3)
    burst_contacts = models.PositiveSmallIntegerField(_("contacts with one person that make a burst"), default=8)
    burst_days = models.PositiveSmallIntegerField(_("within this many days"), default=7)
    guidance_every_days = models.PositiveSmallIntegerField(
        _("guidance at least every (days)"),
        default=GUIDANCE_EVERY_DAYS,
        help_text=_(
            "Used by the service and by the readiness check for supervision. Peerwork's default is 28 days: "
            "the recommendations ask for regular supervision without naming a number."
        ),
    )
    review_every_weeks = models.PositiveSmallIntegerField(_("review engagements every (weeks)"), default=12)
    end_reminder_days = models.PositiveSmallIntegerField(_("remind before planned end (days)"), default=60)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("workload settings")
        constraints = [
            models.UniqueConstraint(fields=["organisation"], name="workloadsettings_one_per_org"),
            models.CheckConstraint(
                condition=Q(contacts_per_week__gt=0)
                & Q(hours_per_week__gt=0)
                & Q(outside_hours_percent__lte=100)
                & Q(burst_contacts__gt=1)
                & Q(burst_days__gt=0)
                & Q(guidance_every_days__gt=0)
                & Q(review_every_weeks__gt=0),
                name="workloadsettings_positive",
            ),
        ]

"""Co-creation across the service cycle (S2 §3.3; S4 Results, theme 3; docs/cocreation.md, docs/sources.md).

* An **initiative** is a piece of service development with four phases — co-defining/commissioning,
  co-design, co-delivery and co-assessment — and the people who took part in each.
* A **contribution** is a proposal or input from a peer worker or service user, with what came of it: the
  guard against tokenism is that every contribution gets an outcome, and a rejection gets a reason.
* An initiative has a lead **owner** and may have **co-owners**: managers, coordinators, peer workers and
  senior peer workers can start and co-own initiatives (S4: peer workers as partners in co-creation).
* A **board** (service user board, peer-worker-led local service user board, management group, working
  group, cross-sector group) has seats by kind, a leader, meetings and decisions. A board a peer worker
  proposes waits for a manager or coordinator to confirm it; a peer-worker-led board is created at once.
* A decision on a contribution may be a **joint decision** of a named board or working group, with the
  people who took part in it. S4 warns against letting peer-worker seats replace user-organisation
  seats; ``warnings.board_warnings`` makes that visible.
* A **signal** is a frontline issue raised by a peer worker straight to a responsible manager, who must
  acknowledge it; the sender sees status, decision and outcome (S2: "no in-between").

Rules that can live in the database do (dates in order, a reason for a rejection); the rest are in
``services.py``. Warnings are computed in ``warnings.py`` and never stored.
"""

from __future__ import annotations

from datetime import timedelta

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _

from peerwork.organisations.models import TenantModel, Unit


class ParticipantKind(models.TextChoices):
    PEER_WORKER = "peer_worker", _("Peer worker")
    SERVICE_USER = "service_user", _("Service user")
    USER_ORG_REP = "user_org_rep", _("User-organisation representative")
    PROFESSIONAL = "professional", _("Professional")
    MANAGER = "manager", _("Manager")


class CocreationPolicy(TenantModel):
    """The organisation's own settings for co-creation (one row per organisation, created on first save)."""

    contribution_pending_limit_days = models.PositiveSmallIntegerField(
        _("days a contribution may wait for a decision"),
        default=30,  # Peerwork default (default-pending in docs/sources.md): the sources name no limit
        help_text=_("A contribution without an outcome after this many days is flagged to managers."),
    )

    class Meta:
        verbose_name = _("co-creation settings")
        constraints = [
            models.UniqueConstraint(fields=["organisation"], name="cocreation_policy_one_per_org"),
            models.CheckConstraint(
                condition=Q(contribution_pending_limit_days__gte=1) & Q(contribution_pending_limit_days__lte=365),
                name="cocreation_policy_limit_range",
            ),
        ]


class Initiative(TenantModel):
    title = models.CharField(_("title"), max_length=200)
    problem_statement = models.TextField(
        _("problem statement"), help_text=_("What is not working, for whom, in plain words.")
    )
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("lead owner")
    )
    unit = models.ForeignKey(
        Unit,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("unit or team"),
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("initiative")
        indexes = [models.Index(fields=["organisation", "created_at"])]

    def __str__(self) -> str:
        return self.title


class CoOwner(TenantModel):
    """A colleague who owns an initiative together with its lead owner: a manager, coordinator, peer worker
    or senior peer worker. Owners change the phases and who takes part, and decide on proposals."""

    initiative = models.ForeignKey(Initiative, on_delete=models.CASCADE, related_name="co_owners")
    person = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+", verbose_name=_("co-owner")
    )
    added_on = models.DateField(_("co-owner since"))

    class Meta:
        ordering = ["initiative_id", "id"]
        verbose_name = _("co-owner")
        constraints = [
            models.UniqueConstraint(fields=["initiative", "person"], name="co_owner_once_per_initiative"),
        ]

    def __str__(self) -> str:
        return str(self.person)


class Phase(TenantModel):
    """One of the four phases of the service cycle, always all four per initiative."""

    class Kind(models.TextChoices):
        DEFINING = "defining", _("Co-defining and commissioning")
        DESIGN = "design", _("Co-design")
        DELIVERY = "delivery", _("Co-delivery")
        ASSESSMENT = "assessment", _("Co-assessment")

    class Status(models.TextChoices):
        PLANNED = "planned", _("Not started")
        ACTIVE = "active", _("Under way")
        DONE = "done", _("Done")
        SKIPPED = "skipped", _("Skipped")

    ORDER = {Kind.DEFINING: 1, Kind.DESIGN: 2, Kind.DELIVERY: 3, Kind.ASSESSMENT: 4}
    EARLY = (Kind.DEFINING, Kind.DESIGN)

    initiative = models.ForeignKey(Initiative, on_delete=models.CASCADE, related_name="phases")
    kind = models.CharField(_("phase"), max_length=20, choices=Kind.choices)
    position = models.PositiveSmallIntegerField(default=1, editable=False)
    start_date = models.DateField(_("start date"), null=True, blank=True)
    end_date = models.DateField(_("end date"), null=True, blank=True)
    status = models.CharField(_("status"), max_length=20, choices=Status.choices, default=Status.PLANNED)

    class Meta:
        ordering = ["initiative_id", "position"]
        verbose_name = _("phase")
        constraints = [
            models.UniqueConstraint(fields=["initiative", "kind"], name="phase_one_of_each_kind"),
            models.CheckConstraint(
                condition=Q(end_date__isnull=True) | Q(start_date__isnull=True) | Q(end_date__gte=F("start_date")),
                name="phase_end_not_before_start",
                violation_error_message=_(
                    "A phase cannot end before it starts: set an end date on or after the start date."
                ),
            ),
        ]

    def __str__(self) -> str:
        return str(self.get_kind_display())


class Participation(TenantModel):
    """Someone who took part in a phase: a colleague in Peerwork, or a named person from outside."""

    phase = models.ForeignKey(Phase, on_delete=models.CASCADE, related_name="participations")
    person = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("colleague"),
    )
    external_name = models.CharField(
        _("name of someone outside Peerwork"),
        max_length=120,
        blank=True,
        help_text=_("The name the person wants to be known by in this work; a first name or initials are enough."),
    )
    kind = models.CharField(_("takes part as"), max_length=20, choices=ParticipantKind.choices)

    class Meta:
        ordering = ["phase_id", "kind", "id"]
        verbose_name = _("participation")
        constraints = [
            models.CheckConstraint(
                condition=(Q(person__isnull=False) & Q(external_name=""))
                | (Q(person__isnull=True) & ~Q(external_name="")),
                name="participation_person_or_name",
                violation_error_message=_(
                    "Choose a colleague or write the name of someone outside Peerwork, not both."
                ),
            ),
            models.UniqueConstraint(
                fields=["phase", "person"],
                condition=Q(person__isnull=False),
                name="participation_once_per_phase",
            ),
        ]

    @property
    def name(self) -> str:
        return str(self.person) if self.person_id else self.external_name

    @property
    def identity(self) -> str:
        """Who this is, to recognise the same participant across phases."""
        return f"user:{self.person_id}" if self.person_id else f"name:{self.external_name.strip().casefold()}"


class Contribution(TenantModel):
    """A proposal or input from a peer worker or service user, and what came of it."""

    class ContributorKind(models.TextChoices):
        PEER_WORKER = "peer_worker", _("Peer worker")
        SERVICE_USER = "service_user", _("Service user")

    class Outcome(models.TextChoices):
        PENDING = "pending", _("Waiting for a decision")
        ADOPTED = "adopted", _("Adopted")
        ADAPTED = "adapted", _("Adopted with changes")
        REJECTED = "rejected", _("Not taken forward")

    initiative = models.ForeignKey(Initiative, on_delete=models.CASCADE, related_name="contributions")
    phase = models.ForeignKey(Phase, on_delete=models.CASCADE, related_name="contributions", verbose_name=_("phase"))
    contributor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("peer worker"),
    )
    contributor_name = models.CharField(_("service user's name"), max_length=120, blank=True)
    contributor_kind = models.CharField(_("from"), max_length=20, choices=ContributorKind.choices)
    summary = models.CharField(_("proposal in short"), max_length=200)
    details = models.TextField(_("more detail"), blank=True)
    submitted_on = models.DateField(_("proposed on"))
    outcome = models.CharField(_("outcome"), max_length=20, choices=Outcome.choices, default=Outcome.PENDING)
    outcome_note = models.TextField(
        _("reason or what changed"),
        blank=True,
        help_text=_(
            "Required when the proposal is not taken forward (why not) or adopted with changes (what changed)."
        ),
    )
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("decided by"),
    )
    decided_on = models.DateField(_("decided on"), null=True, blank=True)
    decided_with = models.ForeignKey(
        "Board",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("decided jointly by"),
        help_text=_("The board or working group that made the decision together, if it was a joint decision."),
    )
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+")

    class Meta:
        ordering = ["-submitted_on", "-id"]
        verbose_name = _("contribution")
        indexes = [
            models.Index(fields=["organisation", "contributor"]),
            models.Index(fields=["organisation", "outcome", "submitted_on"]),
        ]
        constraints = [
            models.CheckConstraint(
                condition=(Q(contributor__isnull=False) & Q(contributor_name=""))
                | (Q(contributor__isnull=True) & ~Q(contributor_name="")),
                name="contribution_contributor_or_name",
            ),
            models.CheckConstraint(
                condition=~Q(outcome__in=["rejected", "adapted"]) | ~Q(outcome_note=""),
                name="contribution_reason_when_rejected_or_adapted",
                violation_error_message=_("Say why the proposal is not taken forward, or what was changed."),
            ),
            models.CheckConstraint(
                condition=(Q(outcome="pending") & Q(decided_on__isnull=True))
                | (~Q(outcome="pending") & Q(decided_on__isnull=False)),
                name="contribution_decided_on_when_decided",
            ),
            models.CheckConstraint(
                condition=Q(decided_on__isnull=True) | Q(decided_on__gte=F("submitted_on")),
                name="contribution_decided_after_proposed",
            ),
        ]

    def __str__(self) -> str:
        return self.summary

    @property
    def contributor_display(self) -> str:
        return str(self.contributor) if self.contributor_id else self.contributor_name


class DecisionParticipant(TenantModel):
    """Someone who took part in a joint decision on a contribution: a colleague, or a named person from
    outside Peerwork (a user-organisation representative or service user on the board), with the kind of
    seat they took part from."""

    contribution = models.ForeignKey(Contribution, on_delete=models.CASCADE, related_name="participants")
    person = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("colleague"),
    )
    name = models.CharField(_("name of someone outside Peerwork"), max_length=120, blank=True)
    kind = models.CharField(_("took part as"), max_length=20, choices=ParticipantKind.choices)

    class Meta:
        ordering = ["contribution_id", "kind", "id"]
        verbose_name = _("participant in a joint decision")
        constraints = [
            models.CheckConstraint(
                condition=(Q(person__isnull=False) & Q(name="")) | (Q(person__isnull=True) & ~Q(name="")),
                name="decision_participant_person_or_name",
            ),
        ]

    @property
    def display(self) -> str:
        return str(self.person) if self.person_id else self.name


class Board(TenantModel):
    class Kind(models.TextChoices):
        SERVICE_USER_BOARD = "service_user_board", _("Service user board")
        PEER_LED_USER_BOARD = "peer_led_user_board", _("Local service user board led by a peer worker")
        MANAGEMENT_GROUP = "management_group", _("Management group")
        WORKING_GROUP = "working_group", _("Working group")
        CROSS_SECTOR = "cross_sector", _("Cross-sector group")

    name = models.CharField(_("name"), max_length=200)
    kind = models.CharField(_("kind"), max_length=30, choices=Kind.choices)
    purpose = models.TextField(_("what it is for"), blank=True)
    unit = models.ForeignKey(
        Unit,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("unit or team"),
    )

    class Status(models.TextChoices):
        PROPOSED = "proposed", _("Proposed, waiting for a manager or coordinator to confirm")
        ACTIVE = "active", _("Confirmed")

    # Boards for service users: the S4 warning about user-organisation seats applies to both kinds.
    USER_BOARDS = (Kind.SERVICE_USER_BOARD, Kind.PEER_LED_USER_BOARD)

    ended_on = models.DateField(_("ended on"), null=True, blank=True, help_text=_("Leave empty while it meets."))
    status = models.CharField(_("status"), max_length=20, choices=Status.choices, default=Status.ACTIVE)
    proposed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("proposed by"),
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["name"]
        verbose_name = _("board or committee")
        constraints = [models.UniqueConstraint(fields=["organisation", "name"], name="board_name_unique")]

    def __str__(self) -> str:
        return self.name


class Seat(TenantModel):
    """A seat on a board. It has a kind even when vacant; the holder is a colleague or a named outsider."""

    board = models.ForeignKey(Board, on_delete=models.CASCADE, related_name="seats")
    kind = models.CharField(_("seat for"), max_length=20, choices=ParticipantKind.choices)
    holder = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("colleague"),
    )
    holder_name = models.CharField(_("name of someone outside Peerwork"), max_length=120, blank=True)
    leads = models.BooleanField(_("leads the board"), default=False)
    also_acts_as = models.CharField(
        _("also acts as"),
        max_length=20,
        choices=ParticipantKind.choices,
        blank=True,
        help_text=_(
            "Another role the holder brings to this board, for example a peer worker who also represents a "
            "user organisation."
        ),
    )
    converted_from = models.CharField(
        _("earlier a seat for"), max_length=20, choices=ParticipantKind.choices, blank=True, editable=False
    )

    class Meta:
        ordering = ["board_id", "-leads", "kind", "id"]
        verbose_name = _("seat")
        constraints = [
            models.UniqueConstraint(fields=["board"], condition=Q(leads=True), name="seat_one_leader_per_board"),
            models.CheckConstraint(condition=Q(holder__isnull=True) | Q(holder_name=""), name="seat_holder_or_name"),
        ]
        indexes = [models.Index(fields=["organisation", "holder"])]

    @property
    def holder_display(self) -> str:
        return str(self.holder) if self.holder_id else self.holder_name

    @property
    def vacant(self) -> bool:
        return not self.holder_id and not self.holder_name


class Meeting(TenantModel):
    board = models.ForeignKey(Board, on_delete=models.CASCADE, related_name="meetings")
    held_on = models.DateField(_("date"))
    agenda = models.TextField(_("agenda"))

    class Meta:
        ordering = ["-held_on", "-id"]
        verbose_name = _("meeting")


class Decision(TenantModel):
    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="decisions")
    text = models.TextField(_("decision"))
    follow_up_by = models.CharField(_("who follows it up"), max_length=120, blank=True)

    class Meta:
        ordering = ["id"]
        verbose_name = _("decision")


class Signal(TenantModel):
    """A frontline issue sent by a peer worker straight to a responsible manager."""

    class Kind(models.TextChoices):
        GAP = "gap", _("A gap in the services")
        HARMFUL = "harmful", _("A practice that harms")
        IDEA = "idea", _("An idea")

    class Visibility(models.TextChoices):
        NAMED = "named", _("Show my name")
        HIDDEN = "hidden", _("Hide my name from colleagues (the responsible manager sees it)")
        ANONYMOUS = "anonymous", _("Fully anonymous (no one sees my name, not even the manager)")

    class Status(models.TextChoices):
        SENT = "sent", _("Waiting for acknowledgement")
        ACKNOWLEDGED = "acknowledged", _("Acknowledged")
        DECIDED = "decided", _("Decision made")
        CLOSED = "closed", _("Closed with an outcome")

    raised_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    kind = models.CharField(_("what kind of issue"), max_length=20, choices=Kind.choices)
    title = models.CharField(_("in one sentence"), max_length=200)
    description = models.TextField(_("what happens, where and when"), blank=True)
    unit = models.ForeignKey(
        Unit,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("unit or team"),
    )
    visibility = models.CharField(_("your name"), max_length=20, choices=Visibility.choices, default=Visibility.NAMED)
    responsible_manager = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("send to")
    )
    status = models.CharField(_("status"), max_length=20, choices=Status.choices, default=Status.SENT)
    raised_at = models.DateTimeField()
    acknowledged_at = models.DateTimeField(null=True, blank=True)
    acknowledged_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    decision = models.TextField(_("decision"), blank=True)
    decided_at = models.DateTimeField(null=True, blank=True)
    outcome = models.TextField(_("outcome"), blank=True)
    closed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-raised_at", "-id"]
        verbose_name = _("signal to management")
        indexes = [
            models.Index(fields=["organisation", "responsible_manager", "status"]),
            models.Index(fields=["organisation", "raised_by"]),
            models.Index(fields=["organisation", "raised_at"]),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(acknowledged_at__isnull=True) | Q(acknowledged_at__gte=F("raised_at")),
                name="signal_acknowledged_after_raised",
            ),
            models.CheckConstraint(
                condition=Q(status="sent") | Q(acknowledged_at__isnull=False),
                name="signal_acknowledged_before_progress",
            ),
        ]

    def __str__(self) -> str:
        return self.title

    @property
    def time_to_acknowledge(self) -> timedelta | None:
        if self.acknowledged_at is None:
            return None
        return self.acknowledged_at - self.raised_at

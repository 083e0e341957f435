"""Goals in the person's own words, the person's own ratings of progress, and finishing a goal."""

from __future__ import annotations

from datetime import date

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from peerwork.audit.details import Detail
from peerwork.audit.trail import Action, record
from peerwork.core import validation
from peerwork.core.actor import Actor

from ..models import Engagement, Goal, GoalRating, GoalRevision, LifeArea, Visibility
from ._common import today, validate
from .engagements import own_engagement_for_update


def add_goal(actor: Actor, *, engagement_id: int, life_area: str, words: str, visibility: str) -> Goal:
    """The engagement's own peer worker writes down a goal as the person said it."""
    errors = {}
    if life_area not in LifeArea.values:
        errors["life_area"] = _("Choose the life area the goal belongs to.")
    if not (words or "").strip():
        errors["words"] = _("Write the goal the way the person said it.")
    if visibility not in Visibility.values:
        errors["visibility"] = _("Choose who may read the goal.")
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        engagement = own_engagement_for_update(actor, engagement_id)
        goal = Goal(
            organisation_id=actor.organisation_id,
            service_user=engagement.service_user,
            engagement=engagement,
            life_area=life_area,
            words=words.strip(),
            visibility=visibility,
            created_by=actor.user,
        )
        validate(goal)
        goal.save()
        record(actor, Action.CREATE, goal, subject=engagement.service_user)
    return goal


def _goal_for_update(actor: Actor, goal_id: int) -> tuple[Goal, Engagement]:
    goal = (
        Goal.objects.select_for_update()
        .select_related("service_user")
        .filter(organisation_id=actor.organisation_id, pk=goal_id)
        .first()
    )
    if goal is None or goal.engagement_id is None:
        raise PermissionDenied
    engagement = own_engagement_for_update(actor, goal.engagement_id)
    if goal.visibility == Visibility.PRIVATE and goal.created_by_id != actor.user.pk:
        raise PermissionDenied
    return goal, engagement


def revise_goal(actor: Actor, *, goal_id: int, words: str) -> Goal:
    """Correct the wording of a goal (a word misheard, the person putting it better). The earlier wording is
    kept as a ``GoalRevision`` and shown with the goal, so what the person first said is never lost."""
    words = (words or "").strip()
    if not words:
        raise ValidationError({"words": _("Write the goal the way the person said it.")})
    if len(words) > validation.LONG_TEXT:
        raise ValidationError(
            {"words": _("Shorten the text to at most %(limit)s characters.") % {"limit": f"{validation.LONG_TEXT:,}"}}
        )
    with transaction.atomic():
        goal, _engagement = _goal_for_update(actor, goal_id)
        if words == goal.words:
            raise ValidationError({"words": _("The wording is the same as before: change it, or go back.")})
        revision = GoalRevision(
            organisation_id=actor.organisation_id, goal=goal, words=goal.words, revised_by=actor.user
        )
        validate(revision)
        revision.save()
        goal.words = words
        validate(goal)
        goal.save(update_fields=["words"])
        record(actor, Action.UPDATE, goal, subject=goal.service_user, detail=Detail("goal_words"))
    return goal


def rate_goal(
    actor: Actor, *, goal_id: int, rating: int, rated_on: date | None = None, comment: str = ""
) -> GoalRating:
    """Record the person's own rating (0–10), with what they said about it in their own words if they wish.
    A second rating on the same day replaces the first."""
    rated_on = rated_on or today()
    comment = (comment or "").strip()
    errors = {}
    if not isinstance(rating, int) or not 0 <= rating <= 10:
        errors["rating"] = _("Enter the person's own rating as a whole number from 0 to 10.")
    if len(comment) > validation.LONG_TEXT:
        errors["comment"] = _("Shorten the text to at most %(limit)s characters.") % {
            "limit": f"{validation.LONG_TEXT:,}"
        }
    if rated_on > today():
        errors["rated_on"] = _("A rating cannot be given for a future date.")
    elif message := validation.date_error(rated_on):
        errors["rated_on"] = message
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        goal, _engagement = _goal_for_update(actor, goal_id)
        if goal.achieved_on or goal.closed_on:
            raise ValidationError({"rating": _("This goal is finished; add a new goal to rate progress again.")})
        values = {
            "organisation_id": actor.organisation_id,
            "rating": rating,
            "comment": comment,
            "recorded_by": actor.user,
        }
        validate(GoalRating(goal=goal, rated_on=rated_on, **values))
        found, _created = GoalRating.objects.update_or_create(goal=goal, rated_on=rated_on, defaults=values)
        record(actor, Action.CREATE, found, subject=goal.service_user)
    return found


def finish_goal(actor: Actor, *, goal_id: int, achieved: bool, on: date | None = None) -> Goal:
    """The goal was reached (``achieved``) or set aside, on ``on`` (today unless given)."""
    on = on or today()
    with transaction.atomic():
        goal, _engagement = _goal_for_update(actor, goal_id)
        if goal.achieved_on or goal.closed_on:
            raise ValidationError({"__all__": _("This goal is already finished.")})
        if achieved:
            goal.achieved_on = on
        else:
            goal.closed_on = on
        validate(goal)
        goal.save(update_fields=["achieved_on", "closed_on"])
        record(
            actor,
            Action.UPDATE,
            goal,
            subject=goal.service_user,
            detail=Detail("goal_achieved" if achieved else "goal_set_aside"),
        )
    return goal

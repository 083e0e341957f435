"""The action plan."""

from __future__ import annotations

from django.contrib import messages
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from peerwork.core.http import ActorRequest
from peerwork.core.toolkit import posted, requires, submit

from .. import selectors, services
from ..forms import ActionForm, ProgressForm
from ..models import ActionItem
from ..roles import READ_ROLES, RESPONDENT_ROLES, WRITE_ROLES
from .results import comment_part


@requires(*RESPONDENT_ROLES)
def action_plan(request: ActorRequest) -> HttpResponse:
    actor = request.actor
    status = request.GET.get("status", "active")
    return render(
        request,
        "readiness/actions.html",
        {
            "actions": selectors.actions(actor, status),
            "status": status,
            "statuses": ActionItem.Status.choices,
            "today": timezone.localdate(),
            "can_act": actor.has(*WRITE_ROLES),
        },
    )


def _source_link(action: ActionItem) -> str | None:
    if action.source == ActionItem.Source.GAP and action.round_id:
        return reverse("readiness:round", args=[action.round_id]) + f"#domain-{action.source_ref}"
    if action.source == ActionItem.Source.CHECK:
        return reverse("readiness:checks") + f"#check-{action.source_ref}"
    if action.source == ActionItem.Source.RISK and action.unit_id:
        return reverse("readiness:risk_register", args=[action.unit_id]) + f"#point-{action.source_ref}"
    return None


@requires(*READ_ROLES)
def action_new(request: ActorRequest) -> HttpResponse:
    actor = request.actor
    initial = {k: request.GET.get(k, "") for k in ("title", "source", "source_ref", "unit", "round", "risk")}
    form = ActionForm(posted(request), initial=initial, people=selectors.people(actor))
    if submit(
        request,
        form,
        lambda d: services.create_action(
            actor,
            title=d["title"],
            owner_id=d["owner"].pk if d["owner"] else None,
            due_on=d["due_on"],
            source=d["source"] or ActionItem.Source.OTHER,
            source_ref=d["source_ref"] or "",
            unit_id=d["unit"],
            round_id=d["round"],
            risk_id=d["risk"],
        ),
    ):
        messages.success(request, _("The action is in the plan."))
        return redirect("readiness:actions")
    return render(request, "readiness/action_form.html", {"form": form, "action": None})


@requires(*RESPONDENT_ROLES)
def action_edit(request: ActorRequest, pk: int) -> HttpResponse:
    """Those who keep the plan change everything; the owner marks progress; other readers comment."""
    actor = request.actor
    action = selectors.action(actor, pk)
    context = {"action": action, "source_link": _source_link(action)}
    commenting = "comment-text" in request.POST
    if actor.has(*WRITE_ROLES):
        comments, added = comment_part(request, action_id=pk, bind=commenting)
        if added:
            return redirect("readiness:action", pk=pk)
        form = ActionForm(
            None if commenting else posted(request),
            people=selectors.people(actor),
            editing=True,
            initial={
                "title": action.title,
                "owner": action.owner_id,
                "due_on": action.due_on,
                "status": action.status,
            },
        )
        if submit(
            request,
            form,
            lambda d: services.update_action(
                actor,
                pk,
                title=d["title"],
                owner_id=d["owner"].pk if d["owner"] else None,
                due_on=d["due_on"],
                status=d["status"],
            ),
        ):
            messages.success(request, _("The action is updated."))
            return redirect("readiness:actions")
        return render(request, "readiness/action_form.html", {**context, **comments, "form": form})
    progress = None
    if action.owner_id == actor.user.pk:
        data = None if commenting else posted(request)
        progress = ProgressForm(data, prefix="progress", initial={"status": action.status})
        if submit(
            request,
            progress,
            lambda d: services.update_action_progress(actor, pk, status=d["status"], note=d["note"]),
        ):
            messages.success(request, _("The progress is saved."))
            return redirect("readiness:action", pk=pk)
    comments, added = comment_part(request, action_id=pk, bind=commenting)
    if added:
        return redirect("readiness:action", pk=pk)
    return render(request, "readiness/action.html", {**context, **comments, "progress": progress})

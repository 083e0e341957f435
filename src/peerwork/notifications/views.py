from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from django.contrib import messages
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET

from peerwork.core import jobs
from peerwork.core.http import ActorRequest
from peerwork.core.roles import Role
from peerwork.core.toolkit import posted, requires, submit

from . import kinds, selectors, services, sms
from .forms import PreferencesForm

JOB_NAMES = {
    "deliver": gettext_lazy("Sending a notification"),
    "daily_reminders": gettext_lazy("Daily reminders"),
    "weekly_digest": gettext_lazy("Weekly digest"),
    "run_retention": gettext_lazy("Retention run"),
    "clean_up": gettext_lazy("Clean-up of old notifications and jobs"),
}


@dataclass(frozen=True)
class Shown:
    text: str
    url: str
    at: datetime
    unread: bool


@requires(*Role)
def index(request: ActorRequest) -> HttpResponse:
    actor = request.actor
    if request.method == "POST":
        changed = services.mark_read(actor)
        if changed:
            messages.success(request, _("All your notifications are marked as read."))
        return redirect("notifications:index")
    shown = [
        Shown(kinds.message(n.kind, n.counts), n.url, n.created_at, n.read_at is None)
        for n in selectors.notifications(actor)
    ]
    here = selectors.unread_count(actor)
    return render(
        request,
        "notifications/index.html",
        {"shown": shown, "unread": here, "elsewhere": max(actor.user.unread_notifications - here, 0)},
    )


@requires(*Role)
def preferences(request: ActorRequest) -> HttpResponse:
    actor = request.actor
    form = PreferencesForm(posted(request), current=selectors.preferences(actor.user), texts_on=sms.enabled())
    if submit(request, form, lambda _d: services.set_preferences(actor, choices=form.choices())):
        messages.success(request, _("Your choices are saved."))
        return redirect("notifications:preferences")
    return render(request, "notifications/preferences.html", {"form": form})


@requires(Role.ADMINISTRATOR)
@require_GET
def jobs_page(request: ActorRequest) -> HttpResponse:
    actor = request.actor
    return render(
        request,
        "notifications/jobs.html",
        {
            "failed": [(JOB_NAMES.get(f.name, gettext_lazy("Other job")), f) for f in jobs.failed_jobs(actor)],
            "waiting": jobs.waiting_jobs(actor),
            "on_database": jobs.uses_database_backend(),
        },
    )

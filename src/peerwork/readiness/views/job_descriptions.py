"""Job descriptions: the list, the builder, versions and which positions follow them."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from peerwork.core.http import ActorRequest
from peerwork.core.roles import Role
from peerwork.core.toolkit import posted, requires, submit

from .. import selectors, services
from ..forms import AttachForm, JobDescriptionForm
from ..models import JobDescription, JobDescriptionVersion, RoleType
from ..roles import LEAD_ROLES, READ_ROLES


@requires(*READ_ROLES)
def roles(request: ActorRequest) -> HttpResponse:
    actor = request.actor
    return render(
        request,
        "readiness/roles.html",
        {
            "descriptions": selectors.job_descriptions(actor),
            "positions": selectors.positions_with_job_descriptions(actor),
            "can_lead": actor.has(*LEAD_ROLES),
        },
    )


def _builder(request: ActorRequest, jd: JobDescription | None = None) -> HttpResponse:
    actor = request.actor
    initial: dict[str, Any] = {}
    if jd is not None:
        latest = jd.versions.all()[0]
        initial = {
            f: getattr(latest, f)
            for f in (
                "role_form",
                "role_type",
                "core_tasks",
                "tasks",
                "demarcation",
                "hours_per_week",
                "reporting_line",
                "supervision",
                "does_not_do",
            )
        }
        initial["title"] = jd.title
    form = JobDescriptionForm(posted(request), initial=initial)
    saved = submit(
        request,
        form,
        lambda d: services.save_job_description(
            actor,
            job_description_id=jd.pk if jd else None,
            title=d["title"],
            role_form=d["role_form"],
            role_type=d["role_type"],
            core_tasks=d["core_tasks"],
            tasks=d["tasks"],
            demarcation=d["demarcation"],
            hours_per_week=d["hours_per_week"] if d["hours_per_week"] is not None else "",
            reporting_line=d["reporting_line"],
            supervision=d["supervision"],
            does_not_do=d["does_not_do"],
        ),
    )
    if saved is not None:
        version = saved.value
        messages.success(request, _("Saved as version %(n)d.") % {"n": version.number})
        if version.role_type == RoleType.PRE_DETERMINED:
            messages.warning(
                request,
                _(
                    "This role is set up as pre-determined services: the peer worker has little room to use their "
                    "experience. Consider peer support or co-creation."
                ),
            )
        return redirect("readiness:role", pk=version.job_description_id)
    chosen_type = form.data.get("role_type") if form.is_bound else initial.get("role_type")
    return render(
        request,
        "readiness/role_form.html",
        {"form": form, "jd": jd, "pre_determined": chosen_type == RoleType.PRE_DETERMINED},
    )


@requires(*LEAD_ROLES)
def role_new(request: ActorRequest) -> HttpResponse:
    return _builder(request)


@requires(*LEAD_ROLES)
def role_edit(request: ActorRequest, pk: int) -> HttpResponse:
    return _builder(request, selectors.job_description(request.actor, pk))


@requires(*READ_ROLES)
def role(request: ActorRequest, pk: int) -> HttpResponse:
    actor = request.actor
    jd = selectors.job_description(actor, pk)
    versions = list(jd.versions.all())
    latest = versions[0] if versions else None
    attach = None
    if actor.has(*LEAD_ROLES) and latest is not None:
        attach = AttachForm(
            posted(request),
            positions=selectors.positions_to_attach(actor),
            initial={"positions": list(latest.positions.values_list("position_id", flat=True))},
        )
        saved = submit(
            request,
            attach,
            lambda d: services.attach_job_description(
                actor, version_id=latest.pk, position_ids=[p.pk for p in d["positions"]]
            ),
        )
        if saved is not None:
            messages.success(
                request,
                ngettext(
                    "%(n)d position now follows version %(v)d.",
                    "%(n)d positions now follow version %(v)d.",
                    saved.value,
                )
                % {"n": saved.value, "v": latest.number},
            )
            return redirect("readiness:role", pk=pk)
    return render(
        request,
        "readiness/role.html",
        {
            "jd": jd,
            "versions": versions,
            "latest": latest,
            "attach": attach,
            "can_lead": actor.has(*LEAD_ROLES),
        },
    )


@requires(*Role)  # those who run readiness, and anyone whose position follows the version
def role_print(request: ActorRequest, pk: int) -> HttpResponse:
    actor = request.actor
    version: JobDescriptionVersion = selectors.job_description_version(actor, pk)
    return render(request, "readiness/role_print.html", {"v": version, "jd": version.job_description})

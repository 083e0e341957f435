"""Co-creation initiatives: the list, starting one, its phases and who takes part; the settings."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _l
from django.views.decorators.http import require_POST

from peerwork.core import listing
from peerwork.core.actor import Actor
from peerwork.core.http import ActorRequest
from peerwork.core.roles import MANAGING_ROLES, PEER_ROLES, Role
from peerwork.core.toolkit import posted, requires, submit

from .. import forms, selectors, services
from ..models import Initiative

PAGE_SIZE = 25
# Who may start initiatives and, on initiatives they own, change phases, participants and owners.
OWNERS = (*MANAGING_ROLES, *PEER_ROLES)


def _require_manage(actor: Actor, initiative: Initiative) -> None:
    if not services.can_manage_initiative(actor, initiative):
        raise PermissionDenied


@requires(*Role)
def index(request: ActorRequest) -> HttpResponse:
    return redirect("cocreation:initiatives")


@requires(*Role)
def initiatives(request: ActorRequest) -> HttpResponse:
    actor = request.actor
    form = forms.InitiativeListForm(request.GET, organisation_id=actor.organisation_id)
    if kind := listing.wants_export(request.GET):
        return listing.export("initiatives", INITIATIVE_COLUMNS, selectors.initiatives_export(actor, form), kind)
    page = selectors.initiatives_page(actor, form, request.GET.get("page"), PAGE_SIZE)
    rows = page.object_list
    return render(
        request,
        "cocreation/initiatives.html",
        {
            "rows": rows,
            "page": page,
            "list_form": form,
            "can_manage": services.can_start_initiatives(actor),
            "can_contribute": actor.has(*PEER_ROLES),
            "is_manager": actor.has(Role.MANAGER),
        },
    )


def _phases_with_peer_workers(view: selectors.InitiativeView) -> str:
    kinds = []
    for row in view.phase_rows():
        if any(p.kind == "peer_worker" for p in row["participations"]):
            kinds.append(str(row["phase"].get_kind_display()))
    return ", ".join(kinds)


INITIATIVE_COLUMNS = (
    listing.Column(_l("Initiative"), lambda v: v.initiative.title),
    listing.Column(_l("Unit or team"), lambda v: v.initiative.unit.name if v.initiative.unit else ""),
    listing.Column(_l("Owners"), lambda v: ", ".join(str(o) for o in v.owners)),
    listing.Column(_l("Started"), lambda v: v.initiative.created_at),
    listing.Column(_l("Phases with peer workers"), _phases_with_peer_workers),
    listing.Column(_l("Proposals"), lambda v: v.initiative.contribution_count),
    listing.Column(_l("Proposals waiting"), lambda v: v.initiative.pending),
    listing.Column(_l("Needs attention"), lambda v: "; ".join(str(w.title) for w in v.warnings)),
)


@requires(*OWNERS)
def initiative_new(request: ActorRequest) -> HttpResponse:
    actor = request.actor
    form = forms.InitiativeForm(actor, posted(request))
    created = submit(
        request,
        form,
        lambda d: services.create_initiative(
            actor,
            title=d["title"],
            problem_statement=d["problem_statement"],
            owner=d["owner"],
            co_owners=d["co_owners"],
            unit=d["unit"],
        ),
    )
    if created:
        messages.success(request, _("The initiative is started. Record who takes part in each phase."))
        return redirect("cocreation:initiative", created.value.pk)
    return render(
        request,
        "cocreation/form_page.html",
        {
            "form": form,
            "title": _("Start an initiative"),
            "submit": _("Start the initiative"),
            "back": reverse("cocreation:initiatives"),
            "lead": _(
                "An initiative is a change to a service, taken through the four phases of the service cycle "
                "with the people it concerns. Managers, coordinators, peer workers and senior peer workers can "
                "start one and own it together."
            ),
        },
    )


@requires(*Role)
def initiative(request: ActorRequest, pk: int) -> HttpResponse:
    actor = request.actor
    view = selectors.initiative(actor, pk)
    can_manage = services.can_manage_initiative(actor, view.initiative)
    return render(
        request,
        "cocreation/initiative.html",
        {
            "v": view,
            "i": view.initiative,
            "can_manage": can_manage,
            "co_owner_form": forms.CoOwnerForm(actor, auto_id="new-co-owner-%s") if can_manage else None,
            "can_decide": services.can_decide(actor, view.initiative),
            "can_contribute": actor.has(*PEER_ROLES) or can_manage,
            "participant_form": forms.ParticipantForm(actor, auto_id="new-participant-%s") if can_manage else None,
        },
    )


@requires(*OWNERS)
def phase_edit(request: ActorRequest, pk: int) -> HttpResponse:
    actor = request.actor
    phase = selectors.phase(actor, pk)
    _require_manage(actor, phase.initiative)
    form = forms.PhaseForm(
        posted(request),
        initial={"start_date": phase.start_date, "end_date": phase.end_date, "status": phase.status},
    )
    if submit(
        request,
        form,
        lambda d: services.update_phase(
            actor, phase, start_date=d["start_date"], end_date=d["end_date"], status=d["status"]
        ),
    ):
        messages.success(request, _("The phase is updated."))
        return redirect(reverse("cocreation:initiative", args=[phase.initiative_id]) + f"#phase-{phase.pk}")
    return render(
        request,
        "cocreation/form_page.html",
        {
            "form": form,
            "title": _("%(phase)s: dates and status") % {"phase": phase.get_kind_display()},
            "caption": phase.initiative.title,
            "submit": _("Save the phase"),
            "back": reverse("cocreation:initiative", args=[phase.initiative_id]),
        },
    )


@requires(*OWNERS)
def participant_add(request: ActorRequest, pk: int) -> HttpResponse:
    actor = request.actor
    phase = selectors.phase(actor, pk)
    _require_manage(actor, phase.initiative)
    form = forms.ParticipantForm(actor, posted(request))
    if submit(
        request,
        form,
        lambda d: services.add_participant(
            actor, phase, kind=d["kind"], person=d["person"], external_name=d["external_name"]
        ),
    ):
        messages.success(request, _("The participant is added to %(phase)s.") % {"phase": phase.get_kind_display()})
        return redirect(reverse("cocreation:initiative", args=[phase.initiative_id]) + f"#phase-{phase.pk}")
    return render(
        request,
        "cocreation/form_page.html",
        {
            "form": form,
            "title": _("Add who takes part in %(phase)s") % {"phase": phase.get_kind_display()},
            "caption": phase.initiative.title,
            "submit": _("Add participant"),
            "back": reverse("cocreation:initiative", args=[phase.initiative_id]),
        },
    )


@requires(*OWNERS)
@require_POST
def participant_remove(request: ActorRequest, pk: int) -> HttpResponse:
    actor = request.actor
    participation = selectors.participation(actor, pk)
    initiative_id = participation.phase.initiative_id
    services.remove_participant(actor, participation)
    messages.success(request, _("The participant is removed from the phase."))
    return redirect("cocreation:initiative", initiative_id)


@requires(*OWNERS)
def co_owner_add(request: ActorRequest, pk: int) -> HttpResponse:
    actor = request.actor
    view = selectors.initiative(actor, pk)
    _require_manage(actor, view.initiative)
    form = forms.CoOwnerForm(actor, posted(request))
    if submit(request, form, lambda d: services.add_co_owner(actor, view.initiative, person=d["person"])):
        messages.success(request, _("The colleague now owns the initiative with you."))
        return redirect(reverse("cocreation:initiative", args=[pk]) + "#owners")
    return render(
        request,
        "cocreation/form_page.html",
        {
            "form": form,
            "title": _("Add a co-owner"),
            "caption": view.initiative.title,
            "submit": _("Add the co-owner"),
            "back": reverse("cocreation:initiative", args=[pk]),
            "lead": _("Co-owners change the phases and who takes part, and decide on proposals."),
        },
    )


@requires(*OWNERS)
@require_POST
def co_owner_remove(request: ActorRequest, pk: int) -> HttpResponse:
    actor = request.actor
    co_owner = selectors.co_owner(actor, pk)
    initiative_id = co_owner.initiative_id
    services.remove_co_owner(actor, co_owner)
    messages.success(request, _("The co-owner is removed."))
    return redirect(reverse("cocreation:initiative", args=[initiative_id]) + "#owners")


@requires(Role.MANAGER)
def policy(request: ActorRequest) -> HttpResponse:
    actor = request.actor
    form = forms.PolicyForm(
        posted(request),
        initial={"contribution_pending_limit_days": services.pending_limit_days(actor.organisation_id)},
    )
    if submit(request, form, lambda d: services.set_pending_limit(actor, d["contribution_pending_limit_days"])):
        messages.success(request, _("The setting is saved."))
        return redirect("cocreation:initiatives")
    return render(
        request,
        "cocreation/form_page.html",
        {
            "form": form,
            "title": _("Co-creation settings"),
            "submit": _("Save"),
            "back": reverse("cocreation:initiatives"),
        },
    )

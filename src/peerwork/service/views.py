"""Pages of the peer recovery service. Thin: parse a form, call a selector or a service, render.

Every page works without JavaScript; htmx only swaps the quick-add form in place when it is there. A form
with errors comes back (status 200, as across Peerwork) with an error summary linking to each field, and
nothing saved. Each page declares the roles that may open it with ``@requires``, as the permission matrix
(``privacy/matrix.py``) says; the selector or service then checks the actor's reach to the one object.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, cast

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.forms import BaseForm, ChoiceField
from django.forms.models import model_to_dict
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _l
from django.views.decorators.http import require_POST

from peerwork.core import listing
from peerwork.core.http import ActorRequest
from peerwork.core.roles import Role
from peerwork.core.toolkit import posted, requires, submit

from . import access, candidates, charts, forms, matching_adapter, selectors, services, workload
from .models import Contact, MatchProposal, ProposedCandidate, Referral, StrainAction

COORD, PW, SENIOR = Role.COORDINATOR, Role.PEER_WORKER, Role.SENIOR_PEER_WORKER
# Who may open an engagement's pages: coordinators, its peer worker, the senior peer workers of the team.
ENGAGEMENT_ROLES = (COORD, PW, SENIOR)


@requires(COORD, PW, SENIOR)
def index(request: ActorRequest) -> HttpResponse:
    actor = request.actor
    if actor.has(COORD):
        return redirect("service:dashboard")
    if actor.has(PW):
        return redirect("service:caseload")
    return redirect("service:guidance_due")


# --- coordinator: dashboard, queue, referrals -----------------------------------------------------------


@requires(COORD)
def dashboard(request: ActorRequest) -> HttpResponse:
    context = selectors.dashboard(request.actor, everyone=request.GET.get("all") == "1")
    # Guidance pages open only for the peer workers the coordinator guides: link those alone.
    return render(request, "service/dashboard.html", {**context, "guided": access.guided_ids(request.actor)})


@requires(COORD)
def queue(request: ActorRequest) -> HttpResponse:
    actor = request.actor
    form = forms.QueueListForm(request.GET)
    if kind := listing.wants_export(request.GET):
        return listing.export("waiting-list", QUEUE_COLUMNS, selectors.queue_export(actor, form), kind)
    page = selectors.queue_page(actor, form, request.GET.get("page"))
    context = {"referrals": page.object_list, "page": page, "paginator": page.paginator, "list_form": form}
    return render(request, "service/queue.html", context)


QUEUE_COLUMNS = (
    listing.Column(_l("Person"), lambda r: r.service_user.chosen_name),
    listing.Column(_l("Received"), lambda r: r.received_on),
    listing.Column(_l("Days waiting"), lambda r: r.waiting_days),
    listing.Column(_l("Wants help with"), lambda r: r.service_user.help_with),
    listing.Column(_l("Referred by"), lambda r: r.get_source_display()),
    listing.Column(_l("Status"), lambda r: r.get_status_display()),
)


@requires(COORD)
def referral_new(request: ActorRequest) -> HttpResponse:
    form = forms.ReferralForm(posted(request))
    saved = submit(request, form, lambda d: services.referrals.create_referral(request.actor, **form.values()))
    if saved:
        messages.success(request, _("The referral is on the waiting list."))
        return redirect("service:referral", saved.value.pk)
    return render(request, "service/referral_new.html", {"form": form})


def _referral_page(request: ActorRequest, pk: int, **bound: Any) -> HttpResponse:
    actor = request.actor
    page = selectors.referral_page(actor, pk)
    referral, pending = page.referral, page.pending
    pool = candidates.load(actor.organisation_id)
    ranked: list[matching_adapter.Ranked] = []
    excluded: list[matching_adapter.Excluded] = []
    if referral.status == Referral.Status.WAITING:
        ranked, excluded = matching_adapter.rank(actor, referral, limit=10, pool=pool)
    acquaintances = selectors.acquaintances_of(actor, referral.service_user_id)
    known_ids = {a.profile.user_id for a in acquaintances}
    context: dict[str, Any] = {
        "referral": referral,
        "engagement": page.engagement,
        "person": referral.service_user,
        "ranked": ranked,
        "excluded": excluded,
        "pending": pending,
        "wishes": matching_adapter.wish_texts(referral.service_user.wishes),
        "acquaintances": acquaintances,
        "known_ids": known_ids,
        "waivers": [
            (a, bound.get(f"waiver_form_{a.pk}") or forms.WaiverForm(prefix=f"waiver{a.pk}")) for a in acquaintances
        ],
        "propose_form": bound.get("propose_form")
        or forms.ProposeForm(choices=[(r.user.pk, str(r.user)) for r in ranked]),
        "close_form": bound.get("close_form") or forms.CloseReferralForm(prefix="close"),
        "conflict_form": bound.get("conflict_form")
        or forms.PeerWorkerChoiceForm(choices=selectors.peer_worker_choices(actor, pool), prefix="conflict"),
    }
    if pending is not None:
        context["choice_form"] = bound.get("choice_form") or forms.ChoiceForm(candidates=_accepted(pending))
        context["pending_candidates"] = [
            (c, matching_adapter.reason_texts(c.reasons), matching_adapter.mismatch_texts(c.reasons))
            for c in pending.candidates.all()
        ]
        context["accepted_count"] = len(_accepted(pending))
    # A form whose section is gone (someone else recorded the choice a moment ago) is heard at the top.
    shown = {"close_form", "conflict_form", *(f"waiver_form_{a.pk}" for a in acquaintances)}
    if pending is not None:
        shown.add("choice_form")
    if referral.status == Referral.Status.WAITING:
        shown.add("propose_form")
    context["other_errors"] = [
        message for name, form in bound.items() if name not in shown for message in _messages_of(form)
    ]
    return render(request, "service/referral.html", context)


def _accepted(proposal: MatchProposal) -> list[tuple[str, str]]:
    """The person chooses among the peer workers who accepted."""
    return [
        (str(c.peer_worker_id), str(c.peer_worker))
        for c in proposal.candidates.all()
        if c.answer == ProposedCandidate.Answer.ACCEPTED
    ]


def _messages_of(form: Any) -> list[str]:
    return [str(m) for errors in form.errors.values() for m in errors]


@requires(COORD)
def referral(request: ActorRequest, pk: int) -> HttpResponse:
    return _referral_page(request, pk)


@requires(COORD)
@require_POST
def propose(request: ActorRequest, pk: int) -> HttpResponse:
    actor = request.actor
    found = selectors.referral(actor, pk)
    ranked, _excluded = (
        matching_adapter.rank(actor, found, limit=None) if found.status == Referral.Status.WAITING else ([], [])
    )
    form = forms.ProposeForm(request.POST, choices=[(r.user.pk, str(r.user)) for r in ranked])
    ranking = {r.user.pk: (r.score, r.reasons) for r in ranked}
    saved = submit(
        request,
        form,
        lambda d: services.proposals.propose(actor, referral_id=pk, peer_worker_ids=d["peer_workers"], ranking=ranking),
    )
    if saved:
        messages.success(
            request,
            _(
                "Proposal saved. Each peer worker answers first; "
                "then ask the person to choose among those who accepted."
            ),
        )
        return redirect("service:referral", pk)
    return _referral_page(request, pk, propose_form=form)


def _record_answer(request: ActorRequest, proposal: MatchProposal, d: dict[str, Any]) -> Any:
    """The person's answer: a refusal sends them back to the waiting list; a choice starts the engagement."""
    if d["choice"] == forms.ChoiceForm.REFUSED:
        return services.proposals.record_refusal(request.actor, proposal_id=proposal.pk, reason=d["refusal_reason"])
    return services.proposals.record_choice(
        request.actor,
        proposal_id=proposal.pk,
        peer_worker_id=int(d["choice"]),
        started_on=d["started_on"],
        frequency=d["frequency"],
    )


@requires(COORD)
@require_POST
def record_choice(request: ActorRequest, pk: int) -> HttpResponse:
    proposal = selectors.proposal(request.actor, pk)
    # Every proposed peer worker is a valid choice for the form; the service refuses anyone who has not
    # accepted (at the moment of saving), so a decline a second ago is never overruled.
    choices = [(str(c.peer_worker_id), str(c.peer_worker)) for c in proposal.candidates.all()]
    form = forms.ChoiceForm(request.POST, candidates=choices)
    saved = submit(request, form, lambda d: _record_answer(request, proposal, d))
    if saved and isinstance(saved.value, MatchProposal):
        messages.success(request, _("The refusal is recorded; the person is back on the waiting list."))
        return redirect("service:referral", proposal.referral_id)
    if saved:
        messages.success(request, _("The engagement has started."))
        return redirect("service:engagement", saved.value.pk)
    return _referral_page(request, proposal.referral_id, choice_form=form)


@requires(COORD)
@require_POST
def withdraw_proposal(request: ActorRequest, pk: int) -> HttpResponse:
    proposal = selectors.proposal(request.actor, pk)
    try:
        services.proposals.withdraw(request.actor, proposal_id=pk)
    except ValidationError as exc:
        for message in exc.messages:
            messages.error(request, message)
    else:
        messages.success(request, _("The proposal is withdrawn. You can propose others."))
    return redirect("service:referral", proposal.referral_id)


@requires(COORD)
@require_POST
def waive_acquaintance(request: ActorRequest, pk: int, conflict_id: int) -> HttpResponse:
    actor = request.actor
    selectors.referral(actor, pk)
    form = forms.WaiverForm(request.POST, prefix=f"waiver{conflict_id}")
    saved = submit(request, form, lambda d: services.proposals.waive_acquaintance(actor, conflict_id=conflict_id, **d))
    if saved:
        messages.success(request, _("Recorded, with your name and the time."))
        return redirect("service:referral", pk)
    return _referral_page(request, pk, **{f"waiver_form_{conflict_id}": form})


# --- peer worker: proposals put to them -------------------------------------------------------------------


def _proposed_page(request: ActorRequest, forms_by_id: dict[int, Any] | None = None) -> HttpResponse:
    rows = selectors.proposed_to_me(request.actor)
    bound = forms_by_id or {}
    items = [
        (
            r,
            bound.get(r.candidate.proposal_id)
            or forms.AnswerForm(
                prefix=f"p{r.candidate.proposal_id}",
                initial={"answer": r.candidate.answer if r.candidate.answer != "pending" else None},
            ),
        )
        for r in rows
    ]
    return render(request, "service/proposed_to_me.html", {"items": items})


@requires(PW)
def proposed_to_me(request: ActorRequest) -> HttpResponse:
    return _proposed_page(request)


@requires(PW)
@require_POST
def answer_proposal(request: ActorRequest, pk: int) -> HttpResponse:
    if not selectors.proposed_to(request.actor, pk):
        raise Http404  # someone else's proposal, or another organisation's: as if it did not exist
    form = forms.AnswerForm(request.POST, prefix=f"p{pk}")
    saved = submit(request, form, lambda d: services.proposals.answer(request.actor, proposal_id=pk, **d))
    if saved:
        words = {
            "accepted": _("Thank you. The coordinator will ask the person; you can still change your answer."),
            "declined": _("Thank you. The coordinator sees only that you are not available for this one."),
            "talk": _("Thank you. The coordinator will get in touch to talk."),
        }
        messages.success(request, words[saved.value.answer])
        return redirect("service:proposed_to_me")
    return _proposed_page(request, {pk: form})


@requires(COORD)
@require_POST
def referral_close(request: ActorRequest, pk: int) -> HttpResponse:
    selectors.referral(request.actor, pk)
    form = forms.CloseReferralForm(request.POST, prefix="close")
    if submit(request, form, lambda d: services.referrals.close_referral(request.actor, referral_id=pk, **d)):
        messages.success(request, _("The referral is closed and off the waiting list."))
        return redirect("service:queue")
    return _referral_page(request, pk, close_form=form)


@requires(COORD)
@require_POST
def declare_conflict(request: ActorRequest, pk: int) -> HttpResponse:
    actor = request.actor
    found = selectors.referral(actor, pk)
    form = forms.PeerWorkerChoiceForm(request.POST, choices=selectors.peer_worker_choices(actor), prefix="conflict")
    saved = submit(
        request,
        form,
        lambda d: services.proposals.declare_conflict(
            actor, peer_worker_id=d["peer_worker"], service_user_id=found.service_user_id
        ),
    )
    if saved:
        messages.success(
            request, _("Recorded. When proposing, you will see that they know each other; ask both before they start.")
        )
        return redirect("service:referral", pk)
    return _referral_page(request, pk, conflict_form=form)


@requires(COORD)
def waiting_list(request: ActorRequest) -> HttpResponse:
    """Offers for the whole waiting list, up to three peer workers per person, planned together so that every
    choice can be honoured; the coordinator sends each person's offers on their own (the person chooses)."""
    actor = request.actor
    if request.method != "POST":
        return render(
            request,
            "service/waiting_list.html",
            {"plan": matching_adapter.offer_waiting_list(actor, page=request.GET.get("page") or 1)},
        )
    try:
        referral_id = int(request.POST.get("referral", ""))
        peer_worker_ids = [int(v) for v in request.POST.getlist("peer_worker")]
    except ValueError:
        messages.error(request, _("Choose the peer workers to offer."))
        return redirect("service:waiting_list")
    if not peer_worker_ids:
        messages.error(request, _("Choose the peer workers to offer."))
        return redirect("service:waiting_list")
    found = selectors.referral(actor, referral_id)
    ranked, _excluded = matching_adapter.rank(actor, found, limit=None)
    try:
        services.proposals.propose(
            actor,
            referral_id=referral_id,
            peer_worker_ids=peer_worker_ids,
            ranking={r.user.pk: (r.score, r.reasons) for r in ranked},
            origin=MatchProposal.Origin.WAITING_LIST,
        )
    except ValidationError as exc:  # no form on this page: the message goes to the top of the list
        for message in exc.messages:
            messages.error(request, message)
    else:
        messages.success(request, _("Offered to the person. Record their choice on the referral page."))
    return redirect("service:waiting_list")


# --- engagements --------------------------------------------------------------------------------------------


def _labels(choices: Any, values: list[Any]) -> list[str]:
    names = {str(k): str(v) for k, v in choices}
    return [names.get(str(v), str(v)) for v in values]


def _agreement_initial(view: selectors.EngagementView) -> dict[str, Any]:
    a = view.agreement
    if a is None:
        return {
            "channels": ["meeting", "phone"],
            "days": [0, 1, 2, 3, 4],
            "hours_from": "09:00",
            "hours_until": "16:00",
        }
    return {
        "channels": a.channels,
        "days": a.days,
        "hours_from": a.hours_from,
        "hours_until": a.hours_until,
        "out_of_hours": a.out_of_hours,
        "crisis": a.crisis,
    }


def _engagement_page(request: ActorRequest, pk: int, **bound: Any) -> HttpResponse:
    actor = request.actor
    view = selectors.engagement(actor, pk, contact_page=request.GET.get("contacts") or 1)
    goals = [
        (g, charts.goal_chart(g), bound.get(f"rating_form_{g.pk}") or forms.RatingForm(prefix=f"g{g.pk}"))
        for g in view.goals
    ]
    context = {
        "view": view,
        "e": view.engagement,
        "person": view.engagement.service_user,
        "goals": goals,
        "goal_form": bound.get("goal_form") or forms.GoalForm(),
        "review_form": bound.get("review_form") or forms.ReviewForm(),
        "extend_form": bound.get("extend_form") or forms.ExtendEngagementForm(prefix="extend"),
        "agreement_form": bound.get("agreement_form")
        or forms.ContactAgreementForm(prefix="agreement", initial=_agreement_initial(view)),
        "is_coordinator": access.is_coordinator(actor),
        "agreement_channels": _labels(Contact.Channel.choices, view.agreement.channels if view.agreement else []),
        "agreement_days": _labels(forms.WEEKDAY_CHOICES, view.agreement.days if view.agreement else []),
    }
    shown: set[str] = set()
    if view.may_log:
        shown |= {"goal_form"} | {f"rating_form_{g.pk}" for g in view.goals if not (g.achieved_on or g.closed_on)}
    if view.may_manage:
        shown |= {"review_form", "extend_form", "agreement_form"}
    context["other_errors"] = [
        message for name, form in bound.items() if name not in shown for message in _messages_of(form)
    ]
    return render(request, "service/engagement.html", context)


@requires(*ENGAGEMENT_ROLES)
def engagement(request: ActorRequest, pk: int) -> HttpResponse:
    return _engagement_page(request, pk)


def _contact_form_page(
    request: ActorRequest, *, engagement_id: int | None = None, contact: Contact | None = None
) -> HttpResponse:
    actor = request.actor
    data = selectors.quick_add(actor) if actor.has(PW) else {"engagements": [], "last": {}}
    fixed = None
    if engagement_id is not None:
        fixed = next((e for e in data["engagements"] if e.pk == engagement_id), None)
        if fixed is None:
            raise PermissionDenied
    choices = None if (fixed or contact) else [(e.pk, str(e.service_user)) for e in data["engagements"]]
    initial = model_to_dict(contact, fields=forms.ContactForm.base_fields) if contact is not None else None
    form = forms.ContactForm(posted(request), engagements=choices, last=data["last"], initial=initial)
    if contact is not None and contact.duration_minutes not in dict(forms.DURATIONS):
        cast(ChoiceField, form.fields["duration_minutes"]).choices = [
            *forms.DURATIONS,
            (contact.duration_minutes, f"{contact.duration_minutes} min"),
        ]

    def save(d: dict[str, Any]) -> Contact:
        values = dict(d)
        if contact is not None:
            return services.contacts.update_contact(actor, contact_id=contact.pk, **values)
        target = values.pop("engagement", None) or (fixed.pk if fixed else None)
        return services.contacts.add_contact(actor, engagement_id=int(target or 0), **values)

    result = submit(request, form, save)
    saved = result.value if result else None
    if saved is not None:
        if contact is not None or fixed is not None:
            messages.success(request, _("Contact saved."))
            return redirect("service:engagement", saved.engagement_id)
        # The quick-add page says so itself, at the top of the form (and only there, not again on the next page).
        if not request.htmx:
            return redirect(f"{reverse('service:quick_add')}?saved={saved.pk}")
        form = forms.ContactForm(
            engagements=choices,
            last={
                "channel": saved.channel,
                "engagement_id": saved.engagement_id,
                "duration_minutes": saved.duration_minutes,
                "note_visibility": saved.note_visibility,
            },
        )
    context = {
        "form": form,
        "fixed": fixed,
        "contact": contact,
        "saved": saved or (request.GET.get("saved") and True),
        "engagements": data["engagements"],
    }
    template = "service/_contact_form.html" if request.htmx else "service/contact_form.html"
    return render(request, template, context)


@requires(PW)
def quick_add(request: ActorRequest) -> HttpResponse:
    return _contact_form_page(request)


@requires(PW)
def contact_new(request: ActorRequest, pk: int) -> HttpResponse:
    return _contact_form_page(request, engagement_id=pk)


@requires(*Role.values)  # any role: only the contact's author finds it (the selector checks)
def contact_edit(request: ActorRequest, pk: int) -> HttpResponse:
    return _contact_form_page(request, contact=selectors.own_contact(request.actor, pk))


@requires(*ENGAGEMENT_ROLES)
@require_POST
def goal_new(request: ActorRequest, pk: int) -> HttpResponse:
    form = forms.GoalForm(request.POST)
    if submit(request, form, lambda d: services.goals.add_goal(request.actor, engagement_id=pk, **d)):
        messages.success(request, _("Goal saved."))
        return redirect(reverse("service:engagement", args=[pk]) + "#goals")
    return _engagement_page(request, pk, goal_form=form)


@requires(*ENGAGEMENT_ROLES)
@require_POST
def goal_rate(request: ActorRequest, pk: int) -> HttpResponse:
    engagement_id = selectors.goal_engagement_id(request.actor, pk)
    form = forms.RatingForm(request.POST, prefix=f"g{pk}")
    if submit(request, form, lambda d: services.goals.rate_goal(request.actor, goal_id=pk, **d)):
        messages.success(request, _("Rating saved."))
        return redirect(reverse("service:engagement", args=[engagement_id]) + f"#goal-{pk}")
    return _engagement_page(request, engagement_id, **{f"rating_form_{pk}": form})


@requires(*ENGAGEMENT_ROLES)
def goal(request: ActorRequest, pk: int) -> HttpResponse:
    """One goal: its wording (which its peer worker may correct, the earlier wording kept), and every rating
    with the person's own comment."""
    page = selectors.goal_page(request.actor, pk)
    form = forms.GoalWordsForm(posted(request), initial={"words": page.goal.words})
    if request.method == "POST" and not page.may_change:
        raise PermissionDenied
    if submit(request, form, lambda d: services.goals.revise_goal(request.actor, goal_id=pk, words=d["words"])):
        messages.success(request, _("The wording is corrected. The earlier wording is kept with the goal."))
        return redirect("service:goal", pk)
    return render(request, "service/goal.html", {"page": page, "g": page.goal, "form": form})


@requires(PW, COORD, SENIOR)
def goal_finish_confirm(request: ActorRequest, pk: int) -> HttpResponse:
    """The confirm step before "achieved" or "set aside": one tap on the engagement page only asks."""
    page = selectors.goal_to_finish(request.actor, pk)
    achieved = request.GET.get("achieved") == "1"
    form = forms.FinishGoalForm(initial={"achieved": "1" if achieved else "0", "confirmed": "1"})
    return render(
        request, "service/goal_finish.html", {"page": page, "g": page.goal, "achieved": achieved, "form": form}
    )


@requires(PW, COORD, SENIOR)
@require_POST
def goal_finish(request: ActorRequest, pk: int) -> HttpResponse:
    engagement_id = selectors.goal_engagement_id(request.actor, pk)
    form = forms.FinishGoalForm(request.POST)
    if not form.is_valid() or form.cleaned_data["confirmed"] != "1":
        # Not confirmed (an old page, a stray tap): ask first, nothing is changed. Only someone who may
        # finish the goal is asked.
        selectors.goal_to_finish(request.actor, pk)
        achieved = "1" if request.POST.get("achieved") == "1" else "0"
        return redirect(reverse("service:goal_finish_confirm", args=[pk]) + f"?achieved={achieved}")
    try:
        services.goals.finish_goal(request.actor, goal_id=pk, achieved=form.cleaned_data["achieved"])
    except ValidationError as exc:  # a button, not a form: the message goes to the top of the page
        for message in exc.messages:
            messages.error(request, message)
    else:
        if form.cleaned_data["achieved"]:
            messages.success(request, _("The goal is marked as achieved."))
        else:
            messages.success(request, _("The goal is set aside."))
    return redirect(reverse("service:engagement", args=[engagement_id]) + "#goals")


@requires(*ENGAGEMENT_ROLES)
@require_POST
def review(request: ActorRequest, pk: int) -> HttpResponse:
    form = forms.ReviewForm(request.POST)
    if submit(request, form, lambda d: services.engagements.review_engagement(request.actor, engagement_id=pk, **d)):
        messages.success(request, _("Review recorded."))
        return redirect("service:engagement", pk)
    return _engagement_page(request, pk, review_form=form)


@requires(*ENGAGEMENT_ROLES)
@require_POST
def extend(request: ActorRequest, pk: int) -> HttpResponse:
    form = forms.ExtendEngagementForm(request.POST, prefix="extend")
    act = services.engagements.extend_engagement
    if submit(request, form, lambda d: act(request.actor, engagement_id=pk, **d)):
        messages.success(request, _("The new planned end is saved, with who agreed and why."))
        return redirect("service:engagement", pk)
    return _engagement_page(request, pk, extend_form=form)


@requires(*ENGAGEMENT_ROLES)
@require_POST
def contact_agreement(request: ActorRequest, pk: int) -> HttpResponse:
    form = forms.ContactAgreementForm(request.POST, prefix="agreement")
    act = services.contacts.save_agreement
    if submit(request, form, lambda d: act(request.actor, engagement_id=pk, **d)):
        messages.success(request, _("The contact agreement is saved."))
        return redirect("service:engagement", pk)
    return _engagement_page(request, pk, agreement_form=form)


@requires(*ENGAGEMENT_ROLES)
def engagement_close(request: ActorRequest, pk: int) -> HttpResponse:
    found = selectors.engagement_header(request.actor, pk)
    form = forms.CloseEngagementForm(posted(request))
    if submit(request, form, lambda d: services.engagements.close_engagement(request.actor, engagement_id=pk, **d)):
        messages.success(request, _("The engagement is closed."))
        return redirect("service:engagement", pk)
    return render(request, "service/engagement_close.html", {"e": found, "form": form})


@requires(COORD)
def handover(request: ActorRequest, pk: int) -> HttpResponse:
    actor = request.actor
    found = selectors.engagement_header(actor, pk)
    choices = [c for c in selectors.peer_worker_choices(actor) if c[0] != found.peer_worker_id]
    form = forms.HandoverForm(posted(request), choices=choices)
    saved = submit(
        request,
        form,
        lambda d: services.proposals.propose_handover(
            actor,
            engagement_id=pk,
            peer_worker_ids=[d["peer_worker"]],
            planned_end_on=d["planned_end_on"],
            planned_end_reason=d["planned_end_reason"],
        ),
    )
    if saved:
        messages.success(
            request,
            _("Proposed. When the peer worker has accepted and the person has chosen, record it on the referral page."),
        )
        return redirect("service:referral", saved.value.referral_id)
    return render(request, "service/handover.html", {"e": found, "form": form})


@requires(COORD)
def back_to_queue(request: ActorRequest, pk: int) -> HttpResponse:
    """End an engagement whose peer worker has left and put the person back on the waiting list."""
    actor = request.actor
    found = selectors.engagement_header(actor, pk)
    form = forms.BackToQueueForm(posted(request))
    saved = submit(request, form, lambda d: services.leavers.back_to_queue(actor, engagement_id=pk, reason=d["reason"]))
    if saved:
        messages.success(
            request, _("The person is back on the waiting list. The time they waited before still counts.")
        )
        return redirect("service:referral", saved.value.pk)
    return render(request, "service/back_to_queue.html", {"e": found, "form": form})


# --- peer workers: caseload, workload, guidance, profile --------------------------------------------------
# Each page has two addresses: the peer worker's own (``my_…``, peer workers only) and one for a given peer
# worker (coordinators, the peer worker themself, and the senior peer workers who guide them).


def _reason_page(request: ActorRequest, uid: int, what: str) -> HttpResponse | str:
    """The reason a coordinator who does not guide this peer worker gives before seeing their workload or
    caseload: the chosen code (from ``access.AccessReason``), or the page that asks for it. Their own guide,
    and the peer worker themself, are never asked."""
    actor = request.actor
    if not access.needs_reason(actor, uid):
        return ""
    form = forms.AccessReasonForm(request.GET if "reason" in request.GET else None)
    if form.is_valid():
        return str(form.cleaned_data["reason"])
    person = selectors.peer_worker(actor, uid)
    keep = {k: v for k, v in request.GET.items() if k != "reason"}
    return render(request, "service/access_reason.html", {"form": form, "pw": person, "what": what, "keep": keep})


def _caseload_page(request: ActorRequest, uid: int) -> HttpResponse:
    actor = request.actor
    reason = _reason_page(request, uid, "caseload")
    if isinstance(reason, HttpResponse):
        return reason
    person = selectors.peer_worker(actor, uid)
    form = forms.CaseloadListForm(request.GET)
    closed = bool(form.values.get("closed"))
    kind = listing.wants_export(request.GET)
    rows = selectors.caseload(actor, uid, include_closed=closed, reason=reason, form=form, export=bool(kind))
    if kind:
        columns = CASELOAD_COLUMNS + ((listing.Column(_l("Closed"), lambda e: e.closed_on),) if closed else ())
        return listing.export("caseload", columns, rows, kind)
    context = {
        "list_form": form,
        "rows": rows,
        "pw": person,
        "own": uid == actor.user.pk,
        "closed": closed,
        "is_coordinator": access.is_coordinator(actor),
        "may_read_guidance": access.may_read_guidance_of(actor, uid),
        "reason": reason,
    }
    return render(request, "service/caseload.html", context)


CASELOAD_COLUMNS: tuple[listing.Column, ...] = (
    listing.Column(_l("Person"), lambda e: e.service_user.chosen_name),
    listing.Column(_l("Since"), lambda e: e.started_on),
    listing.Column(_l("Last contact"), lambda e: e.last_contact),
    listing.Column(_l("Contacts this week"), lambda e: e.contacts_this_week),
    listing.Column(_l("Next review"), lambda e: e.next_review_on),
)


@requires(PW)
def caseload(request: ActorRequest) -> HttpResponse:
    return _caseload_page(request, request.actor.user.pk)


@requires(COORD, PW, SENIOR)
def caseload_of(request: ActorRequest, user_id: int) -> HttpResponse:
    return _caseload_page(request, user_id)


def _workload_page(request: ActorRequest, uid: int, form: Any = None) -> HttpResponse:
    actor = request.actor
    reason = _reason_page(request, uid, "workload")
    if isinstance(reason, HttpResponse):
        return reason
    view = selectors.peer_workload(actor, uid, reason=reason)
    coordinator = access.is_coordinator(actor) and uid != actor.user.pk
    context = {
        "reason": reason,
        "view": view,
        "may_act": coordinator,
        "action_choices": StrainAction.Action.choices if coordinator else [],
        "other_errors": _messages_of(form) if form is not None else [],
        "own": uid == actor.user.pk,
        "chart": charts.week_chart(view.weeks, view.settings.contacts_per_week),
        "may_guide": uid in access.guided_ids(actor),
    }
    return render(request, "service/workload.html", context)


@requires(COORD)
@require_POST
def strain_action(request: ActorRequest, user_id: int) -> HttpResponse:
    form = forms.StrainActionForm(request.POST)
    act = services.contacts.record_strain_action
    if submit(request, form, lambda d: act(request.actor, peer_worker_id=user_id, **d)):
        messages.success(request, _("Recorded what was done."))
        return redirect(f"{reverse('service:workload', args=[user_id])}#topics")
    return _workload_page(request, user_id, form)


@requires(PW)
def my_workload(request: ActorRequest) -> HttpResponse:
    return _workload_page(request, request.actor.user.pk)


@requires(COORD, PW, SENIOR)
def workload_of(request: ActorRequest, user_id: int) -> HttpResponse:
    return _workload_page(request, user_id)


# --- guidance: relationships, sessions, the peer worker's preparation ------------------------------------
# A guidance record is read by the people ``access.session_scope`` names; coordinators who do not guide the
# peer worker are not among them. Each page's forms post back to it with ``which`` naming the form.


def _which(request: ActorRequest, name: str) -> Any:
    return request.POST if request.method == "POST" and request.POST.get("which") == name else None


def _guidance_page(request: ActorRequest, uid: int) -> HttpResponse:
    actor = request.actor
    person, sessions = selectors.guidance_of(actor, uid)
    own = uid == actor.user.pk
    record_form = plan_form = None
    if not own and uid in access.guided_ids(actor):
        topics = selectors.topics_of(actor, uid)
        default_kind = "supervision" if actor.has(SENIOR) else "follow_up"
        record_form = forms.GuidanceForm(
            _which(request, "record"),
            initial={"topics": "\n".join(f"• {t.text}" for t in topics), "kind": default_kind},
            prefix="r",
        )
        plan_form = forms.PlanSessionForm(_which(request, "plan"), initial={"kind": default_kind}, prefix="p")
        signals = [t.as_dict() for t in topics]
        add = services.guidance.add_guidance
        if submit(request, record_form, lambda d: add(actor, peer_worker_id=uid, signals=signals, **d)):
            messages.success(request, _("Guidance session saved."))
            return redirect("service:guidance", uid)
        plan = services.guidance.plan_session
        saved = submit(request, plan_form, lambda d: plan(actor, peer_worker_ids=[uid], **d))
        if saved:
            messages.success(request, _("Session planned. The peer worker can now prepare it."))
            return redirect("service:guidance_session", saved.value.pk)
    elif request.method == "POST":
        raise PermissionDenied
    context = {
        "pw": person,
        "sessions": sessions,
        "record_form": record_form,
        "plan_form": plan_form,
        "own": own,
        "guides": selectors.guides_of(actor, uid),
        "upcoming": selectors.next_sessions(actor) if own else [],
        "today": timezone.localdate(),
    }
    return render(request, "service/guidance.html", context)


@requires(PW)
def my_guidance(request: ActorRequest) -> HttpResponse:
    return _guidance_page(request, request.actor.user.pk)


@requires(COORD, PW, SENIOR)
def guidance(request: ActorRequest, user_id: int) -> HttpResponse:
    return _guidance_page(request, user_id)


@requires(COORD, PW, SENIOR)
def guidance_session(request: ActorRequest, pk: int) -> HttpResponse:
    """One session: its record, its agenda, and each reader's own part (the peer worker's note, sharing)."""
    actor = request.actor
    view = selectors.guidance_session(actor, pk)
    s = view.session
    participant = view.mine is not None
    agenda_form = note_form = record_form = share_form = None
    if s.planned and (participant or view.is_guide):
        agenda_form = forms.AgendaItemForm(_which(request, "agenda"), prefix="a")
    if participant and view.mine is not None:
        note_form = forms.HardNowForm(
            _which(request, "note"),
            initial={"hard_now": view.mine.hard_now, "share_with_guide": view.mine.hard_now_shared},
            prefix="n",
        )
    if view.is_guide and s.meets_on <= timezone.localdate():
        initial = {"topics": s.topics, "follow_ups": s.follow_ups, "next_on": s.next_on}
        record_form = forms.RecordSessionForm(_which(request, "record"), initial=initial, prefix="r")
    if participant and not s.is_group_session and s.guide_id is not None:
        taken = {s.guide_id, actor.user.pk, *(x.reader_id for x in view.shares)}
        choices = [c for c in selectors.people_with_role(actor, COORD, SENIOR) if c[0] not in taken]
        share_form = forms.ShareForm(_which(request, "share"), choices=choices, prefix="s")
    g = services.guidance
    actions: list[tuple[BaseForm | None, Callable[[dict[str, Any]], object], str]] = [
        (agenda_form, lambda d: g.add_agenda_item(actor, session_id=pk, **d), _("Added to the agenda.")),
        (note_form, lambda d: g.set_hard_now(actor, session_id=pk, **d), _("Your note is saved.")),
        (record_form, lambda d: g.record_session(actor, session_id=pk, **d), _("Guidance session saved.")),
        (share_form, lambda d: g.share_session(actor, session_id=pk, **d), _("The record is shared.")),
    ]
    for form, action, done in actions:
        if form is not None and form.is_bound and submit(request, form, action):
            messages.success(request, done)
            return redirect("service:guidance_session", pk)
    if request.method == "POST" and request.POST.get("which") == "unshare" and participant:
        try:
            reader_id = int(request.POST.get("reader", ""))
        except ValueError:
            raise PermissionDenied from None
        g.stop_sharing(actor, session_id=pk, reader_id=reader_id)
        messages.success(request, _("The record is no longer shared with this person."))
        return redirect("service:guidance_session", pk)
    if request.method == "POST" and not any(f is not None and f.is_bound for f, _a, _d in actions):
        raise PermissionDenied
    context = {
        "view": view,
        "s": s,
        "agenda_form": agenda_form,
        "note_form": note_form,
        "record_form": record_form,
        "share_form": share_form,
    }
    return render(request, "service/guidance_session.html", context)


@requires(COORD, SENIOR)
def guidance_due(request: ActorRequest) -> HttpResponse:
    actor = request.actor
    choices = selectors.people_with_role(actor, PW)
    form = forms.GroupSessionForm(posted(request), choices=choices, prefix="g")
    saved = submit(request, form, lambda d: services.guidance.plan_session(actor, **d))
    if saved:
        messages.success(request, _("Group session planned. Each peer worker taking part can now prepare it."))
        return redirect("service:guidance_session", saved.value.pk)
    return render(request, "service/guidance_due.html", {"rows": selectors.guidance_due(actor), "form": form})


@requires(COORD)
def guidance_relationships(request: ActorRequest) -> HttpResponse:
    """Who guides whom: the coordinator sets and ends guidance relationships."""
    actor = request.actor
    form = forms.RelationshipForm(
        _which(request, "add"),
        peer_workers=selectors.people_with_role(actor, PW),
        guides=selectors.people_with_role(actor, COORD, SENIOR),
        prefix="g",
    )
    if submit(request, form, lambda d: services.guidance.set_relationship(actor, **d)):
        messages.success(request, _("Saved. The peer worker sees their guide on their guidance page."))
        return redirect("service:guidance_relationships")
    if request.method == "POST" and request.POST.get("which") == "end":
        try:
            rel_id = int(request.POST.get("relationship", ""))
        except ValueError:
            raise PermissionDenied from None
        services.guidance.end_relationship(actor, relationship_id=rel_id)
        messages.success(request, _("The guidance relationship ends today."))
        return redirect("service:guidance_relationships")
    context = {"rows": selectors.relationships(actor), "form": form, "today": timezone.localdate()}
    return render(request, "service/guidance_relationships.html", context)


def _profile_page(request: ActorRequest, uid: int) -> HttpResponse:
    actor = request.actor
    found = selectors.profile(actor, uid)
    own = uid == actor.user.pk
    form = forms.ProfileForm(posted(request), initial=forms.ProfileForm.initial_from(found))
    if submit(request, form, lambda d: services.profiles.save_profile(actor, peer_worker_id=uid, **form.values())):
        messages.success(request, _("Profile saved."))
        return redirect("service:my_profile" if own else "service:profile", *([] if own else [uid]))
    return render(request, "service/profile.html", {"form": form, "own": own, "pw": found.user})


@requires(PW)
def my_profile(request: ActorRequest) -> HttpResponse:
    return _profile_page(request, request.actor.user.pk)


@requires(COORD, PW)
def profile(request: ActorRequest, user_id: int) -> HttpResponse:
    return _profile_page(request, user_id)


def _availability_page(request: ActorRequest, uid: int) -> HttpResponse:
    """The peer worker's availability: they set it; a coordinator agrees the range and lifts a new peer
    worker's hold. Three forms on one page, told apart by ``which``."""
    actor = request.actor
    view = selectors.availability(actor, uid)
    own = uid == actor.user.pk
    which = request.POST.get("which") if request.method == "POST" else None
    p = view.profile
    form = forms.AvailabilityForm(
        request.POST if which == "availability" else None,
        initial=forms.AvailabilityForm.initial_from(p),
        low=p.capacity_min,
        high=p.capacity_max,
    )
    is_coordinator = access.is_coordinator(actor)
    range_form = forms.RangeForm(
        request.POST if which == "range" else None,
        initial={"capacity_min": p.capacity_min, "capacity_max": p.capacity_max},
        prefix="range",
    )
    done = None
    if which == "availability":
        done = submit(
            request,
            form,
            lambda d: services.availability.save_availability(actor, peer_worker_id=uid, **form.values()),
        )
    elif which == "range" and is_coordinator:
        done = submit(request, range_form, lambda d: services.availability.agree_range(actor, peer_worker_id=uid, **d))
    elif which == "lift" and is_coordinator:
        try:
            services.availability.lift_hold(actor, peer_worker_id=uid)
        except ValidationError as exc:  # a button, not a form: the message goes to the top of the page
            for message in exc.messages:
                messages.error(request, message)
            return redirect(request.path)
        messages.success(request, _("Open to new people. Matching can now propose them."))
        return redirect(request.path)
    elif which is not None:
        raise PermissionDenied
    if done:
        messages.success(request, _("Availability saved."))
        return redirect(request.path)
    context = {"view": view, "form": form, "range_form": range_form, "own": own, "is_coordinator": is_coordinator}
    return render(request, "service/availability.html", context)


@requires(PW)
def my_availability(request: ActorRequest) -> HttpResponse:
    return _availability_page(request, request.actor.user.pk)


@requires(COORD, PW)
def availability(request: ActorRequest, user_id: int) -> HttpResponse:
    return _availability_page(request, user_id)


@requires(*access.SETTINGS_ROLES)
def settings_page(request: ActorRequest) -> HttpResponse:
    actor = request.actor
    which = request.POST.get("which")
    wform = forms.WorkloadSettingsForm(
        request.POST if which == "workload" else None, instance=workload.settings_for(actor.organisation_id), prefix="w"
    )
    mform = forms.MatchingSettingsForm(
        request.POST if which == "matching" else None,
        instance=selectors.matching_settings(actor.organisation_id),
        prefix="m",
    )
    saves: dict[str, tuple[BaseForm, Callable[..., object]]] = {
        "workload": (wform, services.profiles.save_workload_settings),
        "matching": (mform, services.profiles.save_matching_settings),
    }
    if which in saves:
        form, save = saves[which]
        if submit(request, form, lambda d: save(actor, **d)):
            messages.success(request, _("Settings saved."))
            return redirect("service:settings")
    return render(request, "service/settings.html", {"wform": wform, "mform": mform})

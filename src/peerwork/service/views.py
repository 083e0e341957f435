"""Pages of the peer recovery service. Thin: parse a form, call a selector or a service, render.

Every page works without JavaScript; htmx only swaps the quick-add form in place when it is there. A form
with errors comes back (status 200, as across Peerwork) with an error summary linking to each field, and
nothing saved.
"""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from peerwork.accounts.models import Role
from peerwork.core.actor import Actor
from peerwork.core.forms import add_service_errors

from . import access, candidates, charts, forms, matching_adapter, selectors, services, workload
from .models import Contact, MatchProposal, Referral

QUEUE_PAGE = 50


def _actor(request: HttpRequest) -> Actor:
    actor: Actor | None = request.actor  # type: ignore[attr-defined]
    if actor is None:
        raise PermissionDenied
    return actor


def index(request: HttpRequest) -> HttpResponse:
    actor = _actor(request)
    if actor.has(Role.COORDINATOR):
        return redirect("service:dashboard")
    if actor.has(Role.PEER_WORKER):
        return redirect("service:caseload")
    if actor.has(Role.SENIOR_PEER_WORKER):
        return redirect("service:guidance_due")
    raise PermissionDenied


# --- coordinator: dashboard, queue, referrals -----------------------------------------------------------


def dashboard(request: HttpRequest) -> HttpResponse:
    actor = _actor(request)
    return render(request, "service/dashboard.html", selectors.dashboard(actor, everyone=request.GET.get("all") == "1"))


def queue(request: HttpRequest) -> HttpResponse:
    actor = _actor(request)
    paginator = Paginator(selectors.open_referrals(actor).only("id"), QUEUE_PAGE)
    page = paginator.get_page(request.GET.get("page"))
    referrals = selectors.queue(actor, limit=QUEUE_PAGE, offset=(page.number - 1) * QUEUE_PAGE)
    return render(request, "service/queue.html", {"referrals": referrals, "page": page, "paginator": paginator})


def referral_new(request: HttpRequest) -> HttpResponse:
    actor = _actor(request)
    actor.require(Role.COORDINATOR)
    form = forms.ReferralForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            referral = services.create_referral(actor, person=form.person(), referral=form.referral())
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("The referral is on the waiting list."))
            return redirect("service:referral", referral.pk)
    return render(request, "service/referral_new.html", {"form": form})


def _referral_page(request: HttpRequest, pk: int, status: int = 200, **bound: Any) -> HttpResponse:
    actor = _actor(request)
    referral = selectors.referral(actor, pk)
    pool = candidates.load(actor.organisation_id)
    ranked = excluded = []
    if referral.status == Referral.Status.WAITING:
        ranked, excluded = matching_adapter.rank(actor, referral, limit=10, pool=pool)
    pending: MatchProposal | None = referral.pending  # type: ignore[attr-defined]
    context: dict[str, Any] = {
        "referral": referral,
        "person": referral.service_user,
        "ranked": ranked,
        "excluded": excluded,
        "pending": pending,
        "wishes": matching_adapter.wish_texts(referral.service_user.wishes),
        "conflicts": selectors.conflicts_of(actor, referral.service_user_id),
        "propose_form": bound.get("propose_form")
        or forms.ProposeForm(choices=[(r.user.pk, str(r.user)) for r in ranked]),
        "close_form": bound.get("close_form") or forms.CloseReferralForm(prefix="close"),
        "conflict_form": bound.get("conflict_form")
        or forms.PeerWorkerChoiceForm(choices=selectors.peer_worker_choices(actor, pool), prefix="conflict"),
    }
    if pending is not None:
        choices = [(str(c.peer_worker_id), str(c.peer_worker)) for c in pending.candidates.all()]
        context["choice_form"] = bound.get("choice_form") or forms.ChoiceForm(candidates=choices)
        context["pending_candidates"] = [
            (c, matching_adapter.reason_texts(c.reasons)) for c in pending.candidates.all()
        ]
    # A form whose section is gone (someone else recorded the choice a moment ago) is heard at the top.
    shown = {"close_form", "conflict_form"}
    if pending is not None:
        shown.add("choice_form")
    if referral.status == Referral.Status.WAITING:
        shown.add("propose_form")
    context["other_errors"] = [
        message for name, form in bound.items() if name not in shown for message in _messages_of(form)
    ]
    return render(request, "service/referral.html", context, status=status)


def _messages_of(form: Any) -> list[str]:
    return [str(m) for errors in form.errors.values() for m in errors]


def referral(request: HttpRequest, pk: int) -> HttpResponse:
    return _referral_page(request, pk)


@require_POST
def propose(request: HttpRequest, pk: int) -> HttpResponse:
    actor = _actor(request)
    found = selectors.referral(actor, pk)
    ranked, _excluded = (
        matching_adapter.rank(actor, found, limit=None) if found.status == Referral.Status.WAITING else ([], [])
    )
    form = forms.ProposeForm(request.POST, choices=[(r.user.pk, str(r.user)) for r in ranked])
    if form.is_valid():
        chosen = form.cleaned_data["peer_workers"]
        ranking = {r.user.pk: (r.score, r.reasons) for r in ranked}
        try:
            services.propose(actor, pk, chosen, ranking=ranking)
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("Proposal saved. Record the person's choice when they have decided."))
            return redirect("service:referral", pk)
    return _referral_page(request, pk, propose_form=form)


@require_POST
def record_choice(request: HttpRequest, pk: int) -> HttpResponse:
    actor = _actor(request)
    actor.require(Role.COORDINATOR)
    proposal = MatchProposal.objects.filter(organisation_id=actor.organisation_id, pk=pk).first()
    if proposal is None:
        raise PermissionDenied
    choices = [(str(c.peer_worker_id), str(c.peer_worker)) for c in proposal.candidates.select_related("peer_worker")]
    form = forms.ChoiceForm(request.POST, candidates=choices)
    if form.is_valid():
        d = form.cleaned_data
        try:
            if d["choice"] == forms.ChoiceForm.REFUSED:
                services.record_refusal(actor, proposal.pk, d["refusal_reason"])
                messages.success(request, _("The refusal is recorded; the person is back on the waiting list."))
                return redirect("service:referral", proposal.referral_id)
            engagement = services.record_choice(
                actor, proposal.pk, int(d["choice"]), started_on=d["started_on"], frequency=d["frequency"]
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("The engagement has started."))
            return redirect("service:engagement", engagement.pk)
    return _referral_page(request, proposal.referral_id, choice_form=form)


@require_POST
def referral_close(request: HttpRequest, pk: int) -> HttpResponse:
    actor = _actor(request)
    selectors.referral(actor, pk)
    form = forms.CloseReferralForm(request.POST, prefix="close")
    if form.is_valid():
        try:
            services.close_referral(actor, pk, form.cleaned_data["status"], form.cleaned_data["reason"])
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("The referral is closed and off the waiting list."))
            return redirect("service:queue")
    return _referral_page(request, pk, close_form=form)


@require_POST
def declare_conflict(request: HttpRequest, pk: int) -> HttpResponse:
    actor = _actor(request)
    found = selectors.referral(actor, pk)
    form = forms.PeerWorkerChoiceForm(request.POST, choices=selectors.peer_worker_choices(actor), prefix="conflict")
    if form.is_valid():
        try:
            services.declare_conflict(actor, form.cleaned_data["peer_worker"], found.service_user_id)
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("Recorded. That peer worker will not be proposed to this person."))
            return redirect("service:referral", pk)
    return _referral_page(request, pk, conflict_form=form)


def waiting_list(request: HttpRequest) -> HttpResponse:
    """The whole waiting list assigned at once (optimal, with priority for the longest waiting); the
    coordinator accepts each suggestion on its own, which proposes that peer worker to the person."""
    actor = _actor(request)
    actor.require(Role.COORDINATOR)
    if request.method == "POST":
        try:
            referral_id = int(request.POST.get("referral", ""))
            peer_worker_id = int(request.POST.get("peer_worker", ""))
        except ValueError:
            messages.error(request, _("Choose a suggestion to accept."))
            return redirect("service:waiting_list")
        found = selectors.referral(actor, referral_id)
        ranked, _excluded = matching_adapter.rank(actor, found, limit=None)
        ranking = {r.user.pk: (r.score, r.reasons) for r in ranked}
        try:
            services.propose(
                actor,
                referral_id,
                [peer_worker_id],
                ranking=ranking,
                origin=MatchProposal.Origin.WAITING_LIST,
            )
        except ValidationError as exc:
            for message in exc.messages:
                messages.error(request, message)
        else:
            messages.success(request, _("Proposed to the person. Record their choice on the referral page."))
        return redirect("service:waiting_list")
    plan = matching_adapter.assign_waiting_list(actor)
    return render(request, "service/waiting_list.html", {"plan": plan})


# --- engagements --------------------------------------------------------------------------------------------


def _engagement_page(request: HttpRequest, pk: int, status: int = 200, **bound: Any) -> HttpResponse:
    actor = _actor(request)
    view = selectors.engagement(actor, pk)
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
        "is_coordinator": access.is_coordinator(actor),
    }
    shown: set[str] = set()
    if view.may_log:
        shown |= {"goal_form"} | {f"rating_form_{g.pk}" for g in view.goals if not (g.achieved_on or g.closed_on)}
    if view.may_manage:
        shown.add("review_form")
    context["other_errors"] = [
        message for name, form in bound.items() if name not in shown for message in _messages_of(form)
    ]
    return render(request, "service/engagement.html", context, status=status)


def engagement(request: HttpRequest, pk: int) -> HttpResponse:
    return _engagement_page(request, pk)


def _contact_form_page(
    request: HttpRequest, *, engagement_id: int | None = None, contact: Contact | None = None
) -> HttpResponse:
    actor = _actor(request)
    if contact is None:
        actor.require(Role.PEER_WORKER)
    data = selectors.quick_add(actor) if actor.has(Role.PEER_WORKER) else {"engagements": [], "last": {}}
    fixed = None
    if engagement_id is not None:
        fixed = next((e for e in data["engagements"] if e.pk == engagement_id), None)
        if fixed is None:
            raise PermissionDenied
    choices = None if (fixed or contact) else [(e.pk, str(e.service_user)) for e in data["engagements"]]
    initial = None
    if contact is not None:
        initial = {
            k: getattr(contact, k)
            for k in (
                "date",
                "start_time",
                "duration_minutes",
                "channel",
                "initiated_by",
                "note",
                "note_visibility",
            )
        }
    form = forms.ContactForm(request.POST or None, engagements=choices, last=data["last"], initial=initial)
    if contact is not None and contact.duration_minutes not in dict(forms.DURATIONS):
        form.fields["duration_minutes"].choices = [
            *forms.DURATIONS,
            (contact.duration_minutes, f"{contact.duration_minutes} min"),
        ]
    saved = None
    if request.method == "POST" and form.is_valid():
        values = dict(form.cleaned_data)
        target = values.pop("engagement", None) or (fixed.pk if fixed else None)
        try:
            if contact is not None:
                saved = services.update_contact(actor, contact.pk, values)
            else:
                saved = services.add_contact(actor, int(target or 0), values)
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("Contact saved."))
            if contact is not None or fixed is not None:
                return redirect("service:engagement", saved.engagement_id)
            if not request.htmx:  # type: ignore[attr-defined]
                return redirect(f"{reverse('service:quick_add')}?saved={saved.pk}")
            form = forms.ContactForm(
                engagements=choices,
                last={
                    "channel": saved.channel,
                    "engagement_id": saved.engagement_id,
                    "duration_minutes": saved.duration_minutes,
                },
            )
    context = {
        "form": form,
        "fixed": fixed,
        "contact": contact,
        "saved": saved or (request.GET.get("saved") and True),
        "engagements": data["engagements"],
    }
    template = "service/_contact_form.html" if request.htmx else "service/contact_form.html"  # type: ignore[attr-defined]
    return render(request, template, context)


def quick_add(request: HttpRequest) -> HttpResponse:
    return _contact_form_page(request)


def contact_new(request: HttpRequest, pk: int) -> HttpResponse:
    return _contact_form_page(request, engagement_id=pk)


def contact_edit(request: HttpRequest, pk: int) -> HttpResponse:
    actor = _actor(request)
    return _contact_form_page(request, contact=selectors.own_contact(actor, pk))


@require_POST
def goal_new(request: HttpRequest, pk: int) -> HttpResponse:
    actor = _actor(request)
    form = forms.GoalForm(request.POST)
    if form.is_valid():
        try:
            services.add_goal(actor, pk, **form.cleaned_data)
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("Goal saved."))
            return redirect(reverse("service:engagement", args=[pk]) + "#goals")
    return _engagement_page(request, pk, goal_form=form)


@require_POST
def goal_rate(request: HttpRequest, pk: int) -> HttpResponse:
    actor = _actor(request)
    goal = _goal_engagement(actor, pk)
    form = forms.RatingForm(request.POST, prefix=f"g{pk}")
    if form.is_valid():
        try:
            services.rate_goal(actor, pk, rating=form.cleaned_data["rating"])
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("Rating saved."))
            return redirect(reverse("service:engagement", args=[goal]) + f"#goal-{pk}")
    return _engagement_page(request, goal, **{f"rating_form_{pk}": form})


@require_POST
def goal_finish(request: HttpRequest, pk: int) -> HttpResponse:
    actor = _actor(request)
    engagement_id = _goal_engagement(actor, pk)
    try:
        services.finish_goal(actor, pk, achieved=request.POST.get("achieved") == "1")
    except ValidationError as exc:
        for message in exc.messages:
            messages.error(request, message)
    else:
        messages.success(request, _("Goal updated."))
    return redirect(reverse("service:engagement", args=[engagement_id]) + "#goals")


def _goal_engagement(actor: Actor, goal_id: int) -> int:
    from .models import Goal

    engagement_id = (
        Goal.objects.filter(organisation_id=actor.organisation_id, pk=goal_id)
        .values_list("engagement_id", flat=True)
        .first()
    )
    from .models import Engagement

    scoped = Engagement.objects.filter(
        access.engagement_scope(actor), organisation_id=actor.organisation_id, pk=engagement_id
    )
    if engagement_id is None or not scoped.exists():
        raise PermissionDenied
    return int(engagement_id)


@require_POST
def review(request: HttpRequest, pk: int) -> HttpResponse:
    actor = _actor(request)
    form = forms.ReviewForm(request.POST)
    if form.is_valid():
        try:
            services.review_engagement(actor, pk, form.cleaned_data["held_on"], form.cleaned_data["next_review_on"])
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("Review recorded."))
            return redirect("service:engagement", pk)
    return _engagement_page(request, pk, review_form=form)


def engagement_close(request: HttpRequest, pk: int) -> HttpResponse:
    actor = _actor(request)
    view = selectors.engagement(actor, pk, contact_limit=0)
    form = forms.CloseEngagementForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        try:
            services.close_engagement(actor, pk, closed_on=d["closed_on"], reason=d["reason"], words=d["words"])
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("The engagement is closed."))
            return redirect("service:engagement", pk)
    return render(
        request,
        "service/engagement_close.html",
        {"e": view.engagement, "form": form},
    )


def handover(request: HttpRequest, pk: int) -> HttpResponse:
    actor = _actor(request)
    actor.require(Role.COORDINATOR)
    view = selectors.engagement(actor, pk, contact_limit=0)
    choices = [c for c in selectors.peer_worker_choices(actor) if c[0] != view.engagement.peer_worker_id]
    form = forms.HandoverForm(request.POST or None, choices=choices)
    if request.method == "POST" and form.is_valid():
        try:
            new = services.hand_over(actor, pk, form.cleaned_data["peer_worker"], form.cleaned_data["on"])
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("Handed over. The history stays with the new engagement."))
            return redirect("service:engagement", new.pk)
    return render(
        request,
        "service/handover.html",
        {"e": view.engagement, "form": form},
    )


# --- peer workers: caseload, workload, guidance, profile --------------------------------------------------


def _who(actor: Actor, user_id: int | None) -> int:
    return actor.user.pk if user_id is None else user_id


def caseload(request: HttpRequest, user_id: int | None = None) -> HttpResponse:
    actor = _actor(request)
    uid = _who(actor, user_id)
    if user_id is None:
        actor.require(Role.PEER_WORKER)
    person = selectors.peer_worker(actor, uid)
    closed = request.GET.get("closed") == "1"
    rows = selectors.caseload(actor, uid, include_closed=closed)
    return render(
        request,
        "service/caseload.html",
        {
            "rows": rows,
            "pw": person,
            "own": uid == actor.user.pk,
            "closed": closed,
            "is_coordinator": access.is_coordinator(actor),
        },
    )


def workload_page(request: HttpRequest, user_id: int | None = None) -> HttpResponse:
    actor = _actor(request)
    uid = _who(actor, user_id)
    if user_id is None:
        actor.require(Role.PEER_WORKER)
    view = selectors.peer_workload(actor, uid)
    chart = charts.week_chart(view.weeks, view.settings.contacts_per_week)
    return render(
        request,
        "service/workload.html",
        {
            "view": view,
            "own": uid == actor.user.pk,
            "chart": chart,
            "may_guide": actor.has(*access.GUIDE_ROLES) and uid != actor.user.pk,
        },
    )


def guidance(request: HttpRequest, user_id: int | None = None) -> HttpResponse:
    actor = _actor(request)
    uid = _who(actor, user_id)
    person = selectors.peer_worker(actor, uid)
    may_add = actor.has(*access.GUIDE_ROLES) and uid != actor.user.pk
    form = None
    if may_add:
        topics = workload.topics_for(uid, actor.organisation_id, selectors._today())
        form = forms.GuidanceForm(request.POST or None, initial={"topics": "\n".join(f"• {t.text}" for t in topics)})
        if request.method == "POST" and form.is_valid():
            d = form.cleaned_data
            try:
                services.add_guidance(
                    actor,
                    uid,
                    held_on=d["held_on"],
                    topics=d["topics"],
                    follow_ups=d["follow_ups"],
                    next_on=d["next_on"],
                    signals=[t.as_dict() for t in topics],
                )
            except ValidationError as exc:
                add_service_errors(form, exc)
            else:
                messages.success(request, _("Guidance session saved."))
                return redirect("service:guidance", uid)
    elif request.method == "POST":
        raise PermissionDenied
    sessions = selectors.guidance_sessions(actor, uid)
    return render(
        request,
        "service/guidance.html",
        {"pw": person, "sessions": sessions, "form": form, "own": uid == actor.user.pk},
    )


def guidance_due(request: HttpRequest) -> HttpResponse:
    actor = _actor(request)
    rows = selectors.guidance_due(actor)
    return render(request, "service/guidance_due.html", {"rows": rows})


def profile(request: HttpRequest, user_id: int | None = None) -> HttpResponse:
    actor = _actor(request)
    uid = _who(actor, user_id)
    if user_id is None:
        actor.require(Role.PEER_WORKER)
    found = selectors.profile(actor, uid)
    own = uid == actor.user.pk
    form = forms.ProfileForm(request.POST or None, initial=forms.ProfileForm.initial_from(found))
    if not actor.has(Role.COORDINATOR):
        # Hours, capacity and "open to new" are agreed with the coordinator: shown here, changed by them.
        for name in form.fields:
            if name in services.AGREED_FIELDS or name.startswith("hours_"):
                form.fields[name].disabled = True
    if request.method == "POST" and form.is_valid():
        try:
            services.save_profile(actor, uid, form.values())
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("Profile saved."))
            return redirect("service:my_profile" if own else "service:profile", *([] if own else [uid]))
    return render(
        request,
        "service/profile.html",
        {"form": form, "own": own, "pw": found.user},
    )


def settings_page(request: HttpRequest) -> HttpResponse:
    actor = _actor(request)
    actor.require(*access.SETTINGS_ROLES)
    w = workload.settings_for(actor.organisation_id)
    m = selectors.matching_settings(actor.organisation_id)
    which = request.POST.get("which")
    wform = forms.WorkloadSettingsForm(request.POST if which == "workload" else None, instance=w, prefix="w")
    mform = forms.MatchingSettingsForm(request.POST if which == "matching" else None, instance=m, prefix="m")
    form = wform if which == "workload" else mform if which == "matching" else None
    if form is not None and form.is_valid():
        try:
            save = services.save_workload_settings if which == "workload" else services.save_matching_settings
            save(actor, form.cleaned_data)
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("Settings saved."))
            return redirect("service:settings")
    return render(
        request,
        "service/settings.html",
        {"wform": wform, "mform": mform},
    )

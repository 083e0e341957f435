"""Answering a round: signed-in people from their invitations, others by a link with a token."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _

from peerwork.core.actor import Actor
from peerwork.core.http import ActorRequest
from peerwork.core.middleware import public
from peerwork.core.roles import Role
from peerwork.core.toolkit import posted, requires, submit

from .. import selectors, services
from ..forms import DomainAnswerForm, SubmitForm
from ..instrument import DOMAIN_BY_CODE, DOMAINS, next_domain, previous_domain
from ..items import round_items
from ..models import ANONYMITY_THRESHOLD, Invitation, Round
from ..roles import PARTNER_ROLES


@requires(*Role)
def my_rounds(request: ActorRequest) -> HttpResponse:
    """A person's readiness page: what to answer, the results they may read, and for peer workers the way
    to the checks, the registers and the action plan."""
    actor = request.actor
    return render(
        request,
        "readiness/my_rounds.html",
        {
            "invitations": selectors.my_open_invitations(actor),
            "results": selectors.my_closed_rounds(actor),
            "partner": actor.has(*PARTNER_ROLES),
            "my_actions": list(selectors.actions(actor, "active").filter(owner=actor.user)[:20]),
        },
    )


def _answer(
    request: HttpRequest, invitation: Invitation, domain: str, *, actor: Actor | None, base: str, key: Any
) -> HttpResponse:
    if domain not in DOMAIN_BY_CODE:
        raise Http404
    if invitation.completed or invitation.round.status != Round.Status.OPEN:
        return render(request, "readiness/answer_closed.html", {"invitation": invitation}, status=410)
    items = [i for i in round_items(invitation.round) if i.domain == domain]
    draft = selectors.draft_of(invitation)
    saved = draft.answers if draft else {}
    initial = {f"q_{i.code.replace('.', '_')}": str(saved[i.code]) for i in items if i.code in saved}
    form = DomainAnswerForm(posted(request), items=items, initial=initial)
    if submit(request, form, lambda _d: services.save_answers(invitation, form.answers(), actor=actor)):
        if "save" in request.POST:
            messages.success(
                request,
                _("Your answers are saved as a draft. Come back to finish at any time before the round closes."),
            )
            return redirect(base, key, domain)
        following = next_domain(domain)
        return redirect(base, key, following) if following else redirect(base.replace("answer", "review"), key)
    all_items = round_items(invitation.round)
    progress = [
        {
            "domain": d,
            "answered": sum(1 for i in all_items if i.domain == d.code and i.code in saved),
            "total": sum(1 for i in all_items if i.domain == d.code),
        }
        for d in DOMAINS
    ]
    return render(
        request,
        "readiness/answer.html",
        {
            "invitation": invitation,
            "domain": DOMAIN_BY_CODE[domain],
            "form": form,
            "progress": progress,
            "number": [d.code for d in DOMAINS].index(domain) + 1,
            "count": len(DOMAINS),
            "previous": previous_domain(domain),
            "base": base,
            "key": key,
            "review_url": reverse(base.replace("answer", "review"), args=[key]),
        },
    )


def _review(request: HttpRequest, invitation: Invitation, *, actor: Actor | None, base: str, key: Any) -> HttpResponse:
    if invitation.completed or invitation.round.status != Round.Status.OPEN:
        return render(request, "readiness/answer_closed.html", {"invitation": invitation}, status=410)
    draft = selectors.draft_of(invitation)
    saved = draft.answers if draft else {}
    form = SubmitForm(posted(request), initial={"anonymous": draft.anonymous if draft else True})
    if invitation.user_id is None:
        del form.fields["anonymous"]
    # Fewer invited in the group than the threshold: anonymous answers from it are never shown.
    small_group = invitation.user_id is not None and selectors.group_size(invitation) < ANONYMITY_THRESHOLD
    if submit(request, form, lambda d: services.submit(invitation, actor=actor, anonymous=d.get("anonymous", True))):
        return render(request, "readiness/thanks.html", {"invitation": invitation})
    all_items = round_items(invitation.round)
    progress = [
        {
            "domain": d,
            "answered": sum(1 for i in all_items if i.domain == d.code and i.code in saved),
            "total": sum(1 for i in all_items if i.domain == d.code),
        }
        for d in DOMAINS
    ]
    return render(
        request,
        "readiness/review.html",
        {
            "invitation": invitation,
            "form": form,
            "progress": progress,
            "base": base,
            "key": key,
            "complete": all(p["answered"] == p["total"] for p in progress),
            "small_group": small_group,
            "threshold": ANONYMITY_THRESHOLD,
        },
    )


@requires(*Role)
def answer(request: ActorRequest, pk: int, domain: str) -> HttpResponse:
    actor = request.actor
    return _answer(request, selectors.my_invitation(actor, pk), domain, actor=actor, base="readiness:answer", key=pk)


@requires(*Role)
def review(request: ActorRequest, pk: int) -> HttpResponse:
    actor = request.actor
    return _review(request, selectors.my_invitation(actor, pk), actor=actor, base="readiness:answer", key=pk)


@public
def link_start(request: HttpRequest, token: str) -> HttpResponse:
    invitation = selectors.invitation_by_token(token)
    return (
        redirect("readiness:link_answer", token, DOMAINS[0].code)
        if not invitation.completed
        else render(request, "readiness/answer_closed.html", {"invitation": invitation}, status=410)
    )


@public
def link_answer(request: HttpRequest, token: str, domain: str) -> HttpResponse:
    return _answer(
        request,
        selectors.invitation_by_token(token),
        domain,
        actor=None,
        base="readiness:link_answer",
        key=token,
    )


@public
def link_review(request: HttpRequest, token: str) -> HttpResponse:
    return _review(request, selectors.invitation_by_token(token), actor=None, base="readiness:link_answer", key=token)

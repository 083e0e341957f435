# ruff: noqa: E501  (translatable sentences read better unbroken)
"""Peer-led survey pages: thin — parse, call a selector or a service, render."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _

from peerwork.core import plain
from peerwork.core.exports import csv_download
from peerwork.core.http import ActorRequest
from peerwork.core.middleware import public
from peerwork.core.roles import MANAGING_ROLES, PEER_ROLES, Role
from peerwork.core.toolkit import posted, requires, submit

from . import survey_selectors as selectors
from . import survey_services as services
from .survey_forms import AnswerForm, LinksForm, QuestionForm, SurveyForm
from .survey_models import PeerSurvey, SurveyQuestion, SurveyResponse

RESULT_READERS = (*PEER_ROLES, *MANAGING_ROLES)
DETAILS = ("title", "purpose", "for_service_users", "for_peer_workers", "for_staff", "opens_on", "closes_on")


@requires(*Role)
def survey_list(request: ActorRequest) -> HttpResponse:
    actor = request.actor
    return render(
        request,
        "coassessment/surveys.html",
        {
            "rows": selectors.surveys(actor),
            "to_answer": selectors.to_answer(actor),
            "is_owner": services.is_owner(actor),
            "reads_shared": actor.has(*MANAGING_ROLES),
        },
    )


@requires(*PEER_ROLES)
def survey_new(request: ActorRequest) -> HttpResponse:
    actor = request.actor
    form = SurveyForm(actor, posted(request))
    saved = submit(request, form, lambda d: services.create_survey(actor, **d))
    if saved:
        messages.success(request, _("The survey is saved as a draft. Now write its questions."))
        return redirect("coassessment:survey", saved.value.pk)
    return render(
        request,
        "coassessment/form_page.html",
        {
            "form": form,
            "ca": None,
            "title": _("New peer-led survey"),
            "submit": _("Save as draft"),
            "back": reverse("coassessment:surveys"),
            "lead": _(
                "Peer workers write, publish and close the survey and decide when managers and coordinators see the results. Answers are saved without names."
            ),
        },
    )


@requires(*PEER_ROLES)
def survey_detail(request: ActorRequest, pk: int) -> HttpResponse:
    """The owners' page: details, questions (changed while a draft), publishing, links, closing, sharing."""
    actor = request.actor
    survey = selectors.owned_survey(actor, pk)
    do = request.POST.get("do", "") if request.method == "POST" else ""
    data = posted(request)
    details = SurveyForm(actor, data if do == "details" else None, initial={f: getattr(survey, f) for f in DETAILS})
    details.fields.pop("coassessment")
    question_form = QuestionForm(data if do == "question" else None)
    links_form = LinksForm(data if do == "links" else None)
    tokens: list[str] = []
    if do == "details" and submit(request, details, lambda d: services.update_survey(actor, survey, **d)):
        messages.success(request, _("The survey's details are saved."))
        return redirect("coassessment:survey", pk)
    if do == "question" and submit(request, question_form, lambda d: services.add_question(actor, survey, **d)):
        messages.success(request, _("The question is added."))
        return redirect("coassessment:survey", pk)
    if do == "links":
        made = submit(request, links_form, lambda d: services.make_links(actor, survey, count=d["count"]))
        if made:
            tokens = made.value
    if do == "again":
        try:
            following = services.run_again(actor, survey)
        except ValidationError as exc:
            for message in exc.messages:
                messages.error(request, message)
            return redirect("coassessment:survey", pk)
        messages.success(
            request, _("The next round is saved as a draft with the same questions. Check its dates, then publish it.")
        )
        return redirect("coassessment:survey", following.pk)
    if do in ("up", "down", "remove", "publish", "close", "share", "unshare"):
        try:
            if do in ("up", "down", "remove"):
                question = selectors.question_of(survey, request.POST.get("question", ""))
                if do == "remove":
                    services.remove_question(actor, question)
                else:
                    services.move_question(actor, question, up=do == "up")
            elif do == "publish":
                services.publish_survey(actor, survey)
                messages.success(request, _("The survey is published."))
            elif do == "close":
                services.close_survey(actor, survey)
                messages.success(request, _("The survey is closed."))
            else:
                services.share_results(actor, survey, shared=do == "share")
                messages.success(
                    request,
                    _("Managers and coordinators can now read the results.")
                    if do == "share"
                    else _("The results are no longer shared."),
                )
        except ValidationError as exc:
            for message in exc.messages:
                messages.error(request, message)
        return redirect("coassessment:survey", pk)
    waiting, used = selectors.link_counts(survey)
    rounds = selectors.rounds(survey)
    return render(
        request,
        "coassessment/survey.html",
        {
            "survey": survey,
            "questions": selectors.questions(survey),
            "details": details,
            "question_form": question_form,
            "links_form": links_form,
            "tokens": [request.build_absolute_uri(reverse("coassessment:survey_link", args=[t])) for t in tokens],
            "waiting": waiting,
            "used": used,
            "responses": selectors.response_count(survey),
            "is_draft": survey.status == PeerSurvey.Status.DRAFT,
            "is_open": survey.status == PeerSurvey.Status.PUBLISHED,
            "rounds": rounds,
            "may_run_again": survey.status != PeerSurvey.Status.DRAFT and rounds[-1].pk == survey.pk,
        },
    )


@requires(*Role)
def survey_answer(request: ActorRequest, pk: int) -> HttpResponse:
    actor = request.actor
    survey = selectors.answerable_survey(actor, pk)
    labels = dict(SurveyResponse.Group.choices)
    groups = [(g, str(labels[g])) for g in services.groups_for(actor, survey)]
    answered = selectors.has_answered(actor, survey)
    form = AnswerForm(survey, groups, posted(request)) if not answered and services.is_open(survey) else None
    if form is not None and submit(
        request,
        form,
        lambda d: services.answer_signed_in(actor, survey, group=d.get("group") or groups[0][0], answers=d),
    ):
        messages.success(request, _("Thank you. Your answers are saved without your name."))
        return redirect("coassessment:surveys")
    return render(request, "coassessment/survey_answer.html", {"survey": survey, "form": form, "answered": answered})


@public
def survey_link(request: HttpRequest, token: str) -> HttpResponse:
    """A service user answers through a one-time link, without signing in."""
    survey, used = selectors.survey_by_link(token)
    done = request.GET.get("done") == "1"
    form = None if used or not services.is_open(survey) else AnswerForm(survey, [], posted(request))
    if form is not None and submit(request, form, lambda d: services.answer_with_link(token, answers=d)):
        return redirect(reverse("coassessment:survey_link", args=[token]) + "?done=1")
    return render(
        request,
        "coassessment/survey_answer.html",
        {"survey": survey, "form": form, "answered": used, "done": done, "public": True},
    )


@requires(*RESULT_READERS)
def survey_results(request: ActorRequest, pk: int) -> HttpResponse:
    actor = request.actor
    result = selectors.results(actor, pk)
    return render(request, "coassessment/survey_results.html", {"r": result, "is_owner": services.is_owner(actor)})


@requires(*RESULT_READERS)
def survey_export(request: ActorRequest, pk: int) -> HttpResponse:
    actor = request.actor
    r = selectors.results(actor, pk, export=True)
    response, out = csv_download(f"peerwork-survey-{pk}.csv")
    out.writerow(
        [
            _("question"),
            _("group"),
            _("answer"),
            _("number of answers"),
            _("share in percent"),
            _("share in percent in the last round"),
            _("note"),
        ]
    )
    withheld = _("withheld (fewer than {n} answers)").format(n=r.threshold)
    withheld_group = _("withheld (fewer than {n} answers, or would let a withheld group be worked out)").format(
        n=r.threshold
    )
    last_withheld = _("last round withheld (fewer than {n} answers)").format(n=r.threshold)
    last_group_withheld = _("last round not shown for this group")
    everyone = _("all groups")
    average = _("average (1 to 5)")

    def last(value: object) -> object:
        return "" if value is None else value

    for q in r.questions:
        text = q.question.text
        before = q.previous
        if q.withheld:
            out.writerow([text, everyone, "", "", "", "", withheld])
            if before is not None and not before.withheld and before.mean is not None:
                out.writerow([text, everyone, average, "", "", round(before.mean, 1), _("last round")])
            continue
        if q.question.kind == SurveyQuestion.Kind.TEXT:
            for answer in q.texts:
                out.writerow([text, everyone, answer, "", "", "", _("free text")])
        else:
            note = last_withheld if before is not None and before.withheld else ""
            for bar in q.bars:
                out.writerow([text, everyone, bar.label, bar.count, bar.percent, last(bar.previous), note])
            if q.mean is not None:
                out.writerow(
                    [
                        text,
                        everyone,
                        average,
                        q.answered,
                        round(q.mean, 1),
                        last(before and before.mean and round(before.mean, 1)),
                        note,
                    ]
                )
        for g in q.groups:
            if g.withheld:
                out.writerow([text, g.label, "", "", "", "", withheld_group])
            elif q.question.kind == SurveyQuestion.Kind.TEXT:
                for answer in g.texts:
                    out.writerow([text, g.label, answer, "", "", "", _("free text")])
            else:
                # A group withheld in the last round (or not asked then) shows no comparison.
                then = g.previous
                group_note = last_group_withheld if then is not None and then.withheld else ""
                for bar in g.bars:
                    out.writerow([text, g.label, bar.label, bar.count, bar.percent, last(bar.previous), group_note])
                if g.mean is not None:
                    before_mean = None if then is None or then.mean is None else round(then.mean, 1)
                    out.writerow([text, g.label, average, g.answered, round(g.mean, 1), last(before_mean), group_note])
    out.writerow([_("survey"), everyone, r.survey.title, r.responses, "", "", plain.when(r.survey.closes_on)])
    if r.previous is not None:
        out.writerow(
            [
                _("last round"),
                everyone,
                r.previous.title,
                last(r.previous_responses),
                "",
                "",
                plain.when(r.previous.closes_on),
            ]
        )
    return response

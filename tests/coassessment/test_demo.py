"""The demo co-assessments: Norway's finished one (systematic text condensation) holds every piece of the
analysis, Denmark's under way (thematic analysis) holds two coders' readings with an agreement figure and its
candidate themes; each role of each demo organisation sees its co-assessment on first sign-in."""

from __future__ import annotations

import io
import zipfile

import pytest
from django.urls import reverse

from peerwork import qda
from peerwork.accounts.models import Membership, User
from peerwork.coassessment import exchange
from peerwork.coassessment.hooks import USERS
from peerwork.coassessment.models import (
    CoAssessment,
    Coding,
    Feedback,
    MemberComment,
    Participant,
    TeamMember,
    Theme,
)
from peerwork.coassessment.selectors import coassessments
from peerwork.cocreation.models import Contribution
from peerwork.demo.seed import DK_SLUG, NO_SLUG, demo_logins, seed_demo
from tests.conftest import actor_for, verified_client

FIRST_PERSON = ("jeg ", "vi ", "meg ", "min ")


@pytest.mark.django_db
def test_the_demo_co_assessments():
    seed_demo()  # once: seeding is slow
    _norway_has_a_finished_condensation_with_every_piece()
    _denmark_is_under_way_with_two_coders_an_agreement_figure_and_candidate_themes()
    _each_role_sees_the_co_assessment_on_first_sign_in()
    _the_findings_flow_back_to_the_service()


def _norway_has_a_finished_condensation_with_every_piece():
    no = CoAssessment.objects.get(organisation__slug=NO_SLUG)
    assert (no.status, no.method) == ("finished", "condensation")
    assert TeamMember.objects.filter(coassessment=no, is_peer_co_researcher=True).count() == 1
    assert no.participants.count() == 5 and no.ethics_approved_on is not None
    groups = list(Theme.objects.filter(coassessment=no, kind=Theme.Kind.CODE_GROUP).select_related("quote"))
    assert len(groups) == 3
    assert Theme.objects.filter(coassessment=no, kind=Theme.Kind.PRELIMINARY).exists()
    for group in groups:
        assert group.segments.exists(), group.name
        # the condensate in the first person, the synthesis in the third
        assert any(w in f" {group.condensate.lower()}" for w in FIRST_PERSON), group.name
        assert group.synthesis and not any(w in f" {group.synthesis.lower()}" for w in FIRST_PERSON), group.name
        assert group.quote is not None and group.quote in group.segments.all()
        assert group.member_check_group_id is not None
    assert MemberComment.objects.filter(theme__coassessment=no).count() == 3


def _denmark_is_under_way_with_two_coders_an_agreement_figure_and_candidate_themes():
    dk = CoAssessment.objects.get(organisation__slug=DK_SLUG)
    assert (dk.status, dk.method) == ("analysing", "thematic")
    coders = set(Coding.objects.filter(segment__material__coassessment=dk).values_list("coder", flat=True))
    assert len(coders) == 2
    assert dk.blind_coding and Coding.objects.filter(segment__material__coassessment=dk, blind=True).exists()
    lead = TeamMember.objects.get(coassessment=dk, role="lead").person
    result = exchange.comparison(actor_for(lead, dk.organisation), dk.pk)
    assert any(row.alpha for row in result.rows), "no agreement figure"
    assert result.disagreements
    themes = Theme.objects.filter(coassessment=dk, kind=Theme.Kind.THEME)
    assert themes.count() == 2 and all(t.codes.exists() for t in themes)
    assert dk.step == 3
    # The exchange file carries the memo and the candidate themes, and meets the standard's schema.
    data = exchange.export_project(actor_for(lead, dk.organisation), dk.pk)[1]
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        assert qda.validate_project_xml(archive.read("project.qde")) == []
    project = qda.import_project(data).project
    assert len(project.notes) == 1 and sorted(s.name for s in project.sets) == sorted(t.name for t in themes)


def _each_role_sees_the_co_assessment_on_first_sign_in():
    """Some demo login of each role that uses co-assessment sees it (a peer worker outside the study, in
    another team, does not)."""
    seen = set()
    # the demo's sign-in list, and Denmark's data protection officer (who signs in like the others)
    for username in [login.username for login in demo_logins()] + ["dk-dpo"]:
        for membership in Membership.objects.filter(user__username=username).select_related("user", "organisation"):
            if membership.role not in USERS:
                continue
            if coassessments(actor_for(membership.user, membership.organisation)):
                seen.add((membership.organisation.slug, membership.role))
    for slug in (NO_SLUG, DK_SLUG):
        assert {role for s, role in seen if s == slug} == set(USERS), slug
    # and the list page itself, as the Norwegian professional signs in for the first time
    page = verified_client(Membership.objects.get(user__username="professional").user).get("/coassessment/")
    assert "Erfaringskonsulenters opplevelse av veiledning" in page.content.decode()


def _the_findings_flow_back_to_the_service():
    """Both demos answer a demo initiative's co-assessment phase and a readiness gap; Norway's findings went
    back as an action, a contribution and a "you said, we did" item, and each role sees them on first sign-in."""
    for slug in (NO_SLUG, DK_SLUG):
        ca = CoAssessment.objects.select_related("phase", "gap").get(organisation__slug=slug)
        assert ca.phase is not None and ca.phase.kind == "assessment", slug
        assert ca.gap is not None and ca.gap.source == "gap", slug
        assert ca.pulse_survey is not None and ca.pulse_survey.organisation_id == ca.organisation_id, slug
    no = CoAssessment.objects.get(organisation__slug=NO_SLUG)
    kinds = set(Feedback.objects.filter(theme__coassessment=no).values_list("kind", flat=True))
    assert kinds == {"action", "contribution", "you_said"}
    org = no.organisation

    def page(username, url):
        return verified_client(User.objects.get(username=username)).get(url).content.decode()

    # The managers and coordinators: the finding in the readiness action plan.
    for username in ("manager", "coordinator"):
        assert "Tidspunkt for veiledning" in page(username, reverse("readiness:actions")), username
    # Ola, the peer co-researcher: his contribution in the initiative.
    contribution = Contribution.objects.get(organisation=org, summary="Likeverd og egen erfaring")
    assert contribution.phase_id == no.phase_id and contribution.contributor.username == "peerworker"
    assert "Likeverd og egen erfaring" in page(
        "peerworker", reverse("cocreation:initiative", args=[contribution.initiative_id])
    )
    # The peer workers who took part: "you said, we did", linked from their menu.
    took_part = Participant.objects.filter(coassessment=no).select_related("consent__staff_member").first()
    said = page(took_part.consent.staff_member.username, reverse("coassessment:you_said"))
    assert "gruppeveiledningen fortsetter" in said
    assert reverse("coassessment:you_said") in said
    # Every demo login of a role that uses co-assessment: what came of each finding, in the report.
    for login in demo_logins():
        if not Membership.objects.filter(user__username=login.username, organisation=org, role__in=USERS).exists():
            continue
        report = page(login.username, reverse("coassessment:report", args=[no.pk]))
        assert "Tidspunkt for veiledning" in report and "gruppeveiledningen fortsetter" in report, login.username
        assert no.pulse_survey.label in report, login.username  # the survey it looks into, by its title

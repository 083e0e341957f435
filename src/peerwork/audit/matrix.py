# ruff: noqa: E501  (one route per line reads as a table)
"""The permission matrix: every page and API route, who may use it, and on whose objects.

One row per URL name. ``tests/test_permission_matrix.py`` walks the real URL configuration and fails when a
route has no row, then checks every row against the running application: each role, with an object of
their own, of their team, of another team in the organisation and of another organisation. ``peerwork
permissions doc`` writes the table into docs/data-protection.md.

Adding a page or an API route? Add ONE line to ``ROUTES`` below, for example::

    R("myapp:thing", obj="myapp.thing", access={COORD: ORG, PW: OWN}),     # a page about one Thing
    R("myapp:things", access={COORD: ORG, PW: ORG}),                       # a list page, no object
    R("api:list_things", access={COORD: ORG}),                              # an API operation (its url name)

``access`` maps a role to how far it reaches (roles left out are refused):

* ``OWN``  — only objects that are the actor's own (theirs, about them, or a person they support);
* ``TEAM`` — their own and their team's (a unit they are a member of);
* ``ORG``  — anything in their organisation.

No role ever reaches another organisation's objects: that column is always "no", and the answer must be the
same "not found" as for an id that does not exist. ``obj`` is the model (``app_label.model``) whose id the
URL carries; ``method="POST"`` for routes that only accept POST; ``public=True`` for pages anyone may open
without signing in. A route whose parameters the generic test cannot fill (a token, a code) takes
``check="why"`` and is then only declared, not exercised.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from typing import Any

from django.urls import URLPattern, URLResolver, get_resolver

from peerwork.core import docs
from peerwork.core.roles import Role

NONE, OWN, TEAM, ORG = "none", "own", "team", "org"
LEVELS = {NONE: 0, OWN: 1, TEAM: 2, ORG: 3}
RELATIONS = ("own", "team", "other_team", "other_org")
RELATION_LEVEL = {"own": 1, "team": 2, "other_team": 3}

ADMIN, MANAGER, COORD = Role.ADMINISTRATOR, Role.MANAGER, Role.COORDINATOR
PW, SENIOR, PROF, DPO = Role.PEER_WORKER, Role.SENIOR_PEER_WORKER, Role.PROFESSIONAL, Role.DPO
ROLES = [ADMIN, MANAGER, COORD, PW, SENIOR, PROF, DPO]


Access = dict[Role, str]


def everyone(level: str = ORG) -> Access:
    return dict.fromkeys(ROLES, level)


def only(*roles: Role, level: str = ORG) -> Access:
    return dict.fromkeys(roles, level)


@dataclass(frozen=True)
class Route:
    name: str
    access: Access = field(default_factory=dict)
    obj: str = ""
    method: str = "GET"
    public: bool = False
    check: str = ""
    note: str = ""

    def level(self, role: str) -> str:
        return self.access.get(Role(role), NONE)

    def allows(self, role: str, relation: str | None = None) -> bool:
        """May ``role`` use this route on an object in ``relation`` (None: a route without an object)?"""
        if self.public:
            return relation != "other_org"
        level = LEVELS[self.level(role)]
        if relation is None:
            return level > 0
        if relation == "other_org":
            return False
        return RELATION_LEVEL[relation] <= level


R = Route
# Who manages a person's consents: the peer worker supporting them, coordinators, the data protection officer.
CONSENT = {PW: OWN, COORD: ORG, DPO: ORG}
POSITION = {ADMIN: ORG, MANAGER: ORG, COORD: ORG, SENIOR: ORG, PROF: TEAM, PW: OWN, DPO: OWN}
# Engagements: coordinators all; a peer worker their own; a senior peer worker those of the peer workers they
# guide (their team in the matrix test).
ENGAGEMENT = {COORD: ORG, PW: OWN, SENIOR: TEAM}
PEER_WORKER_DATA = {COORD: ORG, PW: OWN, SENIOR: TEAM}
READINESS = only(ADMIN, MANAGER, COORD)
# Groups and courses: coordinators all of the organisation's; a peer worker or senior peer worker those they lead.
ACTIVITY = {COORD: ORG, PW: OWN, SENIOR: OWN}
READINESS_LEAD = only(ADMIN, MANAGER)
# Peer workers as partners: their team's checks (as counts of at least three), registers and action plan; a
# senior peer worker the organisation's.
READINESS_PARTNERS = {**READINESS, PW: TEAM, SENIOR: ORG}
# A round's results: anyone invited, once it is closed; peer workers also their team's and the organisation's.
READINESS_RESULTS = {**everyone(OWN), **READINESS_PARTNERS}
# The action plan: as above, and anyone named owner of an action reads and marks it.
READINESS_ACTIONS = {**everyone(OWN), **READINESS_PARTNERS}
# Signals to management: a manager sees those sent to managers; a peer worker their own.
SIGNALS = {MANAGER: ORG, PW: OWN, SENIOR: OWN}

# fmt: off
ROUTES: list[Route] = [
    # --- the foundation --------------------------------------------------------------------------------
    R("core:home", access=everyone()),
    R("core:health", public=True),
    R("core:ready", public=True),
    R("core:sources", access=everyone(), note="where each rule comes from; no data"),
    R("set_language", public=True, method="POST"),
    R("accounts:login", public=True),
    R("accounts:logout", access=everyone(), method="POST"),
    R("accounts:otp_verify", access=everyone(), note="the two-step page itself"),
    R("accounts:otp_setup", access=everyone(), note="the two-step page itself"),
    R("accounts:switch_organisation", access=everyone(), method="POST"),
    R("accounts:tokens", access=everyone(), note="each person's own tokens"),
    R("accounts:otp_recovery", access=everyone(), note="the two-step page itself, with a recovery code"),
    R("accounts:recovery_codes", access=everyone(), note="each person's own recovery codes"),
    R("accounts:people", access=only(ADMIN, MANAGER)),
    R("accounts:person", obj="accounts.user", access=only(ADMIN), note="edit, roles, switch off, reset two-step"),
    R("accounts:oidc_start", public=True, check="needs an organisation's sign-in service configured"),
    R("accounts:oidc_callback", public=True, check="needs an answer from the organisation's sign-in service"),
    R("accounts:oidc_invitation", public=True, check="needs an invitation from an e-mail"),
    R("accounts:password_reset", public=True),
    R("accounts:password_reset_done", public=True),
    R("accounts:password_reset_confirm", public=True, check="needs a reset token from an e-mail"),
    R("accounts:password_reset_complete", public=True),
    R("organisations:units", access=only(ADMIN, MANAGER, COORD, SENIOR)),
    R("organisations:position", obj="organisations.position", access=POSITION),
    R("api:openapi-json", public=True, check="API description, no data"),
    R("api:openapi-view", public=True, check="API description, no data"),
    R("api:api-root", public=True, check="API index, no data"),
    R("api:me", access=everyone()),
    R("api:accounts_person", obj="accounts.user", access=only(ADMIN)),
    R("api:accounts_person_update", obj="accounts.user", access=only(ADMIN)),
    R("api:accounts_person_add_role", obj="accounts.user", access=only(ADMIN)),
    R("api:accounts_person_deactivate", obj="accounts.user", access=only(ADMIN)),
    R("api:accounts_person_reset_two_step", obj="accounts.user", access=only(ADMIN)),
    R("api:units", access=everyone()),
    R("api:positions", access=everyone(), note="filtered to what the role may see"),
    R("api:position", obj="organisations.position", access=POSITION),

    # --- privacy: audit, consent, sharing, subject rights, retention, evaluation extracts --------------
    R("privacy:audit", access=only(DPO)),
    R("privacy:audit_verify", access=only(DPO), method="POST"),
    R("api:audit", access=only(DPO)),
    R("privacy:consents", access=CONSENT, note="a peer worker sees the people they support"),
    R("privacy:consent", obj="service.serviceuser", access=CONSENT),
    R("privacy:consent_withdraw", obj="privacy.consent", access=CONSENT, method="POST"),
    R("privacy:shared", access=only(PROF, level=TEAM), note="only what a valid consent covers"),
    R("privacy:people", access=only(DPO)),
    R("privacy:person", obj="service.serviceuser", access=only(DPO)),
    R("privacy:export_html", obj="service.serviceuser", access=only(DPO)),
    R("privacy:export_json", obj="service.serviceuser", access=only(DPO)),
    R("privacy:export_pdf", obj="service.serviceuser", access=only(DPO)),
    R("privacy:rectify", obj="service.serviceuser", access=only(DPO)),
    R("privacy:anonymise", obj="service.serviceuser", access=only(DPO)),
    R("privacy:access_report", obj="service.serviceuser", access=only(DPO)),
    R("privacy:access_report_csv", obj="service.serviceuser", access=only(DPO), note="the access report as a spreadsheet file"),
    R("privacy:retention", access=only(DPO)),
    R("privacy:retention_run", access=only(DPO), method="POST"),
    R("privacy:evaluation", access=only(DPO, MANAGER)),
    R("privacy:evaluation_download", obj="privacy.evaluationexport", access=only(DPO, MANAGER)),
    R("privacy:evaluation_key", obj="privacy.evaluationexport", access=only(DPO)),
    R("privacy:evaluation_key_delete", obj="privacy.evaluationexport", access=only(DPO), method="POST"),
    R("privacy:who_looked", access=only(PW, SENIOR, level=OWN), note="who else looked at the peer worker's own work, and why"),
    R("api:privacy_who_looked", access=only(PW, SENIOR, level=OWN)),
    R("privacy:my_evaluation_consent", access=only(PW, SENIOR, level=OWN), note="the peer worker's own consent to use in evaluation"),
    R("api:privacy_shared", access=only(PROF, level=TEAM)),
    R("api:privacy_consents", obj="service.serviceuser", access=CONSENT),
    R("api:privacy_access_report", obj="service.serviceuser", access=only(DPO)),
    R("api:privacy_export", obj="service.serviceuser", access=only(DPO)),

    # --- the peer recovery service ---------------------------------------------------------------------
    R("service:index", access=only(COORD, PW, SENIOR), note="sends each role to its own start page"),
    R("service:dashboard", access=only(COORD)),
    R("service:queue", access=only(COORD)),
    R("service:waiting_list", access=only(COORD)),
    R("service:referral_new", access=only(COORD)),
    R("service:referral", obj="service.referral", access=only(COORD)),
    R("service:propose", obj="service.referral", access=only(COORD), method="POST"),
    R("service:referral_close", obj="service.referral", access=only(COORD), method="POST"),
    R("service:declare_conflict", obj="service.referral", access=only(COORD), method="POST"),
    R("service:record_choice", obj="service.matchproposal", access=only(COORD), method="POST"),
    R("service:withdraw_proposal", obj="service.matchproposal", access=only(COORD), method="POST"),
    R("service:answer_proposal", obj="service.matchproposal", access={PW: OWN}, method="POST",
      note="only a peer worker the proposal was made to: their own answer"),
    R("service:proposed_to_me", access=only(PW), note="the proposals made to the peer worker, waiting for the person"),
    R("service:waive_acquaintance", access=only(COORD), method="POST",
      check="two ids (the referral and the declaration); exercised in tests/service/test_peer_step.py"),
    R("service:engagement", obj="service.engagement", access=ENGAGEMENT),
    R("service:contact_new", obj="service.engagement", access={PW: OWN}, note="only the peer worker of the engagement"),
    R("service:goal_new", obj="service.engagement", access=ENGAGEMENT, method="POST"),
    R("service:review", obj="service.engagement", access=ENGAGEMENT, method="POST"),
    R("service:extend", obj="service.engagement", access=ENGAGEMENT, method="POST",
      note="coordinators and the engagement's own peer worker; both the person and the peer worker agree"),
    R("service:contact_agreement", obj="service.engagement", access=ENGAGEMENT, method="POST",
      note="made with the person by the engagement's own peer worker or a coordinator"),
    R("service:engagement_close", obj="service.engagement", access=ENGAGEMENT),
    R("service:handover", obj="service.engagement", access=only(COORD)),
    R("service:back_to_queue", obj="service.engagement", access=only(COORD)),
    R("service:contact_edit", obj="service.contact", access=everyone(OWN), note="only the contact's author"),
    R("service:goal_rate", obj="service.goal", access=ENGAGEMENT, method="POST"),
    R("service:goal_finish", obj="service.goal", access=only(PW, COORD, SENIOR, level=OWN), method="POST",
      note="the person's peer worker or the goal's author"),
    R("service:goal", obj="service.goal", access={COORD: TEAM, PW: OWN, SENIOR: TEAM},
      note="a goal its reader may read by its visibility (a care-team goal: the team); only the person's peer worker corrects the wording"),
    R("service:goal_finish_confirm", obj="service.goal", access=only(PW, COORD, SENIOR, level=OWN),
      note="the confirm step before a goal is marked achieved or set aside"),
    R("service:quick_add", access=only(PW)),
    R("service:caseload", access=only(PW)),
    R("service:my_workload", access=only(PW)),
    R("service:my_profile", access=only(PW), note="the peer worker's own lived-experience profile"),
    R("service:my_guidance", access=only(PW)),
    R("service:guidance_due", access=only(COORD, SENIOR)),
    R("service:caseload_of", obj="accounts.user", access=PEER_WORKER_DATA, note="a coordinator who does not guide them picks a reason first"),
    R("service:workload", obj="accounts.user", access=PEER_WORKER_DATA, note="a coordinator who does not guide them picks a reason first"),
    R("service:strain_action", obj="accounts.user", access=only(COORD), method="POST",
      note="what a coordinator did about a strain topic, from a fixed list"),
    R("service:guidance", obj="accounts.user", access={COORD: TEAM, PW: OWN, SENIOR: TEAM},
      note="the peer worker and the guides a coordinator named for them (team: the peer workers one guides)"),
    R("service:guidance_session", obj="service.guidancesession", access={COORD: TEAM, PW: OWN, SENIOR: TEAM},
      note="one-to-one: the peer worker, its guide, their current guides and whom the peer worker shared it with; "
      "group: its participants and its guide"),
    R("service:guidance_relationships", access=only(COORD), note="who guides whom, set by coordinators"),
    R("service:profile", obj="accounts.user", access={COORD: ORG, PW: OWN},
      note="lived experience: the peer worker and coordinators only"),
    R("service:my_availability", access=only(PW), note="the peer worker sets their own availability"),
    R("service:availability", obj="accounts.user", access={COORD: ORG, PW: OWN},
      note="the peer worker and coordinators; only a coordinator agrees the range and lifts a new peer worker's hold"),
    R("api:service_availability", obj="accounts.user", access={COORD: ORG, PW: OWN}),
    R("api:service_availability_update", obj="accounts.user", access={COORD: ORG, PW: OWN}),
    R("api:service_availability_range", obj="accounts.user", access={COORD: ORG}),
    R("api:service_availability_lift_hold", obj="accounts.user", access={COORD: ORG}),
    R("service:settings", access=only(ADMIN, MANAGER, COORD)),

    # --- groups and courses led by peer workers ----------------------------------------------------------
    R("activities:activities", access=ACTIVITY, note="a peer worker sees the groups and courses they lead"),
    R("activities:activity", obj="activities.activity", access=ACTIVITY),
    R("activities:session", obj="activities.activitysession", access=ACTIVITY),
    R("activities:offer", obj="service.referral", access=only(COORD), note="a place for a person on the waiting list"),
    R("api:list_activities", access=ACTIVITY, note="filtered to the groups the role may see"),
    R("api:create_activity", access=only(COORD)),
    R("api:get_activity", obj="activities.activity", access=ACTIVITY),
    R("api:add_session", obj="activities.activity", access=ACTIVITY),
    R("api:offer_place", obj="activities.activity", access=only(COORD)),
    R("api:mark_attendance", obj="activities.activitysession", access=ACTIVITY),
    R("api:list_referrals", access=only(COORD)),
    R("api:create_referral", access=only(COORD)),
    R("api:get_referral", obj="service.referral", access=only(COORD)),
    R("api:referral_candidates", obj="service.referral", access=only(COORD)),
    R("api:create_proposal", obj="service.referral", access=only(COORD)),
    R("api:decide", obj="service.matchproposal", access=only(COORD)),
    R("api:answer_proposal", obj="service.matchproposal", access={PW: OWN},
      note="only a peer worker the proposal was made to: their own answer"),
    R("api:withdraw_proposal", obj="service.matchproposal", access=only(COORD)),
    R("api:propose_handover", obj="service.engagement", access=only(COORD)),
    R("api:waive_acquaintance", obj="service.declaredconflict", access={COORD: ORG, PW: OWN},
      note="a peer worker records only their own waiver"),
    R("api:list_engagements", access=only(COORD, PW, SENIOR), note="filtered to the engagements the role may see"),
    R("api:get_engagement", obj="service.engagement", access=ENGAGEMENT),
    R("api:list_contacts", obj="service.engagement", access=ENGAGEMENT),
    R("api:list_goals", obj="service.engagement", access=ENGAGEMENT),
    R("api:create_contact", obj="service.engagement", access={PW: OWN}),
    R("api:create_goal", obj="service.engagement", access=ENGAGEMENT),
    R("api:extend_engagement", obj="service.engagement", access=ENGAGEMENT,
      note="coordinators and the engagement's own peer worker"),
    R("api:put_contact_agreement", obj="service.engagement", access=ENGAGEMENT,
      note="coordinators and the engagement's own peer worker"),
    R("api:create_strain_action", obj="accounts.user", access=only(COORD)),
    R("api:rate_goal", obj="service.goal", access=ENGAGEMENT),
    R("api:revise_goal", obj="service.goal", access=ENGAGEMENT),

    # --- readiness -------------------------------------------------------------------------------------
    R("readiness:overview", access=READINESS),
    R("readiness:start_round", access=READINESS_LEAD),
    R("readiness:round", obj="readiness.round", access=READINESS_RESULTS, note="others than those who run readiness: closed rounds only, and comments"),
    R("readiness:add_links", obj="readiness.round", access=READINESS_LEAD, method="POST"),
    R("readiness:round_status", obj="readiness.round", access=READINESS_LEAD, method="POST"),
    R("readiness:questions", access=READINESS_LEAD),
    R("readiness:question_toggle", obj="readiness.customitem", access=READINESS_LEAD, method="POST"),
    R("readiness:my_rounds", access=everyone(OWN), note="each person's own invitations to answer"),
    R("readiness:review", obj="readiness.invitation", access=everyone(OWN)),
    R("readiness:answer", obj="readiness.invitation", access=everyone(OWN), check="also needs a domain code"),
    R("readiness:link_start", public=True, check="needs an invitation token"),
    R("readiness:link_review", public=True, check="needs an invitation token"),
    R("readiness:link_answer", public=True, check="needs an invitation token and a domain code"),
    R("readiness:checks", access=READINESS_PARTNERS, note="peer workers: counts of at least three and what is about them, no names"),
    R("readiness:risks", access=READINESS_PARTNERS),
    R("readiness:risk_register", obj="organisations.unit", access=READINESS_PARTNERS, note="and comments on it"),
    R("readiness:risk_edit", obj="organisations.unit", access=READINESS, check="also needs a risk code"),
    R("readiness:actions", access=READINESS_ACTIONS),
    R("readiness:action_new", access=READINESS),
    R("readiness:action", obj="readiness.actionitem", access=READINESS_ACTIONS, note="the owner marks progress; readers comment"),
    R("readiness:roles", access=READINESS),
    R("readiness:role_new", access=READINESS_LEAD),
    R("readiness:role", obj="readiness.jobdescription", access=READINESS),
    R("readiness:role_edit", obj="readiness.jobdescription", access=READINESS_LEAD),
    R("readiness:role_print", obj="readiness.jobdescriptionversion", access={**everyone(OWN), **READINESS}, note="and anyone whose position follows the version"),
    R("readiness:orientation", access=READINESS),
    R("readiness:orientation_edit", obj="organisations.position", access=READINESS),
    R("readiness:briefings", access=READINESS),
    R("readiness:briefing_pack", obj="organisations.unit", access=READINESS, note="the role cards of a team's positions"),
    R("readiness:my_placement", access=only(PW, SENIOR, level=OWN), note="where they were treated: their own"),
    R("readiness:withdraw_declaration", obj="readiness.treatmenthistorydeclaration",
      access=only(PW, SENIOR, level=OWN), method="POST"),
    R("readiness:declaration_disclosure", obj="readiness.treatmenthistorydeclaration",
      access=only(PW, SENIOR, level=OWN), method="POST", note="what others may see of it: the peer worker's choice"),
    R("readiness:report", access=READINESS),
    R("readiness:report_pdf", access=READINESS),
    R("api:rounds", access=READINESS_RESULTS),
    R("api:results", obj="readiness.round", access=READINESS_RESULTS),
    R("api:derived_checks", access=READINESS),
    R("api:actions", access=READINESS_ACTIONS),
    R("api:create_action", access=READINESS),
    R("api:comment_on_round", obj="readiness.round", access=READINESS_RESULTS, method="POST"),
    R("api:action_progress", obj="readiness.actionitem", access={**everyone(OWN), **READINESS}, method="POST", note="the action's owner"),

    # --- co-creation -----------------------------------------------------------------------------------
    R("cocreation:index", access=everyone()),
    R("cocreation:initiatives", access=everyone()),
    R("cocreation:initiative_new", access=only(MANAGER, COORD, PW, SENIOR)),
    R("cocreation:initiative", obj="cocreation.initiative", access=everyone()),
    R("cocreation:contribution_add", obj="cocreation.initiative", access=only(MANAGER, COORD, PW, SENIOR)),
    R("cocreation:contribution_decide", obj="cocreation.contribution", access={MANAGER: ORG, COORD: OWN, PW: OWN, SENIOR: OWN}, note="managers, and the initiative's owners (alone or as a board's joint decision)"),
    R("cocreation:phase_edit", obj="cocreation.phase", access={MANAGER: ORG, COORD: ORG, PW: OWN, SENIOR: OWN}, note="managers, coordinators and the initiative's owners"),
    R("cocreation:participant_add", obj="cocreation.phase", access={MANAGER: ORG, COORD: ORG, PW: OWN, SENIOR: OWN}, note="managers, coordinators and the initiative's owners"),
    R("cocreation:participant_remove", obj="cocreation.participation", access={MANAGER: ORG, COORD: ORG, PW: OWN, SENIOR: OWN}, note="managers, coordinators and the initiative's owners", method="POST"),
    R("cocreation:co_owner_add", obj="cocreation.initiative", access={MANAGER: ORG, COORD: ORG, PW: OWN, SENIOR: OWN}, note="managers, coordinators and the initiative's owners"),
    R("cocreation:co_owner_remove", obj="cocreation.coowner", access={MANAGER: ORG, COORD: ORG, PW: OWN, SENIOR: OWN}, note="managers, coordinators and the initiative's owners", method="POST"),
    R("cocreation:you_said_we_did", access=everyone()),
    R("cocreation:settings", access=only(MANAGER)),
    R("cocreation:boards", access=everyone()),
    R("cocreation:board_new", access=only(MANAGER, COORD, PW, SENIOR), note="peer workers start a board they lead, or propose another kind"),
    R("cocreation:board_confirm", obj="cocreation.board", access=only(MANAGER, COORD), method="POST"),
    R("cocreation:board", obj="cocreation.board", access=everyone()),
    R("cocreation:seat_add", obj="cocreation.board", access={MANAGER: ORG, COORD: ORG, PW: OWN, SENIOR: OWN}, note="managers, coordinators and the peer worker who leads a peer-worker-led board"),
    R("cocreation:meeting_add", obj="cocreation.board", access={MANAGER: ORG, COORD: ORG, PW: OWN, SENIOR: OWN}, note="managers, coordinators and the colleague who leads the board"),
    R("cocreation:seat_edit", obj="cocreation.seat", access={MANAGER: ORG, COORD: ORG, PW: OWN, SENIOR: OWN}, note="managers, coordinators and the peer worker who leads a peer-worker-led board"),
    R("cocreation:seat_remove", obj="cocreation.seat", access={MANAGER: ORG, COORD: ORG, PW: OWN, SENIOR: OWN}, note="managers, coordinators and the peer worker who leads a peer-worker-led board", method="POST"),
    R("cocreation:decision_add", obj="cocreation.meeting", access={MANAGER: ORG, COORD: ORG, PW: OWN, SENIOR: OWN}, note="managers, coordinators and the colleague who leads the board"),
    R("cocreation:signals", access=SIGNALS),
    R("cocreation:signal_new", access=only(PW, SENIOR)),
    R("cocreation:signal", obj="cocreation.signal", access=SIGNALS),
    R("cocreation:signal_acknowledge", obj="cocreation.signal", access={MANAGER: OWN}, method="POST"),
    R("cocreation:signal_decide", obj="cocreation.signal", access={MANAGER: OWN}, method="POST"),
    R("cocreation:signal_close", obj="cocreation.signal", access={MANAGER: OWN}, method="POST"),
    R("api:list_initiatives", access=everyone()),
    R("api:create_initiative", access=only(MANAGER, COORD, PW, SENIOR)),
    R("api:get_initiative", obj="cocreation.initiative", access=everyone()),
    R("api:update_phase", obj="cocreation.phase", access={MANAGER: ORG, COORD: ORG, PW: OWN, SENIOR: OWN}, note="managers, coordinators and the initiative's owners"),
    R("api:add_participant", obj="cocreation.phase", access={MANAGER: ORG, COORD: ORG, PW: OWN, SENIOR: OWN}, note="managers, coordinators and the initiative's owners"),
    R("api:add_co_owner", obj="cocreation.initiative", access={MANAGER: ORG, COORD: ORG, PW: OWN, SENIOR: OWN}, note="managers, coordinators and the initiative's owners"),
    R("api:list_contributions", access=everyone()),
    R("api:add_contribution", obj="cocreation.initiative", access=only(MANAGER, COORD, PW, SENIOR)),
    R("api:decide_contribution", obj="cocreation.contribution", access={MANAGER: ORG, COORD: OWN, PW: OWN, SENIOR: OWN}, note="managers, and the initiative's owners (alone or as a board's joint decision)"),
    R("api:list_boards", access=everyone()),
    R("api:get_board", obj="cocreation.board", access=everyone()),
    R("api:create_board", access=only(MANAGER, COORD, PW, SENIOR), note="peer workers start a board they lead, or propose another kind"),
    R("api:confirm_board", obj="cocreation.board", access=only(MANAGER, COORD)),
    R("api:add_seat", obj="cocreation.board", access={MANAGER: ORG, COORD: ORG, PW: OWN, SENIOR: OWN}, note="managers, coordinators and the peer worker who leads a peer-worker-led board"),
    R("api:add_meeting", obj="cocreation.board", access={MANAGER: ORG, COORD: ORG, PW: OWN, SENIOR: OWN}, note="managers, coordinators and the colleague who leads the board"),
    R("api:add_board_decision", obj="cocreation.meeting", access={MANAGER: ORG, COORD: ORG, PW: OWN, SENIOR: OWN}, note="managers, coordinators and the colleague who leads the board"),
    R("api:committee_counts", access=only(MANAGER, COORD)),
    R("api:list_signals", access=everyone(OWN), note="each person's own signals; a manager's, those sent to them"),
    R("api:raise_signal", access=only(PW, SENIOR)),
    R("api:get_signal", obj="cocreation.signal", access=SIGNALS),
    R("api:acknowledge_signal", obj="cocreation.signal", access={MANAGER: OWN}),
    R("api:decide_signal", obj="cocreation.signal", access={MANAGER: OWN}),
    R("api:close_signal", obj="cocreation.signal", access={MANAGER: OWN}),

    # --- evaluation ------------------------------------------------------------------------------------
    R("coassessment:list", access=only(MANAGER, COORD, PW, SENIOR, PROF, DPO), note="managers, coordinators and the DPO see every co-assessment's plan; others those whose team they are in"),
    R("coassessment:new", access=only(MANAGER, COORD, PW, SENIOR, PROF)),
    R("coassessment:detail", obj="coassessment.coassessment", access={MANAGER: ORG, COORD: ORG, DPO: ORG, PW: OWN, SENIOR: OWN, PROF: OWN}, note="the material is listed for team members only"),
    R("coassessment:advance", obj="coassessment.coassessment", access={MANAGER: ORG, COORD: ORG, PW: OWN, SENIOR: OWN, PROF: OWN}, method="POST", note="managers, coordinators and the team's lead and moderators"),
    R("coassessment:team", obj="coassessment.coassessment", access={MANAGER: ORG, COORD: ORG, PW: OWN, SENIOR: OWN, PROF: OWN}, note="changed by managers, coordinators and the team's lead and moderators"),
    R("coassessment:reflexivity", obj="coassessment.coassessment", access={MANAGER: OWN, COORD: OWN, PW: OWN, SENIOR: OWN, PROF: OWN}, note="team members only"),
    R("coassessment:guides", obj="coassessment.coassessment", access={MANAGER: ORG, COORD: ORG, PW: OWN, SENIOR: OWN, PROF: OWN}, note="changed by managers, coordinators and the team's lead and moderators"),
    R("coassessment:guide", obj="coassessment.guide", access={MANAGER: ORG, COORD: ORG, PW: OWN, SENIOR: OWN, PROF: OWN}, note="changed by managers, coordinators and the team's lead and moderators"),
    R("coassessment:participants", obj="coassessment.coassessment", access={MANAGER: ORG, COORD: ORG, PW: OWN, SENIOR: OWN, PROF: OWN}, note="pseudonyms and consent state only, never the name key"),
    R("coassessment:ethics", obj="coassessment.coassessment", access={MANAGER: ORG, COORD: ORG, DPO: ORG, PW: OWN, SENIOR: OWN, PROF: OWN}, note="the data protection officer approves"),
    R("coassessment:name_key", obj="coassessment.coassessment", access=only(DPO), note="who each pseudonym is; each reading audited per person"),
    R("coassessment:material_new", obj="coassessment.coassessment", access={MANAGER: OWN, COORD: OWN, PW: OWN, SENIOR: OWN, PROF: OWN}, note="team members, after the ethics checkpoint is approved"),
    R("coassessment:coding", obj="coassessment.material", access={MANAGER: OWN, COORD: OWN, PW: OWN, SENIOR: OWN, PROF: OWN}, note="team members only"),
    R("coassessment:uncode", obj="coassessment.coding", access={MANAGER: OWN, COORD: OWN, PW: OWN, SENIOR: OWN, PROF: OWN}, method="POST", note="the coder's own codings"),
    R("coassessment:segment_remove", obj="coassessment.segment", access={MANAGER: OWN, COORD: OWN, PW: OWN, SENIOR: OWN, PROF: OWN}, method="POST", note="team members, while collecting or analysing: a segment marked by mistake, with its codings; in the decision trail"),
    R("coassessment:codebook", obj="coassessment.coassessment", access={MANAGER: OWN, COORD: OWN, PW: OWN, SENIOR: OWN, PROF: OWN}, note="team members only"),
    R("coassessment:code_rename", obj="coassessment.code", access={MANAGER: OWN, COORD: OWN, PW: OWN, SENIOR: OWN, PROF: OWN}, method="POST", note="team members; in the decision trail"),
    R("coassessment:code_remove", obj="coassessment.code", access={MANAGER: OWN, COORD: OWN, PW: OWN, SENIOR: OWN, PROF: OWN}, method="POST", note="team members; a code in use only when they confirm its codings go too; in the decision trail"),
    R("coassessment:plan", obj="coassessment.coassessment", access={MANAGER: ORG, COORD: ORG, PW: OWN, SENIOR: OWN, PROF: OWN}, note="managers, coordinators and the team's lead and moderators; a new question, method or later deletion date after approval goes back to the data protection officer"),
    R("coassessment:withdraw", obj="coassessment.participant", access={MANAGER: ORG, COORD: ORG, DPO: ORG, PW: OWN, SENIOR: OWN, PROF: OWN}, note="managers, coordinators, the DPO and the team's lead and moderators"),
    R("coassessment:export_reminder_done", obj="coassessment.exportreminder", access={MANAGER: OWN, COORD: OWN, PW: OWN, SENIOR: OWN, PROF: OWN}, method="POST", note="team members: the copies exported before a participant withdrew are deleted; audited"),
    R("coassessment:exchange", obj="coassessment.coassessment", access={MANAGER: OWN, COORD: OWN, PW: OWN, SENIOR: OWN, PROF: OWN}, note="team members; the blind setting by the team's lead and moderators, managers and coordinators in the team"),
    R("coassessment:export_project", obj="coassessment.coassessment", access={MANAGER: OWN, COORD: OWN, PW: OWN, SENIOR: OWN, PROF: OWN}, note="team members; coders named by role, consenting participants' words only; audited as an export"),
    R("coassessment:export_codebook", obj="coassessment.coassessment", access={MANAGER: OWN, COORD: OWN, PW: OWN, SENIOR: OWN, PROF: OWN}, note="team members; audited as an export"),
    R("coassessment:compare", obj="coassessment.coassessment", access={MANAGER: OWN, COORD: OWN, PW: OWN, SENIOR: OWN, PROF: OWN}, note="team members; in a blind round only after the coder chooses to compare"),
    R("coassessment:compare_now", obj="coassessment.coassessment", access={MANAGER: OWN, COORD: OWN, PW: OWN, SENIOR: OWN, PROF: OWN}, method="POST", note="the coder's own choice to see the others' codes"),
    R("coassessment:disagreements", obj="coassessment.coassessment", access={MANAGER: OWN, COORD: OWN, PW: OWN, SENIOR: OWN, PROF: OWN}, note="team members; in a blind round only after the coder chooses to compare"),
    R("coassessment:analysis_step", obj="coassessment.coassessment", access={MANAGER: OWN, COORD: OWN, PW: OWN, SENIOR: OWN, PROF: OWN}, note="team members only; one page per step of the method", check="two parameters, the co-assessment and the step; tests/coassessment/test_analysis_pages.py checks who may open it"),
    R("coassessment:analysis_undo", obj="coassessment.coassessment", access={MANAGER: OWN, COORD: OWN, PW: OWN, SENIOR: OWN, PROF: OWN}, method="POST", note="team members: the last change of a kind"),
    R("coassessment:analysis_trail", obj="coassessment.coassessment", access={MANAGER: OWN, COORD: OWN, PW: OWN, SENIOR: OWN, PROF: OWN}, note="team members only"),
    R("coassessment:analysis_findings", obj="coassessment.coassessment", access={MANAGER: OWN, COORD: OWN, PW: OWN, SENIOR: OWN, PROF: OWN}, note="team members: member check, findings into the service (each form only to those who may send it), reflexivity notes again"),
    R("coassessment:report", obj="coassessment.coassessment", access={MANAGER: ORG, COORD: ORG, DPO: ORG, PW: OWN, SENIOR: OWN, PROF: OWN}, note="the team at any time (a draft until finished); managers, coordinators and the DPO once it is finished; the checklist answered by the team; audited"),
    R("coassessment:report_pdf", obj="coassessment.coassessment", access={MANAGER: ORG, COORD: ORG, DPO: ORG, PW: OWN, SENIOR: OWN, PROF: OWN}, note="as the report page; a tagged PDF, audited as an export"),
    R("api:coassessment_list", access=only(MANAGER, COORD, PW, SENIOR, PROF, DPO), note="managers, coordinators and the DPO see every co-assessment's plan; others those whose team they are in"),
    R("api:coassessment_get", obj="coassessment.coassessment", access={MANAGER: ORG, COORD: ORG, DPO: ORG, PW: OWN, SENIOR: OWN, PROF: OWN}, note="the plan, the team and the groups' sizes; audited"),
    R("api:coassessment_codebook", obj="coassessment.coassessment", access={MANAGER: ORG, COORD: ORG, DPO: ORG, PW: OWN, SENIOR: OWN, PROF: OWN}),
    R("api:coassessment_report", obj="coassessment.coassessment", access={MANAGER: ORG, COORD: ORG, DPO: ORG, PW: OWN, SENIOR: OWN, PROF: OWN}, note="as the report page: drafts for the team only; audited"),
    R("api:coassessment_create", access=only(MANAGER, COORD, PW, SENIOR, PROF)),
    R("api:coassessment_export_reminder_done", obj="coassessment.exportreminder", access={MANAGER: OWN, COORD: OWN, PW: OWN, SENIOR: OWN, PROF: OWN}, method="POST", note="team members: the copies exported before a participant withdrew are deleted; audited"),
    R("api:coassessment_add_team_member", obj="coassessment.coassessment", access={MANAGER: ORG, COORD: ORG, PW: OWN, SENIOR: OWN, PROF: OWN}, note="managers, coordinators and the team's lead and moderators"),
    R("api:coassessment_add_code", obj="coassessment.coassessment", access={MANAGER: OWN, COORD: OWN, PW: OWN, SENIOR: OWN, PROF: OWN}, note="team members"),
    R("api:coassessment_code_segment", obj="coassessment.segment", access={MANAGER: OWN, COORD: OWN, PW: OWN, SENIOR: OWN, PROF: OWN}, note="team members, while analysing"),
    R("api:coassessment_undo_coding", obj="coassessment.coding", access={MANAGER: OWN, COORD: OWN, PW: OWN, SENIOR: OWN, PROF: OWN}, note="the coder's own codings"),
    R("api:coassessment_analysis", obj="coassessment.coassessment", access={MANAGER: OWN, COORD: OWN, PW: OWN, SENIOR: OWN, PROF: OWN}, note="as the analysis step pages: each step with the team's memos, themes, condensates, syntheses and quotes the rules allow; audited"),
    R("api:coassessment_analysis_trail", obj="coassessment.coassessment", access={MANAGER: OWN, COORD: OWN, PW: OWN, SENIOR: OWN, PROF: OWN}, note="as the decision trail page"),
    R("api:coassessment_analysis_findings", obj="coassessment.coassessment", access={MANAGER: OWN, COORD: OWN, PW: OWN, SENIOR: OWN, PROF: OWN}, note="as the findings page: findings, member-check comments of those still taking part, reflexivity notes; audited"),
    R("api:coassessment_analysis_add_theme", obj="coassessment.coassessment", access={MANAGER: OWN, COORD: OWN, PW: OWN, SENIOR: OWN, PROF: OWN}, note="team members, while analysing or checking"),
    R("api:coassessment_analysis_memo", obj="coassessment.material", access={MANAGER: OWN, COORD: OWN, PW: OWN, SENIOR: OWN, PROF: OWN}, note="team members: their own memo"),
    R("api:coassessment_analysis_group_codes", obj="coassessment.theme", access={MANAGER: OWN, COORD: OWN, PW: OWN, SENIOR: OWN, PROF: OWN}, note="team members"),
    R("api:coassessment_analysis_sort_units", obj="coassessment.theme", access={MANAGER: OWN, COORD: OWN, PW: OWN, SENIOR: OWN, PROF: OWN}, note="team members"),
    R("api:coassessment_analysis_condensate", obj="coassessment.theme", access={MANAGER: OWN, COORD: OWN, PW: OWN, SENIOR: OWN, PROF: OWN}, note="team members"),
    R("api:coassessment_analysis_synthesis", obj="coassessment.theme", access={MANAGER: OWN, COORD: OWN, PW: OWN, SENIOR: OWN, PROF: OWN}, note="team members"),
    R("api:coassessment_analysis_review", obj="coassessment.theme", access={MANAGER: OWN, COORD: OWN, PW: OWN, SENIOR: OWN, PROF: OWN}, note="team members"),
    R("api:coassessment_analysis_define", obj="coassessment.theme", access={MANAGER: OWN, COORD: OWN, PW: OWN, SENIOR: OWN, PROF: OWN}, note="team members"),
    R("api:coassessment_analysis_quote", obj="coassessment.theme", access={MANAGER: OWN, COORD: OWN, PW: OWN, SENIOR: OWN, PROF: OWN}, note="team members, after the de-identification check"),
    R("api:coassessment_analysis_move", obj="coassessment.coassessment", access={MANAGER: OWN, COORD: OWN, PW: OWN, SENIOR: OWN, PROF: OWN}, note="team members"),
    R("api:coassessment_analysis_undo", obj="coassessment.coassessment", access={MANAGER: OWN, COORD: OWN, PW: OWN, SENIOR: OWN, PROF: OWN}, note="team members: the last change of a kind"),
    R("api:coassessment_finding_member_check", obj="coassessment.theme", access={MANAGER: OWN, COORD: OWN, PW: OWN, SENIOR: OWN, PROF: OWN}, note="team members: a draft to a group of participants for comment"),
    R("api:coassessment_finding_comment", obj="coassessment.theme", access={MANAGER: OWN, COORD: OWN, PW: OWN, SENIOR: OWN, PROF: OWN}, note="team members: a comment of a participant still taking part, under their pseudonym"),
    R("api:coassessment_finding_action", obj="coassessment.theme", access={MANAGER: OWN, COORD: OWN}, note="managers and coordinators in the team, who keep the readiness action plan: a finding into it"),
    R("api:coassessment_finding_contribution", obj="coassessment.theme", access={MANAGER: OWN, COORD: OWN, PW: OWN, SENIOR: OWN}, note="team members who may add contributions to an initiative: a finding into the linked initiative"),
    R("api:coassessment_finding_you_said", obj="coassessment.theme", access={MANAGER: OWN, COORD: OWN, PW: OWN, SENIOR: OWN, PROF: OWN}, note="team members: a \"you said, we did\" item for those who took part"),
    R("api:coassessment_export_project", obj="coassessment.coassessment", access={MANAGER: OWN, COORD: OWN, PW: OWN, SENIOR: OWN, PROF: OWN}, note="as the page: coders named by role, consenting participants' words only; audited as an export"),
    R("api:coassessment_export_codebook", obj="coassessment.coassessment", access={MANAGER: OWN, COORD: OWN, PW: OWN, SENIOR: OWN, PROF: OWN}, note="as the page; audited as an export"),
    R("api:coassessment_import_codebook", obj="coassessment.coassessment", access={MANAGER: OWN, COORD: OWN, PW: OWN, SENIOR: OWN, PROF: OWN}, note="team members, until the co-assessment is finished"),
    R("api:coassessment_import_project", obj="coassessment.coassessment", access={MANAGER: OWN, COORD: OWN, PW: OWN, SENIOR: OWN, PROF: OWN}, note="team members; codings only onto segments of participants whose consent holds"),
    R("api:coassessment_agreement", obj="coassessment.coassessment", access={MANAGER: OWN, COORD: OWN, PW: OWN, SENIOR: OWN, PROF: OWN}, note="as the compare page; in a blind round only after the coder chooses to compare"),
    R("api:coassessment_agreement_differences", obj="coassessment.coassessment", access={MANAGER: OWN, COORD: OWN, PW: OWN, SENIOR: OWN, PROF: OWN}, note="as the page of places where coders differ"),
    R("api:coassessment_compare_now", obj="coassessment.coassessment", access={MANAGER: OWN, COORD: OWN, PW: OWN, SENIOR: OWN, PROF: OWN}, note="the coder's own choice to see the others' codes"),
    R("api:coassessment_set_blind", obj="coassessment.coassessment", access={MANAGER: OWN, COORD: OWN, PW: OWN, SENIOR: OWN, PROF: OWN}, check="the lead or a manager on the team", note="as the exchange page's blind setting"),
    R("coassessment:you_said", access=only(MANAGER, COORD, PW, SENIOR, PROF, DPO), note="items of the co-assessments the person took part in as a participant"),
    R("coassessment:surveys", access=everyone(), note="surveys open for the person to answer; peer workers every peer-led survey; managers and coordinators those whose results the peer workers shared"),
    R("coassessment:survey_new", access=only(PW, SENIOR), note="peer workers own peer-led surveys; a manager cannot create one"),
    R("coassessment:survey", obj="coassessment.peersurvey", access=only(PW, SENIOR), note="the owners: questions while a draft, publishing, links, closing, sharing the results"),
    R("coassessment:survey_answer", obj="coassessment.peersurvey", access=everyone(), note="anyone in a group the survey is for (the demo survey asks peer workers and staff); answers saved apart from who answered"),
    R("coassessment:survey_results", obj="coassessment.peersurvey", access=only(PW, SENIOR, MANAGER, COORD), note="managers and coordinators once the peer workers share the results (the demo survey's are); fewer than three answers withheld"),
    R("coassessment:survey_export", obj="coassessment.peersurvey", access=only(PW, SENIOR, MANAGER, COORD), note="as the results; audited as an export"),
    R("coassessment:survey_link", public=True, check="needs a one-time link token"),
    R("api:coassessment_surveys", access=everyone(), note="as the surveys page"),
    R("api:coassessment_survey_results", obj="coassessment.peersurvey", access=only(PW, SENIOR, MANAGER, COORD), note="as the results page"),
    R("evaluation:index", access=everyone(), note="sends each role to its own page"),
    R("evaluation:dashboard", access=only(MANAGER, COORD, PW, SENIOR), note="peer workers: service and organisation levels only, no one's individual data, every number under the anonymity threshold withheld"),
    R("evaluation:export", access=only(MANAGER, COORD), note="aggregate figures only"),
    R("evaluation:pulse", access=only(MANAGER, COORD, PW, SENIOR, PROF)),

    # --- notifications and background jobs -------------------------------------------------------------
    R("notifications:index", access=everyone(OWN), note="each person's own notifications (a sentence and a link; no one's name)"),
    R("notifications:preferences", access=everyone(OWN), note="each person's own channels per kind"),
    R("notifications:jobs", access=only(ADMIN), note="the organisation's failed background jobs: which job, when, the kind of error (no data)"),
]
# fmt: on


def by_name() -> dict[str, Route]:
    return {r.name: r for r in ROUTES}


ROLE_LABELS = {r: Role(r).label for r in ROLES}


# --- the URL configuration and the table for docs/data-protection.md ---------------------------------------

CELL = {NONE: "—", OWN: "own", TEAM: "team", ORG: "all"}
ROLE_HEADINGS = {
    ADMIN: "Admin",
    MANAGER: "Manager",
    COORD: "Coordinator",
    PW: "Peer worker",
    SENIOR: "Senior peer worker",
    PROF: "Professional",
    DPO: "DPO",
}


def url_routes() -> Iterator[tuple[str, str, Callable[..., Any]]]:
    """(url name, route pattern, view) of every page and API route in the URL configuration, outside
    /static/, in the order Django resolves them."""

    def walk(
        patterns: Sequence[URLPattern | URLResolver], prefix: str, ns: str
    ) -> Iterator[tuple[str, str, Callable[..., Any]]]:
        for p in patterns:
            if isinstance(p, URLResolver):
                inner = f"{ns}:{p.namespace}" if ns and p.namespace else (p.namespace or ns)
                yield from walk(p.url_patterns, prefix + str(p.pattern), inner)
            elif isinstance(p, URLPattern):
                route = prefix + str(p.pattern)
                if not route.startswith("static/"):
                    yield (f"{ns}:{p.name}" if ns else str(p.name)), route, p.callback

    yield from walk(get_resolver().url_patterns, "", "")


def url_patterns() -> dict[str, str]:
    """url name → route pattern of every page and API route (first pattern per name)."""
    found: dict[str, str] = {}
    for name, route, _view in url_routes():
        found.setdefault(name, route)
    return found


def table() -> str:
    """The matrix as a Markdown table: one row per route, one column per role."""
    paths = url_patterns()
    head = ["Page or API call", "Method", "About", *(ROLE_HEADINGS[r] for r in ROLES)]
    lines = ["| " + " | ".join(head) + " |", "|" + "---|" * len(head)]
    for row in sorted(ROUTES, key=lambda r: (paths.get(r.name, r.name).startswith("api/"), paths.get(r.name, r.name))):
        path = "/" + paths.get(row.name, row.name).replace("|", "\\|")
        about = row.obj.split(".")[-1] if row.obj else ""
        if row.public:
            cells = ["anyone"] * len(ROLES)
        else:
            cells = [CELL[row.level(r)] for r in ROLES]
        lines.append("| " + " | ".join([f"`{path}`", row.method, about, *cells]) + " |")
    return "\n".join(lines)


DOC_COMMAND = "permissions doc"
DOC_SECTION = "permission-matrix"


def doc_body() -> str:
    return (
        "“own”: objects that are the role's own (about them, theirs, or a person they support); “team”: also "
        "their team's; “all”: anything in their organisation; “—”: refused. No role reaches another "
        "organisation's objects, and their ids answer exactly as ids that do not exist.\n\n"
        f"{table()}"
    )


def with_table(document: str) -> str:
    """``document`` with the block between the markers replaced by the current table."""
    return docs.with_section(document, DOC_SECTION, DOC_COMMAND, doc_body())

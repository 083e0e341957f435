# ruff: noqa: E501  (translatable sentences and demo text read better unbroken)
"""The readiness instrument: eleven precondition domains (Erasmus+ recommendations A1–A11) with items in Peerwork's own words.

Item texts live here as translatable strings keyed by stable codes ("A6.1"), so they sit in the
translation catalogue with the rest of the interface and answers stay comparable across rounds and
languages. An organisation can add its own items (``CustomItem``); their codes start with "C".

The answer scale has four steps and "don't know". Scores are shown from 0 (not in place) to 100 (fully in
place); "don't know" is counted separately and never as a low score.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from peerwork.core.sources import Cites

if TYPE_CHECKING:
    from django_stubs_ext import StrOrPromise

DONT_KNOW = 0
SCALE: list[tuple[int, Promise]] = [
    (1, _("Not in place")),
    (2, _("Partly in place")),
    (3, _("Largely in place")),
    (4, _("Fully in place")),
    (DONT_KNOW, _("Don't know")),
]
VALID_VALUES = frozenset(v for v, _label in SCALE)
SCALE_MAX = 4


def score_of(value: int) -> float:
    """0–100 for a scale value 1–4."""
    return (value - 1) * 100.0 / (SCALE_MAX - 1)


@dataclass(frozen=True)
class Item:
    code: str
    domain: str
    text: StrOrPromise
    why: StrOrPromise
    source: Cites  # citation keys (peerwork.core.sources)


@dataclass(frozen=True)
class Domain:
    code: str
    title: StrOrPromise
    summary: StrOrPromise
    source: Cites


DOMAINS: list[Domain] = [
    Domain(
        "A1",
        _("Vision"),
        _("A shared vision on recovery and on peer support, backed by management, the board and a budget."),
        ("s1-a1",),
    ),
    Domain(
        "A2",
        _("Culture change"),
        _("A group that steers the introduction, and activities that build support among staff."),
        ("s1-a2",),
    ),
    Domain(
        "A3",
        _("Terms of employment"),
        _("Peer workers are employed on a par with their colleagues."),
        ("s1-a3",),
    ),
    Domain(
        "A4",
        _("Job description"),
        _("A clear job description built on a competency profile, with tasks set apart from others' tasks."),
        ("s1-a4", "s0-preparation"),
    ),
    Domain(
        "A5",
        _("Education and training"),
        _("Training for peer workers and for all staff, and a shared learning climate."),
        ("s1-a5",),
    ),
    Domain(
        "A6",
        _("Team preparation"),
        _("The team knows why a peer worker is coming, what the role is, and has talked through its doubts."),
        ("s1-a6", "s0-preparation"),
    ),
    Domain("A7", _("Hiring policy"), _("Where and how peer workers are placed and hired."), ("s1-a7", "s1-b9")),
    Domain(
        "A8",
        _("Orientation"),
        _("A planned start: a contact person, a buddy, job coaching and clear expectations."),
        ("s1-a8", "s0-setting"),
    ),
    Domain(
        "A9",
        _("Support"),
        _("Intervision, supervision by a senior peer worker and contact with user organisations."),
        ("s1-a9", "s3-boundaries"),
    ),
    Domain(
        "A10",
        _("Absence policy"),
        _("Absence arrangements that take the person and their recovery as the starting point."),
        ("s1-a10",),
    ),
    Domain(
        "A11",
        _("The manager"),
        _("The manager leads by example, protects the peer role and handles friction."),
        ("s1-a11", "s4-commitment"),
    ),
]
DOMAIN_BY_CODE = {d.code: d for d in DOMAINS}

ITEMS: list[Item] = [
    Item(
        "A1.1",
        "A1",
        _("Our organisation has a written vision on recovery that staff know about."),
        _("Peer work rests on a recovery vision; without one the role has nothing to anchor it."),
        ("s1-a1",),
    ),
    Item(
        "A1.2",
        "A1",
        _("There is a written policy on why and how we employ peer workers."),
        _("A written policy turns good intentions into a plan others can follow and check."),
        ("s1-a1",),
    ),
    Item(
        "A1.3",
        "A1",
        _("Senior management and the board openly back the introduction of peer workers."),
        _("Backing from the top gives the role legitimacy when it meets resistance."),
        ("s1-a1",),
    ),
    Item(
        "A1.4",
        "A1",
        _("There is a budget for peer-worker positions beyond a trial period."),
        _("Positions that may vanish after a pilot leave peer workers and teams insecure."),
        ("s1-a1",),
    ),
    Item(
        "A2.1",
        "A2",
        _("A named project group steers the introduction of peer work and its pace."),
        _("Teams left to experiment on their own often fail, at the peer workers' expense."),
        ("s1-a2", "s1-b10"),
    ),
    Item(
        "A2.2",
        "A2",
        _("Staff have had chances, such as meetings or theme days, to learn what peer workers add."),
        _("Support grows when colleagues understand the added value before the start."),
        ("s1-a2", "s0-preparation"),
    ),
    Item(
        "A3.1",
        "A3",
        _("Peer workers are employed on the same terms as colleagues, including the chance of a permanent contract."),
        _("Unequal terms tell the team that the peer role counts for less."),
        ("s1-a3",),
    ),
    Item(
        "A3.2",
        "A3",
        _("Peer workers' pay reflects their tasks and is set the same way as colleagues' pay."),
        _("Fair pay is part of being treated as a colleague, not a volunteer."),
        ("s1-a3",),
    ),
    Item(
        "A4.1",
        "A4",
        _("A written job description for the peer role exists, based on a competency profile."),
        _("In the Danish teams, professionals with no clear picture of the role and its purpose felt unprepared."),
        ("s1-a4", "s0-preparation"),
    ),
    Item(
        "A4.2",
        "A4",
        _("The job description says which tasks are the peer worker's and which belong to others in the team."),
        _("Without a clear line, peer workers often end up taking over tasks other professionals used to do."),
        ("s1-a4", "s1-a6", "s2-duties"),
    ),
    Item(
        "A5.1",
        "A5",
        _(
            "Peer workers have been trained in using their lived experience at work, by trainers who have lived experience themselves."
        ),
        _("Lived experience becomes expertise through reflection and training."),
        ("s1-a5",),
    ),
    Item(
        "A5.2",
        "A5",
        _("All staff who work with service users have been trained in recovery-oriented work."),
        _("A team that shares the recovery language can take in what the peer worker brings."),
        ("s1-a5",),
    ),
    Item(
        "A5.3",
        "A5",
        _("The induction for new staff explains recovery and working alongside peer workers."),
        _("New colleagues should meet peer work as normal from their first day."),
        ("s1-a5",),
    ),
    Item(
        "A5.4",
        "A5",
        _("Service users, relatives, peer workers and staff learn from each other in shared meetings or courses."),
        _("A shared learning climate keeps the recovery vision alive after the start."),
        ("s1-a5",),
    ),
    Item(
        "A6.1",
        "A6",
        _("Before the peer worker starts, the team has had a meeting about the purpose of the role."),
        _("Teams that were not prepared built up avoidable resistance and felt overruled."),
        ("s1-a6", "s0-preparation"),
    ),
    Item(
        "A6.2",
        "A6",
        _("The team knows how the peer worker's tasks differ from their own and what to expect from each other."),
        _("Knowing who does what prevents friction and disappointment on both sides."),
        ("s1-a6", "s0-preparation"),
    ),
    Item(
        "A6.3",
        "A6",
        _("Team members have been able to voice doubts and prejudices about peer work and talk them through."),
        _("Unspoken doubts and stigma make the workplace unsafe for the peer worker."),
        ("s1-a6",),
    ),
    Item(
        "A6.4",
        "A6",
        _("The team's manager has been trained to lead a team that includes peer workers."),
        _("The manager sets the tone for how the team receives the new role."),
        ("s1-a6", "s1-a11"),
    ),
    Item(
        "A7.1",
        "A7",
        _("Peer workers are not placed in a unit where they were treated themselves."),
        _("Keeping work and care apart protects the peer worker and avoids mixing the roles of client and colleague."),
        ("s1-a7",),
    ),
    Item(
        "A7.2",
        "A7",
        _("An inexperienced peer worker is never placed alone in a team; we aim for at least two."),
        _("A lone peer worker risks loneliness and adapting too much to the team."),
        ("s1-a7", "s1-b9"),
    ),
    Item(
        "A7.3",
        "A7",
        _("The role form is chosen to fit how experienced the team is with recovery-oriented work."),
        _("A team new to recovery work may do better with a clearly separate peer role."),
        ("s1-a7",),
    ),
    Item(
        "A7.4",
        "A7",
        _("Job advertisements for all care positions name lived experience as an advantage."),
        _("Valuing lived experience everywhere makes it less of an exception."),
        ("s1-a7",),
    ),
    Item(
        "A7.5",
        "A7",
        _("Hiring committees include a person with lived experience and ask candidates about recovery."),
        _("This brings the recovery vision into every hiring decision."),
        ("s1-a7",),
    ),
    Item(
        "A8.1",
        "A8",
        _("Each new peer worker gets an orientation programme fitted to them."),
        _("Many peer workers return to work after a long break; a good start matters."),
        ("s1-a8",),
    ),
    Item(
        "A8.2",
        "A8",
        _("A named contact person receives the new peer worker on the first day."),
        _("Someone who expects you makes the first day safe and welcoming."),
        ("s1-a8",),
    ),
    Item(
        "A8.3",
        "A8",
        _("Each new peer worker has a buddy or mentor who is easy to reach."),
        _(
            "A buddy, such as a senior colleague or a senior peer worker, eases the way into the team and gives feedback."
        ),
        ("s1-a8", "s0-setting"),
    ),
    Item(
        "A8.4",
        "A8",
        _("Job coaching is offered, for example on building up hours and on benefits."),
        _("Practical worries about hours and income can undo a good start."),
        ("s1-a8",),
    ),
    Item(
        "A9.1",
        "A9",
        _("Peer workers meet other peer workers regularly for intervision."),
        _("Sharing with peers helps to hold one's own against the current."),
        ("s1-a9",),
    ),
    Item(
        "A9.2",
        "A9",
        _("A senior peer worker supervises peer workers at regular intervals."),
        _("Regular supervision supports both the work and the peer worker's own recovery."),
        ("s1-a9", "s3-boundaries"),
    ),
    Item(
        "A9.3",
        "A9",
        _("Peer workers have time to keep in touch with user organisations and self-help groups."),
        _("Contact with the roots keeps experiential knowledge fresh."),
        ("s1-a9",),
    ),
    Item(
        "A9.4",
        "A9",
        _("Colleagues get coaching in working together with peer workers."),
        _("Coaching prevents an 'us and them' split in the team."),
        ("s1-a9",),
    ),
    Item(
        "A10.1",
        "A10",
        _("Absence arrangements are agreed with each peer worker early on, suited to their needs."),
        _("Agreeing early avoids conflict at a vulnerable moment."),
        ("s1-a10",),
    ),
    Item(
        "A10.2",
        "A10",
        _("When a peer worker is absent, the manager looks for solutions that support their recovery."),
        _("Rigid absence rules can work against the recovery the role is built on."),
        ("s1-a10",),
    ),
    Item(
        "A11.1",
        "A11",
        _("The manager acts as a role model for recovery-oriented work in the team."),
        _("Teams follow what their manager does more than what the policy says."),
        ("s1-a11",),
    ),
    Item(
        "A11.2",
        "A11",
        _("The manager protects peer-worker tasks when the team is under pressure."),
        _("Under pressure, peer tasks are the first to be pushed aside."),
        ("s1-a11", "s1-b1"),
    ),
    Item(
        "A11.3",
        "A11",
        _("The manager makes sure agreements on the preconditions are kept, such as time for intervision."),
        _("Preconditions agreed on paper only help when someone guards them."),
        ("s1-a11",),
    ),
    Item(
        "A11.4",
        "A11",
        _("The manager helps the team learn from the friction that critical feedback from peer workers brings."),
        _("Friction is a sign the peer role is working; without it nothing changes."),
        ("s1-a11", "s1-b8"),
    ),
]
ITEM_BY_CODE = {i.code: i for i in ITEMS}


def items_of(domain_code: str) -> list[Item]:
    return [i for i in ITEMS if i.domain == domain_code]


def next_domain(code: str) -> str | None:
    codes = [d.code for d in DOMAINS]
    i = codes.index(code)
    return codes[i + 1] if i + 1 < len(codes) else None


def previous_domain(code: str) -> str | None:
    codes = [d.code for d in DOMAINS]
    i = codes.index(code)
    return codes[i - 1] if i > 0 else None

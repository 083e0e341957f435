# ruff: noqa: E501  (translatable sentences read better unbroken)
"""Where Peerwork's rules come from: the five sources, and one citation per section Peerwork relies on.

Every catalogue entry in the product (readiness domains, items and checks, the points of attention B1–B13,
co-creation warnings, evaluation figures and pulse items, settings and thresholds) names the citations it
rests on by key (``"s1-a7"``). A key either points into a source (``source="S1"``, the section, and what the
section says, paraphrased in Peerwork's own words) or marks a **Peerwork default**: a number or design choice
the sources do not give, with the reason Peerwork chose it.

Apps register their catalogue through the ``source_catalogue`` hook (``core.hooks.SOURCE_CATALOGUE``); the
Sources page (``core:sources``) and ``docs/sources.md`` (``peerwork sources doc``) are built from this module
and that hook, and ``tests/core/test_sources.py`` fails when an entry has no citation or names an unknown one.

In the interface a citation is a link with readable text ("Erasmus+ recommendations, A7") to its entry on the
Sources page (``{% cite keys %}`` from ``core/templatetags/sources.py``), never a bare code such as "S1 A7".
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

from django.utils.functional import Promise, lazy
from django.utils.safestring import SafeString
from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy as _

if TYPE_CHECKING:
    from django_stubs_ext import StrOrPromise

#: The citation keys a catalogue entry rests on, e.g. ``("s1-a7", "s1-b9")``.
Cites = tuple[str, ...]

DEFAULT = "default"


@dataclass(frozen=True)
class Source:
    key: str  # "S0" … "S4": the seed's id in Peerwork's own records
    short: StrOrPromise  # what a reader sees in a link: "Erasmus+ recommendations"
    authors: str
    year: str
    title: str
    published_in: str
    doi: str = ""
    isbn: str = ""
    note: StrOrPromise = ""

    @property
    def anchor(self) -> str:
        return f"source-{self.key.lower()}"

    @property
    def url(self) -> str:
        return f"https://doi.org/{self.doi}" if self.doi else ""

    @property
    def url_display(self) -> SafeString:
        """The DOI link's text, with break opportunities after each slash and dot so it wraps on a phone."""
        from django.utils.html import escape

        parts = [escape(p) for p in re.split(r"(?<=[/.])", self.url)]
        return SafeString("<wbr>".join(parts))

    @property
    def reference_text(self) -> str:
        """Authors, year, title and where it was published (the DOI and ISBN are shown apart)."""
        return f"{self.authors} ({self.year}). {self.title}. {self.published_in}."

    def reference(self) -> str:
        """The full reference, in the usual author–year form."""
        parts = [self.reference_text]
        if self.doi:
            parts.append(f"https://doi.org/{self.doi}")
        if self.isbn:
            parts.append(f"ISBN {self.isbn}.")
        return " ".join(parts)


@dataclass(frozen=True)
class Citation:
    key: str  # the anchor on the Sources page
    source: str  # a Source key, or DEFAULT
    section: StrOrPromise  # where in the source ("A7", "Results, theme 3"); for a default, what it sets
    says: StrOrPromise  # the source's point in Peerwork's own words; for a default, why Peerwork chose it

    @property
    def is_default(self) -> bool:
        return self.source == DEFAULT

    @property
    def label(self) -> StrOrPromise:
        """Readable link text: "Erasmus+ recommendations, A7" or "Peerwork default: …"."""
        if self.is_default:
            return format_lazy("{}: {}", _("Peerwork default"), self.section)
        return format_lazy("{}, {}", SOURCES[self.source].short, self.section)


SOURCES: dict[str, Source] = {
    s.key: s
    for s in [
        Source(
            "S0",
            _("Danish FACT team study"),
            "Lerbæk, B., Johansen, K., Burholt, A. K., Gregersen, L. M., Terp, M. Ø., Slade, M., Castelein, S., & Jørgensen, R.",
            "2024",
            "Non-peer professionals' understanding of recovery and attitudes towards peer support workers joining existing community mental health teams in the North Denmark Region: A qualitative study",
            "International Journal of Mental Health Nursing",
            doi="10.1111/inm.13349",
            note=_(
                "Three focus groups with 17 non-peer professionals in FACT teams in the North Denmark Region, about a year after eight peer support workers joined eight teams. It studied professionals only."
            ),
        ),
        Source(
            "S1",
            _("Erasmus+ recommendations"),
            "Erasmus+ project “European Standards for Peer Support Workers in Mental Health” (coordinator Grone-Bildungszentrum für Gesundheits- und Sozialberufe gGmbH; product responsibility Sørlandet Hospital HF; chapter 3.1 by O. van der Heiden)",
            "n.d.",
            "Recommendations for the placement and involvement of peer support workers in companies or teams",
            "Erasmus+ Programme of the European Union; licence CC BY-NC-SA",
            note=_(
                "Chapter 3.1 lists preconditions (A1–A11) and points of attention (B1–B13) for bringing peer support workers into organisations. The document gives no year, DOI or ISBN."
            ),
        ),
        Source(
            "S2",
            _("Åkerblom's thesis"),
            "Åkerblom, K. B.",
            "2024",
            "Creating Impactful Peer Worker Co-production Roles: A Qualitative Study of Peer Workers in Norwegian Mental Health and Substance Use Services",
            "PhD thesis, Western Norway University of Applied Sciences",
            isbn="978-82-8461-119-8 (digital); 978-82-8461-118-1 (printed)",
            note=_(
                "Three articles: a scoping review of 172 studies (Article 1), a focus-group study of managers (Article 2, listed here separately as the Norwegian managers study) and focus groups with managers, professionals and peer workers (Article 3, in review)."
            ),
        ),
        Source(
            "S3",
            _("Norwegian peer recovery study"),
            "Serly, R., Sivertsen, K., & Mydland, T. S.",
            "2021",
            "An exploration of recovery competence among Norwegian peer workers in substance abuse services",
            "Social Work in Mental Health",
            doi="10.1080/15332985.2021.1968988",
            note=_(
                "Interviews with peer recovery workers in a municipal peer recovery service run by a user organisation, analysed with thematic analysis."
            ),
        ),
        Source(
            "S4",
            _("Norwegian managers study"),
            "Åkerblom, K. B., Mohn-Haugen, T., Agdal, R., & Ness, O.",
            "2023",
            "Managers as peer workers' allies: A qualitative study of managers' perceptions and actions to involve peer workers in Norwegian mental health and substance use services",
            "International Journal of Mental Health Systems, 17(1), 17",
            doi="10.1186/s13033-023-00588-5",
            note=_(
                "Four online focus groups with 17 managers. It is Article 2 of Åkerblom's thesis: the two are one study, so Peerwork cites one or the other, never both for the same point."
            ),
        ),
    ]
}


def _c(key: str, source: str, section: StrOrPromise, says: StrOrPromise) -> Citation:
    return Citation(key, source, section, says)


CITATIONS_LIST: list[Citation] = [
    # --- S0: Danish FACT team study ---------------------------------------------------------------------
    _c(
        "s0-setting",
        "S0",
        _("Methods"),
        _(
            "Eight peer support workers were employed, 20 hours a week each, in eight new FACT teams. Every new staff member got a mentor; the seven mentors in the study were non-peer professionals chosen by their team manager."
        ),
    ),
    _c(
        "s0-recovery",
        "S0",
        _("Results, theme 1"),
        _(
            "Professionals saw recovery as a personal process of getting better, in which they tried to balance the person's own wishes with the clinical view."
        ),
    ),
    _c(
        "s0-preparation",
        "S0",
        _("Results, theme 3"),
        _(
            "Before the start, professionals lacked information about what the peer role was and why peer workers were employed, and felt unprepared. They said more information, a clearer function description and better preparation would have eased their worries; the authors judged that avoidable resistance grew from the weak preparation."
        ),
    ),
    _c(
        "s0-top-down",
        "S0",
        _("Results, theme 3"),
        _(
            "Some professionals linked colleagues' resistance to tiredness after a long line of changes decided from the top, with staff given no say; the decision to employ peer workers was felt to be one more of these."
        ),
    ),
    _c(
        "s0-focus-groups",
        "S0",
        _("Methods, data collection"),
        _(
            "At the start of each focus group, participants first wrote down their own immediate understanding of recovery; a moderator led the groups with two observers who had lived experience."
        ),
    ),
    _c(
        "s0-methods",
        "S0",
        _("Methods, data analysis"),
        _("The focus groups were analysed with thematic analysis in six phases."),
    ),
    # --- S1: Erasmus+ recommendations ---------------------------------------------------------------------
    _c(
        "s1-roles",
        "S1",
        _("§3.1, two roles"),
        _(
            "Two common ways to use lived experience at work: a peer support worker with a role of their own in a separate peer team, apart from clinical care, who gives recovery support and feeds back the clients' view; and a care provider in a care team who also draws on their own experience and can coach colleagues from both points of view."
        ),
    ),
    _c(
        "s1-tasks",
        "S1",
        _("§3.1, core tasks"),
        _(
            "Three core tasks: supporting individual recovery, helping organise recovery-oriented care, and working against stigma and for social participation. Peer workers can guide people who wait for treatment to self-help groups and courses."
        ),
    ),
    _c(
        "s1-a1",
        "S1",
        "A1",
        _(
            "A written vision on recovery and on peer support, known to all staff, backed by management and the board, with enough money to carry it out."
        ),
    ),
    _c(
        "s1-a2",
        "S1",
        "A2",
        _(
            "Culture change takes years: a project group or taskforce steers the introduction, and information and theme meetings build support among staff."
        ),
    ),
    _c(
        "s1-a3",
        "S1",
        "A3",
        _(
            "Peer workers are employed on terms equal to their colleagues', with the same right to a permanent contract."
        ),
    ),
    _c(
        "s1-a4",
        "S1",
        "A4",
        _(
            "A clear job description, preferably based on a professional competency profile; for a care provider with lived experience, the extra tasks can be an appendix."
        ),
    ),
    _c(
        "s1-a5",
        "S1",
        "A5",
        _(
            "Peer workers are trained in using lived experience, and all staff who work with clients are trained in recovery; in both cases the instructors themselves have lived experience. Induction for new staff mentions working with peer workers, and there is a shared learning climate."
        ),
    ),
    _c(
        "s1-a6",
        "S1",
        "A6",
        _(
            "Team preparation: an introductory meeting sets the peer worker's tasks apart from the others' and says what each can expect; the manager is trained; the team talks through its doubts and prejudices beforehand."
        ),
    ),
    _c(
        "s1-a7",
        "S1",
        "A7",
        _(
            "Hiring policy: a peer worker is not placed in the unit where they were treated; the role form suits the team's experience; an inexperienced peer worker should not work alone in a team, and pairs are preferred; lived experience counts as an advantage in all job ads; an expert by experience or client sits on every hiring committee, and interviews ask about recovery."
        ),
    ),
    _c(
        "s1-a8",
        "S1",
        "A8",
        _(
            "Orientation: a tailored programme, a named contact person for the first day, a buddy who is a (senior) care provider and/or senior peer worker, job coaching, and clear expectations."
        ),
    ),
    _c(
        "s1-a9",
        "S1",
        "A9",
        _(
            "Support: intervision with a senior expert by experience, regular supervision by a senior peer worker, a team coach, contact with self-help groups and user organisations, coaching for colleagues and an employee network."
        ),
    ),
    _c(
        "s1-a10",
        "S1",
        "A10",
        _("Absence arrangements start from the person and their recovery, and are agreed early in the employment."),
    ),
    _c(
        "s1-a11",
        "S1",
        "A11",
        _(
            "The manager is a role model, protects peer tasks when regular work presses, secures the agreed conditions and helps the team learn from friction."
        ),
    ),
    _c(
        "s1-b1",
        "S1",
        "B1",
        _(
            "Workload: peer tasks can be pushed aside when the team is busy, and once their value is seen peer workers may be drawn into too many working groups at the expense of time with clients."
        ),
    ),
    _c(
        "s1-b2",
        "S1",
        "B2",
        _(
            "Wearing two hats: a care provider with lived experience can feel torn between loyalty to clients and to the team; intervision or supervision is the place to raise it."
        ),
    ),
    _c(
        "s1-b3",
        "S1",
        "B3",
        _(
            "Client files: a care provider with lived experience uses the client file like colleagues; a peer support worker is not part of care provision and usually does not read it, so clients can speak openly."
        ),
    ),
    _c(
        "s1-b4",
        "S1",
        "B4",
        _(
            "Trust and privacy: a peer support worker shares what a client said with the team only with the client's consent; asking the client, or inviting them to the meeting, solves most of this."
        ),
    ),
    _c(
        "s1-b5",
        "S1",
        "B5",
        _(
            "Coercion: peer workers should help prevent coercion and be present afterwards, rather than carry out coercive measures."
        ),
    ),
    _c(
        "s1-b6",
        "S1",
        "B6",
        _(
            "Distance and proximity: peer workers come closer to clients than care providers usually do, and the right distance can feel unclear."
        ),
    ),
    _c(
        "s1-b7",
        "S1",
        "B7",
        _(
            "Living world and institutional world: peer workers can show where the institution fails to fit clients' lives, which causes tension if the team is not open to it."
        ),
    ),
    _c(
        "s1-b8",
        "S1",
        "B8",
        _("Encapsulation: when peer work is absorbed into existing routines there is no friction and so no change."),
    ),
    _c(
        "s1-b9",
        "S1",
        "B9",
        _(
            "Resistance and loneliness: a peer worker's feedback can meet resistance and leave them isolated, which is why two per team are preferred."
        ),
    ),
    _c(
        "s1-b10",
        "S1",
        "B10",
        _("Expertise: teams should not experiment alone but use the expertise of a project group."),
    ),
    _c(
        "s1-b11",
        "S1",
        "B11",
        _(
            "Insecurity: little work experience, a pioneering role and a psychiatric history can make peer workers insecure and too eager to prove themselves."
        ),
    ),
    _c(
        "s1-b12",
        "S1",
        "B12",
        _(
            "Personal skills: peer workers are often low in the team's pecking order, and much depends on their skills in taking their place."
        ),
    ),
    _c(
        "s1-b13",
        "S1",
        "B13",
        _(
            "Open attitude: staff may hold fixed ideas of a good expert by experience; an open, reflective conversation is needed."
        ),
    ),
    _c(
        "s1-c",
        "S1",
        _("Final recommendations"),
        _(
            "Start small with a few experts by experience and grow from there, with support from the bottom and from the top."
        ),
    ),
    # --- S2: Åkerblom's thesis ----------------------------------------------------------------------------
    _c(
        "s2-terms",
        "S2",
        _("§2.2"),
        _(
            "In Norwegian the employed peer worker is called erfaringskonsulent; the national initiative to hire peer workers is government supported."
        ),
    ),
    _c(
        "s2-cocreation",
        "S2",
        _("§3.3"),
        _(
            "Co-production is working together when a service is delivered; co-creation brings people in from the early phases (defining the problem, commissioning, design) through delivery and assessment, where the potential for innovation is greater."
        ),
    ),
    _c(
        "s2-model3",
        "S2",
        _("§5.1.1, Model 3"),
        _(
            "Article 1 sorted peer worker roles into providers of pre-determined services (21 of 172 studies), providers of peer support (145) and partners in co-creation (6); the possible impact rises from individual to service to organisation level."
        ),
    ),
    _c(
        "s2-delivery-only",
        "S2",
        _("Article 1, results"),
        _(
            "167 of the 172 studies (reported as 96.6%) described peer workers only in co-production at the point of delivery; six took part in co-creation."
        ),
    ),
    _c(
        "s2-duties",
        "S2",
        _("§5.1.3, Article 3"),
        _(
            "Peer workers often took on duties that healthcare professionals used to do, because they knew service users' needs well."
        ),
    ),
    _c(
        "s2-extra-mile",
        "S2",
        _("Article 3, results"),
        _(
            "Peer workers said they went further than professionals: more available, outside ordinary hours, using their own network and, for some, their earlier acquaintance with service users, which they saw as part of why they could help."
        ),
    ),
    _c(
        "s2-direct",
        "S2",
        _("Article 3, results"),
        _(
            "Peer workers took problems they met on the frontline straight to management, and helped set up local service user boards."
        ),
    ),
    _c(
        "s2-language",
        "S2",
        _("Article 3, results"),
        _(
            "Peer workers corrected professionals' language; professional jargon was seen as a barrier between staff and service users."
        ),
    ),
    _c(
        "s2-flexibility",
        "S2",
        _("Article 3, results"),
        _(
            "Professionals described peer workers' roles as more flexible, for example spending a whole day outdoors with a service user."
        ),
    ),
    _c(
        "s2-levels",
        "S2",
        _("§6.1, Model 3"),
        _(
            "The roles peer workers are given shape how far they can influence services, at the level of individual service users, the service and the organisation."
        ),
    ),
    _c(
        "s2-functions",
        "S2",
        _("§6.2, Model 4 section II"),
        _(
            "Peer workers' core functions: co-producing delivery with professionals, bridging between service users and services, and, in Norway, partnering in service planning."
        ),
    ),
    _c(
        "s2-conditions",
        "S2",
        _("§6.3, Model 4 section III"),
        _(
            "Five conditions decide peer workers' impact: colleagues' acceptance, a fit between peer workers' and service users' backgrounds, room to reflect safely on experience, the peer worker's social position, and managers' genuine commitment."
        ),
    ),
    _c(
        "s2-match",
        "S2",
        _("§6.3"),
        _(
            "Shared backgrounds help peer workers help, but insisting on an ideal experiential match when recruiting could shut out possible peer workers."
        ),
    ),
    _c(
        "s2-outcomes",
        "S2",
        _("§6.4"),
        _(
            "Reported outcomes include wider reach, better communication, less reliance on emergency services and coercion, and more engagement, self-efficacy and agency; most studies look only at service users and overlook effects on colleagues, workplaces and services."
        ),
    ),
    _c(
        "s2-user-reps",
        "S2",
        _("§6.7"),
        _(
            "Many Norwegian peer workers also do tasks for user organisations, and user organisations increasingly see that double role as an asset; the thesis asks the two to share out their tasks and work together."
        ),
    ),
    _c(
        "s2-methods",
        "S2",
        _("§4.3.2 and §4.4.1"),
        _(
            "The focus groups were analysed with systematic text condensation (Malterud), with peer workers as co-researchers."
        ),
    ),
    _c(
        "s2-peer-survey",
        "S2",
        _("§4.4.1"),
        _(
            "The organisation runs an annual peer worker survey that one of the peer workers takes responsibility for; its findings informed the organisation's decisions, and questions were added to it for the research."
        ),
    ),
    _c(
        "s2-ethics",
        "S2",
        _("§4.6 and Appendices II–III"),
        _(
            "Participants consented for a stated purpose and could withdraw at any time; names were replaced by a code kept on a separate list, and personal data were to be deleted when the project ended."
        ),
    ),
    # --- S3: Norwegian peer recovery study ----------------------------------------------------------------
    _c(
        "s3-service",
        "S3",
        _("Methods, context of the study"),
        _(
            "In the studied service, a programme coordinator links each peer recovery worker with a service user on common ground (experience, background, interests, age, and the person's wants and needs), follows up and counsels the peer workers; support typically lasts up to two years."
        ),
    ),
    _c(
        "s3-areas",
        "S3",
        _("Methods, context of the study"),
        _(
            "Service users most needed support with drug-free activities and networks, and with finding their way among public services."
        ),
    ),
    _c(
        "s3-recovery",
        "S3",
        _("The recovery model"),
        _("The study takes recovery to mean building a meaningful and satisfying life as the person defines it."),
    ),
    _c(
        "s3-boundaries",
        "S3",
        _("Results, theme 3"),
        _(
            "Setting boundaries, in closeness and in time, was the hardest part of the work; a service user calling again and again could exhaust a peer worker. Guidance from the coordinator was valued and seen as part of the peer workers' own recovery."
        ),
    ),
    _c(
        "s3-flexibility",
        "S3",
        _("Results, theme 4"),
        _(
            "Peer workers were reachable outside ordinary hours and at weekends, which gave service users a sense of safety."
        ),
    ),
    _c(
        "s3-methods",
        "S3",
        _("Methods, data analysis"),
        _("Interviews were analysed with thematic analysis in six phases."),
    ),
    # --- S4: Norwegian managers study (Article 2 of S2) ---------------------------------------------------
    _c(
        "s4-cocreation",
        "S4",
        _("Results, theme 3"),
        _(
            "Managers involved peer workers across the service cycle and on committees; one described them as a fourth party in service development next to union stewards and safety representatives, and some let peer workers lead the service user boards they set up."
        ),
    ),
    _c(
        "s4-user-orgs",
        "S4",
        _("Results, theme 3"),
        _(
            "One manager warned against letting peer workers replace representatives of user organisations; others involved those representatives as well as peer workers."
        ),
    ),
    _c(
        "s4-local",
        "S4",
        _("Results, theme 2"),
        _(
            "Some managers looked for peer workers who knew the local area, and valued their knowledge of context for reaching people."
        ),
    ),
    _c(
        "s4-nursing",
        "S4",
        _("Results, theme 1"),
        _(
            "One manager said peer workers should complement non-peer staff and fill gaps in what is offered, not take over nursing tasks."
        ),
    ),
    _c(
        "s4-commitment",
        "S4",
        _("Results, theme 3"),
        _(
            "Managers built trust with peer workers, tried to even out their position next to other staff, and reassured them that their view mattered."
        ),
    ),
    _c(
        "s4-methods",
        "S4",
        _("Methods"),
        _("Analysed with systematic text condensation by a researcher and a peer-worker co-researcher."),
    ),
    # --- Peerwork defaults --------------------------------------------------------------------------------
    _c(
        "default-inexperienced",
        DEFAULT,
        _("under twelve months is inexperienced"),
        _(
            "The recommendations warn against an inexperienced peer worker alone in a team but name no length of experience. Twelve months is Peerwork's line; an organisation can judge a person differently."
        ),
    ),
    _c(
        "default-new",
        DEFAULT,
        _("new means the last six months"),
        _(
            "Orientation is checked for peer workers who started in the last six months or are about to start, so the list stays about beginnings."
        ),
    ),
    _c(
        "default-guidance-interval",
        DEFAULT,
        _("guidance at least every 28 days"),
        _(
            "The recommendations ask for regular supervision without an interval. Four weeks is Peerwork's default, set per organisation; the same interval drives the service's reminders and the readiness check."
        ),
    ),
    _c(
        "default-committee-limit",
        DEFAULT,
        _("more than three committees"),
        _(
            "The recommendations warn against too many working groups without a number. Three is Peerwork's default, set per organisation."
        ),
    ),
    _c(
        "default-committee-hours",
        DEFAULT,
        _("more than 16 hours a month in working groups"),
        _(
            "The recommendations warn that working groups can crowd out a peer worker's own tasks but name no hours. Where hours are recorded (a co-assessment's team), more than 16 a month, about a fifth of a half-time position, counts as too much: Peerwork's default."
        ),
    ),
    _c(
        "default-capacity",
        DEFAULT,
        _("five engagements, range one to eight"),
        _(
            "The sources give no caseload. Five active engagements, within a range the coordinator agrees, is a starting point the peer worker adjusts."
        ),
    ),
    _c(
        "default-planned-end",
        DEFAULT,
        _("planned end after two years"),
        _(
            "The peer recovery study reports support typically lasting up to two years. Peerwork turns that into a review point for the planned end, which can be extended by agreement; it is not a limit."
        ),
    ),
    _c(
        "default-workload",
        DEFAULT,
        _("strain thresholds"),
        _(
            "The sources describe strain (many calls, weekends, long days) but give no numbers. Peerwork's thresholds (20 contacts or 15 hours a week, a quarter outside agreed hours, three weekend contacts, eight contacts with one person in seven days) only raise topics for guidance and are set per organisation."
        ),
    ),
    _c(
        "default-review",
        DEFAULT,
        _("reviews every 12 weeks"),
        _("A regular look at each engagement; the sources set no interval."),
    ),
    _c(
        "default-peer-survey",
        DEFAULT,
        _("peer workers own their surveys"),
        _(
            "Peer workers write, publish and close a peer-led survey and decide when managers and coordinators see its results; managers cannot create or change one. Asking service users and staff too, and one-time links for service users, are Peerwork's choices; the source describes a survey of peer workers."
        ),
    ),
    _c(
        "default-anonymity",
        DEFAULT,
        _("fewer than three answers withheld"),
        _(
            "Small groups could identify people, so results from fewer than three people are not shown. The sources set no threshold."
        ),
    ),
    _c(
        "default-groups",
        DEFAULT,
        _("asking several groups"),
        _(
            "Peerwork asks managers, professionals, peer workers and service-user representatives so each is heard. The Danish study asked professionals only and compared no groups; its finding that they felt unprepared and unheard is why Peerwork asks more than managers."
        ),
    ),
    _c(
        "default-choice",
        DEFAULT,
        _("a short list to choose from"),
        _(
            "Matching proposes one to three peer workers with reasons, and the person chooses. The sources describe matching on common ground and caution against demanding an ideal match; letting the person choose is Peerwork's design."
        ),
    ),
    _c(
        "default-fit",
        DEFAULT,
        _("weights and bands of the fit"),
        _(
            "How much each kind of common ground counts, and where 'good', 'some' and 'little' fit begin, are Peerwork's settings; the sources name the kinds of common ground, not their weights."
        ),
    ),
    _c(
        "default-acquaintance",
        DEFAULT,
        _("knowing each other is a flag, not a gate"),
        _(
            "A peer worker who knows the person privately is flagged and both can waive it with a note. In Åkerblom's thesis earlier acquaintance helped a peer worker help, so Peerwork does not forbid it."
        ),
    ),
    _c(
        "default-board-leader",
        DEFAULT,
        _("a peer-led board needs a peer leader"),
        _(
            "A board recorded as led by a peer worker is flagged when no peer worker leads it, so the label keeps its promise."
        ),
    ),
    _c(
        "default-pending",
        DEFAULT,
        _("contributions waiting too long"),
        _(
            "A contribution that waits longer than the organisation's limit for a decision (30 days unless the organisation sets another) is flagged, as a guard against tokenism; the sources name no limit."
        ),
    ),
    _c(
        "default-assessment",
        DEFAULT,
        _("assessment with those who deliver"),
        _(
            "Peerwork flags an assessment that leaves out everyone who delivered the change, following the thesis's call to involve peer workers in every phase."
        ),
    ),
    _c(
        "default-group-size",
        DEFAULT,
        _("focus groups of four to eight"),
        _(
            "Peerwork asks for four to eight participants in each focus group and keeps managers, professionals, peer workers and service users in separate groups, so that everyone can speak freely; the numbers are Peerwork's choice."
        ),
    ),
    _c(
        "default-user-led",
        DEFAULT,
        _("user-led evaluation"),
        _(
            "User-led evaluation in the style of the Norwegian “Bruker spør bruker”, where trained people with lived experience interview service users and discuss the findings with the service, is offered as a Peerwork choice; the sources do not describe it."
        ),
    ),
    _c(
        "default-manager-not-alone",
        DEFAULT,
        _("no co-assessment run by a manager alone"),
        _(
            "A co-assessment's team needs at least one peer worker as co-researcher and someone who is not a manager before it goes to review and before analysis starts, so that a manager cannot run or analyse it alone."
        ),
    ),
    _c(
        "default-figures",
        DEFAULT,
        _("how figures are computed"),
        _(
            "The sources name levels, functions and conditions of impact; the figures that show them, and their periods, are Peerwork's choice."
        ),
    ),
]
CITATIONS: dict[str, Citation] = {c.key: c for c in CITATIONS_LIST}


@dataclass(frozen=True)
class Entry:
    """One catalogue entry and the citations it rests on, as an app reports it to the ``source_catalogue`` hook."""

    kind: str | Promise  # "Readiness check", "Point of attention"…
    code: str  # stable id within its kind ("single_peer_worker", "A7.2", "B1")
    title: str | Promise
    cites: Cites


def get(key: str) -> Citation:
    return CITATIONS[key]


def unknown(keys: Iterable[str]) -> list[str]:
    return [k for k in keys if k not in CITATIONS]


def label_text(keys: Sequence[str]) -> str:
    """Readable text for a list of citations ("Erasmus+ recommendations, A7; …"), for the API and PDFs."""
    return "; ".join(str(CITATIONS[k].label) for k in keys if k in CITATIONS)


def catalogue() -> list[Entry]:
    """Every catalogue entry the installed apps report, in hook order."""
    from peerwork.core import hooks

    out: list[Entry] = []
    for fn in hooks.get(hooks.SOURCE_CATALOGUE):
        out.extend(fn())
    return out


DOC_COMMAND = "sources doc"
DOC_SECTION = "sources"


def _cell(text: object) -> str:
    return str(text).replace("|", "\\|").replace("\n", " ")


def doc_body() -> str:
    """The generated part of docs/sources.md, in English: sources, citations, and every entry's citations."""
    from django.utils import translation

    with translation.override("en"):
        lines = ["## The sources", ""]
        for s in SOURCES.values():
            ref = s.reference_text
            if s.doi:
                ref += f" https://doi.org/{s.doi}"
            if s.isbn:
                ref += f" ISBN {s.isbn}."
            lines.append(f"- **{s.key}: {s.short}** (`#{s.anchor}`). {ref} {s.note}")
        lines += [
            "",
            "## What each section says (paraphrased) and Peerwork's defaults",
            "",
            "Keys are the anchors of the in-app Sources page (`/sources/#key`).",
            "",
            "| key | source | section | what it says, in Peerwork's words | label |",
            "|---|---|---|---|---|",
        ]
        for c in CITATIONS_LIST:
            kind = "Peerwork default" if c.is_default else "from the source"
            src = "—" if c.is_default else c.source
            lines.append(f"| `{c.key}` | {src} | {_cell(c.section)} | {_cell(c.says)} | {kind} |")
        lines += [
            "",
            "## Every rule, check, item, warning, figure and default, and its citations",
            "",
            "| kind | entry | title | citations | label |",
            "|---|---|---|---|---|",
        ]
        for e in catalogue():
            keys = ", ".join(f"`{k}`" for k in e.cites)
            kinds = {
                ("Peerwork default" if CITATIONS[k].is_default else "from the source")
                for k in e.cites
                if k in CITATIONS
            }
            label = " and ".join(sorted(kinds, reverse=True)) or "—"
            lines.append(f"| {_cell(e.kind)} | `{e.code}` | {_cell(e.title)} | {keys} | {label} |")
    return "\n".join(lines)


def _cited_html(text: StrOrPromise, keys: Sequence[str]) -> SafeString:
    from django.urls import reverse
    from django.utils.html import format_html, format_html_join

    page = reverse("core:sources")
    links = format_html_join(
        "; ", '<a class="source-link" href="{}#{}">{}</a>', ((page, k, CITATIONS[k].label) for k in keys)
    )
    return format_html("{} ({})", text, links)


def cited(text: StrOrPromise, *keys: str) -> SafeString:
    """``text`` followed by its citations as links, as lazy safe HTML: for a form field's help text, which is
    rendered inside the page (never for plain-text output such as the API or e-mail)."""
    missing = unknown(keys)
    if missing:
        raise KeyError(f"unknown citation keys: {missing}")
    return lazy(_cited_html, SafeString)(text, keys)

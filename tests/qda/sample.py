"""A small co-assessment project to export, import and compare: two coders on two transcripts."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta, timezone

from peerwork.qda import Code, CodeSet, Coding, Note, Project, Source, User

ANNE = "0b6f7a52-3f1e-4b8a-9a11-5d7c2e0c1a01"
BO = "0b6f7a52-3f1e-4b8a-9a11-5d7c2e0c1a02"
RECOVERY = "1c2d3e4f-0000-4000-8000-000000000001"
HOPE = "1c2d3e4f-0000-4000-8000-000000000002"
ROLE = "1c2d3e4f-0000-4000-8000-000000000003"
UNCODABLE = "1c2d3e4f-0000-4000-8000-000000000004"
FIRST = "2d3e4f5a-0000-4000-8000-000000000001"
SECOND = "2d3e4f5a-0000-4000-8000-000000000002"

FIRST_TEXT = (
    "Moderator: What does recovery mean to you?\r\n"
    "P1: Having hope again, and a role at work — erfaringskonsulent, that is.\r\n"
    "P2: Æ, ø og å: small steps, every day.\n"
)
SECOND_TEXT = "P3: The team listened when I said what had helped me.\n\tP4: Not always.\n"


def _at(day: int) -> datetime:
    return datetime(2026, 3, day, 10, 15, 0, tzinfo=UTC)


def sample_project() -> Project:
    hope_at = FIRST_TEXT.index("Having hope again")
    role_at = FIRST_TEXT.index("a role at work")
    return Project(
        name="Peer workers' experience of guidance",
        origin="Peerwork",
        created=datetime(2026, 3, 1, 9, 0, tzinfo=timezone(timedelta(hours=1))),
        creating_user=ANNE,
        description="Focus group of peer workers, analysed by systematic text condensation.",
        users=(User(ANNE, "Coder 1"), User(BO, "Coder 2 (peer co-researcher)")),
        codes=(
            Code(
                RECOVERY,
                "Recovery",
                description="What recovery means to the participant.",
                colour="#1F77B4",
                children=(Code(HOPE, "Hope", colour="#abc"), Code(ROLE, "A valued role")),
            ),
            Code(UNCODABLE, "Themes (folder)", codable=False),
        ),
        sources=(
            Source(FIRST, "Focus group 1 & 2 <peer workers>", FIRST_TEXT, "Pseudonymised transcript", ANNE, _at(2)),
            Source(SECOND, "Notes from interview 3", SECOND_TEXT),
        ),
        codings=(
            Coding(
                "3e4f5a6b-0000-4000-8000-000000000001",
                FIRST,
                hope_at,
                hope_at + 17,
                HOPE,
                ANNE,
                _at(3),
                "4f5a6b7c-0000-4000-8000-000000000001",
            ),
            Coding(
                "3e4f5a6b-0000-4000-8000-000000000002",
                FIRST,
                hope_at,
                hope_at + 17,
                RECOVERY,
                ANNE,
                _at(3),
                "4f5a6b7c-0000-4000-8000-000000000001",
            ),
            Coding(
                "3e4f5a6b-0000-4000-8000-000000000003",
                FIRST,
                role_at,
                role_at + 14,
                ROLE,
                BO,
                _at(4),
                "4f5a6b7c-0000-4000-8000-000000000002",
            ),
            Coding(
                "3e4f5a6b-0000-4000-8000-000000000004",
                SECOND,
                0,
                len(SECOND_TEXT),
                RECOVERY,
                BO,
                None,
                "4f5a6b7c-0000-4000-8000-000000000003",
            ),
        ),
        notes=(
            Note(
                "5a6b7c8d-0000-4000-8000-000000000001",
                "Reflexivity note",
                "Before the analysis: I expect hope to matter most.\r\nSecond line with <angle> & ampersand.",
                ANNE,
                _at(1),
            ),
            Note(
                "5a6b7c8d-0000-4000-8000-000000000002",
                "On the code Hope",
                "Hope came up in both groups.",
                BO,
                attached_to=(
                    HOPE,
                    FIRST,
                    "4f5a6b7c-0000-4000-8000-000000000001",
                    "3e4f5a6b-0000-4000-8000-000000000004",
                ),
            ),
        ),
        sets=(
            CodeSet(
                "6b7c8d9e-0000-4000-8000-000000000001",
                "Candidate theme: a life worth living",
                "Review in the next meeting.",
                code_guids=(HOPE, ROLE),
                source_guids=(FIRST,),
            ),
        ),
    )

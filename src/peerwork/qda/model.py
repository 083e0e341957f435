"""What a qualitative analysis project holds, as far as the REFI-QDA exchange standard carries it for text.

Plain frozen dataclasses, so the exchange format and the agreement figures can be tested without Django. The
co-assessment app builds a :class:`Project` from its models and reads one back after an import; it never passes
ORM objects in.

Identifiers are the standard's GUIDs, kept as the strings they arrived as (other tools write them in capitals or
in braces); :func:`new_guid` makes a fresh one. Positions in a text are counted in characters (Unicode code
points) from the start of the plain text, the end excluded, as the standard counts them.
"""

from __future__ import annotations

import re
import uuid
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import datetime

__all__ = [
    "Code",
    "CodeSet",
    "Codebook",
    "Coding",
    "Note",
    "Project",
    "Source",
    "User",
    "new_guid",
    "problems",
]

_GUID = re.compile(
    r"([0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12})"
    r"|(\{[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}\})"
)
_COLOUR = re.compile(r"#([A-Fa-f0-9]{6}|[A-Fa-f0-9]{3})")


def new_guid() -> str:
    """A fresh identifier in the form the standard asks for."""
    return str(uuid.uuid4())


@dataclass(frozen=True)
class User:
    """Someone who coded or wrote in the project (a coder). ``name`` is what other tools show: use a
    pseudonym or a role ("Coder 2") rather than a person's name when the project leaves the service."""

    guid: str
    name: str = ""


@dataclass(frozen=True)
class Code:
    """A code of the codebook; ``children`` make the tree. ``colour`` is ``#RRGGBB`` (or ``#RGB``) or None."""

    guid: str
    name: str
    description: str = ""
    colour: str | None = None
    codable: bool = True
    children: tuple[Code, ...] = ()

    def walk(self) -> Iterator[Code]:
        """This code and every code below it, depth first."""
        yield self
        for child in self.children:
            yield from child.walk()


@dataclass(frozen=True)
class Source:
    """A text source: a pseudonymised transcript or a set of notes, as plain text."""

    guid: str
    name: str
    text: str
    description: str = ""
    creating_user: str | None = None
    created: datetime | None = None


@dataclass(frozen=True)
class Coding:
    """One coder applied one code to the characters ``start`` (included) to ``end`` (excluded) of a source.

    ``selection_guid`` names the stretch of text in the exchange file; codings of one coder on the same stretch
    share it. Leave it empty and the export derives it from source, stretch and coder.
    """

    guid: str
    source_guid: str
    start: int
    end: int
    code_guid: str
    coder_guid: str
    created: datetime | None = None
    selection_guid: str = ""


@dataclass(frozen=True)
class Note:
    """A note or memo (a familiarisation memo, a reflexivity note, a comment on a code).

    ``attached_to`` holds the GUIDs of the codes, sources and selections it is about; a note attached to
    nothing is about the project as a whole.
    """

    guid: str
    name: str
    text: str
    creating_user: str | None = None
    created: datetime | None = None
    attached_to: tuple[str, ...] = ()


@dataclass(frozen=True)
class CodeSet:
    """A named group of codes and sources (a candidate theme, say)."""

    guid: str
    name: str
    description: str = ""
    code_guids: tuple[str, ...] = ()
    source_guids: tuple[str, ...] = ()


@dataclass(frozen=True)
class Project:
    """A whole project: who coded, the codebook, the texts, the codings, notes and sets."""

    name: str
    origin: str = "Peerwork"
    created: datetime | None = None
    creating_user: str | None = None
    description: str = ""
    users: tuple[User, ...] = ()
    codes: tuple[Code, ...] = ()
    sources: tuple[Source, ...] = ()
    codings: tuple[Coding, ...] = ()
    notes: tuple[Note, ...] = ()
    sets: tuple[CodeSet, ...] = ()

    def all_codes(self) -> Iterator[Code]:
        """Every code of the tree, depth first."""
        for code in self.codes:
            yield from code.walk()


@dataclass(frozen=True)
class Codebook:
    """A codebook on its own (a ``.qdc`` file): the code tree and sets of codes."""

    codes: tuple[Code, ...]
    origin: str = "Peerwork"
    sets: tuple[CodeSet, ...] = field(default=())

    def all_codes(self) -> Iterator[Code]:
        for code in self.codes:
            yield from code.walk()


def _check_guid(guid: str, what: str, found: list[str]) -> None:
    if not _GUID.fullmatch(guid):
        found.append(f"{what} has the identifier {guid!r}, which is not a GUID (write it as {new_guid()!r}).")


def problems(project: Project) -> list[str]:
    """What is inconsistent in a project, each in a sentence that says how to fix it (empty when all is well).

    Checked: identifiers are GUIDs and unique; every coding, note and set points at things that exist; every
    coding's stretch lies inside its text; colours are ``#RRGGBB``.
    """
    found: list[str] = []
    seen: dict[str, str] = {}

    def register(guid: str, what: str) -> None:
        _check_guid(guid, what, found)
        if guid in seen:
            found.append(f"{what} has the same identifier as {seen[guid]}; give each its own.")
        else:
            seen[guid] = what

    users = {user.guid for user in project.users}
    for user in project.users:
        register(user.guid, f"User {user.name!r}")
    codes: set[str] = set()
    for code in project.all_codes():
        register(code.guid, f"Code {code.name!r}")
        codes.add(code.guid)
        if code.colour is not None and not _COLOUR.fullmatch(code.colour):
            found.append(f"Code {code.name!r} has the colour {code.colour!r}; write it as #RRGGBB.")
    texts: dict[str, str] = {}
    for source in project.sources:
        register(source.guid, f"Source {source.name!r}")
        texts[source.guid] = source.text
        if source.creating_user is not None and source.creating_user not in users:
            found.append(f"Source {source.name!r} names a creating user who is not among the project's users.")
    selections: set[str] = set()
    coding_guids = {coding.guid for coding in project.codings}
    for coding in project.codings:
        register(coding.guid, f"Coding {coding.guid!r}")
        if coding.selection_guid:
            _check_guid(coding.selection_guid, f"The selection of coding {coding.guid!r}", found)
            selections.add(coding.selection_guid)
        if coding.code_guid not in codes:
            found.append(f"Coding {coding.guid!r} applies a code that is not in the codebook.")
        if coding.coder_guid not in users:
            found.append(f"Coding {coding.guid!r} was made by a coder who is not among the project's users.")
        text = texts.get(coding.source_guid)
        if text is None:
            found.append(f"Coding {coding.guid!r} is on a source that is not in the project.")
        elif not 0 <= coding.start <= coding.end <= len(text):
            found.append(
                f"Coding {coding.guid!r} covers characters {coding.start} to {coding.end}, outside its text of "
                f"{len(text)} characters."
            )
    for note in project.notes:
        register(note.guid, f"Note {note.name!r}")
    known = codes | set(texts) | selections | coding_guids
    for note in project.notes:
        if note.creating_user is not None and note.creating_user not in users:
            found.append(f"Note {note.name!r} names a creating user who is not among the project's users.")
        for target in note.attached_to:
            if target not in known:
                found.append(
                    f"Note {note.name!r} is attached to {target!r}, which is no code, source, selection or coding."
                )
    for code_set in project.sets:
        register(code_set.guid, f"Set {code_set.name!r}")
        if any(guid not in codes for guid in code_set.code_guids):
            found.append(f"Set {code_set.name!r} lists a code that is not in the codebook.")
        if any(guid not in texts for guid in code_set.source_guids):
            found.append(f"Set {code_set.name!r} lists a source that is not in the project.")
    if project.creating_user is not None and project.creating_user not in users:
        found.append("The project names a creating user who is not among its users.")
    return found

"""Export and import in the REFI-QDA exchange standard: a project (``.qdpx``) and a codebook (``.qdc``).

A ``.qdpx`` file is a zip package holding ``project.qde`` (XML in the namespace ``urn:QDA-XML:project:1.0``)
and the texts under ``sources/``; a ``.qdc`` file is XML in ``urn:QDA-XML:codebook:1.0``. Both are checked
against the standard's published schemas (``schema/``, see ``schema/NOTICE``) on the way out and on the way in,
so what Peerwork writes opens in NVivo, ATLAS.ti, MAXQDA or QualCoder, and what it reads is what the standard
describes.

Only text is carried: pictures, PDF pages, audio and video in an imported project are left out, and the import
says so (:attr:`Imported.notices`). An import never reads anything outside the package (a source kept in a
file elsewhere is left out too), never fetches from the network, refuses document type declarations (so no
entity can expand or reach a file) and refuses packages that unpack to more than :class:`Limits` allows.

A file that cannot be read raises :class:`QdaError`, whose message says in which part, on which line and at
which element it went wrong; nothing else escapes from the import functions.
"""

from __future__ import annotations

import io
import re
import threading
import uuid
import zipfile
import zlib
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from functools import cache
from importlib import resources
from typing import Any

from lxml import etree

from .model import Code, Codebook, CodeSet, Coding, Note, Project, Source, User, problems

__all__ = [
    "CODEBOOK_NAMESPACE",
    "DEFAULT_LIMITS",
    "PROJECT_NAMESPACE",
    "Imported",
    "Limits",
    "Problem",
    "QdaError",
    "codebook_of",
    "codebook_xml",
    "export_codebook",
    "export_project",
    "import_codebook",
    "import_project",
    "project_xml",
    "validate_codebook_xml",
    "validate_project_xml",
]

PROJECT_NAMESPACE = "urn:QDA-XML:project:1.0"
CODEBOOK_NAMESPACE = "urn:QDA-XML:codebook:1.0"
PROJECT_FILE = "project.qde"
SOURCES_FOLDER = "sources/"
_P = f"{{{PROJECT_NAMESPACE}}}"
_C = f"{{{CODEBOOK_NAMESPACE}}}"
# Selections whose exchange identifier the caller left empty get one derived from source, stretch and coder.
_SELECTION_NAMESPACE = uuid.UUID("6f1d2c8e-5b1a-4c1e-9a55-3d0f6b2a7c41")
# Zip entries carry this date, so one project always exports to the same bytes.
_ZIP_DATE = (1980, 1, 1, 0, 0, 0)


@dataclass(frozen=True)
class Limits:
    """How large a file the import accepts. The defaults are Peerwork's: ample for hundreds of transcripts."""

    max_package_bytes: int = 50 * 1024 * 1024
    max_unpacked_bytes: int = 200 * 1024 * 1024
    max_entries: int = 10_000
    # A text compresses perhaps ten times; a bomb a thousand times or more.
    max_compression_ratio: int = 100


DEFAULT_LIMITS = Limits()


@dataclass(frozen=True)
class Problem:
    """One thing wrong with a file: where (``part`` of the package, ``line``, ``element``) and what."""

    part: str
    message: str
    line: int | None = None
    element: str | None = None

    def __str__(self) -> str:
        where = self.part
        if self.line is not None:
            where += f", line {self.line}"
        if self.element:
            where += f", element {self.element}"
        return f"{where}: {self.message}"


class QdaError(ValueError):
    """A file that is not a REFI-QDA project or codebook Peerwork can read (or a project it cannot write)."""

    def __init__(self, summary: str, problems: Sequence[Problem] = ()) -> None:
        self.summary = summary
        self.problems: tuple[Problem, ...] = tuple(problems)
        details = "; ".join(str(problem) for problem in self.problems[:10])
        more = len(self.problems) - 10
        if more > 0:
            details += f"; and {more} more"
        super().__init__(f"{summary}: {details}" if details else summary)


@dataclass(frozen=True)
class Imported:
    """An imported project, and plain sentences on what was left out or assumed on the way."""

    project: Project
    notices: tuple[str, ...] = field(default=())


# ----------------------------------------------------------------------------------------------- schemas


@cache
def _schema_text(name: str) -> bytes:
    return resources.files(__package__).joinpath("schema", name).read_bytes()


_per_thread = threading.local()


def _schema(name: str) -> Any:
    # A validator keeps its error log on itself, so each thread has its own.
    schemas: dict[str, Any] = _per_thread.__dict__.setdefault("schemas", {})
    if name not in schemas:
        schemas[name] = etree.XMLSchema(etree.fromstring(_schema_text(name), _parser()))
    return schemas[name]


def _project_schema() -> Any:
    return _schema("Project-mrt2019.xsd")


def _codebook_schema() -> Any:
    return _schema("Codebook.xsd")


def _parser() -> Any:
    # A fresh parser per document (parsers are not shared between threads). No entity is expanded, no DTD
    # loaded, nothing fetched from the network, no tree beyond libxml2's default depth and size limits.
    return etree.XMLParser(
        resolve_entities=False,
        no_network=True,
        load_dtd=False,
        dtd_validation=False,
        huge_tree=False,
        remove_pis=True,
    )


def _plain(message: str) -> str:
    return message.replace(_P, "").replace(_C, "")


def _local(tag: object) -> str:
    return etree.QName(tag).localname if isinstance(tag, str) else str(tag)


_DOCTYPE = (b"<!DOCTYPE", "<!DOCTYPE".encode("utf-16-le"), "<!DOCTYPE".encode("utf-16-be"))
_ELEMENT_IN_MESSAGE = re.compile(r"Element '(?:\{[^}]*\})?([^']+)'")


def _refuse_document_type(part: str, line: int | None = None) -> QdaError:
    return QdaError(
        f"{part} declares a document type",
        [Problem(part, "REFI-QDA files have no document type declaration; this one is refused for safety.", line)],
    )


def _parse(data: bytes, part: str) -> Any:
    # Refused before parsing, so no entity declaration is even read; checked again on the parsed tree below.
    for marker in _DOCTYPE:
        at = data.find(marker)
        if at >= 0:
            raise _refuse_document_type(part, data[:at].count(b"\n") + 1 if marker == _DOCTYPE[0] else None)
    try:
        root = etree.fromstring(data, _parser())
    except etree.XMLSyntaxError as error:
        raise QdaError(
            f"{part} is not well-formed XML", [Problem(part, _plain(str(error.msg)), line=error.lineno)]
        ) from None
    docinfo = root.getroottree().docinfo
    if docinfo.internalDTD is not None or docinfo.externalDTD is not None or docinfo.doctype:
        raise _refuse_document_type(part)
    return root


def _schema_problems(schema: Any, root: Any, part: str) -> list[Problem]:
    if schema.validate(root):
        return []
    found = []
    for entry in schema.error_log:
        named = _ELEMENT_IN_MESSAGE.match(entry.message)
        found.append(Problem(part, _plain(entry.message), line=entry.line, element=named[1] if named else None))
    return found


def _check_root(root: Any, namespace: str, name: str, part: str) -> None:
    if root.tag != f"{{{namespace}}}{name}":
        raise QdaError(
            f"{part} is not a REFI-QDA {'project' if name == 'Project' else 'codebook'}",
            [
                Problem(
                    part,
                    f"the root element is {_local(root.tag)!r} in the namespace "
                    f"{etree.QName(root).namespace or 'none'!r}; expected {name!r} in {namespace!r}.",
                    line=root.sourceline,
                )
            ],
        )


def validate_project_xml(data: bytes) -> list[Problem]:
    """The ways a ``project.qde`` document breaks the standard's Project schema (empty when it is valid)."""
    try:
        root = _parse(data, PROJECT_FILE)
    except QdaError as error:
        return list(error.problems)
    return _schema_problems(_project_schema(), root, PROJECT_FILE)


def validate_codebook_xml(data: bytes) -> list[Problem]:
    """The ways a ``.qdc`` document breaks the standard's Codebook schema (empty when it is valid)."""
    try:
        root = _parse(data, "codebook")
    except QdaError as error:
        return list(error.problems)
    return _schema_problems(_codebook_schema(), root, "codebook")


# ----------------------------------------------------------------------------------------------- export


def _when(moment: datetime) -> str:
    moment = moment.replace(tzinfo=UTC) if moment.tzinfo is None else moment.astimezone(UTC)
    return moment.isoformat(timespec="microseconds" if moment.microsecond else "seconds").replace("+00:00", "Z")


def _set(element: Any, name: str, value: str | None) -> None:
    if value is not None:
        element.set(name, value)


def _sub(parent: Any, ns: str, tag: str, /, **attributes: str | None) -> Any:
    element = etree.SubElement(parent, ns + tag)
    for key, value in attributes.items():
        _set(element, key, value)
    return element


def _text(parent: Any, ns: str, name: str, text: str) -> None:
    if text:
        _sub(parent, ns, name).text = text


def _selection_guid(coding: Coding) -> str:
    if coding.selection_guid:
        return coding.selection_guid
    key = f"{coding.source_guid}:{coding.start}:{coding.end}:{coding.coder_guid}"
    return str(uuid.uuid5(_SELECTION_NAMESPACE, key))


def _code_element(parent: Any, ns: str, code: Code, notes_on: dict[str, list[str]] | None) -> None:
    element = _sub(parent, ns, "Code", guid=code.guid, name=code.name, isCodable="true" if code.codable else "false")
    _set(element, "color", code.colour)
    _text(element, ns, "Description", code.description)
    if notes_on is not None:
        for note_guid in notes_on.get(code.guid, ()):
            _sub(element, ns, "NoteRef", targetGUID=note_guid)
    for child in code.children:
        _code_element(element, ns, child, notes_on)


def _serialise(root: Any) -> bytes:
    data: bytes = etree.tostring(root, xml_declaration=True, encoding="utf-8", pretty_print=True)
    return data


def project_xml(project: Project) -> bytes:
    """The ``project.qde`` document of a project; texts are referenced as ``internal://<source guid>.txt``."""
    selection_of = {coding.guid: _selection_guid(coding) for coding in project.codings}
    found = problems(project)
    found += _selection_problems(project.codings, selection_of)
    if found:
        raise QdaError("The project cannot be exported", [Problem("project", message) for message in found])
    ns = _P
    notes_on: dict[str, list[str]] = {}
    project_notes: list[str] = []
    for note in project.notes:
        for target in note.attached_to:
            notes_on.setdefault(target, []).append(note.guid)
        if not note.attached_to:
            project_notes.append(note.guid)

    root = etree.Element(ns + "Project", nsmap={None: PROJECT_NAMESPACE})
    root.set("name", project.name)
    root.set("origin", project.origin)
    _set(root, "creatingUserGUID", project.creating_user)
    _set(root, "creationDateTime", _when(project.created) if project.created else None)
    try:
        if project.users:
            users = _sub(root, ns, "Users")
            for user in project.users:
                _sub(users, ns, "User", guid=user.guid, name=user.name)
        if project.codes:
            codes = _sub(_sub(root, ns, "CodeBook"), ns, "Codes")
            for code in project.codes:
                _code_element(codes, ns, code, notes_on)
        if project.sources:
            by_source: dict[str, list[Coding]] = {}
            for coding in project.codings:
                by_source.setdefault(coding.source_guid, []).append(coding)
            sources = _sub(root, ns, "Sources")
            for source in project.sources:
                _source_element(sources, ns, source, by_source.get(source.guid, []), notes_on, selection_of)
        if project.notes:
            notes = _sub(root, ns, "Notes")
            for note in project.notes:
                element = _sub(
                    notes,
                    ns,
                    "Note",
                    guid=note.guid,
                    name=note.name,
                    creatingUser=note.creating_user,
                    creationDateTime=_when(note.created) if note.created else None,
                )
                _sub(element, ns, "PlainTextContent").text = note.text
        if project.sets:
            sets = _sub(root, ns, "Sets")
            for code_set in project.sets:
                element = _sub(sets, ns, "Set", guid=code_set.guid, name=code_set.name)
                _text(element, ns, "Description", code_set.description)
                for guid in code_set.code_guids:
                    _sub(element, ns, "MemberCode", targetGUID=guid)
                for guid in code_set.source_guids:
                    _sub(element, ns, "MemberSource", targetGUID=guid)
        _text(root, ns, "Description", project.description)
        for note_guid in project_notes:
            _sub(root, ns, "NoteRef", targetGUID=note_guid)
    except ValueError as error:  # lxml refuses characters XML cannot hold (control characters, say)
        raise QdaError("The project cannot be exported", [Problem("project", str(error))]) from None
    data = _serialise(root)
    invalid = _schema_problems(_project_schema(), root, PROJECT_FILE)
    if invalid:
        raise QdaError("The exported project does not meet the REFI-QDA schema", invalid)
    return data


def _selection_problems(codings: Iterable[Coding], selection_of: dict[str, str]) -> list[str]:
    stretch: dict[str, tuple[str, int, int]] = {}
    found = []
    for coding in codings:
        key = (coding.source_guid, coding.start, coding.end)
        guid = selection_of[coding.guid]
        if stretch.setdefault(guid, key) != key:
            found.append(f"Coding {coding.guid!r} shares its selection with a coding of another stretch of text.")
    return found


def _source_element(
    parent: Any,
    ns: str,
    source: Source,
    codings: list[Coding],
    notes_on: dict[str, list[str]],
    selection_of: dict[str, str],
) -> None:
    element = _sub(
        parent,
        ns,
        "TextSource",
        guid=source.guid,
        name=source.name,
        plainTextPath=f"internal://{source.guid}.txt",
        creatingUser=source.creating_user,
        creationDateTime=_when(source.created) if source.created else None,
    )
    _text(element, ns, "Description", source.description)
    ordered = sorted(codings, key=lambda c: (c.start, c.end, selection_of[c.guid], c.guid))
    # Group by selection while keeping the order of the text; a selection's codings are consecutive.
    selections: dict[str, list[Coding]] = {}
    for coding in ordered:
        selections.setdefault(selection_of[coding.guid], []).append(coding)
    for selection_guid, members in selections.items():
        first = members[0]
        dates = [coding.created for coding in members if coding.created]
        selection = _sub(
            element,
            ns,
            "PlainTextSelection",
            guid=selection_guid,
            startPosition=str(first.start),
            endPosition=str(first.end),
            creatingUser=first.coder_guid,
            creationDateTime=_when(min(dates)) if dates else None,
        )
        for coding in members:
            coding_element = _sub(
                selection,
                ns,
                "Coding",
                guid=coding.guid,
                creatingUser=coding.coder_guid,
                creationDateTime=_when(coding.created) if coding.created else None,
            )
            _sub(coding_element, ns, "CodeRef", targetGUID=coding.code_guid)
            for note_guid in notes_on.get(coding.guid, ()):
                _sub(coding_element, ns, "NoteRef", targetGUID=note_guid)
        for note_guid in notes_on.get(selection_guid, ()):
            _sub(selection, ns, "NoteRef", targetGUID=note_guid)
    for note_guid in notes_on.get(source.guid, ()):
        _sub(element, ns, "NoteRef", targetGUID=note_guid)


def _zip_write(archive: zipfile.ZipFile, name: str, data: bytes) -> None:
    info = zipfile.ZipInfo(name, date_time=_ZIP_DATE)
    info.compress_type = zipfile.ZIP_DEFLATED
    info.external_attr = 0o644 << 16
    archive.writestr(info, data)


def export_project(project: Project) -> bytes:
    """A ``.qdpx`` package of the project: ``project.qde`` and each text as ``sources/<guid>.txt`` (UTF-8).

    The same project always gives the same bytes. Raises :class:`QdaError` when the project is inconsistent
    (see :func:`peerwork.qda.model.problems`)."""
    xml = project_xml(project)
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        _zip_write(archive, PROJECT_FILE, xml)
        for source in project.sources:
            _zip_write(archive, f"{SOURCES_FOLDER}{source.guid}.txt", source.text.encode("utf-8"))
    return buffer.getvalue()


def codebook_of(project: Project) -> Codebook:
    """The project's codebook: its code tree and its sets, each set with its codes only."""
    sets = tuple(
        CodeSet(guid=s.guid, name=s.name, description=s.description, code_guids=s.code_guids) for s in project.sets
    )
    return Codebook(codes=project.codes, origin=project.origin, sets=sets)


def codebook_xml(codebook: Codebook) -> bytes:
    """The ``.qdc`` document of a codebook (the same as :func:`export_codebook`)."""
    found = problems(Project(name="codebook", codes=codebook.codes, sets=codebook.sets))
    if not codebook.codes:
        found.append("A codebook needs at least one code.")
    if found:
        raise QdaError("The codebook cannot be exported", [Problem("codebook", message) for message in found])
    ns = _C
    root = etree.Element(ns + "CodeBook", nsmap={None: CODEBOOK_NAMESPACE})
    root.set("origin", codebook.origin)
    try:
        codes = _sub(root, ns, "Codes")
        for code in codebook.codes:
            _code_element(codes, ns, code, None)
        if codebook.sets:
            sets = _sub(root, ns, "Sets")
            for code_set in codebook.sets:
                element = _sub(sets, ns, "Set", guid=code_set.guid, name=code_set.name)
                _text(element, ns, "Description", code_set.description)
                for guid in code_set.code_guids:
                    _sub(element, ns, "MemberCode", guid=guid)
    except ValueError as error:
        raise QdaError("The codebook cannot be exported", [Problem("codebook", str(error))]) from None
    invalid = _schema_problems(_codebook_schema(), root, "codebook")
    if invalid:
        raise QdaError("The exported codebook does not meet the REFI-QDA schema", invalid)
    return _serialise(root)


def export_codebook(codebook: Codebook | Project) -> bytes:
    """A ``.qdc`` codebook file, of a codebook or of a project's codebook."""
    return codebook_xml(codebook_of(codebook) if isinstance(codebook, Project) else codebook)


# ----------------------------------------------------------------------------------------------- import


def _guid(value: str | None) -> str:
    """GUIDs compare without case and braces; the import keeps them lower case without braces."""
    return (value or "").strip().strip("{}").lower()


def _optional_guid(value: str | None) -> str | None:
    return _guid(value) or None


def _moment(value: str | None) -> datetime | None:
    if not value:
        return None
    try:
        moment = datetime.fromisoformat(value)
    except ValueError:
        # The schema allows any number of decimals; Python reads up to six.
        head, _, rest = value.partition(".")
        digits = "".join(ch for ch in rest if ch.isdigit())
        try:
            moment = datetime.fromisoformat(f"{head}.{digits[:6]}{rest[len(digits) :]}")
        except ValueError:
            return None
    return moment.replace(tzinfo=UTC) if moment.tzinfo is None else moment.astimezone(UTC)


def _children(element: Any, ns: str, name: str) -> Iterator[Any]:
    return iter(element.iterfind(ns + name))


def _description(element: Any, ns: str) -> str:
    found = element.find(ns + "Description")
    return str(found.text or "") if found is not None else ""


def _read_codes(parent: Any, ns: str) -> tuple[Code, ...]:
    return tuple(
        Code(
            guid=_guid(element.get("guid")),
            name=element.get("name", ""),
            description=_description(element, ns),
            colour=element.get("color"),
            codable=element.get("isCodable") in ("true", "1"),
            children=_read_codes(element, ns),
        )
        for element in _children(parent, ns, "Code")
    )


def _safe_entry_name(name: str) -> bool:
    if not name or name.startswith(("/", "\\")) or "\\" in name or "\x00" in name or ":" in name:
        return False
    return ".." not in name.split("/")


class _Package:
    """The entries of a zip package, read within the limits and never written to disk."""

    def __init__(self, data: bytes, limits: Limits) -> None:
        part = "the package"
        if len(data) > limits.max_package_bytes:
            raise QdaError(
                "The file is too large",
                [Problem(part, f"it has {len(data)} bytes; at most {limits.max_package_bytes} are accepted.")],
            )
        try:
            self.archive = zipfile.ZipFile(io.BytesIO(data))
            infos = self.archive.infolist()
        except (zipfile.BadZipFile, zipfile.LargeZipFile, ValueError, OSError):
            raise QdaError(
                "The file is not a REFI-QDA project package",
                [Problem(part, "a .qdpx file is a zip package, and this file is not one.")],
            ) from None
        if len(infos) > limits.max_entries:
            raise QdaError(
                "The package holds too many files",
                [Problem(part, f"it holds {len(infos)} entries; at most {limits.max_entries} are accepted.")],
            )
        names: set[str] = set()
        total = 0
        for info in infos:
            if not _safe_entry_name(info.filename):
                raise QdaError(
                    "The package holds an unsafe file name",
                    [Problem(part, f"the entry {info.filename!r} points outside the package.")],
                )
            if info.filename in names:
                raise QdaError("The package is damaged", [Problem(part, f"{info.filename!r} appears twice.")])
            names.add(info.filename)
            if info.flag_bits & 0x1:
                raise QdaError("The package is encrypted", [Problem(part, f"{info.filename!r} is encrypted.")])
            total += info.file_size
            ratio = info.file_size / max(info.compress_size, 1)
            if ratio > limits.max_compression_ratio and info.file_size > 1024 * 1024:
                raise QdaError(
                    "The package unpacks to far more than it holds",
                    [Problem(part, f"{info.filename!r} would grow {ratio:.0f} times when unpacked; refused.")],
                )
        if total > limits.max_unpacked_bytes:
            raise QdaError(
                "The package unpacks to too much",
                [Problem(part, f"it would unpack to {total} bytes; at most {limits.max_unpacked_bytes}.")],
            )
        self.names = names
        # Tools differ in the case of the folder ("sources/", "Sources/"): a name is also found without case.
        self.folded: dict[str, str] = {}
        for name in sorted(names):
            self.folded.setdefault(name.casefold(), name)
        self.limits = limits
        self.read_so_far = 0

    def read(self, name: str) -> bytes | None:
        if name not in self.names:
            if name.casefold() not in self.folded:
                return None
            name = self.folded[name.casefold()]
        allowed = self.limits.max_unpacked_bytes - self.read_so_far
        try:
            with self.archive.open(name) as entry:
                data = entry.read(allowed + 1)
        except (zipfile.BadZipFile, zipfile.LargeZipFile, ValueError, OSError, EOFError, zlib.error):
            raise QdaError("The package is damaged", [Problem(name, "this entry cannot be unpacked.")]) from None
        self.read_so_far += len(data)
        if len(data) > allowed:
            raise QdaError(
                "The package unpacks to too much",
                [Problem(name, f"it unpacks to more than {self.limits.max_unpacked_bytes} bytes in all.")],
            )
        return data


def _find_project_file(package: _Package) -> str:
    if PROJECT_FILE in package.names:
        return PROJECT_FILE
    candidates = sorted(name for name in package.names if name.lower().endswith(".qde") and "/" not in name)
    if len(candidates) == 1:
        return candidates[0]
    raise QdaError(
        "The package holds no project",
        [Problem("the package", "a .qdpx package holds a project.qde file at its top level; this one does not.")],
    )


class _Reader:
    """Turns a validated ``project.qde`` into a :class:`Project`, collecting notices and problems."""

    def __init__(self, package: _Package, part: str) -> None:
        self.package = package
        self.part = part
        self.notices: list[str] = []
        self.problems: list[Problem] = []
        self.users: dict[str, User] = {}

    def problem(self, element: Any, message: str) -> None:
        self.problems.append(Problem(self.part, message, line=element.sourceline, element=_local(element.tag)))

    def user(self, value: str | None) -> str | None:
        guid = _optional_guid(value)
        if guid and guid not in self.users:
            self.users[guid] = User(guid=guid)
        return guid

    def text_of(self, element: Any, what: str) -> str | None:
        content = element.find(_P + "PlainTextContent")
        if content is not None:
            return str(content.text or "")
        path = element.get("plainTextPath") or ""
        if not path:
            self.notices.append(f"{what} has no plain text (only a rich-text document), so it was left out.")
            return None
        if not path.startswith("internal://"):
            self.notices.append(
                f"The text of {what} is kept in a file outside the package ({path}); Peerwork reads only what the "
                "package holds, so it was left out."
            )
            return None
        name = SOURCES_FOLDER + path.removeprefix("internal://")
        if not _safe_entry_name(name):
            self.problem(element, f"the text path {path!r} points outside the package.")
            return None
        data = self.package.read(name)
        if data is None:
            self.problem(element, f"the text {path!r} is missing from the package ({name}).")
            return None
        try:
            return data.decode("utf-8-sig")
        except UnicodeDecodeError as error:
            self.problems.append(Problem(name, f"the text is not UTF-8 (byte {error.start} cannot be read)."))
            return None

    def read(self, root: Any) -> Project:
        for element in root.iterfind(f"{_P}Users/{_P}User"):
            guid = _guid(element.get("guid"))
            self.users[guid] = User(guid=guid, name=element.get("name", ""))
        codebook = root.find(f"{_P}CodeBook/{_P}Codes")
        codes = _read_codes(codebook, _P) if codebook is not None else ()
        code_guids = {code.guid for top in codes for code in top.walk()}
        attached: dict[str, list[str]] = {}

        def refs(element: Any, target: str) -> None:
            for ref in _children(element, _P, "NoteRef"):
                attached.setdefault(_guid(ref.get("targetGUID")), []).append(target)

        for element in root.iter(_P + "Code"):
            refs(element, _guid(element.get("guid")))
        sources: list[Source] = []
        codings: list[Coding] = []
        sources_element = root.find(_P + "Sources")
        for element in sources_element if sources_element is not None else ():
            if not isinstance(element.tag, str):
                continue
            name = element.get("name", "")
            label = name or _guid(element.get("guid"))
            if element.tag != _P + "TextSource":
                self.notices.append(
                    f"{_local(element.tag).removesuffix('Source')} source {label!r} was left out: "
                    "Peerwork exchanges text only."
                )
                continue
            text = self.text_of(element, f"source {label!r}")
            if text is None:
                continue
            source = Source(
                guid=_guid(element.get("guid")),
                name=name,
                text=text,
                description=_description(element, _P),
                creating_user=self.user(element.get("creatingUser")),
                created=_moment(element.get("creationDateTime")),
            )
            sources.append(source)
            refs(element, source.guid)
            codings += self.read_codings(element, source, code_guids, refs)
        known = (
            code_guids
            | {source.guid for source in sources}
            | {coding.selection_guid for coding in codings}
            | {coding.guid for coding in codings}
        )
        notes = self.read_notes(root, attached, known)
        sets = tuple(
            CodeSet(
                guid=_guid(element.get("guid")),
                name=element.get("name", ""),
                description=_description(element, _P),
                code_guids=tuple(_guid(m.get("targetGUID")) for m in _children(element, _P, "MemberCode")),
                source_guids=tuple(
                    guid
                    for m in _children(element, _P, "MemberSource")
                    if (guid := _guid(m.get("targetGUID"))) in {s.guid for s in sources}
                ),
            )
            for element in root.iterfind(f"{_P}Sets/{_P}Set")
        )
        return Project(
            name=root.get("name", ""),
            origin=root.get("origin", ""),
            created=_moment(root.get("creationDateTime")),
            creating_user=self.user(root.get("creatingUserGUID")),
            description=_description(root, _P),
            users=tuple(self.users.values()),
            codes=codes,
            sources=tuple(sources),
            codings=tuple(codings),
            notes=notes,
            sets=sets,
        )

    def read_codings(self, element: Any, source: Source, code_guids: set[str], refs: Any) -> list[Coding]:
        codings: list[Coding] = []
        uncoded = 0
        for selection in _children(element, _P, "PlainTextSelection"):
            start, end = int(selection.get("startPosition")), int(selection.get("endPosition"))
            if not 0 <= start <= end <= len(source.text):
                self.problem(
                    selection,
                    f"the selection covers characters {start} to {end}, outside the text of source "
                    f"{source.name!r} ({len(source.text)} characters).",
                )
                continue
            selection_guid = _guid(selection.get("guid"))
            refs(selection, selection_guid)
            found = list(_children(selection, _P, "Coding"))
            if not found:
                uncoded += 1
            for coding in found:
                codings += self.coding(coding, source, start, end, selection_guid, selection, code_guids, refs)
        whole = list(_children(element, _P, "Coding"))
        for coding in whole:
            codings += self.coding(coding, source, 0, len(source.text), "", element, code_guids, refs)
        if uncoded:
            self.notices.append(f"{uncoded} selection(s) in source {source.name!r} carry no code and were left out.")
        return codings

    def coding(
        self,
        element: Any,
        source: Source,
        start: int,
        end: int,
        selection_guid: str,
        selection: Any,
        code_guids: set[str],
        refs: Any,
    ) -> list[Coding]:
        code_guid = _guid(element.find(_P + "CodeRef").get("targetGUID"))
        if code_guid not in code_guids:
            self.problem(element, f"the coding applies the code {code_guid!r}, which the codebook does not hold.")
            return []
        coder = self.user(element.get("creatingUser") or selection.get("creatingUser"))
        if coder is None:
            coder = str(uuid.uuid5(_SELECTION_NAMESPACE, "unknown coder"))
            if coder not in self.users:
                self.users[coder] = User(guid=coder, name="Unknown coder")
                self.notices.append("Some codings name no coder; they are counted as one 'Unknown coder'.")
        guid = _guid(element.get("guid"))
        refs(element, guid)
        return [
            Coding(
                guid=guid,
                source_guid=source.guid,
                start=start,
                end=end,
                code_guid=code_guid,
                coder_guid=coder,
                created=_moment(element.get("creationDateTime") or selection.get("creationDateTime")),
                selection_guid=selection_guid,
            )
        ]

    def read_notes(self, root: Any, attached: dict[str, list[str]], known: set[str]) -> tuple[Note, ...]:
        notes: list[Note] = []
        for element in root.iterfind(f"{_P}Notes/{_P}Note"):
            name = element.get("name", "")
            text = self.text_of(element, f"note {name or _guid(element.get('guid'))!r}")
            if text is None:
                continue
            guid = _guid(element.get("guid"))
            notes.append(
                Note(
                    guid=guid,
                    name=name,
                    text=text,
                    creating_user=self.user(element.get("creatingUser")),
                    created=_moment(element.get("creationDateTime")),
                    attached_to=tuple(target for target in attached.get(guid, ()) if target in known),
                )
            )
        return tuple(notes)


def _read_project_root(package: _Package) -> tuple[Any, str]:
    part = _find_project_file(package)
    data = package.read(part)
    assert data is not None  # the name was found among the entries
    root = _parse(data, part)
    _check_root(root, PROJECT_NAMESPACE, "Project", part)
    invalid = _schema_problems(_project_schema(), root, part)
    if invalid:
        raise QdaError(f"{part} does not meet the REFI-QDA project schema", invalid)
    return root, part


def import_project(data: bytes, *, limits: Limits = DEFAULT_LIMITS) -> Imported:
    """Read a ``.qdpx`` package. Raises :class:`QdaError` (and nothing else) when the file cannot be read;
    what was left out (pictures, audio, uncoded selections, texts kept outside the package) is listed in
    :attr:`Imported.notices`. Everything comes back in the file's order, which for Peerwork's own export is
    the order of the text: codings by source, start and end."""
    try:
        package = _Package(data, limits)
        root, part = _read_project_root(package)
        reader = _Reader(package, part)
        project = reader.read(root)
    except QdaError:
        raise
    except Exception as error:  # a file must never end in a traceback; the message names what went wrong
        raise QdaError(
            "The project could not be read", [Problem("the package", f"it could not be read ({type(error).__name__}).")]
        ) from None
    if reader.problems:
        raise QdaError(f"{part} is not consistent", reader.problems)
    inconsistent = problems(project)
    if inconsistent:
        raise QdaError(f"{part} is not consistent", [Problem(part, message) for message in inconsistent])
    return Imported(project=project, notices=tuple(reader.notices))


def import_codebook(data: bytes, *, limits: Limits = DEFAULT_LIMITS) -> Codebook:
    """Read a ``.qdc`` codebook. Raises :class:`QdaError` (and nothing else) when the file cannot be read."""
    part = "codebook"
    if len(data) > limits.max_package_bytes:
        raise QdaError("The file is too large", [Problem(part, f"at most {limits.max_package_bytes} bytes.")])
    try:
        codebook = _read_codebook(data, part)
    except QdaError:
        raise
    except Exception as error:  # a file must never end in a traceback; the message names what went wrong
        raise QdaError(
            "The codebook could not be read", [Problem(part, f"it could not be read ({type(error).__name__}).")]
        ) from None
    inconsistent = problems(Project(name="codebook", codes=codebook.codes, sets=codebook.sets))
    if inconsistent:
        raise QdaError("The codebook is not consistent", [Problem(part, message) for message in inconsistent])
    return codebook


def _read_codebook(data: bytes, part: str) -> Codebook:
    root = _parse(data, part)
    _check_root(root, CODEBOOK_NAMESPACE, "CodeBook", part)
    invalid = _schema_problems(_codebook_schema(), root, part)
    if invalid:
        raise QdaError("The codebook does not meet the REFI-QDA codebook schema", invalid)
    sets = tuple(
        CodeSet(
            guid=_guid(element.get("guid")),
            name=element.get("name", ""),
            description=_description(element, _C),
            code_guids=tuple(_guid(m.get("guid")) for m in _children(element, _C, "MemberCode")),
        )
        for element in root.iterfind(f"{_C}Sets/{_C}Set")
    )
    return Codebook(codes=_read_codes(root.find(_C + "Codes"), _C), origin=root.get("origin", ""), sets=sets)

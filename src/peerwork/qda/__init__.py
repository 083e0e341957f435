"""Qualitative analysis data — pure Python, no Django.

The co-assessment app maps its models to these plain dataclasses and back:

* :mod:`.model` — :class:`Project` (users, code tree, text sources, codings, notes, sets), :class:`Codebook`,
  :func:`problems` (what is inconsistent, in sentences);
* :mod:`.refi` — export to and import from the REFI-QDA exchange standard (``.qdpx`` projects, ``.qdc``
  codebooks), checked against the standard's schemas, safe against hostile files;
* :mod:`.agreement` — Krippendorff's alpha per code and the list of disagreements: a conversation aid for
  independent coders, never a gate.
"""

from .agreement import (
    FEWER_THAN_TWO_CODERS,
    NO_SHARED_UNITS,
    NOT_ENOUGH_VARIATION,
    OK,
    CodeAgreement,
    Disagreement,
    Unit,
    agreement,
    agreement_and_disagreements,
    alpha_nominal,
    compare,
    disagreements,
    units_from_codings,
)
from .model import Code, Codebook, CodeSet, Coding, Note, Project, Source, User, new_guid, problems
from .refi import (
    CODEBOOK_NAMESPACE,
    DEFAULT_LIMITS,
    PROJECT_NAMESPACE,
    Imported,
    Limits,
    Problem,
    QdaError,
    codebook_of,
    codebook_xml,
    export_codebook,
    export_project,
    import_codebook,
    import_project,
    project_xml,
    validate_codebook_xml,
    validate_project_xml,
)

__all__ = [
    "CODEBOOK_NAMESPACE",
    "DEFAULT_LIMITS",
    "FEWER_THAN_TWO_CODERS",
    "NOT_ENOUGH_VARIATION",
    "NO_SHARED_UNITS",
    "OK",
    "PROJECT_NAMESPACE",
    "Code",
    "CodeAgreement",
    "CodeSet",
    "Codebook",
    "Coding",
    "Disagreement",
    "Imported",
    "Limits",
    "Note",
    "Problem",
    "Project",
    "QdaError",
    "Source",
    "Unit",
    "User",
    "agreement",
    "agreement_and_disagreements",
    "alpha_nominal",
    "codebook_of",
    "codebook_xml",
    "compare",
    "disagreements",
    "export_codebook",
    "export_project",
    "import_codebook",
    "import_project",
    "new_guid",
    "problems",
    "project_xml",
    "units_from_codings",
    "validate_codebook_xml",
    "validate_project_xml",
]

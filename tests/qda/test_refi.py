"""REFI-QDA export and import: round trip, the standard's schemas, other tools' files, hostile files."""

from __future__ import annotations

import io
import zipfile
from concurrent.futures import ThreadPoolExecutor
from dataclasses import replace
from importlib import resources

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from lxml import etree

from peerwork.qda import (
    CODEBOOK_NAMESPACE,
    DEFAULT_LIMITS,
    PROJECT_NAMESPACE,
    Code,
    Codebook,
    CodeSet,
    Coding,
    Limits,
    Note,
    Project,
    QdaError,
    Source,
    User,
    codebook_of,
    export_codebook,
    export_project,
    import_codebook,
    import_project,
    validate_codebook_xml,
    validate_project_xml,
)

from .sample import ANNE, FIRST, FIRST_TEXT, HOPE, RECOVERY, SECOND, SECOND_TEXT, sample_project


def schema(name: str) -> etree.XMLSchema:
    return etree.XMLSchema(etree.parse(str(resources.files("peerwork.qda") / "schema" / name)))


def package(xml: str | bytes, files: dict[str, bytes] | None = None) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("project.qde", xml.encode("utf-8") if isinstance(xml, str) else xml)
        for name, data in (files or {}).items():
            archive.writestr(name, data)
    return buffer.getvalue()


def entries(data: bytes) -> dict[str, bytes]:
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        return {name: archive.read(name) for name in archive.namelist()}


def refused(data: bytes, limits: Limits = DEFAULT_LIMITS) -> str:
    with pytest.raises(QdaError) as caught:
        import_project(data, limits=limits)
    return str(caught.value)


# ------------------------------------------------------------------------------------------ export, round trip


def test_a_project_survives_export_and_import_unchanged():
    project = sample_project()
    imported = import_project(export_project(project))
    assert imported.notices == ()
    assert imported.project == project


def test_the_same_project_always_exports_to_the_same_bytes():
    project = sample_project()
    once = export_project(project)
    assert export_project(project) == once
    assert export_project(import_project(once).project) == once


def test_the_package_holds_the_project_and_each_text_as_utf8_exactly():
    project = sample_project()
    files = entries(export_project(project))
    assert set(files) == {"project.qde", f"sources/{FIRST}.txt", f"sources/{SECOND}.txt"}
    assert files[f"sources/{FIRST}.txt"] == FIRST_TEXT.encode("utf-8")  # line ends and letters as they were
    assert files[f"sources/{SECOND}.txt"] == SECOND_TEXT.encode("utf-8")


def test_the_exported_project_meets_the_standards_project_schema():
    xml = entries(export_project(sample_project()))["project.qde"]
    root = etree.fromstring(xml)
    project_schema = schema("Project-mrt2019.xsd")
    assert project_schema.validate(root), project_schema.error_log
    assert root.tag == f"{{{PROJECT_NAMESPACE}}}Project"
    assert validate_project_xml(xml) == []
    # The texts are referenced, in the package, as the standard describes.
    paths = {e.get("plainTextPath") for e in root.iter(f"{{{PROJECT_NAMESPACE}}}TextSource")}
    assert paths == {f"internal://{FIRST}.txt", f"internal://{SECOND}.txt"}


def test_an_empty_project_exports_to_a_valid_file():
    xml = entries(export_project(Project(name="Nothing yet")))["project.qde"]
    assert validate_project_xml(xml) == []
    assert import_project(export_project(Project(name="Nothing yet"))).project == Project(name="Nothing yet")


def test_the_exported_codebook_meets_the_standards_codebook_schema_and_survives_a_round_trip():
    project = sample_project()
    qdc = export_codebook(project)
    root = etree.fromstring(qdc)
    codebook_schema = schema("Codebook.xsd")
    assert codebook_schema.validate(root), codebook_schema.error_log
    assert root.tag == f"{{{CODEBOOK_NAMESPACE}}}CodeBook"
    assert validate_codebook_xml(qdc) == []
    codebook = import_codebook(qdc)
    assert codebook == codebook_of(project)
    assert [code.name for code in codebook.all_codes()] == ["Recovery", "Hope", "A valued role", "Themes (folder)"]
    assert codebook.sets[0].code_guids == (HOPE, "1c2d3e4f-0000-4000-8000-000000000003")


def test_codings_without_a_selection_identifier_share_one_per_coder_and_stretch():
    project = sample_project()
    bare = tuple(replace(coding, selection_guid="") for coding in project.codings)
    xml = entries(export_project(replace(project, codings=bare, notes=())))["project.qde"]
    root = etree.fromstring(xml)
    selections = list(root.iter(f"{{{PROJECT_NAMESPACE}}}PlainTextSelection"))
    assert len(selections) == 3  # Anne's two codes on one stretch share a selection
    assert validate_project_xml(xml) == []


def test_an_inconsistent_project_is_not_exported_and_the_message_says_what_to_fix():
    project = sample_project()
    beyond = replace(project.codings[0], guid="3e4f5a6b-0000-4000-8000-0000000000ff", start=0, end=10_000)
    with pytest.raises(QdaError, match="outside its text"):
        export_project(replace(project, codings=(*project.codings, beyond)))
    with pytest.raises(QdaError, match="not in the codebook"):
        export_project(replace(project, codings=(replace(project.codings[0], code_guid=SECOND),)))
    with pytest.raises(QdaError, match="#RRGGBB"):
        export_codebook(Codebook(codes=(Code("1c2d3e4f-0000-4000-8000-0000000000aa", "Red", colour="red"),)))
    with pytest.raises(QdaError, match="not a GUID"):
        export_project(Project(name="x", codes=(Code("code-1", "One"),)))
    with pytest.raises(QdaError, match="character"):
        export_project(replace(project, description="a bell \x07 rings"))


# ------------------------------------------------------------------------------------------ other files


MINIMAL = """<?xml version="1.0" encoding="utf-8"?>
<Project xmlns="urn:QDA-XML:project:1.0" name="Minimal"/>
"""


def test_a_minimal_hand_written_project_imports():
    assert validate_project_xml(MINIMAL.encode()) == []
    imported = import_project(package(MINIMAL))
    assert imported.project == Project(name="Minimal", origin="")
    assert imported.notices == ()


HAND_WRITTEN = """<?xml version="1.0" encoding="utf-8"?>
<Project xmlns="urn:QDA-XML:project:1.0" name="Hand written" origin="a text editor">
  <Users><User guid="11111111-2222-3333-4444-555555555555" name="Kari"/></Users>
  <CodeBook><Codes>
    <Code guid="aaaaaaaa-0000-0000-0000-000000000001" name="Bridging" isCodable="true"/>
  </Codes></CodeBook>
  <Sources>
    <TextSource guid="bbbbbbbb-0000-0000-0000-000000000001" name="Inline">
      <PlainTextContent>We talked about bridging.</PlainTextContent>
      <PlainTextSelection guid="cccccccc-0000-0000-0000-000000000001" startPosition="16" endPosition="24"
          creatingUser="11111111-2222-3333-4444-555555555555">
        <Coding guid="dddddddd-0000-0000-0000-000000000001">
          <CodeRef targetGUID="aaaaaaaa-0000-0000-0000-000000000001"/>
        </Coding>
      </PlainTextSelection>
    </TextSource>
  </Sources>
</Project>
"""


def test_a_hand_written_project_with_inline_text_imports_and_the_selection_gives_the_coder():
    project = import_project(package(HAND_WRITTEN)).project
    (source,) = project.sources
    (coding,) = project.codings
    assert source.text[coding.start : coding.end] == "bridging"
    assert coding.coder_guid == "11111111-2222-3333-4444-555555555555"
    assert project.users[0].name == "Kari"


# Written in the manner of the REFI-QDA example project exported by ATLAS.ti (capital GUIDs, a schema location,
# rich-text copies beside the plain texts, modification stamps, a picture, a selection with a comment only).
ATLAS_STYLE = """<?xml version="1.0" encoding="utf-8" standalone="yes"?>
<Project xmlns="urn:QDA-XML:project:1.0"
    xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" origin="ATLAS.ti 8.4.0"
    creatingUserGUID="AD68FBE7-E1EE-4A82-A279-23CC698C89EB" modifiedDateTime="2018-03-27T17:46:39Z"
    creationDateTime="2018-03-27T17:46:39Z" basePath="/Users/someone/Media"
    modifyingUserGUID="AD68FBE7-E1EE-4A82-A279-23CC698C89EB" name="Breakfast study"
    xsi:schemaLocation="urn:QDA-XML:project:1.0 http://schema.qdasoftware.org/versions/Project/v1.0/Project.xsd">
    <Users>
        <User guid="AD68FBE7-E1EE-4A82-A279-23CC698C89EB" name="First Coder"/>
    </Users>
    <CodeBook>
        <Codes>
            <Code color="#F00082" isCodable="true" name="Coke::diet Coke" guid="D299EFAE-5779-46DC-9827-A3D1A5D544BC">
                <Description>non sucré</Description>
            </Code>
            <Code guid="C3C7D437-6932-4B14-A55D-30B7F811BBF3" name="milk" isCodable="true"/>
        </Codes>
    </CodeBook>
    <Sources>
        <TextSource plainTextPath="internal://01106019-2518-43DD-BBD1-8F0252BACB30.txt"
            modifyingUser="AD68FBE7-E1EE-4A82-A279-23CC698C89EB" modifiedDateTime="2018-03-27T18:01:07Z"
            creatingUser="AD68FBE7-E1EE-4A82-A279-23CC698C89EB" creationDateTime="2018-03-27T18:01:07.1234567Z"
            richTextPath="internal://B5566006-EB5F-43F0-9BC2-DBCD4D2F73F7.docx"
            guid="69A4332D-5B31-4915-B520-5275CFC21B40" name="Interview Mabêl.docx">
            <PlainTextSelection startPosition="3" modifyingUser="AD68FBE7-E1EE-4A82-A279-23CC698C89EB"
                modifiedDateTime="2018-03-27T19:29:27Z" creatingUser="AD68FBE7-E1EE-4A82-A279-23CC698C89EB"
                creationDateTime="2018-03-27T19:29:27Z" endPosition="12"
                guid="4191294A-E287-4510-95B0-69BCE4638E56" name="diet Coke">
                <Coding creatingUser="AD68FBE7-E1EE-4A82-A279-23CC698C89EB" creationDateTime="2018-03-27T19:29:27Z"
                    guid="445A6AEC-1400-4502-919D-0867832FF211">
                    <CodeRef targetGUID="d299efae-5779-46dc-9827-a3d1a5d544bc"/>
                </Coding>
            </PlainTextSelection>
            <PlainTextSelection startPosition="0" endPosition="3" guid="{B49D7982-BB8E-4335-80AF-DC869CCC3F45}">
                <Description>Only a comment, no code.</Description>
            </PlainTextSelection>
        </TextSource>
        <PictureSource path="internal://87EAD86F-3112-4537-8A01-01427CAE1C6D.jpg"
            guid="02255470-09E6-400B-9E20-97D71FBEC65D" name="cornflakes.jpg">
            <PictureSelection firstX="267" firstY="1" secondY="720" secondX="992"
                guid="7532038C-670E-471B-AA89-A1098E9A4E33" name="Quotation 6:1">
                <Coding guid="8205358C-5489-4F75-A86D-C7A3DF1571CE">
                    <CodeRef targetGUID="C3C7D437-6932-4B14-A55D-30B7F811BBF3"/>
                </Coding>
            </PictureSelection>
        </PictureSource>
    </Sources>
</Project>
"""


def test_a_project_in_the_manner_of_atlas_ti_imports_its_text_and_says_what_it_left_out():
    text = "\ufeffMy diet Coke in the morning.\r\n"
    data = package(
        ATLAS_STYLE,
        {"sources/01106019-2518-43DD-BBD1-8F0252BACB30.txt": text.encode("utf-8"), "sources/x.jpg": b"\xff\xd8"},
    )
    assert validate_project_xml(ATLAS_STYLE.encode()) == []
    imported = import_project(data)
    project = imported.project
    (source,) = project.sources
    assert source.text == text.removeprefix("\ufeff")
    assert source.guid == "69a4332d-5b31-4915-b520-5275cfc21b40"  # GUIDs compare without case or braces
    assert source.created is not None and source.created.microsecond == 123456
    (coding,) = project.codings
    assert source.text[coding.start : coding.end] == "diet Coke"
    assert coding.code_guid == "d299efae-5779-46dc-9827-a3d1a5d544bc"
    assert coding.coder_guid == "ad68fbe7-e1ee-4a82-a279-23cc698c89eb"
    assert project.codes[0].description == "non sucré"
    assert any("Picture" in notice and "cornflakes.jpg" in notice for notice in imported.notices)
    assert any("carry no code" in notice for notice in imported.notices)
    # What came in goes out again as a valid file.
    assert validate_project_xml(entries(export_project(project))["project.qde"]) == []


# Written in the manner of QualCoder's export: the plain text in a file of its own GUID, a rich-text copy named
# after the document, the schema namespaces declared, a journal note whose text is a file of the package.
QUALCODER_STYLE = """<?xml version="1.0" encoding="utf-8"?>
<Project xmlns:xsd="http://www.w3.org/2001/XMLSchema" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance"
 name="guidance" origin="QualCoder 3.6" creatingUserGUID="70daf61c-b6f0-4b5e-8c2f-548fde3ad3d4"
 creationDateTime="2025-01-15 23:37:54Z" xmlns="urn:QDA-XML:project:1.0">
<Users>
<User guid="70daf61c-b6f0-4b5e-8c2f-548fde3ad3d4" name="default" />
</Users>
<CodeBook>
<Codes>
<Code guid="5d2b49d0-9562-4dd3-9ee3-ce2b965e413c" name="power" isCodable="true" color="#EB7333">
<Description>tokenism and power</Description>
<Code guid="6d2b49d0-9562-4dd3-9ee3-ce2b965e413c" name="tokenism" isCodable="true" color="#EB7333" />
</Code>
</Codes>
</CodeBook>
<Sources>
<TextSource richTextPath="internal://Anna.docx" plainTextPath="internal://a2b94468-0000-412f-92d6-e900d97b55a6.txt"
 creatingUser="70daf61c-b6f0-4b5e-8c2f-548fde3ad3d4" creationDateTime="2025-01-15T23:37:54Z"
 guid="a2b94468-80a5-412f-92d6-e900d97b55a6" name="Anna">
<Description>second interview</Description>
<PlainTextSelection guid="d61907b2-d0d4-48dc-b8b7-5e4f7ae5faa6" startPosition="8" endPosition="16"
 creatingUser="70daf61c-b6f0-4b5e-8c2f-548fde3ad3d4" creationDateTime="2025-01-15T23:37:54Z">
<Coding guid="7a7e80ca-ed8c-4006-86b3-731e36baca19" creatingUser="70daf61c-b6f0-4b5e-8c2f-548fde3ad3d4" >
<CodeRef targetGUID="6d2b49d0-9562-4dd3-9ee3-ce2b965e413c"/>
</Coding>
</PlainTextSelection>
<NoteRef targetGUID="4691a8a0-d67c-4dcc-91d6-e9075dc230cc" />
</TextSource>
</Sources>
<Notes>
<Note guid="4691a8a0-d67c-4dcc-91d6-e9075dc230cc" name="Assignment Progress Memo"
 richTextPath="internal://4691a8a0-d67c-4dcc-91d6-e9075dc230cc.docx"
 plainTextPath="internal://4691a8a0-d67c-4dcc-91d6-e9075dc230cc.txt"
 creatingUser="70daf61c-b6f0-4b5e-8c2f-548fde3ad3d4" creationDateTime="2019-06-04T06:11:56Z">
<Description>Steps towards completing the assignment</Description>
</Note>
</Notes>
<Description>peer workers on guidance</Description>
</Project>
"""


def test_a_project_in_the_manner_of_qualcoder_imports_with_its_note():
    xml = QUALCODER_STYLE.replace('creationDateTime="2025-01-15 23:37:54Z"', 'creationDateTime="2025-01-15T23:37:54Z"')
    data = package(
        xml,
        {
            "sources/a2b94468-0000-412f-92d6-e900d97b55a6.txt": b"He felt a token, at first.",
            "sources/4691a8a0-d67c-4dcc-91d6-e9075dc230cc.txt": b"Write up the STC steps.",
        },
    )
    imported = import_project(data)
    project = imported.project
    assert imported.notices == ()
    (coding,) = project.codings
    assert project.sources[0].text[coding.start : coding.end] == "a token,"
    assert [code.name for code in project.all_codes()] == ["power", "tokenism"]
    (note,) = project.notes
    assert note.text == "Write up the STC steps."
    assert note.attached_to == ("a2b94468-80a5-412f-92d6-e900d97b55a6",)
    assert project.description == "peer workers on guidance"


def test_a_date_the_schema_does_not_allow_is_named_with_its_line():
    # QualCoder has been seen writing a space for the "T" of a date: the schema refuses it, and so does the import.
    message = refused(package(QUALCODER_STYLE))
    assert "line 4" in message and "creationDateTime" in message and "dateTime" in message


# ------------------------------------------------------------------------------------------ invalid files


def test_a_file_that_is_no_zip_package_is_refused_plainly():
    assert "not a REFI-QDA project package" in refused(b"%PDF-1.7 not a zip at all")
    assert "not a REFI-QDA project package" in refused(b"")


def test_a_package_without_a_project_is_refused():
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("sources/a.txt", b"text")
    assert "holds no project" in refused(buffer.getvalue())


def test_broken_xml_is_refused_with_its_line():
    message = refused(package('<?xml version="1.0"?>\n<Project xmlns="urn:QDA-XML:project:1.0" name="x">\n<Users>\n'))
    assert "not well-formed XML" in message and "line 4" in message


def test_a_schema_violation_names_the_line_and_the_element():
    xml = MINIMAL.replace(
        'name="Minimal"/>',
        'name="Minimal">\n<CodeBook><Codes>\n<Code guid="aaaaaaaa-0000-0000-0000-000000000001" name="x"/>'
        "\n</Codes></CodeBook>\n</Project>",
    )
    with pytest.raises(QdaError) as caught:
        import_project(package(xml))
    (problem,) = caught.value.problems
    assert problem.line == 4
    assert problem.element == "Code"
    assert "isCodable" in problem.message and "{urn:" not in problem.message
    assert "project.qde, line 4, element Code" in str(caught.value)


def test_another_namespace_is_refused_with_the_one_expected():
    message = refused(package('<Project xmlns="urn:QDA-XML:project:2.0" name="x"/>'))
    assert "urn:QDA-XML:project:1.0" in message and "urn:QDA-XML:project:2.0" in message
    with pytest.raises(QdaError, match="expected 'CodeBook'"):
        import_codebook(MINIMAL.encode())


def test_a_coding_of_an_unknown_code_or_beyond_the_text_is_refused_with_its_line():
    unknown = HAND_WRITTEN.replace('<CodeRef targetGUID="aaaaaaaa', '<CodeRef targetGUID="eeeeeeee')
    message = refused(package(unknown))
    assert "line 12, element Coding" in message and "does not hold" in message
    beyond = HAND_WRITTEN.replace('endPosition="24"', 'endPosition="240"')
    message = refused(package(beyond))
    assert (
        "line 11, element PlainTextSelection" in message
    )  # where its start tag ends and "outside the text" in message


def test_a_text_missing_from_the_package_or_not_in_utf8_is_refused():
    xml = ATLAS_STYLE
    assert "missing from the package" in refused(package(xml))
    name = "sources/01106019-2518-43DD-BBD1-8F0252BACB30.txt"
    assert "not UTF-8" in refused(package(xml, {name: "blåbær".encode("latin-1")}))


def test_an_invalid_codebook_is_refused_with_its_line():
    qdc = export_codebook(sample_project()).replace(b'color="#1F77B4"', b'color="blue"')
    with pytest.raises(QdaError) as caught:
        import_codebook(qdc)
    assert caught.value.problems[0].line == 4  # the first Code
    assert "color" in str(caught.value)
    with pytest.raises(QdaError, match="not well-formed"):
        import_codebook(b"<CodeBook")


# ------------------------------------------------------------------------------------------ hostile files


XXE = """<?xml version="1.0"?>
<!DOCTYPE Project [<!ENTITY secret SYSTEM "file:///etc/passwd">]>
<Project xmlns="urn:QDA-XML:project:1.0" name="&secret;"/>
"""

LAUGHS = (
    '<?xml version="1.0"?>\n<!DOCTYPE Project [<!ENTITY a "lol"><!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;">'
    + "".join(f'<!ENTITY {chr(99 + i)} "{("&" + chr(98 + i) + ";") * 10}">' for i in range(8))
    + ']>\n<Project xmlns="urn:QDA-XML:project:1.0" name="&j;"/>'
)

NETWORK = """<?xml version="1.0"?>
<!DOCTYPE Project SYSTEM "http://127.0.0.1:9/evil.dtd">
<Project xmlns="urn:QDA-XML:project:1.0" name="x"/>
"""


@pytest.mark.parametrize("xml", [XXE, LAUGHS, NETWORK], ids=["external entity", "billion laughs", "remote dtd"])
def test_document_type_declarations_are_refused_and_no_entity_is_expanded(xml):
    message = refused(package(xml))
    assert "document type" in message
    assert "root:" not in message
    with pytest.raises(QdaError, match="document type"):
        import_codebook(xml.replace("Project", "CodeBook").encode())


def test_an_entry_pointing_outside_the_package_is_refused():
    for name in ("../evil.txt", "/etc/evil.txt", "sources/../../evil.txt", "C:/evil.txt", "sources\\..\\evil"):
        buffer = io.BytesIO()
        with zipfile.ZipFile(buffer, "w") as archive:
            archive.writestr("project.qde", MINIMAL)
            archive.writestr(name, b"x")
        assert "points outside the package" in refused(buffer.getvalue()), name


def test_a_text_path_outside_the_package_is_never_read():
    traversal = HAND_WRITTEN.replace("<PlainTextContent>We talked about bridging.</PlainTextContent>", "").replace(
        'name="Inline">', 'name="Inline" plainTextPath="internal://../../../etc/hostname">'
    )
    assert "points outside the package" in refused(package(traversal))
    absolute = ATLAS_STYLE.replace(
        "internal://01106019-2518-43DD-BBD1-8F0252BACB30.txt", "absolute:///etc/hostname"
    ).replace('creationDateTime="2018-03-27T18:01:07.1234567Z"', "")
    imported = import_project(package(absolute))
    assert imported.project.sources == ()
    assert imported.project.codings == ()
    assert any("outside the package" in notice for notice in imported.notices)


def test_a_zip_bomb_is_refused_before_it_is_unpacked():
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("project.qde", MINIMAL)
        archive.writestr("sources/zeros.txt", b"\0" * (20 * 1024 * 1024))
    data = buffer.getvalue()
    assert len(data) < 100_000
    assert "would grow" in refused(data)


def test_the_limits_hold_for_size_entries_and_unpacked_total():
    data = export_project(sample_project())
    assert "too large" in refused(data, limits=Limits(max_package_bytes=100))
    assert "too many files" in refused(data, limits=Limits(max_entries=2))
    assert "unpacks to too much" in refused(data, limits=Limits(max_unpacked_bytes=1000))


def test_an_encrypted_entry_is_refused():
    data = bytearray(package(MINIMAL))
    # Set the "encrypted" flag in the central directory's entry (offset 8 of its 46-byte header).
    at = data.rindex(b"PK\x01\x02")
    data[at + 8] |= 0x1
    assert "encrypted" in refused(bytes(data))


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.data())
def test_a_damaged_file_raises_only_the_import_error(data):
    """Whatever bytes of the package or of its XML are flipped or cut, the import answers with a QdaError or a
    project, never a traceback."""
    exported = export_project(sample_project())
    inside = data.draw(st.booleans(), label="damage the XML inside the package")
    original = bytearray(entries(exported)["project.qde"] if inside else exported)
    if data.draw(st.booleans(), label="cut"):
        original = original[: data.draw(st.integers(0, len(original)), label="length")]
    for _ in range(data.draw(st.integers(1, 8), label="flips")):
        if original:
            index = data.draw(st.integers(0, len(original) - 1), label="index")
            original[index] = data.draw(st.integers(0, 255), label="byte")
    files = {name: content for name, content in entries(exported).items() if name != "project.qde"}
    try:
        import_project(package(bytes(original), files) if inside else bytes(original))
    except QdaError as error:
        assert str(error)


@settings(max_examples=60, deadline=None)
@given(st.binary(max_size=400) | st.text(max_size=400).map(str.encode))
def test_random_codebook_bytes_raise_only_the_import_error(data):
    try:
        import_codebook(data)
    except QdaError as error:
        assert str(error)


def nested_codes(depth: int) -> str:
    codes = "".join(f'<Code guid="aaaaaaaa-0000-0000-0000-{i:012d}" name="c" isCodable="true">' for i in range(depth))
    tree = f"<CodeBook><Codes>{codes}{'</Code>' * depth}</Codes></CodeBook>"
    return f'<Project xmlns="urn:QDA-XML:project:1.0" name="x">{tree}</Project>'


def test_a_deep_code_tree_imports_and_an_absurdly_deep_one_is_refused_cleanly():
    assert len(list(import_project(package(nested_codes(100))).project.all_codes())) == 100
    assert "Excessive depth" in refused(package(nested_codes(3000)))


def test_codebook_sets_survive_and_unknown_members_are_refused():
    codebook = Codebook(
        codes=(Code(RECOVERY, "Recovery"),),
        sets=(CodeSet("6b7c8d9e-0000-4000-8000-000000000009", "Theme", code_guids=(RECOVERY,)),),
    )
    assert import_codebook(export_codebook(codebook)) == codebook
    broken = export_codebook(codebook).replace(b'MemberCode guid="1c2d', b'MemberCode guid="9c2d')
    with pytest.raises(QdaError, match="lists a code that is not in the codebook"):
        import_codebook(broken)


def test_coder_missing_everywhere_is_counted_as_one_unknown_coder():
    xml = HAND_WRITTEN.replace('\n          creatingUser="11111111-2222-3333-4444-555555555555"', "")
    imported = import_project(package(xml))
    (coding,) = imported.project.codings
    assert {u.name for u in imported.project.users if u.guid == coding.coder_guid} == {"Unknown coder"}
    assert any("Unknown coder" in notice for notice in imported.notices)
    assert isinstance(imported.project.codings[0], Coding)
    assert ANNE not in {u.guid for u in imported.project.users}


def test_the_folder_and_file_names_of_the_package_are_found_whatever_their_case():
    """Some tools write "Project.qde" and a "Sources/" folder."""
    text = "\ufeffMy diet Coke in the morning.\r\n"
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("Project.qde", ATLAS_STYLE)
        archive.writestr("Sources/01106019-2518-43dd-bbd1-8f0252bacb30.TXT", text.encode("utf-8"))
    project = import_project(buffer.getvalue()).project
    assert project.sources[0].text == text.removeprefix("\ufeff")


def test_imports_in_parallel_threads_each_report_their_own_problems():
    good = export_project(sample_project())
    bad = package(MINIMAL.replace('name="Minimal"/>', 'name="x"><Users/></Project>'))

    def run(index: int) -> str:
        try:
            return import_project(good if index % 2 else bad).project.name
        except QdaError as error:
            return f"error at line {error.problems[0].line}"

    with ThreadPoolExecutor(max_workers=4) as pool:
        results = list(pool.map(run, range(40)))
    assert set(results[1::2]) == {sample_project().name}
    assert set(results[::2]) == {"error at line 2"}


XML_TEXT = st.text(
    alphabet=st.characters(blacklist_categories=("Cs", "Cc"), blacklist_characters="\ufffe\uffff")
    | st.sampled_from("\t\n\r <>&\"'"),
    max_size=30,
)


@st.composite
def projects(draw: st.DrawFn) -> Project:
    guids = iter(f"{n:08x}-0000-4000-8000-000000000000" for n in range(1, 10_000))
    users = tuple(User(next(guids), draw(XML_TEXT)) for _ in range(draw(st.integers(1, 3))))
    codes = tuple(
        Code(next(guids), draw(XML_TEXT), draw(XML_TEXT), draw(st.none() | st.just("#00ff00")), draw(st.booleans()))
        for _ in range(draw(st.integers(1, 4)))
    )
    sources = tuple(
        Source(next(guids), draw(XML_TEXT), draw(st.text(alphabet=st.characters(blacklist_categories=("Cs",)))))
        for _ in range(draw(st.integers(1, 3)))
    )
    codings = []
    for _ in range(draw(st.integers(0, 6))):
        source = draw(st.sampled_from(sources))
        start = draw(st.integers(0, len(source.text)))
        end = draw(st.integers(start, len(source.text)))
        coder, code = draw(st.sampled_from(users)).guid, draw(st.sampled_from(codes)).guid
        codings.append(Coding(next(guids), source.guid, start, end, code, coder, selection_guid=next(guids)))
    notes = tuple(Note(next(guids), draw(XML_TEXT), draw(XML_TEXT)) for _ in range(draw(st.integers(0, 2))))
    return Project(
        draw(XML_TEXT),
        draw(XML_TEXT),
        users=users,
        codes=codes,
        sources=sources,
        codings=tuple(codings),
        notes=notes,
        description=draw(XML_TEXT),
    )


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(projects())
def test_any_project_survives_export_and_import_unchanged(project):
    """Everything comes back; codings come back in the order of the text (by source, start, end)."""
    data = export_project(project)
    assert validate_project_xml(entries(data)["project.qde"]) == []
    order = {source.guid: i for i, source in enumerate(project.sources)}
    in_text_order = sorted(
        project.codings, key=lambda c: (order[c.source_guid], c.start, c.end, c.selection_guid, c.guid)
    )
    assert import_project(data).project == replace(project, codings=tuple(in_text_order))

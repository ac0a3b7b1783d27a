"""Bad inputs are refused with the right typed error and a reason; nothing else escapes."""

from __future__ import annotations

import os
import time
from pathlib import Path

import pytest

from netnav import settings
from netnav.errors import (
    BadInputError,
    CorruptFileError,
    DecodeError,
    EmptyDocumentError,
    FileTooLargeError,
    NoTextLayerError,
    UnsupportedFormatError,
)
from netnav.ingest import parse_bytes, parse_file
from tests.ingest.ingest_pdfgen import IMAGE_LIKE_STREAM, make_pdf, text_stream


def _write(tmp_path: Path, name: str, data: bytes) -> Path:
    path = tmp_path / name
    path.write_bytes(data)
    return path


def test_empty_file(tmp_path: Path) -> None:
    with pytest.raises(EmptyDocumentError, match="empty"):
        parse_file(_write(tmp_path, "empty.txt", b""))


@pytest.mark.parametrize("name", ["blank.txt", "blank.md", "blank.html", "blank.json", "blank"])
def test_whitespace_only(tmp_path: Path, name: str) -> None:
    with pytest.raises(EmptyDocumentError, match="whitespace"):
        parse_file(_write(tmp_path, name, b"  \n\t\r\n   \n"))


def test_markdown_with_only_front_matter_is_empty(tmp_path: Path) -> None:
    with pytest.raises(EmptyDocumentError, match="no text"):
        parse_file(_write(tmp_path, "fm.md", b"---\ntitle: Nothing here\n---\n\n# Heading only\n"))


@pytest.mark.parametrize("name", ["garbage.txt", "garbage.bin", "garbage.md", "garbage"])
def test_binary_garbage(tmp_path: Path, name: str) -> None:
    data = bytes(range(256)) * 8 + os.urandom(512)
    with pytest.raises(UnsupportedFormatError, match="binary"):
        parse_file(_write(tmp_path, name, data))


def test_known_binary_format_is_named(tmp_path: Path) -> None:
    png = b"\x89PNG\r\n\x1a\n" + b"\x00\x00\x00\rIHDR" + b"\x01" * 64
    with pytest.raises(UnsupportedFormatError, match="PNG"):
        parse_file(_write(tmp_path, "scan.txt", png))


def _text_pdf() -> bytes:
    return make_pdf([text_stream(["Neuroendocrine tumours are graded by the Ki-67 index."])] * 2)


@pytest.mark.parametrize("fraction", [0.1, 0.5, 0.9, 0.99])
def test_truncated_pdf(tmp_path: Path, fraction: float) -> None:
    data = _text_pdf()
    assert parse_bytes(data, "whole.pdf").passages  # the untruncated file is fine
    with pytest.raises(CorruptFileError):
        parse_file(_write(tmp_path, "cut.pdf", data[: int(len(data) * fraction)]))


def test_damaged_pdf_body(tmp_path: Path) -> None:
    with pytest.raises(CorruptFileError):
        parse_file(_write(tmp_path, "bad.pdf", b"%PDF-1.4\nthis is not a pdf body\n%%EOF\n"))


def test_pdf_extension_without_pdf_content(tmp_path: Path) -> None:
    with pytest.raises(CorruptFileError, match="PDF"):
        parse_file(_write(tmp_path, "fake.pdf", b"just some text pretending to be a PDF"))


def test_image_only_pdf(tmp_path: Path) -> None:
    with pytest.raises(NoTextLayerError, match="no text layer: OCR not supported"):
        parse_file(_write(tmp_path, "scan.pdf", make_pdf([IMAGE_LIKE_STREAM, IMAGE_LIKE_STREAM])))


def test_too_large_file_refused_before_reading(tmp_path: Path) -> None:
    path = tmp_path / "huge.txt"
    with path.open("wb") as handle:  # sparse: no 50 MB actually written to disk
        handle.seek(settings.MAX_FILE_BYTES + 1)
        handle.write(b"x")
    started = time.perf_counter()
    with pytest.raises(FileTooLargeError, match="too large"):
        parse_file(path)
    assert time.perf_counter() - started < 0.5


def test_file_at_limit_passes_the_size_check(tmp_path: Path) -> None:
    # Exactly 50 MB is refused (limit is 50 MB - 1), one byte less is not refused for size.
    path = tmp_path / "edge.txt"
    with path.open("wb") as handle:
        handle.seek(settings.MAX_FILE_BYTES - 1)
        handle.write(b"x")
    assert path.stat().st_size == settings.MAX_FILE_BYTES
    with pytest.raises(BadInputError) as info:
        parse_file(path)
    assert not isinstance(info.value, FileTooLargeError)
    assert isinstance(info.value, UnsupportedFormatError)  # sparse zeros: refused as binary instead


def test_too_large_upload() -> None:
    with pytest.raises(FileTooLargeError):
        parse_bytes(b"a" * (settings.MAX_FILE_BYTES + 1), "upload.txt")


def test_cp1252_text_decoded(tmp_path: Path) -> None:
    text = "Caf\u00e9 notes: M\u00fcller reviewed the na\u00efve tumour \u2013 grade 2 \u201cwell differentiated\u201d."
    parsed = parse_file(_write(tmp_path, "legacy.txt", text.encode("cp1252")))
    assert parsed.full_text == text


def test_latin1_only_bytes_decoded(tmp_path: Path) -> None:
    data = "R\u00e9sum\u00e9 du patient: tumeur neuroendocrine.".encode("latin-1") + b" \x81"
    parsed = parse_file(_write(tmp_path, "latin.txt", data))
    assert parsed.full_text.startswith("R\u00e9sum\u00e9 du patient")


@pytest.mark.parametrize("encoding", ["utf-16", "utf-16-be", "utf-8-sig", "utf-32"])
def test_bom_encodings(tmp_path: Path, encoding: str) -> None:
    text = "Gr\u00f6\u00dfe des Tumors: 1,2 cm. Ki-67 betr\u00e4gt 3 %."
    data = text.encode(encoding)
    if encoding == "utf-16-be":
        data = b"\xfe\xff" + data
    parsed = parse_file(_write(tmp_path, f"bom-{encoding}.txt", data))
    assert parsed.full_text == text


def test_utf16_bom_markdown(tmp_path: Path) -> None:
    parsed = parse_file(
        _write(tmp_path, "doc.md", "# Titel\n\nEin Absatz \u00fcber Tumoren.\n".encode("utf-16"))
    )
    assert parsed.document.title == "Titel"
    assert parsed.passages[0].text == "Ein Absatz \u00fcber Tumoren."


def test_broken_utf16_is_decode_error(tmp_path: Path) -> None:
    data = b"\xff\xfe" + "Tumour".encode("utf-16-le") + b"\x00\xd8"  # lone high surrogate at the end
    with pytest.raises(DecodeError):
        parse_file(_write(tmp_path, "broken.txt", data))


@pytest.mark.parametrize(
    "data",
    [
        b"<PubmedArticleSet><PubmedArticle><MedlineCitation>",
        b"<?xml version='1.0'?><clinical_study><brief_title>x</clinical_study>",
        b"<document xmlns='urn:hl7-org:v3'><title>x & y</title></document>",
    ],
)
def test_malformed_xml(tmp_path: Path, data: bytes) -> None:
    with pytest.raises(CorruptFileError, match="malformed XML"):
        parse_file(_write(tmp_path, "bad.xml", data))


def test_unknown_xml_root(tmp_path: Path) -> None:
    with pytest.raises(UnsupportedFormatError, match="<catalog>"):
        parse_file(_write(tmp_path, "other.xml", b"<catalog><book>A</book></catalog>"))


def test_xml_entities_not_expanded(tmp_path: Path) -> None:
    data = (
        b'<?xml version="1.0"?><!DOCTYPE clinical_study [<!ENTITY x SYSTEM "file:///etc/passwd">]>'
        b"<clinical_study><id_info><nct_id>NCT00000001</nct_id></id_info><brief_title>T &x;</brief_title>"
        b"<brief_summary><textblock>A short invented summary of a trial.</textblock></brief_summary>"
        b"</clinical_study>"
    )
    try:
        parsed = parse_file(_write(tmp_path, "xxe.xml", data))
    except BadInputError:
        return
    assert "root:" not in parsed.full_text


@pytest.mark.parametrize("data", [b'{"name": "not a trial"}', b"[1, 2, 3]", b'"text"', b'{"studies": []}'])
def test_json_that_is_not_ctgov(tmp_path: Path, data: bytes) -> None:
    with pytest.raises(UnsupportedFormatError, match="ClinicalTrials.gov"):
        parse_file(_write(tmp_path, "data.json", data))


def test_malformed_json(tmp_path: Path) -> None:
    with pytest.raises(CorruptFileError, match="malformed JSON"):
        parse_file(_write(tmp_path, "bad.json", b'{"protocolSection": {'))


def test_missing_file_and_directory(tmp_path: Path) -> None:
    with pytest.raises(BadInputError, match="not found"):
        parse_file(tmp_path / "nope.txt")
    with pytest.raises(BadInputError, match="not a regular file"):
        parse_file(tmp_path)


def test_deeply_nested_json_does_not_crash(tmp_path: Path) -> None:
    data = b"[" * 100_000 + b"]" * 100_000
    with pytest.raises(BadInputError):
        parse_file(_write(tmp_path, "deep.json", data))


def test_mixed_pdf_keeps_text_pages(tmp_path: Path) -> None:
    data = make_pdf([IMAGE_LIKE_STREAM, text_stream(["Only the second page has words about tumours."])])
    parsed = parse_file(_write(tmp_path, "mixed.pdf", data))
    assert [p.page for p in parsed.passages] == [2]


def test_undecodable_high_bytes_are_decode_error(tmp_path: Path) -> None:
    data = bytes(range(0x80, 0x100)) * 20  # not UTF-8; as latin-1 a quarter are C1 control characters
    with pytest.raises(DecodeError, match="cannot decode"):
        parse_file(_write(tmp_path, "odd.txt", data))


def test_adversarial_markdown_is_fast() -> None:
    started = time.perf_counter()
    for data in (b"<a " * 50_000, b"[x" * 50_000, b"_a " * 50_000, b"[a](" * 50_000):
        parse_bytes(data, "adversarial.md")
    assert time.perf_counter() - started < 10

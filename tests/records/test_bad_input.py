"""Bad input: typed errors with clear messages, never a crash."""

from __future__ import annotations

from pathlib import Path

import pytest

from netnav import settings
from netnav.errors import (
    BadInputError,
    CaseFileError,
    CorruptFileError,
    DecodeError,
    FileTooLargeError,
    NoTextLayerError,
)
from netnav.records import case_to_json, extract_case, extract_text, load_case_json
from tests.records.helpers import FIXTURES, make_pdf


def test_image_only_pdf_says_no_text_layer(tmp_path: Path) -> None:
    pdf = make_pdf(tmp_path / "scan.pdf", [])
    with pytest.raises(NoTextLayerError, match="no text layer: OCR not supported"):
        extract_case([pdf])


def test_pdf_text_layer_is_read_with_line_numbers(tmp_path: Path) -> None:
    pdf = make_pdf(
        tmp_path / "path.pdf",
        [
            "SURGICAL PATHOLOGY",
            "Specimen: Rectum, polypectomy.",
            "Neuroendocrine tumor, grade 1, 0.4 cm.",
            "Ki-67 index: <1%.",
        ],
    )
    p = extract_case([pdf])
    assert p.value("primary_site") == "rectum" and p.value("ki67_percent") == "<1"
    assert p.value("tumor_size_cm") == 0.4
    assert p.fields["ki67_percent"].text == "Ki-67 index: <1%."


def test_damaged_pdf_is_corrupt(tmp_path: Path) -> None:
    bad = tmp_path / "broken.pdf"
    bad.write_bytes(b"%PDF-1.4\n garbage without objects")
    with pytest.raises((CorruptFileError, NoTextLayerError)):
        extract_case([bad])


def test_file_over_limit_is_refused_before_reading(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    big = tmp_path / "huge.txt"
    with big.open("wb") as fh:  # sparse: 50 MB on paper, nothing written
        fh.truncate(settings.MAX_FILE_BYTES + 1)

    def boom(*_: object, **__: object) -> bytes:
        raise AssertionError("file was read")

    monkeypatch.setattr(Path, "read_bytes", boom)
    with pytest.raises(FileTooLargeError, match="50 MB"):
        extract_case([big])


def test_undecodable_and_binary_files(tmp_path: Path) -> None:
    latin = tmp_path / "latin.txt"
    latin.write_bytes("Ki-67 \xb5 15%".encode("latin-1") + b"\xff\xfe\xfd")
    with pytest.raises(DecodeError):
        extract_case([latin])
    binary = tmp_path / "image.txt"
    binary.write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR")
    with pytest.raises(DecodeError):
        extract_case([binary])


def test_empty_and_whitespace_documents_give_empty_profile_with_warning(tmp_path: Path) -> None:
    for content in ("", "   \n\n  \t\n"):
        f = tmp_path / "empty.txt"
        f.write_text(content, encoding="utf-8")
        p = extract_case([f])
        assert p.fields == {} and any("empty" in w for w in p.warnings)


def test_missing_file_is_bad_input(tmp_path: Path) -> None:
    with pytest.raises(BadInputError, match="not found"):
        extract_case([tmp_path / "nope.txt"])


def test_fhir_json_without_usable_resources_warns() -> None:
    p = extract_text('{"resourceType": "Bundle", "type": "collection", "entry": []}', "empty.json")
    assert p.fields == {} and p.warnings


def test_case_json_round_trip_and_errors(tmp_path: Path) -> None:
    profile = extract_case([FIXTURES / "f01-flattened-table.txt"])
    f = tmp_path / "case.json"
    f.write_text(case_to_json(profile), encoding="utf-8")
    assert load_case_json(f) == profile
    (tmp_path / "bad.json").write_text("{not json", encoding="utf-8")
    with pytest.raises(CaseFileError):
        load_case_json(tmp_path / "bad.json")
    (tmp_path / "wrong.json").write_text('{"fields": {"ki67_percent": {"value": 3}}}', encoding="utf-8")
    with pytest.raises(CaseFileError, match="not a valid CaseProfile"):
        load_case_json(tmp_path / "wrong.json")
    with pytest.raises(CaseFileError, match="not found"):
        load_case_json(tmp_path / "absent.json")

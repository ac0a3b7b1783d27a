"""Reports in the formats people have: Word .docx, phone photos and scanned PDFs (OCR)."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from netnav.casebook.formats import LOW_CONFIDENCE_NOTE, OcrUnavailableError, read_any
from netnav.casebook.reading import read_report
from netnav.errors import CorruptFileError, UnsupportedFormatError
from tests.casebook.reports import FIRST
from tests.casebook.scans import scan_bytes

needs_tesseract = pytest.mark.skipif(
    shutil.which("tesseract") is None, reason="Debian tesseract-ocr not installed (make ocr-deps)"
)


def _docx(path: Path) -> Path:
    import docx

    document = docx.Document()
    document.add_heading("Surgical pathology report", level=1)
    document.add_paragraph("Date of report: 2024-03-01")
    table = document.add_table(rows=3, cols=2)
    for row, (key, value) in zip(
        table.rows,
        [
            ("Specimen", "pancreas, distal pancreatectomy"),
            ("Ki-67 proliferation index", "12%"),
            ("Tumor size", "2.5 cm"),
        ],
        strict=True,
    ):
        row.cells[0].text, row.cells[1].text = key, value
    document.add_paragraph("Diagnosis: Well-differentiated neuroendocrine tumor, grade 2")
    document.save(str(path))
    return path


def test_docx_paragraphs_and_tables_are_read(tmp_path: Path) -> None:
    report = read_report(_docx(tmp_path / "report.docx"))
    fields = report.profile.fields
    assert fields["ki67_percent"].value == 12
    assert fields["ki67_percent"].text == "Ki-67 proliferation index: 12%"
    assert report.lines[fields["ki67_percent"].line - 1] == "Ki-67 proliferation index: 12%"
    assert fields["tumor_size_cm"].value == 2.5 and fields["grade"].value == "G2"
    assert report.report_date == "2024-03-01"


def test_broken_docx_and_old_doc_are_refused(tmp_path: Path) -> None:
    bad = tmp_path / "bad.docx"
    bad.write_bytes(b"PK\x03\x04 not really a zip")
    with pytest.raises(CorruptFileError):
        read_any(bad)
    old = tmp_path / "old.doc"
    old.write_bytes(b"\xd0\xcf\x11\xe0")
    with pytest.raises(UnsupportedFormatError, match=r"\.docx"):
        read_any(old)


@needs_tesseract
@pytest.mark.parametrize(("suffix", "fmt"), [(".jpg", "JPEG"), (".pdf", "PDF")])
def test_scanned_report_is_read_by_ocr(tmp_path: Path, suffix: str, fmt: str) -> None:
    path = tmp_path / f"scan{suffix}"
    path.write_bytes(scan_bytes(FIRST, fmt=fmt))
    report = read_report(path)
    fields = report.profile.fields
    assert fields["ki67_percent"].value == 12
    assert fields["tumor_size_cm"].value == 2.5
    assert fields["primary_site"].value == "pancreas"
    assert report.report_date == "2024-03-01"
    confidence = report.meta["ocr_confidence"]
    assert isinstance(confidence, float) and 50 < confidence <= 100


@needs_tesseract
def test_low_confidence_values_are_flagged(tmp_path: Path) -> None:
    path = tmp_path / "blurry.png"
    path.write_bytes(scan_bytes(FIRST, noise=95.0, size=17))
    report = read_report(path)
    low = str(report.meta["low_confidence_lines"])
    assert low, "a very noisy photo has lines under the confidence threshold"
    flagged = [fv for fv in report.profile.fields.values() if str(fv.line) in low.split(",")]
    assert all(LOW_CONFIDENCE_NOTE in (fv.note or "") for fv in flagged)


def test_missing_tesseract_gives_a_clear_message(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    import pytesseract

    monkeypatch.setattr(pytesseract.pytesseract, "tesseract_cmd", "/nonexistent/tesseract")
    path = tmp_path / "photo.png"
    path.write_bytes(scan_bytes("Ki-67: 5%"))
    with pytest.raises(OcrUnavailableError, match="apt-get install tesseract-ocr"):
        read_any(path)


def test_a_file_that_is_not_an_image_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "photo.jpg"
    path.write_bytes(b"not an image at all")
    with pytest.raises(CorruptFileError):
        read_any(path)


@pytest.mark.parametrize(
    ("raw", "clean"),
    [
        ("Tumor size:.2.5:¢m :", "Tumor size: 2.5 cm"),
        ("Date.of report: 2024-03-01", "Date of report: 2024-03-01"),
        ("Ki-67 index:12% .", "Ki-67 index: 12%"),
        ("Mitoses: 4;per 2 mm2", "Mitoses: 4 per 2 mm2"),
        ("Ki67 ‘ labelling index: 18 %", "Ki67 labelling index: 18 %"),
        ("Size:,1.8 cm", "Size: 1.8 cm"),
        ("Margins . : negative", "Margins negative"),
        ("e.g. 3 mm", "e.g. 3 mm"),
        ("pT2 N1 M0", "pT2 N1 M0"),
        ("Chromogranin A: 180 ng/mL", "Chromogranin A: 180 ng/mL"),
    ],
)
def test_ocr_slips_are_undone(raw: str, clean: str) -> None:
    from netnav.casebook.formats import clean_ocr_line

    assert clean_ocr_line(raw) == clean

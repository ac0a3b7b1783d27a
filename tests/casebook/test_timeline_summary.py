"""Timeline points, SVG plot, visit summary (Markdown and one-page PDF) of a saved case."""

from __future__ import annotations

import io
from pathlib import Path

import pytest

from netnav.casebook import CaseBook, open_casebook
from netnav.casebook.plots import render_svg
from netnav.casebook.summary import build_summary, summary_markdown
from netnav.casebook.timeline import build_timeline
from tests.casebook.reports import FIRST, SECOND


@pytest.fixture()
def book(tmp_path: Path) -> CaseBook:
    book = open_casebook(tmp_path / "home")
    first = tmp_path / "a.txt"
    first.write_text(FIRST + "Chromogranin A: 180 ng/mL\nPrior therapy: octreotide LAR\n", encoding="utf-8")
    second = tmp_path / "b.txt"
    second.write_text(SECOND + "CgA 420 ng/ml\nTreatment history: octreotide, everolimus\n", encoding="utf-8")
    book.create_from_files("Dad", [first])
    book.add_files("Dad", [second])
    return book


def test_timeline_keeps_every_report_value(book: CaseBook) -> None:
    timeline = build_timeline(book.view("Dad").saved.reports)
    ki67 = timeline.series("ki67_percent")
    assert [(p.date, p.value, p.source, p.line) for p in ki67] == [
        ("2024-03-01", 12.0, "a.txt", 5),
        ("2025-06-10", 25.0, "b.txt", 5),
    ]
    cga = timeline.series("chromogranin_a")
    assert [p.value for p in cga] == [180.0, 420.0] and {p.unit.lower() for p in cga} == {"ng/ml"}
    assert "hiaa_5" not in timeline.present()


@pytest.mark.parametrize(
    ("line", "value"),
    [
        ("Chromogranin A: 180 ng/mL", 180.0),
        ("chromogranin-A 95 ug/L", 95.0),
        ("CgA (serum) 1,250 ng/mL", None),  # thousands separators are ambiguous: left out
        ("5-HIAA, 24 h urine: 12.5 mg/24h", 12.5),
        ("Urine 5 HIAA 40 mg/24 hours", 40.0),
        ("Chromogranin A not done", None),
        ("Chromogranin A: pending", None),
    ],
)
def test_lab_values_are_read_narrowly(tmp_path: Path, line: str, value: float | None) -> None:
    book = open_casebook(tmp_path / "home")
    path = tmp_path / "labs.txt"
    path.write_text(f"Lab report\nDate: 2025-01-02\n{line}\n", encoding="utf-8")
    book.create_from_files("Labs", [path])
    timeline = build_timeline(book.view("Labs").saved.reports)
    found = [p.value for p in timeline.points if p.series in ("chromogranin_a", "hiaa_5")]
    assert found == ([] if value is None else [value])


def test_plot_is_an_svg_with_grade_bands_and_treatments(book: CaseBook) -> None:
    svg = render_svg(build_timeline(book.view("Dad").saved.reports), "Dad")
    assert svg.lstrip().startswith("<?xml") and "<svg" in svg
    for text in ("Ki-67 index", "G1", "G2", "G3", "Chromogranin A", "octreotide", "everolimus"):
        assert text in svg, text
    assert "http://" not in svg.replace("http://www.w3.org", "").replace("http://purl.org", "").replace(
        "http://creativecommons.org", ""
    ).replace("https://matplotlib.org", "")


def test_empty_case_still_plots(tmp_path: Path) -> None:
    book = open_casebook(tmp_path / "home")
    book.create("Empty")
    assert "No values over time yet" in render_svg(build_timeline([]), "Empty")


def test_visit_summary_markdown_and_pdf(book: CaseBook) -> None:
    from pypdf import PdfReader

    from netnav.casebook.pdf import summary_pdf
    from netnav.rules import assess

    book.correct("Dad", "tumor_size_cm", "3")
    view = book.view("Dad")
    summary = build_summary(view, assess(view.profile), [])
    md = summary_markdown(summary)
    assert "# Visit summary: Dad" in md and f"Generated {summary.generated}" in md
    assert "(corrected by you on" in md and 'a.txt, line 7: "Tumor size: 2.5 cm"' in md
    assert "ki67 percent: 25% (was 12%; b.txt, line 5)" in md
    pdf = PdfReader(io.BytesIO(summary_pdf(summary)))
    assert len(pdf.pages) == 1
    text = " ".join(pdf.pages[0].extract_text().split())
    for expected in ("Visit summary: Dad", summary.generated, "25%", "b.txt, line 5", "Questions to ask"):
        assert expected in text, expected

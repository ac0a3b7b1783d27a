"""Happy paths: each supported format parses into a Document with sensible passages."""

from __future__ import annotations

import shutil
from pathlib import Path

from netnav.ingest import default_kind, parse_bytes, parse_bytes_all, parse_file, parse_file_all
from tests.ingest.ingest_helpers import FIXTURES, assert_offsets
from tests.ingest.ingest_pdfgen import make_pdf, text_stream


def test_plain_text_headings_items_and_title_from_first_heading() -> None:
    parsed = parse_file(FIXTURES / "note.txt")
    assert_offsets(parsed)
    doc = parsed.document
    assert doc.format == "txt" and doc.kind == "document"
    assert doc.title == "FOLLOW-UP NOTES"
    sections = {p.section for p in parsed.passages}
    assert "Background" in sections
    background = next(p for p in parsed.passages if p.section == "Background")
    assert background.text.startswith("Neuroendocrine tumours arise")
    assert "- Is a blood test such as chromogranin A useful here?" in parsed.full_text


def test_markdown_front_matter_headings_tables_links() -> None:
    parsed = parse_file(FIXTURES / "guide.md")
    assert_offsets(parsed)
    doc = parsed.document
    assert doc.title == "Test Guide to Neuroendocrine Tumours"
    assert doc.kind == "education"  # from front matter
    assert doc.identifiers["url"] == "https://example.org/net-guide"
    assert doc.meta["lastReviewed"] == "2024-05-17"
    assert doc.year == 2024 and doc.publisher == "Example Clinic"
    assert "title:" not in parsed.full_text and "---" not in parsed.full_text
    by_section = {p.section: p.text for p in parsed.passages}
    assert "Treatment > Surgery" in by_section
    assert by_section["Treatment > Surgery"].startswith("Surgery is the main option")
    treatment = by_section["Treatment"]
    assert "See the overview page for context.[1,2]" in treatment
    assert "](" not in parsed.full_text and "**" not in parsed.full_text
    medicines = by_section["Treatment > Medicines"]
    assert "Octreotide | Somatostatin analogue | Hormone symptoms and slowing growth" in medicines
    assert "| --- |" not in medicines
    # Reference lists stay in the full text but are not retrievable passages.
    assert "made-up reference" in parsed.full_text
    assert all("made-up reference" not in p.text for p in parsed.passages)


def test_explicit_kind_overrides_front_matter() -> None:
    assert parse_file(FIXTURES / "guide.md", kind="guideline").document.kind == "guideline"


def test_html_boilerplate_stripped_headings_kept() -> None:
    parsed = parse_file(FIXTURES / "page.html")
    assert_offsets(parsed)
    doc = parsed.document
    assert doc.format == "html"
    assert "carcinoid tumour" in doc.title.lower()
    assert doc.identifiers.get("url") == "https://example.org/living-with-carcinoid"
    text = parsed.full_text
    assert "food and symptom diary" in text
    for junk in ("tracking", "color: black", "Cookie settings", "Donate today"):
        assert junk not in text
    sections = {p.section for p in parsed.passages}
    assert any(s and "Diet and symptoms" in s for s in sections)


def test_html_without_article_falls_back_to_lxml() -> None:
    html = b"<html><body><h2>Short</h2><p>Octreotide helps flushing.</p></body></html>"
    parsed = parse_bytes(html, "tiny.html")
    assert_offsets(parsed)
    assert "Octreotide helps flushing." in parsed.full_text


def test_pdf_pages_and_sections() -> None:
    data = make_pdf(
        [
            text_stream(
                [
                    "1 INTRODUCTION",
                    "Neuroendocrine tumours grow from hormone-making cells.",
                    "They are graded by how fast the cells divide.",
                ]
            ),
            text_stream(["2 TREATMENT", "Surgery can cure small tumours that have not spread."]),
        ],
        title="Invented PDF",
    )
    parsed = parse_bytes(data, "leaflet.pdf")
    assert_offsets(parsed)
    assert parsed.document.format == "pdf" and parsed.document.title == "Invented PDF"
    assert [(p.page, p.section) for p in parsed.passages] == [(1, "1 INTRODUCTION"), (2, "2 TREATMENT")]
    assert parsed.passages[0].text == (
        "Neuroendocrine tumours grow from hormone-making cells. They are graded by how fast the cells divide."
    )


def test_pubmed_multi_article_file() -> None:
    records = parse_file_all(FIXTURES / "pubmed.xml")
    assert len(records) == 2
    first, second = records
    for rec in records:
        assert_offsets(rec)
        assert rec.document.kind == "research" and rec.document.format == "pubmed"
    doc = first.document
    assert doc.identifiers["pmid"] == "90000001"
    assert doc.identifiers["doi"] == "10.9999/jio.2022.001"
    assert doc.year == 2022 and doc.publisher == "Journal of Invented Oncology"
    assert doc.title.startswith("A made-up trial of a somatostatin analogue in well-differentiated")
    assert [p.section for p in first.passages] == ["BACKGROUND", "METHODS", "RESULTS", "CONCLUSIONS"]
    assert second.document.year == 2019 and second.passages[0].section == "Abstract"
    assert parse_file(FIXTURES / "pubmed.xml").document.id == doc.id


def test_fda_spl_label() -> None:
    parsed = parse_file(FIXTURES / "label.xml")
    assert_offsets(parsed)
    doc = parsed.document
    assert doc.kind == "label" and doc.format == "spl"
    assert doc.identifiers["setid"] == "aaaaaaaa-bbbb-cccc-dddd-eeeeeeeeeeee"
    assert doc.version == "7" and doc.year == 2023 and doc.publisher == "Example Pharma Inc."
    assert doc.title == "EXAMPLAMAB prescribing information"
    assert doc.meta["spl_title"].startswith("These highlights do not include")
    sections = [p.section for p in parsed.passages]
    assert sections[0] == "1 INDICATIONS AND USAGE"
    assert "2 DOSAGE AND ADMINISTRATION > 2.1 Recommended Dosage" in sections
    dosing = next(p.text for p in parsed.passages if p.section and p.section.endswith("Recommended Dosage"))
    assert "- Check liver tests before each dose." in dosing
    assert "Grade 3 rash | Withhold until Grade 1" in dosing


def test_ctgov_v2_json() -> None:
    parsed = parse_file(FIXTURES / "trial_v2.json")
    assert_offsets(parsed)
    doc = parsed.document
    assert doc.kind == "trial" and doc.format == "ctgov-json"
    assert doc.identifiers["nct"] == "NCT09999991"
    assert doc.title == "Invented Study of Drug X in Advanced Neuroendocrine Tumours"
    assert doc.meta["overall_status"] == "RECRUITING" and doc.year == 2024
    sections = {p.section for p in parsed.passages}
    assert {
        "Summary",
        "Description",
        "Interventions",
        "Eligibility > Inclusion Criteria",
        "Eligibility > Exclusion Criteria",
    } <= sections
    inclusion = next(p.text for p in parsed.passages if p.section == "Eligibility > Inclusion Criteria")
    assert "* Ki-67 index of 20% or less" in inclusion


def test_ctgov_classic_xml() -> None:
    parsed = parse_file(FIXTURES / "trial_classic.xml")
    assert_offsets(parsed)
    doc = parsed.document
    assert doc.kind == "trial" and doc.format == "ctgov-xml"
    assert doc.identifiers["nct"] == "NCT09999992" and doc.year == 2021
    assert doc.meta["overall_status"] == "Completed"
    summary = next(p.text for p in parsed.passages if p.section == "Summary")
    assert summary.startswith("This fictional trial compares a radioligand treatment with a higher dose")
    exclusion = next(p.text for p in parsed.passages if p.section == "Eligibility > Exclusion Criteria")
    assert "Kidney function too low" in exclusion


def test_default_kind_mapping() -> None:
    assert default_kind("pubmed") == "research"
    assert default_kind("spl") == "label"
    assert default_kind("ctgov-json") == "trial" and default_kind("ctgov-xml") == "trial"
    assert default_kind("md") == "document" and default_kind("pdf") == "document"


def test_same_content_twice_gives_identical_ids(tmp_path: Path) -> None:
    for name in ("note.txt", "guide.md", "page.html", "label.xml", "trial_v2.json", "pubmed.xml"):
        copy = tmp_path / f"copy-{name}"
        shutil.copy(FIXTURES / name, copy)
        first, second = parse_file(FIXTURES / name), parse_file(copy)
        assert first.document.id == second.document.id
        assert [p.id for p in first.passages] == [p.id for p in second.passages]
        assert len(first.document.id) == 32


def test_different_content_gives_different_ids() -> None:
    a = parse_bytes(b"Octreotide controls flushing in carcinoid syndrome.", "a.txt")
    b = parse_bytes(b"Lanreotide controls flushing in carcinoid syndrome.", "b.txt")
    assert a.document.id != b.document.id
    assert a.passages[0].id != b.passages[0].id


def test_source_path_is_kept() -> None:
    parsed = parse_file(FIXTURES / "note.txt")
    assert parsed.document.source_path == str((FIXTURES / "note.txt").resolve())


def test_spl_inline_markup_and_untitled_sections() -> None:
    xml = (
        b'<document xmlns="urn:hl7-org:v3"><title>Invented label</title><component><structuredBody>'
        b'<component><section><code code="34067-9" displayName="INDICATIONS &amp; USAGE SECTION"/>'
        b'<text>Used for <content styleCode="bold">flushing</content> when platelets exceed 100 x 10<sup>9</sup>/L.'
        b"<paragraph>A separate paragraph.</paragraph></text>"
        b"<excerpt><highlight><text><paragraph>Highlight copy.</paragraph></text></highlight></excerpt>"
        b"</section></component></structuredBody></component></document>"
    )
    parsed = parse_bytes(xml, "label.xml")
    assert_offsets(parsed)
    assert [(p.section, p.text) for p in parsed.passages] == [
        (
            "INDICATIONS & USAGE SECTION",
            "Used for flushing when platelets exceed 100 x 109/L.\n\nA separate paragraph.",
        )
    ]


def test_ctgov_api_page_with_several_studies() -> None:
    import json

    study = json.loads((FIXTURES / "trial_v2.json").read_text())
    other = json.loads(json.dumps(study))
    other["protocolSection"]["identificationModule"]["nctId"] = "NCT09999993"
    page = json.dumps({"studies": [study, other], "nextPageToken": "abc"}).encode("utf-8-sig")
    records = parse_bytes_all(page, "page.json")
    assert [r.document.identifiers["nct"] for r in records] == ["NCT09999991", "NCT09999993"]
    assert records[0].document.id != records[1].document.id
    assert parse_bytes(page, "page.json").document.identifiers["nct"] == "NCT09999991"

"""Chunking rules, ids and input-file expansion."""

from __future__ import annotations

from pathlib import Path

from netnav.ingest import iter_input_files, parse_bytes
from netnav.ingest.chunk import MAX_WORDS, MIN_WORDS
from netnav.ingest.textutil import sentence_spans
from tests.ingest.ingest_helpers import assert_offsets


def _sentence(i: int) -> str:
    return f"Sentence number {i} describes an invented finding about tumour grade and the Ki-67 index."


def test_long_paragraph_split_on_sentence_boundaries() -> None:
    sentences = [_sentence(i) for i in range(60)]  # ~900 words in one paragraph
    parsed = parse_bytes(" ".join(sentences).encode(), "long.txt")
    assert_offsets(parsed)
    assert len(parsed.passages) >= 4
    for passage in parsed.passages:
        words = len(passage.text.split())
        assert MIN_WORDS <= words <= MAX_WORDS
        assert passage.text.startswith("Sentence number") and passage.text.endswith("Ki-67 index.")
    rebuilt = " ".join(p.text for p in parsed.passages)
    assert rebuilt == " ".join(sentences)


def test_short_paragraphs_are_merged_within_a_section() -> None:
    paras = [f"Short note {i} about octreotide dosing." for i in range(6)]
    parsed = parse_bytes("\n\n".join(paras).encode(), "short.txt")
    assert_offsets(parsed)
    assert len(parsed.passages) == 1
    assert parsed.passages[0].text == "\n\n".join(paras)


def test_passages_do_not_cross_headings() -> None:
    md = "# Doc\n\n## Surgery\n\nCut it out.\n\n## Medicines\n\nTake the tablets.\n"
    parsed = parse_bytes(md.encode(), "sections.md")
    assert [(p.section, p.text) for p in parsed.passages] == [
        ("Surgery", "Cut it out."),
        ("Medicines", "Take the tablets."),
    ]


def test_nested_section_path_has_parent() -> None:
    md = "# Title\n\n## Treatment\n\n### Surgery\n\nText about an operation.\n\n#### Margins\n\nClear margins.\n"
    parsed = parse_bytes(md.encode(), "nested.md")
    assert [p.section for p in parsed.passages] == ["Treatment > Surgery", "Surgery > Margins"]


def test_table_rows_stay_whole() -> None:
    rows = [f"| Drug {i} | Group {i} | " + " ".join(["word"] * 30) + " |" for i in range(20)]
    md = "## Table\n\n| Drug | Group | Notes |\n| --- | --- | --- |\n" + "\n".join(rows) + "\n"
    parsed = parse_bytes(md.encode(), "table.md")
    assert_offsets(parsed)
    assert len(parsed.passages) > 1
    for passage in parsed.passages:
        for line in passage.text.split("\n"):
            assert line.count("|") == 2, line  # a row is never cut across passages
        assert len(passage.text.split()) <= MAX_WORDS


def test_unbroken_text_is_hard_split() -> None:
    parsed = parse_bytes((("word " * 1000).strip()).encode(), "nopunct.txt")
    assert_offsets(parsed)
    assert all(len(p.text.split()) <= MAX_WORDS for p in parsed.passages)
    one_token = parse_bytes(b"x" * 10_000, "token.txt")
    assert_offsets(one_token)
    assert all(len(p.text) <= 3000 for p in one_token.passages)


def test_sentence_splitter_respects_abbreviations_and_citations() -> None:
    text = "Tumours were seen, e.g. in the ileum. Smith J. reported it.[3] Then a Dr. Brown agreed. Done."
    pieces = [text[a:b] for a, b in sentence_spans(text)]
    assert pieces == [
        "Tumours were seen, e.g. in the ileum.",
        "Smith J. reported it.[3]",
        "Then a Dr. Brown agreed.",
        "Done.",
    ]


def test_document_id_ignores_whitespace_layout() -> None:
    a = parse_bytes(b"Octreotide   controls flushing.\r\n", "a.txt")
    b = parse_bytes(b"Octreotide controls flushing.\n", "b.txt")
    assert a.document.id == b.document.id


def test_iter_input_files(tmp_path: Path) -> None:
    (tmp_path / "b").mkdir()
    (tmp_path / "a.md").write_text("a")
    (tmp_path / "b" / "c.pdf").write_bytes(b"%PDF")
    (tmp_path / "b" / "d.exe").write_bytes(b"MZ")
    (tmp_path / ".hidden.md").write_text("h")
    (tmp_path / ".git").mkdir()
    (tmp_path / ".git" / "e.md").write_text("e")
    (tmp_path / "z.JSON").write_text("{}")
    explicit = tmp_path / "notes.weird"
    explicit.write_text("kept because named explicitly")
    found = iter_input_files([tmp_path, tmp_path / "a.md", explicit, explicit])
    assert found == [tmp_path / "a.md", tmp_path / "b" / "c.pdf", tmp_path / "z.JSON", explicit]


def test_plain_text_short_lines_are_not_lost_as_headings() -> None:
    text = "Diagnosis: Well differentiated NET G2\n\nKi-67 Index 12 Percent\n\nSummary\n\nThe tumour was removed.\n"
    parsed = parse_bytes(text.encode(), "report.txt")
    assert_offsets(parsed)
    joined = " ".join(p.text for p in parsed.passages)
    assert "Diagnosis: Well differentiated NET G2" in joined  # "key: value" is never a heading
    assert "Ki-67 Index 12 Percent" in joined  # a guessed heading without body is demoted to text
    assert parsed.passages[-1].section == "Summary"


def test_front_matter_status_maps_to_document_status() -> None:
    md = b"---\ntitle: Old advice\nstatus: superseded\n---\n\nThis advice was replaced by newer guidance.\n"
    assert parse_bytes(md, "old.md").document.status == "superseded"
    md_active = md.replace(b"superseded", b"active")
    assert parse_bytes(md_active, "new.md").document.status == "current"


def test_iter_input_files_survives_symlink_loop(tmp_path: Path) -> None:
    (tmp_path / "docs").mkdir()
    (tmp_path / "docs" / "a.txt").write_text("a")
    (tmp_path / "docs" / "loop").symlink_to(tmp_path / "docs", target_is_directory=True)
    assert iter_input_files([tmp_path]) == [tmp_path / "docs" / "a.txt"]

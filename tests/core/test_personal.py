"""`ask --case`: the personal section and the trial section, from a report written for this test."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

from netnav.cli.app import app
from netnav.records import extract_text

REPORT = """SURGICAL PATHOLOGY REPORT
Date of procedure: 2026-01-05
Pancreas, distal pancreatectomy:
- Well-differentiated neuroendocrine tumor, WHO grade 2.
- Ki-67 proliferation index: 12%.
- Mitotic rate: 3 mitoses per 2 mm2.
- Tumor size: 2.6 cm.
- Lymphovascular invasion: present.
Liver, segment 4, biopsy: metastatic well-differentiated neuroendocrine tumor.
"""


@pytest.fixture(scope="module")
def case() -> Any:
    return extract_text(REPORT, "my-report.txt")


def test_personal_section_is_cited_and_uses_the_case(engine: Any, case: Any) -> None:
    answer = engine.ask("What does my grade mean?", "patient", case)
    assert answer.personal, "a case must produce a personal section"
    numbers = {c.n for c in answer.citations}
    for sentence in answer.personal:
        assert sentence.citations and set(sentence.citations) <= numbers
    text = " ".join(s.text for s in answer.personal)
    assert "12" in text  # the case's own Ki-67 is explained


def test_without_a_case_there_is_no_personal_section(engine: Any) -> None:
    assert engine.ask("What does my grade mean?", "patient").personal == []


def test_trial_question_with_a_case_lists_matches_in_the_trial_section(engine: Any, case: Any) -> None:
    answer = engine.ask("Are there immunotherapy trials for my tumour?", "clinician", case)
    trial_sections = [s for s in answer.sections if s.kind == "trial"]
    assert trial_sections
    assert any("NCT" in s.text for s in trial_sections[0].sentences)
    for citation in answer.citations:
        if citation.kind == "trial" and citation.identifiers.get("nct"):
            assert citation.identifiers["nct"].startswith("NCT")


def test_cli_ask_with_case_file(built_home: Path, tmp_path: Path, case: Any) -> None:
    path = tmp_path / "case.json"
    path.write_text(case.model_dump_json(), encoding="utf-8")
    result = CliRunner().invoke(
        app, ["ask", "Could immunotherapy help me?", "--case", str(path), "--json", "--home", str(built_home)]
    )
    assert result.exit_code == 0, result.output
    assert json.loads(result.stdout)["personal"]


def test_cli_rejects_a_case_file_that_is_not_a_case(built_home: Path, tmp_path: Path) -> None:
    path = tmp_path / "case.json"
    path.write_text('{"not": "a case"}', encoding="utf-8")
    result = CliRunner().invoke(
        app, ["ask", "What is a NET?", "--case", str(path), "--home", str(built_home)]
    )
    assert result.exit_code == 2

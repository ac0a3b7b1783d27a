from __future__ import annotations

import json
from pathlib import Path

from typer.testing import CliRunner

from netnav.cli.app import app

runner = CliRunner()


def test_ask_json_follows_the_contract(built_home: Path) -> None:
    result = runner.invoke(
        app, ["ask", "What is a neuroendocrine tumor?", "--json", "--home", str(built_home)]
    )
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    for key in (
        "question",
        "audience",
        "abstained",
        "abstain_reason",
        "summary",
        "sections",
        "personal",
        "questions_to_ask",
        "citations",
        "disclaimer",
        "timings_ms",
    ):
        assert key in data
    citation = data["citations"][0]
    for key in (
        "n",
        "passage_id",
        "source_id",
        "kind",
        "title",
        "publisher",
        "year",
        "version",
        "identifiers",
        "quote",
    ):
        assert key in citation


def test_ask_human_output_has_sources_and_disclaimer(built_home: Path) -> None:
    result = runner.invoke(app, ["ask", "What is tarlatamab?", "--home", str(built_home)])
    assert result.exit_code == 0
    assert "## Sources" in result.stdout and "[1]" in result.stdout
    assert "not medical advice" in result.stdout


def test_empty_question_exits_2_with_one_line_error(built_home: Path) -> None:
    result = runner.invoke(app, ["ask", "  ", "--home", str(built_home)])
    assert result.exit_code == 2
    assert result.stderr.strip().startswith("error:") and len(result.stderr.strip().splitlines()) == 1


def test_unknown_audience_exits_2(built_home: Path) -> None:
    result = runner.invoke(app, ["ask", "What is a NET?", "--audience", "robot", "--home", str(built_home)])
    assert result.exit_code == 2


def test_missing_case_file_exits_2(built_home: Path, tmp_path: Path) -> None:
    result = runner.invoke(
        app, ["ask", "What is a NET?", "--case", str(tmp_path / "nope.json"), "--home", str(built_home)]
    )
    assert result.exit_code == 2


def test_sources_lists_builtin_cards(built_home: Path) -> None:
    result = runner.invoke(app, ["sources", "--json", "--home", str(built_home)])
    assert result.exit_code == 0
    rows = json.loads(result.stdout)
    assert sum(1 for r in rows if r["builtin"]) >= 1

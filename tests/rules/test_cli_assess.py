"""`netnav assess`: text and JSON output, --case, exit codes (2 on bad input, one-line error)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
import typer
from typer.testing import CliRunner

from netnav.cli import assess as assess_cli
from tests.rules.rules_helpers import REPORTS, make_case


def app() -> typer.Typer:
    application = typer.Typer()
    assess_cli.register(application)

    @application.command("noop")
    def noop() -> None:  # a second command keeps typer in multi-command mode, as in the real app
        """Unused."""

    return application


def run(*args: str) -> tuple[int, str, str]:
    result = CliRunner().invoke(app(), ["assess", *args])
    return result.exit_code, result.stdout, result.stderr


@pytest.fixture()
def case_file(tmp_path: Path) -> Path:
    case = make_case(
        "pnet",
        primary_site="pancreas",
        differentiation="well",
        ki67_percent=8,
        mitoses_per_2mm2=4,
        grade="G2",
        tumor_size_cm=3.2,
    )
    path = tmp_path / "case.json"
    path.write_text(case.model_dump_json(), encoding="utf-8")
    return path


def test_json_output_follows_the_contract(case_file: Path) -> None:
    code, out, _ = run("--case", str(case_file), "--json", "--audience", "clinician")
    assert code == 0
    data = json.loads(out)
    assert set(data) >= {"case", "findings", "questions_to_ask", "citations", "disclaimer"}
    grade = next(f for f in data["findings"] if f["rule_id"] == "who-gep-grade.v1")
    assert grade["status"] == "met" and grade["kind"] == "grade" and "G2" in grade["statement"]
    numbers = {c["n"] for c in data["citations"]}
    assert all(set(f["citations"]) <= numbers for f in data["findings"])


def test_text_output_groups_findings_and_shows_sources(case_file: Path) -> None:
    code, out, _ = run("--case", str(case_file), "--audience", "clinician")
    assert code == 0
    for heading in ("Grade", "Risk features", "Immunotherapy options", "Sources", "Questions to ask"):
        assert heading in out
    assert "[MET]" in out and "[UNKNOWN]" in out
    assert "ki67_percent = 8  (test.txt:3)" in out
    code, patient, _ = run("--case", str(case_file))  # the patient view: plain labels, no rule ids
    assert "[applies to you]" in patient and "[MET]" not in patient and "rule who-gep-grade" not in patient
    assert "not medical advice" in out


@pytest.mark.parametrize("args", [[], ["--audience", "doctor"], ["--case", "missing.json"]])
def test_bad_input_exits_2_with_one_line(args: list[str], case_file: Path) -> None:
    if args and args[0] == "--audience":
        args = [*args, "--case", str(case_file)]
    code, _, err = run(*args)
    assert code == 2
    assert err.startswith("error:") and err.count("\n") == 1


def test_reports_and_case_together_are_refused(case_file: Path) -> None:
    code, _, err = run(str(case_file), "--case", str(case_file))
    assert code == 2 and "not both" in err


def test_report_files_end_to_end() -> None:
    report = REPORTS / "r05-lung-atypical.txt"
    if not report.is_file():
        pytest.skip(f"shared report not found at {report}")
    code, out, _ = run(str(report), "--json")
    assert code == 0
    statuses = {f["rule_id"]: f["status"] for f in json.loads(out)["findings"]}
    assert statuses["lung-carcinoid.v1"] == "met"

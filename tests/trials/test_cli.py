"""`netnav trials` through a Typer app that registers only this command."""

from __future__ import annotations

import json
from pathlib import Path

import typer
from typer.testing import CliRunner

from netnav.cli import trials as trials_cli
from tests.trials.helpers import nec_case, sclc_case

runner = CliRunner()


def _app() -> typer.Typer:
    app = typer.Typer()
    trials_cli.register(app)

    @app.command()
    def _other() -> None:  # a second command keeps `trials` as a named sub-command
        pass

    return app


def _case_file(tmp_path: Path, name: str = "case.json") -> Path:
    path = tmp_path / name
    path.write_text(sclc_case().model_dump_json(), encoding="utf-8")
    return path


def test_json_output_is_a_list_of_trial_matches(tmp_path: Path) -> None:
    result = runner.invoke(
        _app(), ["trials", "--case", str(_case_file(tmp_path)), "--json", "--home", str(tmp_path)]
    )
    assert result.exit_code == 0, result.output
    payload = json.loads(result.stdout)
    assert isinstance(payload, list) and payload
    first = payload[0]
    assert {"nct_id", "title", "status", "score", "criteria", "snapshot_date"} <= set(first)
    assert {"text", "kind", "label", "reason", "fields"} <= set(first["criteria"][0])
    assert all(m["status"] in ("eligible", "possibly_eligible", "ineligible", "unknown") for m in payload)


def test_human_output_has_snapshot_and_criteria_table(tmp_path: Path) -> None:
    path = tmp_path / "nec.json"
    path.write_text(nec_case().model_dump_json(), encoding="utf-8")
    result = runner.invoke(_app(), ["trials", "--case", str(path), "--home", str(tmp_path)])
    assert result.exit_code == 0, result.output
    assert "Registry snapshot:" in result.stdout and "2026-11-23" in result.stdout
    assert "NCT06893783" in result.stdout and "POSSIBLY ELIGIBLE" in result.stdout
    assert "[MET      ]" in result.stdout and "case: ecog=1 (nec.txt:7)" in result.stdout


def test_bad_inputs_exit_2(tmp_path: Path) -> None:
    assert runner.invoke(_app(), ["trials", "--home", str(tmp_path)]).exit_code == 2
    bad_status = runner.invoke(_app(), ["trials", "--case", str(_case_file(tmp_path)), "--status", "open"])
    assert bad_status.exit_code == 2
    missing = runner.invoke(
        _app(), ["trials", "--case", str(tmp_path / "nope.json"), "--home", str(tmp_path)]
    )
    assert missing.exit_code == 2
    assert "error:" in missing.output

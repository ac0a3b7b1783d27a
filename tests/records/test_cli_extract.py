"""`netnav extract` through a local Typer app."""

from __future__ import annotations

import json
from pathlib import Path

import typer
from typer.testing import CliRunner

from netnav.cli.extract import register
from tests.records.helpers import FIXTURES, make_pdf


def _app() -> typer.Typer:
    app = typer.Typer()
    register(app)

    @app.callback()
    def _root() -> None:
        """test root"""

    return app


def test_json_output_is_a_case_profile() -> None:
    r = CliRunner().invoke(_app(), ["extract", "--json", str(FIXTURES / "f04-molecular.txt")])
    assert r.exit_code == 0, r.output
    data = json.loads(r.stdout)
    assert set(data) >= {"case_id", "fields", "negated", "warnings"}
    assert data["fields"]["tmb_mut_per_mb"]["value"] == 9.6
    assert data["fields"]["tmb_mut_per_mb"]["line"] == 6
    assert data["fields"]["tmb_mut_per_mb"]["source"] == "f04-molecular.txt"


def test_table_output_shows_value_source_line_and_negations() -> None:
    r = CliRunner().invoke(_app(), ["extract", str(FIXTURES / "f02-allcaps-multispecimen.txt")])
    assert r.exit_code == 0, r.output
    assert "ki67_percent" in r.stdout and "Stated as absent" in r.stdout and "Warnings" in r.stdout


def test_image_only_pdf_exits_2_with_one_line(tmp_path: Path) -> None:
    pdf = make_pdf(tmp_path / "scan.pdf", [])
    r = CliRunner().invoke(_app(), ["extract", str(pdf)])
    assert r.exit_code == 2
    assert r.stderr.strip() == "error: no text layer: OCR not supported"


def test_missing_file_exits_2(tmp_path: Path) -> None:
    r = CliRunner().invoke(_app(), ["extract", "--json", str(tmp_path / "none.txt")])
    assert r.exit_code == 2 and "not found" in r.stderr and "Traceback" not in r.output

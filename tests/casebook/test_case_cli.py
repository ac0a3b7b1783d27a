"""`netnav case ...` and `--case-name` through the real CLI (typer's runner), exit codes and JSON."""

from __future__ import annotations

import json
from pathlib import Path

from typer.testing import CliRunner

from netnav.cli.app import app
from tests.casebook.reports import FIRST, SECOND

runner = CliRunner()


def _run(home: Path, *args: str) -> tuple[int, str]:
    result = runner.invoke(
        app, [*args[:2], *args[2:], "--home", str(home)] if args[0] == "case" else list(args)
    )
    return result.exit_code, result.output


def test_case_lifecycle_through_the_cli(tmp_path: Path) -> None:
    home = tmp_path / "home"
    a, b = tmp_path / "a.txt", tmp_path / "b.txt"
    a.write_text(FIRST, encoding="utf-8")
    b.write_text(SECOND, encoding="utf-8")
    code, out = _run(home, "case", "new", "Dad – pancreatic NET", str(a), "--json")
    assert code == 0, out
    created = json.loads(out)
    assert created["case"]["name"] == "Dad – pancreatic NET" and created["profile"]["fields"]["ki67_percent"]
    assert _run(home, "case", "add", "Dad – pancreatic NET", str(b))[0] == 0
    code, out = _run(home, "case", "correct", "Dad – pancreatic NET", "ki67_percent", "22")
    assert code == 0 and "Corrected ki67_percent" in out
    code, out = _run(home, "case", "show", "Dad – pancreatic NET", "--json")
    ki67 = json.loads(out)["fields"]["ki67_percent"]
    assert ki67["value"] == 22 and ki67["user"]["action"] == "corrected"
    assert [h["value"] for h in ki67["history"]] == [12, 25]
    code, out = _run(home, "case", "list", "--json")
    assert [c["name"] for c in json.loads(out)] == ["Dad – pancreatic NET"]
    code, out = _run(home, "assess", "--case-name", "Dad – pancreatic NET", "--json", "--home", str(home))
    assert code == 0 and json.loads(out)["case"]["fields"]["ki67_percent"]["value"] == 22
    assert _run(home, "case", "correct", "Dad – pancreatic NET", "--undo", "ki67_percent")[0] == 0
    assert _run(home, "case", "delete", "Dad – pancreatic NET")[0] == 0
    code, out = _run(home, "case", "show", "Dad – pancreatic NET")
    assert code == 2 and "no saved case named" in out


def test_case_cli_errors_are_one_line_with_exit_2(tmp_path: Path) -> None:
    home = tmp_path / "home"
    assert _run(home, "case", "new", "Mum")[0] == 0
    for args in (
        ("case", "new", "Mum"),
        ("case", "correct", "Mum"),
        ("case", "correct", "Mum", "ki67_percent", "lots"),
        ("case", "add", "Nobody", str(tmp_path / "missing.txt")),
    ):
        code, out = _run(home, *args)
        assert code == 2, (args, out)
        assert out.startswith("error: ") and "Traceback" not in out

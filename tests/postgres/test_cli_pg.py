"""`netnav --database-url …`: the global option selects the PostgreSQL backend for any command."""

from __future__ import annotations

import json
import os
import shutil
from pathlib import Path

import pytest
from typer.testing import CliRunner

from netnav.cli.app import app

runner = CliRunner()


def test_ingest_and_sources_go_to_the_database(
    pg_database: str, built_home: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("NETNAV_DATABASE_URL", raising=False)
    monkeypatch.setenv("NETNAV_NO_RESIDENT", "1")
    note = tmp_path / "note.md"
    note.write_text("# Clinic note\n\nOctreotide LAR is given every four weeks for carcinoid syndrome.\n")
    home = tmp_path / "home"
    home.mkdir()
    shutil.copy(built_home / "embeddings.sqlite3", home / "embeddings.sqlite3")  # no model work again
    url = ["--database-url", pg_database]
    added = runner.invoke(app, [*url, "ingest", str(note), "--home", str(home), "--json"])
    assert added.exit_code == 0, added.output
    listed = runner.invoke(app, [*url, "sources", "--home", str(home), "--json"])
    assert listed.exit_code == 0, listed.output
    titles = [row["title"] for row in json.loads(listed.stdout)]
    assert "Clinic note" in titles
    assert not (home / "netnav.sqlite3").exists()  # nothing went to the embedded store
    os.environ.pop("NETNAV_DATABASE_URL", None)  # the option set it for this process only


def test_a_url_that_is_not_postgresql_is_a_bad_input(tmp_path: Path) -> None:
    result = runner.invoke(app, ["--database-url", "mysql://db/x", "sources", "--home", str(tmp_path)])
    assert result.exit_code == 2
    assert "postgresql://" in result.output

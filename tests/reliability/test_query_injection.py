"""Hostile text through `ask`, `ingest` and `sources`: no error but typed bad input, and the store stays intact."""

from __future__ import annotations

import json
import sqlite3
from pathlib import Path

import pytest
from typer.testing import CliRunner

from netnav.cli.app import app
from netnav.engine import Engine
from netnav.errors import BadInputError
from tests.reliability.helpers import check_store, seed_embedding_cache
from tests.reliability.test_fuzz_ask import check_answer

HOSTILE = [
    "'; DROP TABLE documents; --",
    'carcinoid"; DELETE FROM passages WHERE 1=1; --',
    "Robert'); DROP TABLE passages;--",
    "lanreotide' OR '1'='1",
    "octreotide UNION SELECT id, text FROM passages --",
    'NET* AND (Ki-67 OR "grade NEAR/3 tumor',
    "title:carcinoid OR text:* NOT ^ {x} [a TO z]",
    "MATCH 'pancreas*' --",
    "Ki-67 \x00 grade \x00\x00 NET",
    "(?P<evil>a+)+$ .* [[[ \\ ??? ((( ))) ^$ |{2,} NET",
    "carcinoid " + "a" * 1500,
    "neuroendocrine " + "Ki67" * 400,
    "%s %n %x {0} {__class__} ${HOME} $(id) `id` NET",
    "<script>alert('x')</script> carcinoid",
    "\u202eNET\u202c \ufeff tumour \u200b grade",
    "ＮＥＴ ｋｉ－６７ ｇｒａｄｅ",
    "NET\r\n\r\nDROP TABLE documents",
    "x" * 5000,
    "",
    "'",
    '"',
    "--",
    ";",
]
TABLES = {"documents", "passages", "metadata", "ingest_log", "schema_migrations"}


def _tables(db: Path) -> set[str]:
    con = sqlite3.connect(str(db))
    try:
        return {r[0] for r in con.execute("SELECT name FROM sqlite_master WHERE type='table'")}
    finally:
        con.close()


@pytest.fixture(scope="module")
def hostile_home(tmp_path_factory: pytest.TempPathFactory, built_home: Path) -> Path:
    """A home holding a document whose title and text are themselves injection attempts."""
    home = tmp_path_factory.mktemp("hostile-home")
    seed_embedding_cache(built_home, home)
    docs = tmp_path_factory.mktemp("hostile-docs")
    (docs / "evil'; DROP TABLE documents; --.md").write_text(
        '# Robert\'); DROP TABLE passages;-- "carcinoid" <script>alert(1)</script>\n\n'
        "Lanreotide' OR '1'='1 is a somatostatin analogue used for carcinoid syndrome; MATCH 'x*' NEAR(a b).\n\n"
        "## Section $(rm -rf /) {0} %s\n\nOctreotide UNION SELECT * FROM documents -- controls flushing.\n",
        encoding="utf-8",
    )
    engine = Engine(home)
    report = engine.ingest([docs])
    assert report.added == 1 and not report.failed
    engine.close()
    return home


def test_hostile_questions_through_the_engine(hostile_home: Path) -> None:
    engine = Engine(hostile_home)
    before = engine.store.count()
    try:
        for question in HOSTILE:
            for kinds in (None, ["document"], ["'; DROP TABLE documents; --"]):
                try:
                    answer = engine.ask(question, "clinician", kinds=kinds)
                except BadInputError:
                    continue
                check_answer(answer)
        assert engine.store.count() == before
    finally:
        engine.close()
    assert _tables(hostile_home / "netnav.sqlite3") >= TABLES
    check_store(hostile_home / "netnav.sqlite3")


def test_hostile_document_is_stored_verbatim_and_retrievable(hostile_home: Path) -> None:
    engine = Engine(hostile_home)
    try:
        answer = engine.ask("Is lanreotide used for carcinoid syndrome?", "clinician", kinds=["document"])
        check_answer(answer)
        assert not answer.abstained
        assert any("DROP TABLE" in c.title for c in answer.citations)
    finally:
        engine.close()


@pytest.mark.slow  # runs the command line in subprocesses
def test_cli_ask_and_sources_with_hostile_text(hostile_home: Path) -> None:
    runner = CliRunner()
    for question in HOSTILE:
        if "\x00" in question:
            continue  # argv cannot carry NUL; the engine test above covers it
        result = runner.invoke(app, ["ask", "--json", "--home", str(hostile_home), "--", question])
        assert result.exit_code in (0, 2), (question, result.output[-400:])
        if result.exit_code == 0:
            payload = json.loads(result.stdout)
            assert payload["question"]
        else:
            assert "Traceback" not in result.output
    result = runner.invoke(
        app,
        [
            "ask",
            "--json",
            "--home",
            str(hostile_home),
            "--kind",
            "'; DROP TABLE x; --",
            "What is a carcinoid tumor?",
        ],
    )
    assert result.exit_code == 2
    result = runner.invoke(app, ["sources", "--json", "--home", str(hostile_home)])
    assert result.exit_code == 0, result.output[-400:]
    rows = json.loads(result.stdout)
    assert any("DROP TABLE passages" in r["title"] for r in rows)
    assert any(r["source_path"] and "DROP TABLE documents" in r["source_path"] for r in rows)
    assert _tables(hostile_home / "netnav.sqlite3") >= TABLES
    check_store(hostile_home / "netnav.sqlite3")


def test_store_lookups_are_parameterised(hostile_home: Path) -> None:
    engine = Engine(hostile_home)
    try:
        assert engine.store.passages_by_ids(["' OR 1=1 --", "x') UNION SELECT * FROM documents --"]) == {}
        assert engine.store.get_meta("' OR '1'='1") is None
    finally:
        engine.close()

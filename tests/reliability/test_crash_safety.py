"""kill -9 during an ingest: the store stays consistent, the interrupted document is absent or whole,
and re-running the ingest completes it and rebuilds the search index."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import textwrap
import time
from pathlib import Path

import pytest

from netnav.engine import Engine
from tests.reliability.helpers import check_store, make_corpus, seed_embedding_cache

pytestmark = pytest.mark.slow  # kills child processes mid-ingest and mid-index

N_DOCS = 30

# The child ingests the corpus and prints one line per document; it sleeps a little per document so
# the parent's SIGKILL lands while documents are still being written.
CHILD = textwrap.dedent("""
    import sys, time
    from pathlib import Path
    from netnav.engine import Engine

    home, corpus = Path(sys.argv[1]), Path(sys.argv[2])

    def progress(stage, done, total):
        print(stage, done, total, flush=True)
        if stage == "ingest":
            time.sleep(0.01)

    Engine(home).ingest([corpus], progress=progress)
    print("finished", flush=True)
""")

# The child kills itself inside the transaction of its 20th document, after the document row and its
# passages were written but before COMMIT: the worst moment for a torn write.
CHILD_IN_TRANSACTION = textwrap.dedent("""
    import os, signal, sys
    from contextlib import contextmanager
    from pathlib import Path
    from netnav.engine import Engine
    from netnav.store import db

    home, corpus = Path(sys.argv[1]), Path(sys.argv[2])
    original = db.Store.add_document
    calls = {"n": 0}

    def add_document(self, doc, passages, builtin=False, owner=None):
        if builtin:
            return original(self, doc, passages, builtin, owner)
        calls["n"] += 1
        if calls["n"] < 20:
            return original(self, doc, passages, builtin, owner)
        real_transaction = self.transaction

        @contextmanager
        def dying_transaction():
            with real_transaction() as conn:
                yield conn
                print("killing inside transaction", doc.source_path, flush=True)
                os.kill(os.getpid(), signal.SIGKILL)

        self.transaction = dying_transaction
        return original(self, doc, passages, builtin, owner)

    db.Store.add_document = add_document
    Engine(home).ingest([corpus])
""")


def _run_and_kill(argv: list[str], kill_when: str, timeout: float = 180.0) -> list[str]:
    """Start the child, SIGKILL it once a line starting with `kill_when` appears (or it dies); return its lines."""
    proc = subprocess.Popen(argv, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    lines: list[str] = []
    deadline = time.monotonic() + timeout
    assert proc.stdout is not None
    try:
        for line in proc.stdout:
            lines.append(line.strip())
            if line.startswith(kill_when):
                proc.send_signal(signal.SIGKILL)
                break
            assert time.monotonic() < deadline, "child did not reach the kill point in time"
    finally:
        proc.wait(timeout=60)
    assert proc.stderr is not None
    assert proc.returncode == -signal.SIGKILL, (
        f"child was not killed (rc={proc.returncode}): {proc.stderr.read()[-500:]}"
    )
    return lines


@pytest.fixture()
def crash_home(tmp_path: Path, built_home: Path) -> tuple[Path, Path, list[Path]]:
    home = tmp_path / "home"
    seed_embedding_cache(built_home, home)
    corpus_dir = tmp_path / "corpus"
    return home, corpus_dir, make_corpus(corpus_dir, N_DOCS, sections=2, paragraphs=1, seed=1)


def _rerun_and_check(home: Path, corpus_dir: Path, corpus: list[Path]) -> None:
    engine = Engine(home)
    try:
        report = engine.ingest([corpus_dir])
        assert not report.failed
        present = check_store(engine.settings.db_path, corpus)
        assert len(present) == N_DOCS, "re-running the ingest must complete every document"
        index = engine.ensure_index()
        assert index.fingerprint == engine.store.fingerprint()
        assert len(index) == engine.store.count()[1]
        answer = engine.ask("What is lanreotide used for in carcinoid syndrome?", "clinician")
        assert not answer.abstained
    finally:
        engine.close()
    reopened = Engine(home)  # a fresh process-equivalent finds the saved index current
    try:
        from netnav.store import SearchIndex

        assert SearchIndex.load(reopened.settings.index_dir).fingerprint == reopened.store.fingerprint()
    finally:
        reopened.close()


def test_kill9_mid_ingest_leaves_store_consistent_and_rerun_completes(
    crash_home: tuple[Path, Path, list[Path]],
) -> None:
    home, corpus_dir, corpus = crash_home
    lines = _run_and_kill([sys.executable, "-c", CHILD, str(home), str(corpus_dir)], f"ingest {N_DOCS // 3} ")
    assert "finished" not in lines
    present = check_store(home / "netnav.sqlite3", corpus)
    assert 0 < len(present) < N_DOCS, f"the kill should land mid-way, {len(present)} of {N_DOCS} stored"
    _rerun_and_check(home, corpus_dir, corpus)


def test_kill9_inside_a_document_transaction_leaves_it_absent(
    crash_home: tuple[Path, Path, list[Path]],
) -> None:
    home, corpus_dir, corpus = crash_home
    proc = subprocess.run(
        [sys.executable, "-c", CHILD_IN_TRANSACTION, str(home), str(corpus_dir)],
        check=False,
        capture_output=True,
        text=True,
        timeout=180,
    )
    assert proc.returncode == -signal.SIGKILL, proc.stderr[-800:]
    victim = proc.stdout.split("killing inside transaction", 1)[1].split()[0]
    present = check_store(home / "netnav.sqlite3", corpus)
    assert len(present) == 19, f"19 committed documents expected, found {len(present)}"
    assert victim not in present, "the document whose transaction was killed must be absent"
    assert os.path.exists(victim)
    _rerun_and_check(home, corpus_dir, corpus)


def test_kill9_while_indexing_keeps_store_and_index_recoverable(
    crash_home: tuple[Path, Path, list[Path]],
) -> None:
    home, corpus_dir, corpus = crash_home
    lines = _run_and_kill([sys.executable, "-c", CHILD, str(home), str(corpus_dir)], "index ")
    assert any(line.startswith(f"ingest {N_DOCS} ") for line in lines)
    present = check_store(home / "netnav.sqlite3", corpus)
    assert len(present) == N_DOCS  # documents were all committed before indexing began
    _rerun_and_check(home, corpus_dir, corpus)

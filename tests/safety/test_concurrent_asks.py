"""Finding 2 (one process serialised every ask): asks run at once, never queue behind each other, behind
a writer holding the engine's write lock, or behind the loading of a newer index.

Each test makes the overlap itself observable instead of timing it: the query embedder waits at a
barrier that only opens when N asks are inside `ask` at the same time, so a lock that serialises asks
turns into a BrokenBarrierError (after a timeout), not a slow test that still passes.
"""

from __future__ import annotations

import threading
from collections.abc import Iterator, Sequence
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

import numpy as np
import numpy.typing as npt
import pytest

from netnav.api.state import AppState
from netnav.engine import Engine
from netnav.store import SearchIndex
from netnav.testing import HashEmbedder, write_tiny_corpus

QUESTION = "What is lanreotide used for?"
WAIT_S = 10.0


class GateEmbedder(HashEmbedder):
    """HashEmbedder whose single-text (query) calls wait at `gate` when one is set."""

    gate: threading.Barrier | None = None

    def embed(self, texts: Sequence[str], batch_size: int = 32) -> npt.NDArray[np.float32]:
        gate = self.gate
        if gate is not None and len(texts) == 1:
            gate.wait(timeout=WAIT_S)
        return super().embed(texts, batch_size)


@pytest.fixture
def served(tmp_path: Path) -> Iterator[tuple[AppState, GateEmbedder]]:
    embedder = GateEmbedder()
    builder = Engine(tmp_path / "home", embedder=HashEmbedder())
    builder.ingest(write_tiny_corpus(tmp_path / "corpus"))
    builder.close()
    state = AppState(engine=Engine(tmp_path / "home", embedder=embedder))
    state.startup()
    yield state, embedder
    state.engine.close()


def _ask_all(state: AppState, n: int) -> list[Any]:
    with ThreadPoolExecutor(n) as pool:
        futures = [pool.submit(state.ask, QUESTION, "patient", None, None) for _ in range(n)]
        return [f.result(timeout=3 * WAIT_S) for f in futures]


@pytest.mark.parametrize("n", [2, 4])
def test_asks_overlap(served: tuple[AppState, GateEmbedder], n: int) -> None:
    state, embedder = served
    baseline = state.ask(QUESTION, "patient", None, None)
    embedder.gate = threading.Barrier(n)
    answers = _ask_all(state, n)
    assert all(a.citations == baseline.citations for a in answers)


def test_asks_do_not_wait_for_a_writer(served: tuple[AppState, GateEmbedder]) -> None:
    """A writer holding the engine's write lock (ingest, rebuild) and the app's lock (a delete) does
    not hold up answering."""
    state, _ = served
    with state.lock, state.engine._lock:  # noqa: SLF001 - the locks writers take
        done = threading.Event()

        def ask() -> None:
            state.ask(QUESTION, "patient", None, None)
            done.set()

        worker = threading.Thread(target=ask)
        worker.start()
        assert done.wait(WAIT_S), "an ask queued behind a writer's lock"
        worker.join()


def test_asks_keep_answering_while_a_new_index_loads(
    served: tuple[AppState, GateEmbedder], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """An index job swapped a new index in on disk: one ask loads it, the others answer from the
    snapshot they hold meanwhile; afterwards everyone answers from the new one."""
    state, _ = served
    old = state.engine.current_index()
    writer = Engine(state.home, embedder=HashEmbedder())
    (tmp_path / "more.md").write_text("# Octreotide\n\nOctreotide is a somatostatin analogue.\n")
    writer.ingest([tmp_path / "more.md"])  # writes and swaps the index on disk
    writer.close()

    loading, release = threading.Event(), threading.Event()
    real_load = SearchIndex.load

    def slow_load(folder: Path) -> SearchIndex:
        loading.set()
        assert release.wait(WAIT_S)
        return real_load(folder)

    monkeypatch.setattr(SearchIndex, "load", staticmethod(slow_load))
    first = threading.Thread(target=state.ask, args=(QUESTION, "patient", None, None))
    first.start()
    assert loading.wait(WAIT_S)
    answer = state.ask(QUESTION, "patient", None, None)  # must not wait for the load
    assert answer.question
    assert state.engine.current_index() is old
    release.set()
    first.join(WAIT_S)
    assert state.engine.current_index() is not old
    assert len(state.engine.current_index()) > len(old)

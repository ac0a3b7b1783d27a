"""Benchmark homes that went stale: detect it, say so, and re-index from the vectors already kept.

A benchmark home under ``$NETNAV_BENCH_CACHE`` holds a saved search index. When the built-in cards,
the text analyzer or the store change after the home was built, ``Engine.ensure_index`` rebuilds the
index from the document store and embeds every passage again with the real model: hours at 100k
passages on two cores, and the scaled corpora's synthetic vectors would be silently replaced by real
ones. Measuring through that hides the rebuild inside the first "warm" ask.

:func:`ensure_current` is called by each benchmark's worker before it starts an Engine. It checks
exactly what ``Engine.ensure_index`` checks (the saved index loads and verifies, was built with this
text analyzer, this model and the store's current fingerprint) and, when it is stale, prints why on
stderr and rebuilds the index with each passage's *kept* vector (read straight from the saved
``vectors.npy``); only passages that have no kept vector (typically new or edited cards) are embedded
for real, and their number is reported. Above ``max_new`` such passages it stops instead.
"""

from __future__ import annotations

import json
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

Log = Callable[[str], None]


def _stderr(msg: str) -> None:
    print(msg, file=sys.stderr, flush=True)


def kept_vectors(folder: Path) -> dict[str, Any]:
    """passage id -> its saved vector (float32 rows of the saved index), without the integrity and
    analyzer checks of ``SearchIndex.load``; {} when the folder has none."""
    import numpy as np

    try:
        ids = json.loads((folder / "meta.json").read_text(encoding="utf-8"))["ids"]
        matrix = np.load(folder / "vectors.npy", mmap_mode="r", allow_pickle=False)
    except (OSError, ValueError, KeyError):
        return {}
    if len(ids) != len(matrix):
        return {}
    return {pid: matrix[i] for i, pid in enumerate(ids)}


def stale_reason(home: Path) -> str | None:
    """Why ``Engine(home).ensure_index()`` would rebuild (and re-embed) the saved index; None when it
    would load it as it is. Brings the built-in cards into the store first, as the Engine does."""
    from netnav.engine import Engine
    from netnav.errors import NetNavError
    from netnav.store import SearchIndex

    engine = Engine(home)
    try:
        engine.sync_knowledge()
        try:
            saved = SearchIndex.load(engine.settings.index_dir)
        except NetNavError as exc:
            return str(exc)
        if saved.model_id != engine.embedder.model_id:
            return f"index built with model {saved.model_id}, engine uses {engine.embedder.model_id}"
        fingerprint = engine.store.fingerprint()
        if saved.fingerprint != fingerprint:
            return (
                f"store changed since the index was built (fingerprint {saved.fingerprint} -> {fingerprint};"
                " usually the built-in cards changed)"
            )
        return None
    finally:
        engine.close()


def reindex_with_kept_vectors(home: Path, max_new: int = 5000, log: Log = _stderr) -> int:
    """Rebuild ``home``'s index from its store with every passage's kept vector; passages without one
    are embedded for real (at most ``max_new``, else SystemExit). Returns how many were embedded."""
    import numpy as np

    from netnav.engine import Engine
    from netnav.store import SearchIndex
    from netnav.store.index import embed_text

    engine = Engine(home)
    try:
        engine.sync_knowledge()
        kept = kept_vectors(engine.settings.index_dir)
        rows = list(engine.store.iter_passages())
        missing = [i for i, (p, _) in enumerate(rows) if p.id not in kept]
        if len(missing) > max_new:
            raise SystemExit(
                f"{home}: {len(missing):,} of {len(rows):,} passages have no kept vector; embedding them"
                " with the real model would dominate the benchmark: rebuild the corpus instead"
            )
        fresh = engine.embed_texts([embed_text(*rows[i]) for i in missing]) if missing else None
        vectors = np.empty((len(rows), engine.embedder.dim), dtype=np.float32)
        for i, (p, _) in enumerate(rows):
            if p.id in kept:
                vectors[i] = kept[p.id]
        for j, i in enumerate(missing):
            assert fresh is not None
            vectors[i] = fresh[j]
        del kept
        t0 = time.perf_counter()
        index = SearchIndex.build(
            rows, lambda texts: vectors, engine.store.fingerprint(), engine.embedder.model_id
        )
        index.save(engine.settings.index_dir)
        log(f"[home] {home}: re-indexed {len(rows):,} passages in {time.perf_counter() - t0:.0f} s")
        return len(missing)
    finally:
        engine.close()


def ensure_current(home: Path, max_new: int = 5000, log: Log = _stderr) -> str:
    """Check ``home`` before measuring; re-index it from kept vectors when stale. Returns one line for
    the benchmark's output: 'index current' or what was stale and what was done."""
    reason = stale_reason(home)
    if reason is None:
        return "index current"
    log(f"[home] STALE {home}: {reason}; re-indexing with the kept vectors (no silent re-embedding)")
    embedded = reindex_with_kept_vectors(home, max_new, log)
    again = stale_reason(home)
    if again is not None:
        raise SystemExit(f"{home} is still stale after re-indexing: {again}")
    return f"index was stale ({reason}); re-indexed with kept vectors, {embedded} passages embedded for real"


def ensure_current_in_child(home: Path, src: Path | None = None) -> str:
    """:func:`ensure_current` in a child process (for parents that must not import netnav or numpy, so
    that their children's peak RSS stays their own), with ``src`` first on its path. Its line."""
    import os
    import subprocess

    here = Path(__file__).resolve().parent
    code = (
        "import sys, pathlib; sys.path.insert(0, sys.argv[1]); import _homes; "
        "print(_homes.ensure_current(pathlib.Path(sys.argv[2])))"
    )
    env = dict(os.environ)
    if src is not None:
        env["PYTHONPATH"] = str(src)
    out = subprocess.run(
        [sys.executable, "-c", code, str(here), str(home)],
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )
    sys.stderr.write(out.stderr[-2000:])
    if out.returncode != 0:
        raise SystemExit(f"checking {home} failed ({out.returncode})")
    return out.stdout.strip().splitlines()[-1]

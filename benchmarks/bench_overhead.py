"""Per-ask overheads, old vs new in the same process (interleaved rounds, CPU time).

    .venv/bin/python benchmarks/bench_overhead.py [--rounds 5]

1. Tokenising answer sentences one at a time (what answer composition does for every candidate
   sentence): ``bm25s.tokenize([s])`` per sentence (old) vs the cached ``tokenize_one`` (new, same output).
2. The store fingerprint read on every ask: ``SELECT COUNT(*) FROM passages`` (old) vs the count kept
   in metadata (new), on a store of --passages rows.
"""

from __future__ import annotations

import argparse
import re
import sqlite3
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from _common import machine  # noqa: E402


def _cpu(fn: object, reps: int) -> float:
    t0 = time.process_time()
    for _ in range(reps):
        fn()  # type: ignore[operator]
    return (time.process_time() - t0) / reps


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--rounds", type=int, default=5)
    ap.add_argument("--passages", type=int, default=100_000)
    args = ap.parse_args()
    print(machine())
    import bm25s

    from netnav.knowledge.loader import card_documents
    from netnav.store.index import _STEMMER, tokenize_one

    sentences = [s for _, p in card_documents() for s in re.split(r"(?<=[.!?])\s+", p.text) if s][:400]

    def old_tok() -> None:
        for s in sentences:
            bm25s.tokenize([s], stopwords="en", stemmer=_STEMMER, return_ids=False, show_progress=False)

    def new_tok() -> None:
        for s in sentences:
            tokenize_one(s)

    new_tok()
    old_ms, new_ms = [], []
    for _ in range(args.rounds):
        old_ms.append(_cpu(old_tok, 1) * 1000)
        new_ms.append(_cpu(new_tok, 1) * 1000)
    print(
        f"tokenise {len(sentences)} sentences one by one: old {statistics.median(old_ms):.1f} ms CPU, "
        f"new {statistics.median(new_ms):.1f} ms CPU, ratio old/new "
        f"{statistics.median(o / n for o, n in zip(old_ms, new_ms, strict=True)):.1f}"
    )

    with tempfile.TemporaryDirectory() as tmp:
        conn = sqlite3.connect(Path(tmp) / "s.sqlite3")
        conn.execute("CREATE TABLE passages (id TEXT PRIMARY KEY, text TEXT)")
        conn.execute("CREATE TABLE metadata (key TEXT PRIMARY KEY, value TEXT)")
        conn.executemany(
            "INSERT INTO passages VALUES (?, ?)", ((f"p{i}", "x" * 400) for i in range(args.passages))
        )
        conn.execute(
            "INSERT INTO metadata VALUES ('generation', '7'), ('passages', ?)", (str(args.passages),)
        )
        conn.commit()

        def old_fp() -> None:
            conn.execute("SELECT value FROM metadata WHERE key='generation'").fetchone()
            conn.execute("SELECT COUNT(*) FROM passages").fetchone()

        def new_fp() -> None:
            conn.execute("SELECT key, value FROM metadata WHERE key IN ('generation', 'passages')").fetchall()

        old_fp()
        old_f, new_f = [], []
        for _ in range(args.rounds):
            old_f.append(_cpu(old_fp, 20) * 1000)
            new_f.append(_cpu(new_fp, 20) * 1000)
        print(
            f"store fingerprint at {args.passages:,} passages: old {statistics.median(old_f):.3f} ms CPU, "
            f"new {statistics.median(new_f):.3f} ms CPU, ratio old/new "
            f"{statistics.median(o / max(n, 1e-6) for o, n in zip(old_f, new_f, strict=True)):.0f}"
        )
    print(f"load average at the end: {machine().rsplit('load average ', 1)[-1]}")


if __name__ == "__main__":
    main()

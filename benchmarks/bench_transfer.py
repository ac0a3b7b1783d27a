"""Export -> import round trip: an embedded home into PostgreSQL and back, with times and counts.

    .venv/bin/python benchmarks/bench_transfer.py [--passages 100000] [--database-url URL]

* Source: the scaled home of benchmarks/corpus.py (built-in cards + NCI PDQ + generated variants with
  their vectors; built once and cached under $NETNAV_BENCH_CACHE).
* Steps, each timed: `export` of the home (netnav.transfer.run.export_home); `import` into a fresh
  PostgreSQL database (one transaction with binary COPY: documents, passages, BM25 postings and the dump's
  vectors straight into pgvector; into an empty library the postings' indexes and foreign keys are made
  once after the load; the HNSW index only from $NETNAV_PG_HNSW_THRESHOLD passages, default 250k);
  `export` of that database; `import` into a fresh embedded home (documents, then the bm25s/numpy index
  built from the imported vectors).
* Checked: the counts of the first and second dump are equal, both imports' own checks passed (every
  document and saved case present, 64 vectors compared; the largest difference is printed), and the two
  dumps' documents are equal as JSON values (same documents, passages, owners and times).

Numbers depend on the machine and its load (printed before and after); this is a measurement, not a test.
"""

from __future__ import annotations

import argparse
import json
import shutil
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from _common import CACHE_DIR, PDQ_DIR, machine, print_table
from _pg import embedded_postgres, fresh_database

from netnav.settings import Settings
from netnav.transfer.run import export_home, import_dump


def canonical(path: Path) -> list[str]:
    """The dump's documents as sorted canonical JSON (PostgreSQL's jsonb reorders keys; values count)."""
    lines = path.read_text(encoding="utf-8").splitlines()
    return sorted(json.dumps(json.loads(line), sort_keys=True) for line in lines)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--passages", type=int, default=100_000)
    parser.add_argument("--database-url", default=None, help="a PostgreSQL server (default: embedded)")
    args = parser.parse_args()
    from corpus import build_pdq_home, build_scaled_home

    print(f"Machine before: {machine()}")
    source = build_scaled_home(CACHE_DIR, args.passages, build_pdq_home(CACHE_DIR, PDQ_DIR))
    url = fresh_database(args.database_url or embedded_postgres(CACHE_DIR), "netnav_transfer")
    rows = []
    with tempfile.TemporaryDirectory(prefix="netnav-bench-transfer-") as tmp:
        work = Path(tmp)
        t = time.perf_counter()
        first = export_home(Settings(home=source), work / "dump1")
        rows.append(["export home", time.perf_counter() - t, first.counts["passages"], ""])
        print(f"  {rows[-1][0]}: {rows[-1][1]:.1f} s", flush=True)
        t = time.perf_counter()
        into_pg = import_dump(Settings(home=work / "pg-home", database_url=url), work / "dump1")
        checked = into_pg["verified"]
        rows.append(
            [
                "import -> PostgreSQL",
                time.perf_counter() - t,
                checked["passages"]["target"],
                f"max |dv| {checked['vector_max_abs_diff']:.1e} over {checked['vectors_compared']}",
            ]
        )
        print(f"  {rows[-1][0]}: {rows[-1][1]:.1f} s ({rows[-1][3]})", flush=True)
        t = time.perf_counter()
        second = export_home(Settings(home=work / "pg-home", database_url=url), work / "dump2")
        rows.append(["export PostgreSQL", time.perf_counter() - t, second.counts["passages"], ""])
        print(f"  {rows[-1][0]}: {rows[-1][1]:.1f} s", flush=True)
        t = time.perf_counter()
        back = import_dump(Settings(home=work / "back"), work / "dump2")
        checked = back["verified"]
        rows.append(
            [
                "import -> home",
                time.perf_counter() - t,
                checked["passages"]["target"],
                f"max |dv| {checked['vector_max_abs_diff']:.1e} over {checked['vectors_compared']}",
            ]
        )
        print(f"  {rows[-1][0]}: {rows[-1][1]:.1f} s ({rows[-1][3]})", flush=True)
        same = canonical(work / "dump1" / "documents.jsonl") == canonical(work / "dump2" / "documents.jsonl")
        size_mb = sum(p.stat().st_size for p in (work / "dump1").iterdir()) / 1e6
        from netnav.store.postgres.shared import close_pools

        close_pools()
        shutil.rmtree(work, ignore_errors=True)
    print_table(
        f"Round trip of {first.counts['passages']} passages / {first.counts['documents']} documents "
        f"(dump {size_mb:.0f} MB)",
        ["step", "seconds", "passages", "check"],
        rows,
    )
    print(f"\ncounts equal (first dump vs second): {first.counts == second.counts}")
    print(f"first dump counts: {first.counts}")
    print(f"documents equal after the round trip (as JSON values): {same}")
    print(f"Machine after: {machine()}")


if __name__ == "__main__":
    main()

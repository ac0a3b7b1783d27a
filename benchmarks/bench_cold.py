"""Cold `netnav ask --json` in fresh processes, in-process (no resident engine), A/B between source trees.

    .venv/bin/python benchmarks/bench_cold.py [--home HOME] [--trees OLD_CHECKOUT,NEW_CHECKOUT] [--runs 5]

Each tree is a checkout whose ``src`` goes first on PYTHONPATH (default: this checkout only; give an
older checkout, e.g. ``git worktree add /tmp/old <rev>``, for a same-run ratio). Runs are interleaved
(A B A B ...) after one warm-up each, so machine load hits both alike; per run the child's own user+sys
CPU, wall time and peak RSS are read with wait4. Then one process per tree splits its CPU into phases:
imports (CLI app + engine + answer stack), index load, encoder load, one ask.
The home defaults to the cards-only home bench_fusion.py keeps (``$NETNAV_BENCH_CACHE/fusion-cards``).
Numbers depend on the machine and its load; this is a measurement, not a test.
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from _common import CACHE_DIR, ROOT, machine  # noqa: E402
from _homes import ensure_current_in_child  # noqa: E402

QUESTION = "What is a carcinoid tumor?"
_PHASES = """
import sys, time
c0 = time.process_time()
from netnav.cli.app import build_app
build_app()
import netnav.answer.render, netnav.engine
c1 = time.process_time()
from netnav.engine import Engine
engine = Engine(sys.argv[1])
engine.ensure_index()
c2 = time.process_time()
engine.embedder.embed(["warm-up"])
c3 = time.process_time()
engine.ask(sys.argv[2], "patient")
c4 = time.process_time()
print(f"{c1 - c0:.3f} {c2 - c1:.3f} {c3 - c2:.3f} {c4 - c3:.3f} {c4 - c0:.3f}")
"""


def _env(tree: Path) -> dict[str, str]:
    return dict(os.environ, PYTHONPATH=str(tree / "src"), NETNAV_NO_RESIDENT="1")


def one_ask(tree: Path, home: Path) -> tuple[float, float, float]:
    """(CPU s, wall s, peak RSS MB) of one fresh `netnav ask --json` process."""
    argv = [sys.executable, "-m", "netnav", "ask", QUESTION, "--json", "--home", str(home)]
    t0 = time.perf_counter()
    proc = subprocess.Popen(argv, env=_env(tree), stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    _, status, usage = os.wait4(proc.pid, 0)
    wall = time.perf_counter() - t0
    if status != 0:
        err = proc.stderr.read().decode(errors="replace")[-800:] if proc.stderr else ""
        raise SystemExit(f"ask failed in {tree}:\n{err}")
    return usage.ru_utime + usage.ru_stime, wall, usage.ru_maxrss / 1024


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--home", type=Path, default=CACHE_DIR / "fusion-cards")
    ap.add_argument("--trees", default=str(ROOT), help="comma-separated checkouts (first = baseline)")
    ap.add_argument("--runs", type=int, default=5)
    args = ap.parse_args()
    trees = [Path(t).resolve() for t in args.trees.split(",")]
    print(f"Machine: {machine()}")
    print(f"Home {args.home}: {ensure_current_in_child(args.home, trees[-1] / 'src')}")
    runs: dict[Path, list[tuple[float, float, float]]] = {t: [] for t in trees}
    for i in range(args.runs + 1):
        for tree in trees:
            result = one_ask(tree, args.home)
            if i:  # the first round warms the page cache and builds the index if needed
                runs[tree].append(result)
    print("\n| tree | CPU s median (min) | wall s median | peak RSS MB | CPU ratio to first |")
    print("|---|---|---|---|---|")
    base = statistics.median(r[0] for r in runs[trees[0]])
    for tree, rows in runs.items():
        cpu = statistics.median(r[0] for r in rows)
        print(
            f"| {tree} | {cpu:.3f} ({min(r[0] for r in rows):.3f}) | "
            f"{statistics.median(r[1] for r in rows):.2f} | {statistics.median(r[2] for r in rows):.0f} | "
            f"x{cpu / base:.2f} |"
        )
    print("\n| tree | imports CPU s | index | encoder | one ask | total |")
    print("|---|---|---|---|---|---|")
    for tree in trees:
        out = subprocess.run(
            [sys.executable, "-c", _PHASES, str(args.home), QUESTION],
            env=_env(tree),
            capture_output=True,
            text=True,
            check=True,
        )
        print(f"| {tree} | " + " | ".join(out.stdout.split()) + " |")
    print(f"\nMachine after run: {machine()}")


if __name__ == "__main__":
    main()

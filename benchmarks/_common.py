"""Helpers shared by the benchmark scripts: machine description, percentiles, RSS, dev questions."""

from __future__ import annotations

import json
import os
import platform
import resource
import subprocess
import sys
import time
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SHARED = ROOT.parent / "shared"
DEV_QUESTIONS = SHARED / "eval" / "questions.dev.jsonl"
PDQ_DIR = SHARED / "data" / "nci_pdq"
CACHE_DIR = Path(os.environ.get("NETNAV_BENCH_CACHE", "/tmp/netnav-bench"))
NETNAV_BIN = Path(sys.executable).with_name("netnav")


def machine() -> str:
    """One line: cores, memory, Python, and the load average right now (the machine is shared)."""
    mem_gb = os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES") / 2**30
    load = ", ".join(f"{x:.2f}" for x in os.getloadavg())
    return (
        f"{os.cpu_count()} cores, {mem_gb:.0f} GB RAM, Python {platform.python_version()}, "
        f"{platform.system()} {platform.release()}, load average {load}"
    )


def percentile(values: Sequence[float], q: float) -> float:
    """Nearest-rank percentile (q in 0..100); with n samples, p99 is the maximum when n < 100."""
    if not values:
        return float("nan")
    ordered = sorted(values)
    rank = max(1, min(len(ordered), int(-(-q * len(ordered) // 100))))
    return ordered[rank - 1]


def peak_rss_mb() -> float:
    """Peak resident set size of this process (Linux ru_maxrss is in KiB)."""
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


@dataclass(frozen=True)
class ChildRun:
    seconds: float
    rss_mb: float
    returncode: int
    stdout: str
    stderr: str


def run_child_rss(argv: Sequence[str], timeout: float = 900.0) -> ChildRun:
    """Like run_child, but reaps the child with os.wait4 to read its own peak RSS."""
    import selectors

    t0 = time.perf_counter()
    proc = subprocess.Popen(list(argv), stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    deadline = t0 + timeout
    out_chunks: list[bytes] = []
    err_chunks: list[bytes] = []
    sel = selectors.DefaultSelector()
    assert proc.stdout is not None and proc.stderr is not None
    sel.register(proc.stdout, selectors.EVENT_READ, out_chunks)
    sel.register(proc.stderr, selectors.EVENT_READ, err_chunks)
    open_streams = 2
    while open_streams:
        if time.perf_counter() > deadline:
            proc.kill()
            proc.wait()
            raise RuntimeError(f"{argv[:3]} timed out after {timeout}s")
        for key, _ in sel.select(timeout=1.0):
            data = os.read(key.fd, 65536)  # type: ignore[arg-type]
            if not data:
                sel.unregister(key.fileobj)
                open_streams -= 1
            else:
                key.data.append(data)
    _, status, usage = os.wait4(proc.pid, 0)
    proc.returncode = os.waitstatus_to_exitcode(status)
    return ChildRun(
        time.perf_counter() - t0,
        usage.ru_maxrss / 1024,
        proc.returncode,
        b"".join(out_chunks).decode("utf-8", "replace"),
        b"".join(err_chunks).decode("utf-8", "replace"),
    )


def dev_questions() -> list[dict[str, object]]:
    if not DEV_QUESTIONS.is_file():
        raise SystemExit(
            f"dev questions not found at {DEV_QUESTIONS} (the shared folder sits beside the project)"
        )
    return [
        json.loads(line) for line in DEV_QUESTIONS.read_text(encoding="utf-8").splitlines() if line.strip()
    ]


def print_table(title: str, header: Sequence[str], rows: Sequence[Sequence[object]]) -> None:
    """A GitHub-flavoured Markdown table, so the output pastes straight into docs/performance.md."""

    def fmt(v: object) -> str:
        if isinstance(v, float):
            return f"{v:.1f}" if abs(v) >= 10 else f"{v:.2f}"
        return str(v)

    print(f"\n### {title}\n")
    print("| " + " | ".join(header) + " |")
    print("|" + "|".join("---" for _ in header) + "|")
    for row in rows:
        print("| " + " | ".join(fmt(v) for v in row) + " |")
    sys.stdout.flush()

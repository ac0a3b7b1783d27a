"""API throughput: concurrent clients against `netnav serve` on 127.0.0.1 (bounded count and duration).

    .venv/bin/python benchmarks/bench_api.py [--clients 8] [--seconds 20] [--home DIR]

The server runs in a subprocess (`netnav serve --home DIR --port P`, loopback, no token) on the
benchmark PDQ home built by bench_ask.py (cards + NCI PDQ). Each client is a thread with its own
httpx.Client and its own session cookie, posting the dev questions in turn to POST /api/ask until the
duration ends. An error is any exception or any status other than 200. The server's peak RSS is its
VmHWM from /proc (an exec'd process starts its high-water mark afresh).
Numbers depend on the machine and its load; this is a measurement, not a test.
"""

from __future__ import annotations

import argparse
import shutil
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

import httpx

sys.path.insert(0, str(Path(__file__).resolve().parent))

from _common import CACHE_DIR, NETNAV_BIN, dev_questions, machine, percentile, print_table
from _http import ask_loop, free_port, wait_ready


def vm_kb(pid: int, key: str) -> float:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith(key + ":"):
            return float(line.split()[1])
    return float("nan")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--clients", type=int, default=8)
    parser.add_argument("--seconds", type=float, default=20.0)
    parser.add_argument("--home", type=Path, default=CACHE_DIR / "pdq")
    args = parser.parse_args()
    if not (args.home / "index").is_dir():
        raise SystemExit(f"run benchmarks/bench_ask.py first: it builds {args.home}")
    questions = dev_questions()
    print(f"Machine: {machine()}")
    with tempfile.TemporaryDirectory(prefix="netnav-bench-api-") as tmp:
        home = Path(tmp) / "home"  # a copy, so sessions/cases written by the server stay out of the cache
        shutil.copytree(args.home, home)
        port = free_port()
        base = f"http://127.0.0.1:{port}"
        proc = subprocess.Popen(
            [str(NETNAV_BIN), "serve", "--home", str(home), "--port", str(port)],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.PIPE,
        )
        try:
            ready_s = wait_ready(base, proc)
            idle_rss = vm_kb(proc.pid, "VmRSS") / 1024
            # one warm-up request per question, so the measured window is steady state
            with httpx.Client(base_url=base, timeout=60) as http:
                for q in questions:
                    http.post("/api/ask", json={"question": q["question"]})
            latencies: list[float] = []
            errors: list[str] = []
            until = time.perf_counter() + args.seconds
            t0 = time.perf_counter()
            threads = [
                threading.Thread(target=ask_loop, args=(base, questions, until, k * 3, latencies, errors))
                for k in range(args.clients)
            ]
            for t in threads:
                t.start()
            for t in threads:
                t.join(timeout=args.seconds + 120)
            wall = time.perf_counter() - t0
            peak_rss = vm_kb(proc.pid, "VmHWM") / 1024
        finally:
            proc.terminate()
            try:
                _, err = proc.communicate(timeout=30)
            except subprocess.TimeoutExpired:
                proc.kill()
                _, err = proc.communicate()
    print_table(
        f"POST /api/ask, {args.clients} concurrent clients x {args.seconds:.0f} s, loopback",
        [
            "clients",
            "requests",
            "errors",
            "req/s",
            "p50 ms",
            "p95 ms",
            "p99 ms",
            "max ms",
            "server ready s",
            "server RSS idle MB",
            "server peak RSS MB",
        ],
        [
            [
                args.clients,
                len(latencies),
                len(errors),
                len(latencies) / wall,
                percentile(latencies, 50),
                percentile(latencies, 95),
                percentile(latencies, 99),
                max(latencies, default=float("nan")),
                ready_s,
                idle_rss,
                peak_rss,
            ]
        ],
    )
    for e in errors[:5]:
        print(f"error: {e}")
    if err.strip():
        print(f"server stderr (last lines): {err.decode(errors='replace').strip()[-600:]}")
    print(f"Machine after run: {machine()}")
    if errors:
        sys.exit(1)


if __name__ == "__main__":
    main()

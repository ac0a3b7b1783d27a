"""Helpers shared by the benchmarks that drive a real `netnav serve` over loopback HTTP."""

from __future__ import annotations

import socket
import subprocess
import time

import httpx


def free_port() -> int:
    """A free TCP port on 127.0.0.1."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def wait_ready(base: str, proc: subprocess.Popen[bytes], timeout: float = 600.0) -> float:
    """Seconds until GET /api/health says `ready` (the built-in index is loaded); exits if the server dies."""
    t0 = time.perf_counter()
    while time.perf_counter() - t0 < timeout:
        if proc.poll() is not None:
            raise SystemExit(f"server exited with {proc.returncode}")
        try:
            if httpx.get(base + "/api/health", timeout=2).json().get("ready"):
                return time.perf_counter() - t0
        except (httpx.HTTPError, ValueError):
            pass
        time.sleep(0.3)
    raise SystemExit("server did not become ready")


def ask_loop(
    base: str,
    questions: list[dict[str, object]],
    until: float,
    offset: int,
    latencies: list[float],
    errors: list[str],
    timeout: float = 60.0,
) -> None:
    """POST the questions in turn (from `offset`) until `until` (perf_counter); answered asks add their
    latency in ms to `latencies`, anything else a line to `errors`."""
    with httpx.Client(base_url=base, timeout=timeout) as http:
        i = offset
        while time.perf_counter() < until:
            q = questions[i % len(questions)]
            i += 1
            t = time.perf_counter()
            try:
                r = http.post(
                    "/api/ask", json={"question": q["question"], "audience": q.get("audience", "patient")}
                )
                ok = r.status_code == 200 and "citations" in r.json()
            except (httpx.HTTPError, ValueError) as exc:
                errors.append(f"{type(exc).__name__}: {exc}")
                continue
            if ok:
                latencies.append((time.perf_counter() - t) * 1000)
            else:
                errors.append(f"HTTP {r.status_code}: {r.text[:200]}")

"""`netnav serve --workers N`: refused with the reason on the embedded store; on PostgreSQL two worker
processes serve one port, and writes sent to either are all seen (real processes, real database)."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
from pathlib import Path

import httpx
import pytest
from typer.testing import CliRunner

from tests.api.helpers import copy_home


def test_workers_need_postgresql(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from netnav.cli.app import build_app

    monkeypatch.delenv("NETNAV_DATABASE_URL", raising=False)
    result = CliRunner().invoke(build_app(), ["serve", "--home", str(tmp_path), "--workers", "2"])
    assert result.exit_code == 2
    assert "needs the PostgreSQL backend" in result.output and "--workers 1" in result.output


def _port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@pytest.mark.slow
def test_two_workers_share_one_database(built_home: Path, tmp_path: Path, migrated_database: str) -> None:
    home = copy_home(built_home, tmp_path / "home")
    port = _port()
    src = Path(__file__).resolve().parents[2] / "src"
    env = {**os.environ, "PYTHONPATH": str(src), "NETNAV_DATABASE_URL": migrated_database}
    env.pop("NETNAV_TOKEN", None)
    argv = [
        sys.executable,
        "-m",
        "netnav",
        "serve",
        "--home",
        str(home),
        "--port",
        str(port),
        "--workers",
        "2",
    ]
    proc = subprocess.Popen(argv, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 300
        while True:
            assert proc.poll() is None, proc.stderr.read().decode() if proc.stderr else "server exited"
            try:
                health = httpx.get(base + "/api/health", timeout=5).json()
                if health.get("ready"):
                    break
            except httpx.HTTPError:
                pass
            assert time.monotonic() < deadline, "the server did not become ready"
            time.sleep(0.5)
        assert health["backend"] == "postgresql" and health["schema_version"] >= 51
        with httpx.Client(base_url=base, timeout=60) as http:
            made = {
                http.post("/api/saved-cases", data={"name": f"case {i}"}).json()["case"]["id"]
                for i in range(12)
            }
            for _ in range(6):  # new connections: the requests spread over both workers
                with httpx.Client(base_url=base, timeout=60) as fresh:
                    listed = {c["id"] for c in fresh.get("/api/saved-cases").json()}
                    assert listed == made
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=60)
        except subprocess.TimeoutExpired:
            proc.kill()

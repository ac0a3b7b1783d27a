"""The resident engine: per-user paths and permissions, token check, command allow-list, the CLI
client using it, `netnav stop`, and the in-process fallback."""

from __future__ import annotations

import json
import os
import stat
import subprocess
import sys
from pathlib import Path

import pytest

from netnav.cli.resident import ResidentServer
from netnav.cli.resident_client import request, run_via_resident, runtime_dir, runtime_paths


@pytest.fixture()
def rundir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    base = tmp_path / "run"
    base.mkdir()
    monkeypatch.setenv("XDG_RUNTIME_DIR", str(base))
    return base


def test_runtime_dir_is_private(rundir: Path) -> None:
    root = runtime_dir()
    assert root.parent == rundir
    assert stat.S_IMODE(root.stat().st_mode) == 0o700
    os.chmod(root, 0o755)  # loosened by someone: tightened again
    runtime_dir()
    assert stat.S_IMODE(root.stat().st_mode) == 0o700


def test_paths_differ_per_home(rundir: Path) -> None:
    assert runtime_paths(Path("/a")).socket != runtime_paths(Path("/b")).socket


def test_server_checks_token_and_allow_list(rundir: Path, tmp_path: Path) -> None:
    server = ResidentServer(runtime_paths(tmp_path / "home"), tmp_path / "home", idle_s=60)
    try:
        paths = server.paths
        assert stat.S_IMODE(paths.token.stat().st_mode) == 0o600
        assert stat.S_IMODE(paths.socket.stat().st_mode) == 0o600
        bad = json.dumps({"token": "0" * 64, "argv": ["sources"]}).encode()
        assert server.dispatch(bad)["stderr"] == "error: bad token"
        good = server.token
        reply = server.dispatch(json.dumps({"token": good, "argv": ["ingest", "/etc"]}).encode())
        assert reply["exit"] == 2 and "does not run" in reply["stderr"]
        assert server.dispatch(b"not json")["exit"] == 2
        assert server.dispatch(json.dumps({"token": good, "argv": "ask"}).encode())["exit"] == 2
        assert server.dispatch(b"x" * (2 << 20))["stderr"] == "error: request too large"
        assert server.dispatch(json.dumps({"token": good, "ping": True}).encode())["exit"] == 0
    finally:
        server.cleanup()
    assert not paths.socket.exists() and not paths.token.exists()


def test_client_falls_back_when_no_engine_runs(rundir: Path, tmp_path: Path) -> None:
    home = tmp_path / "home"
    assert run_via_resident(["ask", "What is a NET?", "--home", str(home)]) is None
    paths = runtime_paths(home.resolve())
    paths.socket.touch()  # a stale socket file left by a killed engine
    paths.token.write_text("abc")
    assert request(paths, {"ping": True}) is None
    assert run_via_resident(["ask", "What is a NET?", "--home", str(home)]) is None
    assert run_via_resident(["ingest", "x", "--home", str(home)]) is None  # never resident
    assert run_via_resident(["ask", "--help"]) is None


def _netnav(args: list[str], env: dict[str, str], timeout: float = 600) -> subprocess.CompletedProcess[str]:
    code = "import sys; sys.argv[0] = 'netnav'; from netnav.cli.app import main; main()"
    return subprocess.run(
        [sys.executable, "-c", code, *args], env=env, capture_output=True, text=True, timeout=timeout
    )


@pytest.mark.slow
def test_background_engine_answers_like_in_process(rundir: Path, built_home: Path) -> None:
    env = {**os.environ, "XDG_RUNTIME_DIR": str(rundir)}
    question = [
        "ask",
        "What does a Ki-67 of 15% mean for a pancreatic NET?",
        "--json",
        "--home",
        str(built_home),
    ]
    started = _netnav(["serve", "--background", "--home", str(built_home), "--idle-minutes", "5"], env)
    assert started.returncode == 0, started.stderr
    try:
        paths = runtime_paths(built_home.resolve())
        assert paths.socket.exists()
        resident = _netnav(question, env)
        assert resident.returncode == 0, resident.stderr
        direct = _netnav(question, {**env, "NETNAV_NO_RESIDENT": "1"})
        strip = lambda out: {k: v for k, v in json.loads(out).items() if k != "timings_ms"}  # noqa: E731
        assert strip(resident.stdout) == strip(direct.stdout)
        again = _netnav(["serve", "--background", "--home", str(built_home)], env)
        assert "already running" in again.stderr
    finally:
        stopped = _netnav(["stop", "--home", str(built_home)], env)
    assert stopped.returncode == 0 and "stopped" in stopped.stderr
    assert not runtime_paths(built_home.resolve()).socket.exists()
    assert "No resident engine" in _netnav(["stop", "--home", str(built_home)], env).stderr

"""The resident engine: one background process per data home that keeps the Engine (index, encoder,
card documents) loaded, so read commands answer without paying imports and model load each time.

Started by ``netnav serve --background``, stopped by ``netnav stop`` or after ``idle`` seconds
without a request. It listens on a Unix socket in a per-user directory (mode 0700; see
:mod:`netnav.cli.resident_client` for the paths) and accepts one JSON request per connection::

    {"token": "<hex>", "argv": ["ask", "What is a NET?", "--home", "/abs/home"]}
    -> {"exit": 0, "stdout": "...", "stderr": ""}
    {"token": "<hex>", "stop": true} -> {"exit": 0, "stdout": "", "stderr": ""}

The token (32 random bytes, in a file readable only by the user) guards against other local users
even if the directory's permissions were loosened. Only the commands in
:data:`netnav.cli.resident_client.RESIDENT_COMMANDS` are run; they run one at a time, through the same
Typer commands as in a normal process (identical output and exit codes).
"""

from __future__ import annotations

import argparse
import hmac
import json
import logging
import os
import secrets
import socketserver
import threading
import time
from pathlib import Path
from typing import Any

from netnav.cli.resident_client import MAX_REQUEST_BYTES, RESIDENT_COMMANDS, RuntimePaths, runtime_paths

log = logging.getLogger(__name__)
DEFAULT_IDLE_S = 30 * 60  # stop after 30 minutes without a request (a laptop's memory is shared)


class _Handler(socketserver.StreamRequestHandler):
    server: ResidentServer

    def handle(self) -> None:
        raw = self.rfile.readline(MAX_REQUEST_BYTES + 1)
        reply = self.server.dispatch(raw)
        self.wfile.write(json.dumps(reply).encode("utf-8") + b"\n")


class ResidentServer(socketserver.ThreadingMixIn, socketserver.UnixStreamServer):
    daemon_threads = True

    def __init__(self, paths: RuntimePaths, home: Path, idle_s: float) -> None:
        self.paths = paths
        self.home = home
        self.idle_s = idle_s
        self.token = secrets.token_hex(32)
        self.last_request = time.monotonic()
        self._run_lock = threading.Lock()
        paths.socket.unlink(missing_ok=True)
        super().__init__(str(paths.socket), _Handler)
        os.chmod(paths.socket, 0o600)
        fd = os.open(paths.token, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
        with os.fdopen(fd, "w", encoding="ascii") as fh:
            fh.write(self.token)
        paths.pid.write_text(str(os.getpid()), encoding="ascii")

    def dispatch(self, raw: bytes) -> dict[str, Any]:
        self.last_request = time.monotonic()
        if len(raw) > MAX_REQUEST_BYTES:
            return _reply(2, err="error: request too large")
        try:
            request = json.loads(raw)
            token = str(request.get("token", ""))
        except (ValueError, AttributeError):
            return _reply(2, err="error: malformed request")
        if not hmac.compare_digest(token.encode(), self.token.encode()):
            return _reply(2, err="error: bad token")
        if request.get("stop"):
            threading.Thread(target=self.shutdown, daemon=True).start()
            return _reply(0)
        if request.get("ping"):
            return _reply(0, out=str(self.home))
        argv = request.get("argv")
        if not isinstance(argv, list) or not argv or not all(isinstance(a, str) for a in argv):
            return _reply(2, err="error: malformed request")
        if argv[0] not in RESIDENT_COMMANDS:
            return _reply(2, err=f"error: {argv[0]!r} does not run in the resident engine")
        with self._run_lock:
            return self._run(argv)

    def _run(self, argv: list[str]) -> dict[str, Any]:
        from typer.testing import CliRunner

        from netnav.cli.app import app

        result = CliRunner().invoke(app, argv, prog_name="netnav")
        return _reply(result.exit_code, out=result.stdout, err=result.stderr)

    def watch_idle(self) -> None:
        while True:
            time.sleep(min(5.0, self.idle_s))
            if time.monotonic() - self.last_request > self.idle_s:
                log.info("idle for %.0f s: stopping", self.idle_s)
                self.shutdown()
                return

    def cleanup(self) -> None:
        self.server_close()
        for path in (self.paths.socket, self.paths.token, self.paths.pid):
            path.unlink(missing_ok=True)


def _reply(code: int, out: str = "", err: str = "") -> dict[str, Any]:
    return {"exit": code, "stdout": out, "stderr": err}


def serve_resident(home: Path, idle_s: float = DEFAULT_IDLE_S) -> None:
    """Load the engine for ``home``, then serve requests until stopped or idle (blocks)."""
    from netnav.cli import common
    from netnav.engine import Engine

    engine = Engine(home)
    engine.ensure_index()
    engine.embedder.embed(["warm-up"])  # load the encoder now, not on the first question
    common.keep_engines(engine)
    server = ResidentServer(runtime_paths(home), home, idle_s)
    threading.Thread(target=server.watch_idle, daemon=True).start()
    try:
        server.serve_forever(poll_interval=0.5)
    finally:
        server.cleanup()
        engine.close()


def main() -> None:
    ap = argparse.ArgumentParser(prog="python -m netnav.cli.resident", description=__doc__)
    ap.add_argument("--home", type=Path, required=True)
    ap.add_argument("--idle", type=float, default=DEFAULT_IDLE_S, help="seconds without a request")
    args = ap.parse_args()
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(levelname)s %(message)s")
    serve_resident(args.home.resolve(), args.idle)


if __name__ == "__main__":
    main()

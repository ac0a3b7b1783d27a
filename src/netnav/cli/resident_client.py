"""Talk to a running resident engine (see :mod:`netnav.cli.resident`) using the standard library only,
so that ``netnav ask`` through it starts in well under a second.

Paths, per user and per data home: ``$XDG_RUNTIME_DIR/netnav/`` when that exists, otherwise
``<temp dir>/netnav-<uid>/``; the directory is created with mode 0700 and refused when another
user owns it or others can enter it. Inside: ``<h>.sock``, ``<h>.token`` (mode 0600), ``<h>.pid``
and ``<h>.log``, where ``<h>`` is a hash of the resolved data home.
"""

from __future__ import annotations

import hashlib
import json
import os
import socket
import stat
import sys
import tempfile
from dataclasses import dataclass
from pathlib import Path
from typing import Any

RESIDENT_COMMANDS = frozenset({"ask", "sources"})  # read commands whose output does not depend on the cwd
MAX_REQUEST_BYTES = 1 << 20
_CONNECT_TIMEOUT_S = 0.5
_REPLY_TIMEOUT_S = 600.0


@dataclass(frozen=True)
class RuntimePaths:
    socket: Path
    token: Path
    pid: Path
    log: Path


def runtime_dir() -> Path:
    """The per-user directory for sockets and tokens (created 0700; raises PermissionError if unsafe)."""
    base = os.environ.get("XDG_RUNTIME_DIR")
    root = (
        Path(base) / "netnav"
        if base and Path(base).is_dir()
        else Path(tempfile.gettempdir()) / f"netnav-{os.getuid()}"
    )
    root.mkdir(mode=0o700, parents=True, exist_ok=True)
    st = root.lstat()
    if not stat.S_ISDIR(st.st_mode) or st.st_uid != os.getuid():
        raise PermissionError(f"{root} is not a directory owned by this user")
    if stat.S_IMODE(st.st_mode) & 0o077:
        os.chmod(root, 0o700)
    return root


def runtime_paths(home: Path) -> RuntimePaths:
    key = hashlib.sha256(str(home).encode("utf-8", "surrogatepass")).hexdigest()[:16]
    root = runtime_dir()
    return RuntimePaths(root / f"{key}.sock", root / f"{key}.token", root / f"{key}.pid", root / f"{key}.log")


def request(
    paths: RuntimePaths, payload: dict[str, Any], timeout: float = _REPLY_TIMEOUT_S
) -> dict[str, Any] | None:
    """Send one request; the reply, or None when no engine answers (absent, stale socket, bad token)."""
    try:
        token = paths.token.read_text(encoding="ascii").strip()
        with socket.socket(socket.AF_UNIX, socket.SOCK_STREAM) as sock:
            sock.settimeout(_CONNECT_TIMEOUT_S)
            sock.connect(str(paths.socket))
            sock.settimeout(timeout)
            sock.sendall(json.dumps({**payload, "token": token}).encode("utf-8") + b"\n")
            chunks = []
            while chunk := sock.recv(1 << 16):
                chunks.append(chunk)
        reply = json.loads(b"".join(chunks))
    except (OSError, ValueError):
        return None
    if not isinstance(reply, dict) or not isinstance(reply.get("exit"), int):
        return None
    if reply["exit"] == 2 and reply.get("stderr") == "error: bad token":
        return None
    return reply


def _home_of(argv: list[str]) -> Path:
    for i, arg in enumerate(argv):
        if arg == "--home" and i + 1 < len(argv):
            return Path(argv[i + 1]).expanduser().resolve()
        if arg.startswith("--home="):
            return Path(arg.split("=", 1)[1]).expanduser().resolve()
    from netnav.settings import resolve_home

    return resolve_home()


def run_via_resident(argv: list[str]) -> int | None:
    """Run a read command through a resident engine for its home; the exit code, or None to run it
    in this process (not a resident command, ``--help``, a case file, or no engine running)."""
    if (
        os.environ.get("NETNAV_NO_RESIDENT")
        or os.environ.get("NETNAV_DATABASE_URL")  # the resident engine serves its home's embedded store
        or not argv
        or argv[0] not in RESIDENT_COMMANDS
    ):
        return None
    if any(a in ("--help", "-h", "--case") or a.startswith("--case=") for a in argv[1:]):
        return None
    try:
        home = _home_of(argv)
        paths = runtime_paths(home)
    except (OSError, ValueError):
        return None
    if not paths.socket.exists():
        return None
    rest = [
        a
        for i, a in enumerate(argv)
        if not (a == "--home" or a.startswith("--home=") or (i and argv[i - 1] == "--home"))
    ]
    reply = request(paths, {"argv": [*rest, "--home", str(home)]})
    if reply is None:
        return None
    sys.stdout.write(str(reply.get("stdout", "")))
    sys.stderr.write(str(reply.get("stderr", "")))
    return int(reply["exit"])

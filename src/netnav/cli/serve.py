"""`netnav serve [--host 127.0.0.1] [--port 8000] [--home DIR]`: the web UI and REST API (uvicorn).

`netnav serve --background [--idle-minutes 30]` starts the resident engine instead (see
netnav.cli.resident): a per-user background process that `netnav ask` and `netnav sources` use when it is
running; `netnav stop` stops it.
"""

from __future__ import annotations

import ipaddress
import os
import time
from pathlib import Path
from typing import Any

import typer

from netnav.cli.common import HomeOption, fail, guarded

LOOPBACK_NAMES = frozenset({"localhost", "ip6-localhost"})


def is_loopback(host: str) -> bool:
    name = host.strip().strip("[]").lower()
    if name in LOOPBACK_NAMES:
        return True
    try:
        return ipaddress.ip_address(name).is_loopback
    except ValueError:
        return False


MIN_TOKEN_CHARS = 16
MIN_TOKEN_DISTINCT = 8  # "aaaaaaaaaaaaaaaa" or "1212121212121212" is not a secret


def token_problem(token: str) -> str | None:
    """Why `token` is too weak to protect the server, or None. Rule: at least 16 characters with at least
    8 different ones (e.g. `python -c "import secrets; print(secrets.token_urlsafe(24))"`)."""
    if len(token) < MIN_TOKEN_CHARS:
        return f"NETNAV_TOKEN is too short ({len(token)} characters; use at least {MIN_TOKEN_CHARS})"
    if len(set(token)) < MIN_TOKEN_DISTINCT:
        return f"NETNAV_TOKEN is too predictable (fewer than {MIN_TOKEN_DISTINCT} different characters)"
    return None


def check_token(host: str, token: str | None) -> None:
    """Refuse (exit 2) to listen beyond this computer without NETNAV_TOKEN, or with a weak one."""
    if not is_loopback(host) and not token:
        fail(f"NETNAV_TOKEN must be set to serve on the non-loopback address {host}", 2)
    problem = token_problem(token) if token else None
    if problem:
        fail(problem, 2)


def check_tls(cert: Path | None, key: Path | None) -> None:
    if (cert is None) != (key is None):
        fail("--tls-cert and --tls-key go together", 2)
    for path in (cert, key):
        if path is not None and not path.is_file():
            fail(f"TLS file not found: {path}", 2)


def check_workers(workers: int) -> str | None:
    """The database URL when there is one; refuses (exit 2) N > 1 workers on the embedded backend, whose
    index, session cases and conversations live in one process (and whose SQLite file takes one writer)."""
    from netnav.settings import resolve_database_url

    url = resolve_database_url(None)
    if workers > 1 and not url:
        fail(
            f"--workers {workers} needs the PostgreSQL backend (set NETNAV_DATABASE_URL=postgresql://...): "
            "with the embedded store each process would keep its own index, session cases and "
            "conversation memory. Serve with --workers 1 (the default), or see docs/deploy.md.",
            2,
        )
    return url


def hand_over(
    home: Path, database_url: str | None, hosts: frozenset[str], header_timeout: float, max_connections: int
) -> None:
    """Put what each worker process needs into the environment it inherits (netnav.app.create_app_from_env)
    and create the session-signing key once, so every worker signs and checks cookies with the same key."""
    from netnav.app import SERVE_HEADER_TIMEOUT_ENV, SERVE_HOSTS_ENV, SERVE_MAX_CONNECTIONS_ENV
    from netnav.guard.sessions import SessionSigner

    os.environ["NETNAV_HOME"] = str(home)
    if database_url:
        os.environ["NETNAV_DATABASE_URL"] = database_url
    os.environ[SERVE_HOSTS_ENV] = ",".join(sorted(hosts))
    os.environ[SERVE_HEADER_TIMEOUT_ENV] = str(header_timeout)
    os.environ[SERVE_MAX_CONNECTIONS_ENV] = str(max_connections)
    SessionSigner.for_home(home)


def register(app: typer.Typer) -> None:
    @app.command()
    def serve(
        host: str = typer.Option(
            "127.0.0.1", "--host", help="Address to bind (non-loopback needs NETNAV_TOKEN)."
        ),
        port: int = typer.Option(8000, "--port", min=1, max=65535, help="Port to listen on."),
        home: Path | None = HomeOption,
        max_connections: int = typer.Option(
            200, "--max-connections", min=4, help="Open connections beyond this get 503 at once."
        ),
        header_timeout: float = typer.Option(
            10.0, "--header-timeout", min=1.0, help="Seconds a client has to send its request headers."
        ),
        tls_cert: Path | None = typer.Option(None, "--tls-cert", help="PEM certificate (with --tls-key)."),
        tls_key: Path | None = typer.Option(None, "--tls-key", help="PEM private key (with --tls-cert)."),
        background: bool = typer.Option(
            False, "--background", help="Start the resident engine for fast CLI answers, then return."
        ),
        idle_minutes: float = typer.Option(
            30.0, "--idle-minutes", min=0.1, help="With --background: stop after this long without use."
        ),
        workers: int = typer.Option(
            1,
            "--workers",
            min=1,
            max=64,
            help="Server processes (more than 1 needs the PostgreSQL backend: NETNAV_DATABASE_URL).",
        ),
    ) -> None:
        """Serve the web UI and the REST API (OpenAPI at /docs), or start the resident engine (--background).

        NETNAV_ALLOWED_HOSTS (environment): extra comma-separated host names the server answers for (the
        loopback names and the bound address always are; any other Host header gets 421).
        NETNAV_TOKEN (environment): a secret of at least 16 characters; when set, every request needs it
        (Authorization: Bearer <token>, or the /login form); required off loopback. With --tls-cert and
        --tls-key the server speaks HTTPS (advised off loopback: the token travels with each request).
        --workers N: N processes sharing one PostgreSQL database, each answering on its own (no lock
        across them); the embedded SQLite backend serves from one process and refuses N > 1."""
        if background:
            guarded(lambda: start_background(home, idle_minutes * 60))
            return
        token = os.environ.get("NETNAV_TOKEN") or None
        check_token(host, token)
        check_tls(tls_cert, tls_key)
        database_url = guarded(lambda: check_workers(workers))

        def run() -> None:
            import uvicorn

            from netnav.app import create_app
            from netnav.guard.logs import install_log_limits
            from netnav.guard.origin import allowed_hosts
            from netnav.guard.server import configure
            from netnav.guard.sessions import private_tempdir
            from netnav.settings import get_settings

            scheme = "https" if tls_cert else "http"
            typer.echo(
                f"NETNav on {scheme}://{host}:{port}/ (API docs at /docs); Ctrl+C to stop."
                + (" Token required." if token else ""),
                err=True,
            )
            if not is_loopback(host) and not tls_cert:
                typer.echo("Warning: serving off loopback without TLS (--tls-cert/--tls-key).", err=True)
            install_log_limits()
            resolved = get_settings(home).home
            private_tempdir(resolved)  # uploads being read never sit in the shared /tmp
            extra = os.environ.get("NETNAV_ALLOWED_HOSTS", "").split(",")
            options: dict[str, Any] = {
                "host": host,
                "port": port,
                "access_log": False,  # request paths and query strings can carry questions
                "log_level": "warning",
                "log_config": None,
                "timeout_keep_alive": 5,
                "ssl_certfile": str(tls_cert) if tls_cert else None,
                "ssl_keyfile": str(tls_key) if tls_key else None,
            }
            if workers == 1:
                uvicorn.run(
                    create_app(home, token, hosts=allowed_hosts(host, extra)),
                    http=configure(header_timeout, max_connections),
                    **options,
                )
                return
            hand_over(resolved, database_url, allowed_hosts(host, extra), header_timeout, max_connections)
            typer.echo(f"{workers} worker processes on one PostgreSQL database.", err=True)
            uvicorn.run(
                "netnav.app:create_app_from_env",
                factory=True,
                workers=workers,
                http=configure(header_timeout, max_connections),
                **options,
            )

        guarded(run)

    @app.command()
    def stop(home: Path | None = HomeOption) -> None:
        """Stop the resident engine started by `netnav serve --background`."""

        def run() -> None:
            from netnav.cli.resident_client import request, runtime_paths
            from netnav.settings import resolve_home

            paths = runtime_paths(resolve_home(home))
            if request(paths, {"stop": True}, timeout=10.0) is None:
                typer.echo("No resident engine is running for this data home.", err=True)
                return
            deadline = time.monotonic() + 10.0
            while paths.socket.exists() and time.monotonic() < deadline:
                time.sleep(0.05)
            typer.echo("Resident engine stopped.", err=True)

        guarded(run)


def start_background(home: Path | None, idle_s: float, wait_s: float = 600.0) -> None:
    """Start the resident engine for ``home`` in a detached process and wait until it answers.

    Does nothing (but say so) when one already runs. Raises NetNavError when it does not come up
    within ``wait_s`` seconds (the first start may build the index); its log file is named then.
    """
    import subprocess
    import sys

    from netnav.cli.resident_client import request, runtime_paths
    from netnav.errors import NetNavError
    from netnav.settings import resolve_home

    resolved = resolve_home(home)
    paths = runtime_paths(resolved)
    if request(paths, {"ping": True}, timeout=5.0) is not None:
        typer.echo(f"The resident engine for {resolved} is already running.", err=True)
        return
    with open(paths.log, "ab") as log_file:
        os.chmod(paths.log, 0o600)
        proc = subprocess.Popen(
            [sys.executable, "-m", "netnav.cli.resident", "--home", str(resolved), "--idle", str(idle_s)],
            stdin=subprocess.DEVNULL,
            stdout=log_file,
            stderr=log_file,
            start_new_session=True,
            close_fds=True,
        )
    deadline = time.monotonic() + wait_s
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise NetNavError(f"the resident engine exited with code {proc.returncode}; see {paths.log}")
        if paths.socket.exists() and request(paths, {"ping": True}, timeout=5.0) is not None:
            typer.echo(
                f"Resident engine running for {resolved} (pid {proc.pid}); `netnav stop` stops it.", err=True
            )
            return
        time.sleep(0.1)
    proc.terminate()
    raise NetNavError(f"the resident engine did not start within {wait_s:.0f} s; see {paths.log}")

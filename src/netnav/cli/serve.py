"""`netnav serve [--host 127.0.0.1] [--port 8000] [--home DIR]`: the web UI and REST API (uvicorn)."""

from __future__ import annotations

import ipaddress
import os
from pathlib import Path

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


def check_token(host: str, token: str | None) -> None:
    """Refuse (exit 2) to listen beyond this computer without NETNAV_TOKEN."""
    if not is_loopback(host) and not token:
        fail(f"NETNAV_TOKEN must be set to serve on the non-loopback address {host}", 2)


def register(app: typer.Typer) -> None:
    @app.command()
    def serve(
        host: str = typer.Option(
            "127.0.0.1", "--host", help="Address to bind (non-loopback needs NETNAV_TOKEN)."
        ),
        port: int = typer.Option(8000, "--port", min=1, max=65535, help="Port to listen on."),
        home: Path | None = HomeOption,
    ) -> None:
        """Serve the web UI and the REST API (OpenAPI at /docs)."""
        token = os.environ.get("NETNAV_TOKEN") or None
        check_token(host, token)

        def run() -> None:
            import uvicorn

            from netnav.app import create_app

            typer.echo(
                f"NETNav on http://{host}:{port}/ (API docs at /docs); Ctrl+C to stop."
                + (" Token required." if token else ""),
                err=True,
            )
            # No access log: request paths and query strings can carry questions.
            uvicorn.run(create_app(home, token), host=host, port=port, access_log=False, log_level="warning")

        guarded(run)

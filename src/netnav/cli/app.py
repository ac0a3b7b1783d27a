"""The `netnav` command. Each command lives in its own module with a `register(app)` function.

Commands import the Engine (and renderers) inside the function they run, not at module level: that keeps
`netnav --help` and light commands from loading the whole stack (numpy, the index, the model) at start-up.

The Typer app is built on first use (``app`` is a lazy module attribute), so that `main` can first
hand a read command to a running resident engine (netnav.cli.resident_client) without importing Typer,
pydantic or the engine.
"""

from __future__ import annotations

import importlib
import os
import sys
from functools import lru_cache
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    import typer

COMMAND_MODULES: tuple[str, ...] = (
    "ask",
    "ingest",
    "sources",
    "extract",
    "assess",
    "trials",
    "serve",
    "eval",
    "case",
    "chat",
    "transfer",
)


@lru_cache(maxsize=1)
def build_app() -> typer.Typer:
    """The Typer app with every command registered (built once per process)."""
    import typer

    app = typer.Typer(
        name="netnav",
        add_completion=False,
        no_args_is_help=True,
        help=(
            "NETNav: offline, cited answers about neuroendocrine neoplasms. Information, not medical advice."
        ),
    )

    @app.callback()
    def _global_options(
        database_url: str | None = typer.Option(
            None,
            "--database-url",
            help="PostgreSQL URL (postgresql://user@host/db) of a library shared by many users and server "
            "processes (or $NETNAV_DATABASE_URL); default: embedded SQLite in the data home.",
        ),
    ) -> None:
        """Options given before the command, e.g. ``netnav --database-url postgresql://… serve``."""
        if database_url:
            from netnav.cli.common import fail
            from netnav.settings import DATABASE_SCHEMES

            if not database_url.startswith(DATABASE_SCHEMES):
                fail("--database-url must start with postgresql:// (leave it out for the embedded store)", 2)
            os.environ["NETNAV_DATABASE_URL"] = database_url

    for name in COMMAND_MODULES:
        importlib.import_module(f"netnav.cli.{name}").register(app)
    return app


def __getattr__(name: str) -> Any:
    if name == "app":
        return build_app()
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


def main() -> None:
    from netnav.cli.resident_client import run_via_resident

    code = run_via_resident(sys.argv[1:])
    if code is not None:
        sys.exit(code)
    build_app()()

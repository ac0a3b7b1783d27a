"""The `netnav` command. Each command lives in its own module with a `register(app)` function.

Commands import the Engine (and renderers) inside the function they run, not at module level: that keeps
`netnav --help` and light commands from loading the whole stack (numpy, the index, the model) at start-up.
"""

from __future__ import annotations

import importlib

import typer

app = typer.Typer(
    name="netnav",
    add_completion=False,
    no_args_is_help=True,
    help="NETNav: offline, cited answers about neuroendocrine neoplasms. Information, not medical advice.",
)

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
)


def _register_all() -> None:
    for name in COMMAND_MODULES:
        importlib.import_module(f"netnav.cli.{name}").register(app)


_register_all()


def main() -> None:
    app()

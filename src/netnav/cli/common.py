"""Shared CLI plumbing: error handling at the edge, JSON output, home option."""

from __future__ import annotations

import json
import sys
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any, TypeVar

import typer
from pydantic import BaseModel

from netnav.errors import NetNavError

if TYPE_CHECKING:
    from netnav.engine import Engine

T = TypeVar("T")

HomeOption = typer.Option(None, "--home", help="Data directory (default: $NETNAV_HOME or the user data dir).")
JsonOption = typer.Option(False, "--json", help="Print machine-readable JSON (see DESIGN.md).")


ReportsArg = typer.Argument(None, help="Report files (txt, md, pdf, FHIR JSON).")
CaseOption = typer.Option(None, "--case", help="A CaseProfile JSON (from `netnav extract --json`).")
CaseNameOption = typer.Option(
    None, "--case-name", help="A saved case (`netnav case list`), with your corrections applied."
)


_kept: dict[Path, Engine] = {}


def keep_engines(engine: Engine) -> None:
    """Inside the resident engine: make :func:`open_engine` hand out ``engine`` for its home."""
    _kept[engine.settings.home] = engine


def open_engine(home: Path | None) -> Engine:
    """The Engine for ``home``: the resident process's loaded one, or a new one in a plain process."""
    from netnav.engine import Engine
    from netnav.settings import resolve_home

    kept = _kept.get(resolve_home(home))
    return kept if kept is not None else Engine(home)


def fail(message: str, code: int) -> None:
    """Print a one-line error on stderr and exit with `code` (no traceback)."""
    one_line = " ".join(str(message).split())
    typer.echo(f"error: {one_line}", err=True)
    raise typer.Exit(code)


def guarded(fn: Callable[[], T]) -> T:
    """Run `fn`, turning typed errors into one-line messages and exit codes 2 (bad input) or 1."""
    try:
        return fn()
    except typer.Exit:
        raise
    except NetNavError as exc:
        fail(str(exc), exc.exit_code)
    except KeyboardInterrupt:
        fail("interrupted", 1)
    except Exception as exc:  # noqa: BLE001 - last line of defence at the edge
        fail(f"internal error: {type(exc).__name__}: {exc}", 1)
    raise AssertionError("unreachable")


def dump_json(payload: Any) -> None:
    if isinstance(payload, BaseModel):
        text = payload.model_dump_json(indent=2)
    elif isinstance(payload, list) and all(isinstance(p, BaseModel) for p in payload):
        text = json.dumps([p.model_dump(mode="json") for p in payload], indent=2, ensure_ascii=False)
    else:
        text = json.dumps(payload, indent=2, ensure_ascii=False, default=str)
    sys.stdout.write(text + "\n")

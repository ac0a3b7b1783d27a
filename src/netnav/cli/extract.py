"""`netnav extract REPORT... [--json]`: read reports into a CaseProfile, each value with its source line."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

import typer

from netnav.cli.common import JsonOption, dump_json, guarded
from netnav.types.case import CaseProfile

if TYPE_CHECKING:
    from rich.console import Console

ReportsArg = typer.Argument(..., help="Report files: .txt, .md, .pdf (text layer) or FHIR R4 JSON.")


def _shown(value: object) -> str:
    if isinstance(value, list):
        return ", ".join(str(v) for v in value) if value else "(none)"
    if isinstance(value, bool):
        return "yes" if value else "no"
    return str(value)


def render(profile: CaseProfile, console: Console) -> None:
    from rich.markup import escape
    from rich.table import Table  # rich loads only when a table is drawn (not for every command)

    table = Table(title=f"Case {profile.case_id}", show_lines=False)
    for col in ("field", "value", "source:line", "line text"):
        table.add_column(col, overflow="fold")
    for name, fv in profile.fields.items():
        value = escape(_shown(fv.value)) + (f" {fv.unit}" if fv.unit and fv.unit != "years" else "")
        if fv.inferred:
            value += " (inferred)"
        if fv.specimen:
            value += f" ({fv.specimen} specimen)"
        if fv.note:
            value += f"\n[dim]{escape(fv.note)}[/dim]"
        for h in fv.history:
            value += f"\n[dim]earlier: {escape(_shown(h.value))} ({escape(h.source)}:{h.line})[/dim]"
        table.add_row(name, value, escape(f"{fv.source}:{fv.line}"), escape(fv.text))
    console.print(table)
    if profile.negated:
        console.print("[bold]Stated as absent:[/bold]")
        for n in profile.negated:
            what = f"{n.field}: {n.value}" if n.value else n.field
            console.print(f"  {what}  ({n.source or '?'}:{n.line})  {n.text}", markup=False)
    if profile.warnings:
        console.print("[bold yellow]Warnings:[/bold yellow]")
        for w in profile.warnings:
            console.print(f"  - {w}", markup=False)


def register(app: typer.Typer) -> None:
    @app.command("extract")
    def extract(reports: list[Path] = ReportsArg, as_json: bool = JsonOption) -> None:
        """Read reports into a case profile; every value shows the line it came from."""
        from netnav.engine import Engine

        profile = guarded(lambda: Engine().extract(reports))
        if as_json:
            dump_json(profile)
        else:
            from rich.console import Console

            render(profile, Console(soft_wrap=False))

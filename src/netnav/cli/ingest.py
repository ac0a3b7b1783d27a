"""`netnav ingest PATH... [--kind ...] [--json]`."""

from __future__ import annotations

from pathlib import Path

import typer

from netnav.cli.common import HomeOption, JsonOption, dump_json, guarded
from netnav.cli.progress import progress_bars


def register(app: typer.Typer) -> None:
    @app.command()
    def ingest(
        paths: list[Path] = typer.Argument(..., help="Files or folders to add."),
        kind: str | None = typer.Option(
            None, "--kind", help="guideline|label|trial|research|education|experience"
        ),
        as_json: bool = JsonOption,
        home: Path | None = HomeOption,
    ) -> None:
        """Add documents (txt, md, html, pdf, PubMed XML, FDA SPL XML, ClinicalTrials.gov JSON/XML)."""

        def run() -> None:
            from netnav.engine import Engine

            engine = Engine(home)
            with progress_bars(not as_json) as progress:
                report = engine.ingest(paths, kind, progress)
            if as_json:
                dump_json(report.as_json())
            else:
                for item in report.items:
                    if item.outcome == "failed":
                        typer.echo(f"FAILED    {item.path}: {item.reason}", err=True)
                    else:
                        extra = f", {item.trials} trial record(s)" if item.trials else ""
                        typer.echo(f"{item.outcome:<9} {item.path} ({item.passages} passages{extra})")
                summary = report.as_json()
                typer.echo(
                    f"{summary['added']} added, {summary['unchanged']} unchanged, {summary['failed']} failed"
                )
            if report.failed and not any(i.outcome != "failed" for i in report.items):
                raise typer.Exit(2)

        guarded(run)

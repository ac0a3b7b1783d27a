"""`netnav trials (REPORT... | --case CASE.json) [--status recruiting|all] [--json]`."""

from __future__ import annotations

from pathlib import Path

import typer

from netnav.cli.common import (
    CaseNameOption,
    CaseOption,
    HomeOption,
    JsonOption,
    ReportsArg,
    dump_json,
    guarded,
)

StatusOption = typer.Option(
    "recruiting", "--status", help="recruiting (recruiting, not yet recruiting or active) or all"
)
BriefOption = typer.Option(False, "--brief", help="Hide the per-criterion table.")


def register(app: typer.Typer) -> None:
    @app.command()
    def trials(
        reports: list[Path] | None = ReportsArg,
        case: Path | None = CaseOption,
        case_name: str | None = CaseNameOption,
        status: str = StatusOption,
        brief: bool = BriefOption,
        as_json: bool = JsonOption,
        home: Path | None = HomeOption,
    ) -> None:
        """Rank trials for a case, criterion by criterion (met / not met / N/A / need info)."""

        def run() -> None:
            from netnav.engine import Engine
            from netnav.trials.render import render_matches
            from netnav.types.trials import parse_trial_scope

            scope = parse_trial_scope(status)  # refuse a bad --status before reading the reports
            engine = Engine(home)
            matches = engine.trials(engine.case_from(list(reports or []), case, case_name), scope)
            if as_json:
                dump_json(matches)
            else:
                typer.echo(render_matches(matches, engine.registry.snapshot().describe(), details=not brief))

        guarded(run)

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
    load_case_input,
)
from netnav.errors import BadInputError

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
            from netnav.settings import resolve_home
            from netnav.trials.match import match_trials
            from netnav.trials.registry import TrialRegistry
            from netnav.trials.render import render_matches

            if status not in ("recruiting", "all"):
                raise BadInputError(f"--status must be 'recruiting' or 'all', not {status!r}")
            profile = load_case_input(list(reports or []), case, case_name, home)
            registry = TrialRegistry(resolve_home(home))
            matches = match_trials(profile, status=status, registry=registry)
            if as_json:
                dump_json(matches)
            else:
                typer.echo(render_matches(matches, registry.snapshot().describe(), details=not brief))

        guarded(run)

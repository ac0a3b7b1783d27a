"""`netnav trials (REPORT... | --case CASE.json) [--status recruiting|all] [--json]`."""

from __future__ import annotations

from pathlib import Path

import typer

from netnav.cli.common import HomeOption, JsonOption, dump_json, guarded
from netnav.errors import BadInputError, NetNavError
from netnav.types.case import CaseProfile

ReportsArg = typer.Argument(None, help="Report files (txt, md, pdf, FHIR JSON).")
CaseOption = typer.Option(None, "--case", help="A CaseProfile JSON (from `netnav extract --json`).")
StatusOption = typer.Option("recruiting", "--status",
                            help="recruiting (recruiting, not yet recruiting or active) or all")
BriefOption = typer.Option(False, "--brief", help="Hide the per-criterion table.")


def _load_case(reports: list[Path], case_file: Path | None) -> CaseProfile:
    if case_file is not None and reports:
        raise BadInputError("give report files or --case, not both")
    if case_file is None and not reports:
        raise BadInputError("give at least one report file or --case CASE.json")
    try:
        from netnav.records import extract_case, load_case_json
    except ImportError as exc:
        raise NetNavError(f"report reading is not available: {exc}") from exc
    return load_case_json(case_file) if case_file is not None else extract_case(reports)


def register(app: typer.Typer) -> None:
    @app.command()
    def trials(
        reports: list[Path] | None = ReportsArg,
        case: Path | None = CaseOption,
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
            profile = _load_case(list(reports or []), case)
            registry = TrialRegistry(resolve_home(home))
            matches = match_trials(profile, status=status, registry=registry)
            if as_json:
                dump_json(matches)
            else:
                typer.echo(render_matches(matches, registry.snapshot().describe(), details=not brief))

        guarded(run)

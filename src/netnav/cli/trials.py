"""`netnav trials (REPORT... | --case CASE.json) [--all-statuses] [--near PLACE] [--within 200km] [--json]`
and `netnav trials update [--json]` (refresh the registry from the ClinicalTrials.gov API v2)."""

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
from netnav.errors import BadInputError

StatusOption = typer.Option(
    "recruiting",
    "--status",
    help="recruiting (recruiting, not yet recruiting, by invitation) or all",
)
AllStatusesOption = typer.Option(
    False, "--all-statuses", help="Also closed, completed and active-not-recruiting trials (listed last)."
)
NearOption = typer.Option(
    None, "--near", help="A place ('Leeds, UK', or 'lat,lon'): list trial sites nearest first, offline."
)
WithinOption = typer.Option(
    None, "--within", help="With --near: only sites within this distance (200km, 120mi)."
)
BriefOption = typer.Option(False, "--brief", help="Hide the per-criterion table.")


def _update(home: Path | None, as_json: bool) -> None:
    from netnav.engine import Engine

    report = Engine(home).update_trials()
    if as_json:
        dump_json(report)
        return
    resumed = " (resumed)" if report["resumed"] else ""
    typer.echo(
        f"Fetched {report['written']} ClinicalTrials.gov record(s) in {report['pages']} page(s) "
        f"at {report['fetched_at']}{resumed}"
    )
    skipped = report["skipped"]
    for problem in skipped if isinstance(skipped, list) else []:
        typer.echo(f"  skipped: {problem}")


def _is_update(reports: list[Path] | None) -> bool:
    return bool(reports) and str((reports or [])[0]) == "update" and not Path("update").exists()


def register(app: typer.Typer) -> None:
    @app.command()
    def trials(
        reports: list[Path] | None = ReportsArg,
        case: Path | None = CaseOption,
        case_name: str | None = CaseNameOption,
        status: str = StatusOption,
        all_statuses: bool = AllStatusesOption,
        near: str | None = NearOption,
        within: str | None = WithinOption,
        brief: bool = BriefOption,
        as_json: bool = JsonOption,
        home: Path | None = HomeOption,
    ) -> None:
        """Rank trials for a case, criterion by criterion (met / not met / N/A / need info).
        `netnav trials update` refreshes the registry from ClinicalTrials.gov (network)."""

        def run() -> None:
            from netnav.engine import Engine
            from netnav.trials.render import empty_near_note, lists_no_sites, render_matches
            from netnav.types.trials import parse_trial_scope

            if _is_update(reports):
                if len(reports or []) > 1 or case is not None or case_name is not None:
                    raise BadInputError("`netnav trials update` takes no reports or --case")
                _update(home, as_json)
                return
            scope = parse_trial_scope("all" if all_statuses else status)  # refuse a bad --status first
            if within is not None and near is None:
                raise BadInputError("--within needs --near PLACE")
            engine = Engine(home)
            profile = engine.case_from(list(reports or []), case, case_name)
            matches = engine.trials(profile, scope, near=near, within=within)
            if as_json:
                dump_json(matches)
                return
            note = None
            if near is not None and not matches:
                shown = engine.trials(profile, scope)
                unbounded = engine.trials(profile, scope, near=near) if within else []
                note = empty_near_note(shown, unbounded, near, within)
                if lists_no_sites(shown):
                    note += (
                        " `netnav trials update` fetches the records with their sites (network)."
                        " The trials are listed below without distances."
                    )
                    matches = shown
            snapshot = engine.registry.snapshot().describe()
            typer.echo(render_matches(matches, snapshot, details=not brief, note=note))

        guarded(run)

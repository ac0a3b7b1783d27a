"""`netnav case new|add|list|show|rename|correct|delete`: saved, named cases in the data home.

netnav case new NAME [REPORT...] [--json]
netnav case add NAME REPORT... [--json]
netnav case list [--json]
netnav case show NAME [--json]          # --json: the CaseProfile (history, user corrections)
netnav case rename NAME NEW_NAME
netnav case correct NAME FIELD VALUE | --confirm FIELD | --undo FIELD [--json]
netnav case delete NAME
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import typer

from netnav.cli.common import HomeOption, JsonOption, dump_json, guarded
from netnav.errors import BadInputError
from netnav.types.case import CaseProfile
from netnav.types.casebook import CaseSummary

case_app = typer.Typer(
    no_args_is_help=True, help="Saved, named cases: add reports over time, correct values."
)
NameArg = typer.Argument(..., help='The case\'s name (e.g. "Dad - pancreatic NET") or its id.')


def _book(home: Path | None) -> Any:
    from netnav.engine import Engine

    return Engine(home).casebook()


def _summary_line(s: CaseSummary) -> str:
    plural = "" if s.reports == 1 else "s"
    return f"{s.name}  ({s.id}; {s.reports} report{plural}; updated {s.updated_at})"


def _show(profile: CaseProfile, summary: CaseSummary) -> str:
    out = [f"Case: {summary.name} ({summary.id})", f"Reports: {', '.join(profile.sources) or 'none'}", ""]
    for name, fv in profile.fields.items():
        mark = ""
        if fv.user is not None:
            mark = f"  [{fv.user.action} by you {fv.user.at}]"
        unit = f" {fv.unit}" if fv.unit and not isinstance(fv.value, bool | list) else ""
        out.append(f"  {name}: {fv.value!r}{unit}{mark}")
        out.append(f"      {fv.source}:{fv.line}  {fv.text.strip()}")
        if fv.note:
            out.append(f"      note: {fv.note}")
        for h in fv.history:
            when = h.report_date or "undated"
            out.append(
                f"      earlier: {h.value!r} ({h.source}:{h.line}, {when}; replaced by {h.superseded_by})"
            )
    for neg in profile.negated:
        out.append(f"  Stated as absent: {neg.field} ({neg.source or '?'}:{neg.line}) {neg.text}")
    out += [f"  Note: {w}" for w in profile.warnings]
    return "\n".join(out)


def _created(summary: CaseSummary, profile: CaseProfile, as_json: bool, verb: str) -> None:
    if as_json:
        dump_json({"case": summary.model_dump(mode="json"), "profile": profile.model_dump(mode="json")})
    else:
        typer.echo(f"{verb} {_summary_line(summary)}")
        typer.echo(_show(profile, summary))


@case_app.command("new")
def new(
    name: str = typer.Argument(..., help='A name you choose, e.g. "Dad - pancreatic NET".'),
    reports: list[Path] | None = typer.Argument(None, help="Report files (txt, md, pdf, docx, image, FHIR)."),
    as_json: bool = JsonOption,
    home: Path | None = HomeOption,
) -> None:
    """Create a saved case, optionally from reports."""

    def run() -> None:
        book = _book(home)
        summary = book.create_from_files(name, list(reports or []))
        _created(summary, book.profile(summary.id), as_json, "Created")

    guarded(run)


@case_app.command("add")
def add(
    name: str = NameArg,
    reports: list[Path] = typer.Argument(..., help="Report files to add."),
    as_json: bool = JsonOption,
    home: Path | None = HomeOption,
) -> None:
    """Add reports to a saved case; values merge (later report wins) and earlier values stay as history."""

    def run() -> None:
        book = _book(home)
        summary = book.add_files(name, list(reports))
        _created(summary, book.profile(summary.id), as_json, "Updated")

    guarded(run)


@case_app.command("list")
def list_cases(as_json: bool = JsonOption, home: Path | None = HomeOption) -> None:
    """List saved cases, most recently changed first."""

    def run() -> None:
        cases = _book(home).cases()
        if as_json:
            dump_json(cases)
        elif not cases:
            typer.echo('No saved cases. Create one with: netnav case new "NAME" REPORT...')
        else:
            for s in cases:
                typer.echo(_summary_line(s))

    guarded(run)


@case_app.command("show")
def show(name: str = NameArg, as_json: bool = JsonOption, home: Path | None = HomeOption) -> None:
    """Show a saved case: every value with its source line, history and your corrections."""

    def run() -> None:
        view = _book(home).view(name)
        if as_json:
            dump_json(view.profile)
        else:
            typer.echo(_show(view.profile, view.summary))

    guarded(run)


@case_app.command("rename")
def rename(
    name: str = NameArg,
    new_name: str = typer.Argument(..., help="The new name."),
    home: Path | None = HomeOption,
) -> None:
    """Rename a saved case."""
    guarded(lambda: typer.echo(f"Renamed to {_summary_line(_book(home).rename(name, new_name))}"))


@case_app.command("correct")
def correct(
    name: str = NameArg,
    field: str | None = typer.Argument(None, help="Field to correct, e.g. ki67_percent."),
    value: str | None = typer.Argument(None, help="The right value, e.g. 12."),
    confirm: str | None = typer.Option(None, "--confirm", help="Confirm FIELD as the report states it."),
    undo: str | None = typer.Option(None, "--undo", help="Remove your correction/confirmation of FIELD."),
    as_json: bool = JsonOption,
    home: Path | None = HomeOption,
) -> None:
    """Correct a value (FIELD VALUE), confirm it (--confirm FIELD) or undo either (--undo FIELD)."""

    def run() -> None:
        chosen = [x for x in ((field and value), confirm, undo) if x]
        if len(chosen) != 1:
            raise BadInputError("give FIELD VALUE, or --confirm FIELD, or --undo FIELD (exactly one)")
        book = _book(home)
        if confirm:
            profile, done, target = book.confirm(name, confirm), "Confirmed", confirm
        elif undo:
            profile, done, target = book.undo(name, undo), "Undid your change to", undo
        else:
            assert field is not None and value is not None
            profile, done, target = book.correct(name, field, value), "Corrected", field
        if as_json:
            dump_json(profile)
            return
        fv = profile.fields.get(target.strip())
        shown = "(no value)" if fv is None else f"{fv.value!r} ({fv.source}:{fv.line})"
        typer.echo(f"{done} {target.strip()}: now {shown}")

    guarded(run)


@case_app.command("delete")
def delete(name: str = NameArg, home: Path | None = HomeOption) -> None:
    """Delete a saved case with its reports and corrections."""
    guarded(lambda: typer.echo(f"Deleted {_summary_line(_book(home).delete(name))}"))


def register(app: typer.Typer) -> None:
    app.add_typer(case_app, name="case")

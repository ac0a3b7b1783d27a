"""`netnav export DIR` and `netnav import DIR`: a whole library between the embedded store and
PostgreSQL (netnav.transfer.run). The backend is the one selected as everywhere else: the data home's
SQLite store by default, PostgreSQL with `netnav --database-url postgresql://... export|import` or
NETNAV_DATABASE_URL. Home to PostgreSQL:

    netnav export /backup/netnav-dump
    netnav --database-url postgresql://netnav@db/netnav import /backup/netnav-dump
"""

from __future__ import annotations

from pathlib import Path

import typer

from netnav.cli.common import HomeOption, JsonOption, dump_json, guarded


def _progress(stage: str, done: int, total: int) -> None:
    if total and (done == total or done % 5000 == 0):
        typer.echo(f"  {stage}: {done}/{total}", err=True)


def register(app: typer.Typer) -> None:
    @app.command("export")
    def export_cmd(
        folder: Path = typer.Argument(..., help="A new (or empty) folder to write the dump into."),
        home: Path | None = HomeOption,
        as_json: bool = JsonOption,
    ) -> None:
        """Write the whole library (documents, passages, vectors, saved and session cases, trial records)
        of the current backend into FOLDER, with counts and checksums."""

        def run() -> None:
            from netnav.settings import get_settings
            from netnav.transfer.run import export_home

            manifest = export_home(get_settings(home), folder, _progress)
            if as_json:
                dump_json(manifest.model_dump(mode="json"))
                return
            counts = ", ".join(f"{k} {v}" for k, v in manifest.counts.items())
            typer.echo(f"Exported from {manifest.source_backend} into {folder}: {counts}.")

        guarded(run)

    @app.command("import")
    def import_cmd(
        folder: Path = typer.Argument(..., help="A dump written by `netnav export`."),
        home: Path | None = HomeOption,
        as_json: bool = JsonOption,
    ) -> None:
        """Load a dump into the current backend, keep what is already there, and check the result
        (every document and case present, a sample of vectors equal). Safe to run again after an
        interruption: it completes the import."""

        def run() -> None:
            from netnav.settings import get_settings
            from netnav.transfer.run import import_dump

            report = import_dump(get_settings(home), folder, _progress)
            if as_json:
                dump_json(report)
                return
            written = ", ".join(f"{k} {v}" for k, v in report["written"].items())
            checked = report["verified"]
            typer.echo(
                f"Imported in {report['seconds']} s: {written}. Checked: documents "
                f"{checked['documents']['target']}/{checked['documents']['dump']}, passages "
                f"{checked['passages']['target']}/{checked['passages']['dump']}, "
                f"{checked['vectors_compared']} vectors equal."
            )

        guarded(run)

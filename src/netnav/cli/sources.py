"""`netnav sources [--json]`: what the index holds."""

from __future__ import annotations

from pathlib import Path

import typer

from netnav.cli.common import HomeOption, JsonOption, dump_json, guarded, open_engine


def register(app: typer.Typer) -> None:
    @app.command()
    def sources(as_json: bool = JsonOption, home: Path | None = HomeOption) -> None:
        """List the built-in knowledge and the documents you ingested."""

        def run() -> None:
            from rich.console import Console
            from rich.table import Table

            from netnav.types.documents import SourceRow

            rows = open_engine(home).documents()
            if as_json:
                # The CLI runs on the user's own machine, so it also shows where each file came from.
                dump_json(
                    [
                        SourceRow.of(row).model_dump(mode="json") | {"source_path": row.doc.source_path}
                        for row in rows
                    ]
                )
                return
            builtin_n = sum(1 for r in rows if r.builtin)
            kinds: dict[str, int] = {}
            for r in rows:
                if r.builtin:
                    kinds[r.doc.kind] = kinds.get(r.doc.kind, 0) + 1
            typer.echo(
                f"Built-in knowledge: {builtin_n} cards ("
                + ", ".join(f"{k}: {v}" for k, v in sorted(kinds.items()))
                + ")"
            )
            table = Table("kind", "title", "passages", "path", title="Your documents")
            for r in rows:
                if not r.builtin:
                    table.add_row(r.doc.kind, r.doc.title[:70], str(r.passages), r.doc.source_path or "")
            Console().print(table)

        guarded(run)

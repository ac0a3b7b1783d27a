"""`netnav sources [--json]`: what the index holds."""

from __future__ import annotations

from pathlib import Path

import typer

from netnav.cli.common import HomeOption, JsonOption, dump_json, guarded


def register(app: typer.Typer) -> None:
    @app.command()
    def sources(as_json: bool = JsonOption, home: Path | None = HomeOption) -> None:
        """List the built-in knowledge and the documents you ingested."""

        def run() -> None:
            from rich.console import Console
            from rich.table import Table

            from netnav.engine import Engine
            from netnav.types.documents import SourceRow

            engine = Engine(home)
            engine.ensure_index()
            rows = engine.store.document_rows()
            if as_json:
                # The CLI runs on the user's own machine, so it also shows where each file came from.
                dump_json(
                    [
                        SourceRow.from_row(*row).model_dump(mode="json") | {"source_path": row[0].source_path}
                        for row in rows
                    ]
                )
                return
            builtin_n = sum(1 for r in rows if r[2])
            kinds: dict[str, int] = {}
            for d, _, builtin, _ in rows:
                if builtin:
                    kinds[d.kind] = kinds.get(d.kind, 0) + 1
            typer.echo(
                f"Built-in knowledge: {builtin_n} cards ("
                + ", ".join(f"{k}: {v}" for k, v in sorted(kinds.items()))
                + ")"
            )
            table = Table("kind", "title", "passages", "path", title="Your documents")
            for d, n, builtin, _ in rows:
                if not builtin:
                    table.add_row(d.kind, d.title[:70], str(n), d.source_path or "")
            Console().print(table)

        guarded(run)

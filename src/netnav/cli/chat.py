"""`netnav chat [--audience ...] [--case CASE.json]`: ask, then follow up, in one terminal session.

Follow-ups use the same conversation rule as the web (`netnav.conversation`): an elliptical message
("and for NEC?", "what about its side effects?") is rewritten from the previous question and the
rewritten question is shown; a complete question starts over. Nothing is written to disk."""

from __future__ import annotations

from pathlib import Path

import typer

from netnav.cli.common import HomeOption, guarded
from netnav.cli.progress import progress_bars

EXIT_WORDS = frozenset({"quit", "exit", "bye", ":q"})


def register(app: typer.Typer) -> None:
    @app.command()
    def chat(
        audience: str = typer.Option("patient", "--audience", "-a", help="patient or clinician"),
        case: Path | None = typer.Option(
            None, "--case", help="CaseProfile JSON from `netnav extract --json`."
        ),
        home: Path | None = HomeOption,
    ) -> None:
        """Ask questions one after another; short follow-ups build on the previous question."""

        def run() -> None:
            from netnav.answer.render import render_answer
            from netnav.conversation import Conversations
            from netnav.engine import Engine
            from netnav.errors import InvalidQuestionError

            engine = Engine(home)
            profile = engine.case_from([], case, None) if case is not None else None
            with progress_bars(True) as progress:
                engine.ensure_index(progress)
            memory = Conversations()
            typer.echo("Ask a question (empty line or 'quit' to stop).")
            while True:
                try:
                    message = input("> ").strip()
                except EOFError:
                    break
                if not message or message.lower() in EXIT_WORDS:
                    break
                asked = memory.resolve("cli", "chat", message)
                typed = " ".join(message.split())
                try:
                    answer = engine.ask(
                        asked, audience, profile, rewritten_from=typed if asked != typed else None
                    )
                except InvalidQuestionError as exc:
                    typer.echo(f"error: {exc}", err=True)
                    continue
                typer.echo(render_answer(answer))

        guarded(run)

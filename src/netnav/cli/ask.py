"""`netnav ask QUESTION [--audience patient|clinician] [--case CASE.json] [--json]`."""

from __future__ import annotations

from pathlib import Path

import typer

from netnav.cli.common import CaseNameOption, HomeOption, JsonOption, dump_json, guarded, open_engine
from netnav.cli.progress import progress_bars


def register(app: typer.Typer) -> None:
    @app.command()
    def ask(
        question: str = typer.Argument(..., help="Your question about neuroendocrine neoplasms."),
        audience: str = typer.Option("patient", "--audience", "-a", help="patient or clinician"),
        case: Path | None = typer.Option(
            None, "--case", help="CaseProfile JSON from `netnav extract --json`."
        ),
        case_name: str | None = CaseNameOption,
        kind: list[str] = typer.Option([], "--kind", help="Only cite these evidence kinds (repeatable)."),
        follow_up: str | None = typer.Option(
            None,
            "--follow-up",
            help="The previous question: QUESTION is read as its follow-up (rewritten only when elliptical).",
        ),
        as_json: bool = JsonOption,
        home: Path | None = HomeOption,
    ) -> None:
        """Answer a question with numbered citations."""

        def run() -> None:
            from netnav.answer.render import render_answer
            from netnav.errors import BadInputError
            from netnav.types.audience import parse_audience
            from netnav.types.documents import parse_evidence_kind

            for k in kind:  # refuse bad input before the index is built
                parse_evidence_kind(k)
            parse_audience(audience)
            if case is not None and case_name is not None:
                raise BadInputError("give --case or --case-name, not both")
            engine = open_engine(home)
            profile = (
                engine.case_from([], case, case_name) if case is not None or case_name is not None else None
            )
            with progress_bars(not as_json) as progress:
                engine.ensure_index(progress)
            asked, typed = question, None
            if follow_up:
                from netnav.conversation import rewrite_follow_up

                asked = rewrite_follow_up(follow_up, question)
                typed = " ".join(question.split()) if asked != " ".join(question.split()) else None
            answer = engine.ask(asked, audience, profile, kinds=kind or None, rewritten_from=typed)
            if as_json:
                hidden = {"dropped_sentences"} if answer.abstained else {"dropped_sentences", "suggestion"}
                dump_json(answer.model_dump(mode="json", exclude=hidden))
            else:
                typer.echo(render_answer(answer))

        guarded(run)

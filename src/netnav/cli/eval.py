"""`netnav eval SET.jsonl [--json]`."""

from __future__ import annotations

from pathlib import Path

import typer

from netnav.cli.common import HomeOption, JsonOption, dump_json, guarded


def register(app: typer.Typer) -> None:
    @app.command(name="eval")
    def eval_(
        path: Path = typer.Argument(..., help="Evaluation set (JSON lines, see DESIGN.md)."),
        as_json: bool = JsonOption,
        home: Path | None = HomeOption,
    ) -> None:
        """Run an evaluation set: fact coverage, contradictions, abstentions, citation validity, latency."""

        def run() -> None:
            from netnav.engine import Engine
            from netnav.eval import load_eval_set, run_eval

            items = load_eval_set(path)
            engine = Engine(home)
            engine.ensure_index()
            report = run_eval(items, lambda q, a: engine.ask(q, a), follow_up=engine.rewrite_follow_up)
            if as_json:
                dump_json(report)
                return
            for r in report.items:
                flag = "ok " if not r.missed and not r.contradictions and r.abstain_ok else "!! "
                typer.echo(
                    f"{flag}{r.id:<28} covered {len(r.covered)}/{len(r.covered) + len(r.missed)}"
                    f"  contradictions {len(r.contradictions)}  {r.latency_ms:.1f} ms"
                    + (f"  missed: {r.missed}" if r.missed else "")
                )
            typer.echo(
                f"fact coverage {report.fact_coverage:.1%} | summary-only coverage "
                f"{report.summary_coverage:.1%} | false refusals {report.false_refusals} "
                f"({report.false_refusal_rate:.1%}) | missed refusals {report.missed_refusals} "
                f"({report.missed_refusal_rate:.1%}; other cancers {report.missed_other_cancer}) | "
                f"refusal kind errors {report.refusal_kind_errors} | missed urgent {report.missed_urgent}"
            )
            typer.echo(
                f"contradictions {report.contradictions} | "
                f"abstentions {report.abstentions} (errors {report.abstention_errors}) | "
                f"sentences {report.sentences}, uncited {report.uncited_sentences}, "
                f"citation validity {report.citation_validity:.1%} | cite kinds "
                f"{report.cite_kind_coverage:.1%} | p50 {report.latency_p50_ms} ms, "
                f"p95 {report.latency_p95_ms} ms"
            )

        guarded(run)

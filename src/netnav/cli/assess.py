"""`netnav assess (REPORT... | --case CASE.json) [--audience patient|clinician] [--json]`."""

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
from netnav.types.assessment import (
    FINDING_KIND_TITLES,
    FINDING_LABEL_WORDS,
    FINDING_STATUS_LABELS,
    OPTION_STATUS_WORDS,
    Assessment,
    Finding,
)
from netnav.types.case import CaseProfile

AudienceOption = typer.Option("patient", "--audience", help="patient or clinician")


def _input_lines(case: CaseProfile, finding: Finding) -> list[str]:
    lines = []
    for name in finding.inputs:
        fv = case.fields.get(name)
        if fv is not None:
            where = f"{fv.source}:{fv.line}"
            spec = f", {fv.specimen} specimen" if fv.specimen else ""
            lines.append(f"      {name} = {fv.value!r}  ({where}{spec})")
            lines.extend(
                f"        earlier: {h.value!r} ({h.source}:{h.line}"
                f"{', ' + h.report_date if h.report_date else ''}; superseded by {h.superseded_by})"
                for h in fv.history
            )
        elif name in finding.missing:
            lines.append(f"      {name}: missing")
    return lines


def _negatives(case: CaseProfile, audience: str = "clinician") -> list[str]:
    """Negative results and pertinent negatives: facts, shown apart from the findings (the patient view
    names the field in plain words, as the web page does)."""
    if not case.negated:
        return []
    out = ["Stated as negative or absent in the reports"]
    for n in case.negated:
        name = _plain(n.field) if audience == "patient" else n.field
        what = f"{name}: {n.value}" if n.value else name
        out.append(f"  - {what}  ({n.source or '?'}:{n.line}) {n.text}")
    return [*out, ""]


def _plain(name: str) -> str:
    """A case field in plain words for the patient view ('ki67_percent' -> 'Ki-67 index')."""
    from netnav.types.field_words import FIELD_LABELS  # loaded when a patient view is drawn

    words = FIELD_LABELS.get(name, name)
    return words.removeprefix("the ") if words != name else name.replace("_", " ")


def _patient_inputs(case: CaseProfile, finding: Finding) -> list[str]:
    used = [_plain(n) for n in finding.inputs if n in case.fields]
    missing = [_plain(n) for n in finding.missing]
    out = [f"    based on: {', '.join(used)}"] if used else []
    return out + ([f"    not in the reports yet: {', '.join(missing)}"] if missing else [])


def pathway_lines(assessment: Assessment, audience: str) -> list[str]:
    """The guideline-ordered options for the setting: steps in order, each option with its status and why."""
    p = assessment.pathway
    if p is None:
        return []
    if p.pathway_id is None:
        missing = ", ".join(_plain(m) if audience == "patient" else m for m in p.missing)
        return [
            "Treatment options for your situation",
            f"  Setting not determined yet: {missing} not in the reports.",
            "",
        ]
    refs = "".join(f"[{n}]" for n in p.citations)
    out = [
        "Treatment options for your situation",
        f"  {p.setting} (order as given by: {p.order_source}) {refs}",
    ]
    for i, step in enumerate(p.steps, 1):
        mark = "  <- where the reports point" if step.current else ""
        out.append(f"  Step {i}: {step.title}{mark}")
        if step.note:
            out.append(f"    ({step.note})")
        for j, o in enumerate(step.options, 1):
            bullet = f"{j}." if step.ordered else "-"
            status = OPTION_STATUS_WORDS[o.status] if audience == "patient" else o.status.replace("_", " ")
            cites = "".join(f"[{n}]" for n in o.citations)
            out.append(f"    {bullet} {o.name} [{status}]: {o.why} {cites}".rstrip())
    return [*out, ""]


def render_text(assessment: Assessment, audience: str = "clinician") -> str:
    """Findings by kind. Patient view: plain labels ("applies to you", "reassuring"...), no rule ids."""
    out: list[str] = [f"Assessment of case {assessment.case.case_id}", ""]
    out.extend(_negatives(assessment.case, audience))
    for kind, title in FINDING_KIND_TITLES.items():
        findings = [f for f in assessment.findings if f.kind == kind]
        if not findings:
            continue
        out.append(title)
        for f in findings:
            refs = "".join(f"[{n}]" for n in f.citations)
            if audience == "patient":
                out.append(f"  [{FINDING_LABEL_WORDS[f.label]}] {f.statement} {refs}".rstrip())
                out.extend(_patient_inputs(assessment.case, f))
                continue
            out.append(f"  [{FINDING_STATUS_LABELS[f.status].upper()}] {f.statement} {refs}".rstrip())
            out.append(f"    rule {f.rule_id}; inputs:")
            out.extend(_input_lines(assessment.case, f))
        out.append("")
    out.extend(pathway_lines(assessment, audience))
    if assessment.questions_to_ask:
        out.append("Questions to ask your care team")
        out.extend(f"  - {q}" for q in assessment.questions_to_ask)
        out.append("")
    out.append("Sources")
    for c in assessment.citations:
        ids = ", ".join(f"{k}: {v}" for k, v in c.identifiers.items())
        status = "" if c.status == "current" else f" [{c.status.upper()}]"
        year = f" ({c.year})" if c.year else ""
        out.append(f"  [{c.n}] {c.title}{year}{status}. {ids}".rstrip())
    out.extend(["", assessment.disclaimer])
    return "\n".join(out)


def _run(
    reports: list[Path],
    case_file: Path | None,
    audience: str,
    as_json: bool,
    case_name: str | None = None,
    home: Path | None = None,
) -> None:
    from netnav.engine import Engine

    engine = Engine(home)
    assessment = engine.assess(engine.case_from(reports, case_file, case_name), audience)
    if as_json:
        dump_json(assessment)
    else:
        typer.echo(render_text(assessment, audience))


def register(app: typer.Typer) -> None:
    @app.command("assess")
    def assess_cmd(
        reports: list[Path] = ReportsArg,
        case: Path | None = CaseOption,
        case_name: str | None = CaseNameOption,
        audience: str = AudienceOption,
        as_json: bool = JsonOption,
        home: Path | None = HomeOption,
    ) -> None:
        """Assess a case by explicit rules: grade, classification, risk, immunotherapy options (cited)."""
        guarded(lambda: _run(list(reports or []), case, audience, as_json, case_name, home))

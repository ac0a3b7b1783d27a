"""Markdown downloads: the case summary (values with their source lines, assessment, trials). The patient
download words findings and trial criteria as the patient page does (plain labels, no case field names or
matcher reasons); the clinician download keeps statuses, inputs and reasons."""

from __future__ import annotations

from netnav.settings import DISCLAIMER
from netnav.trials.render import plain_reason
from netnav.types.assessment import FINDING_LABEL_WORDS, FINDING_STATUS_LABELS, Assessment
from netnav.types.trials import (
    CRITERION_LABELS,
    CRITERION_PATIENT_WORDS,
    CRITERION_PATIENT_WORDS_EXCLUSION,
    Criterion,
    TrialMatch,
)
from netnav.web.view import field_label, format_value


def _values(assessment: Assessment) -> list[str]:
    case = assessment.case
    out = [f"# Case summary ({case.case_id})", "", "## Values read from your reports", ""]
    for name, fv in case.fields.items():
        flag = " (inferred)" if fv.inferred else ""
        out.append(
            f"- **{field_label(name)}**: {format_value(fv)}{flag} — {fv.source}, line {fv.line}: "
            f'"{fv.text.strip()}"'
        )
        out.extend(
            f"  - earlier value {h.value} — {h.source}, line {h.line}"
            f"{', ' + h.report_date if h.report_date else ''}; superseded by {h.superseded_by}"
            for h in fv.history
        )
    for neg in case.negated:
        what = f"{field_label(neg.field)}{' ' + neg.value if neg.value else ''}"
        out.append(f'- Stated as negative or absent: {what} — line {neg.line}: "{neg.text.strip()}"')
    out += [f"- Note: {w}" for w in case.warnings]
    return out + [""]


def _findings(assessment: Assessment, audience: str) -> list[str]:
    out = ["## Assessment", ""]
    for f in assessment.findings:
        refs = "".join(f"[{n}]" for n in f.citations)
        if audience == "patient":
            used = ", ".join(field_label(n) for n in f.inputs if n in assessment.case.fields)
            based = f" (based on: {used})" if used else ""
            out.append(f"- [{FINDING_LABEL_WORDS[f.label]}] {f.statement} {refs}{based}")
            continue
        inputs = ", ".join(f.inputs) or "none"
        out.append(f"- [{FINDING_STATUS_LABELS[f.status]}] {f.statement} {refs} (inputs: {inputs})")
    out += _pathway(assessment)
    if assessment.questions_to_ask:
        out += ["", "## Questions to ask your care team", ""]
        out += [f"- {q}" for q in assessment.questions_to_ask]
    out += ["", "## Sources", ""]
    for c in assessment.citations:
        tag = "" if c.status == "current" else f" [{c.status.upper()}]"
        ids = ", ".join(f"{k}: {v}" for k, v in c.identifiers.items())
        out.append(f"[{c.n}] {c.title}{tag}. {ids}".rstrip())
    return out + [""]


def _pathway(assessment: Assessment) -> list[str]:
    """Guideline-ordered options: numbered where the sources rank them, bulleted (with the note) where not."""
    p = assessment.pathway
    if p is None:
        return []
    out = ["", "## Treatment options for this situation", ""]
    if p.pathway_id is None:
        missing = ", ".join(field_label(m) for m in p.missing)
        return [*out, f"The setting cannot be told yet: {missing} not in the reports."]
    out.append(f"{p.setting}. Order as given by: {p.order_source} {''.join(f'[{n}]' for n in p.citations)}")
    for i, step in enumerate(p.steps, 1):
        out += ["", f"### Step {i}: {step.title}{' (where the reports point)' if step.current else ''}", ""]
        if step.note:
            out += [f"_{step.note}_", ""]
        for j, o in enumerate(step.options, 1):
            bullet = f"{j}." if step.ordered else "-"
            refs = "".join(f"[{n}]" for n in o.citations)
            out.append(f"{bullet} **{o.name}** [{o.status.replace('_', ' ')}]: {o.why} {refs}".rstrip())
    return out


def _patient_words(c: Criterion) -> str:
    words = CRITERION_PATIENT_WORDS_EXCLUSION if c.kind == "exclusion" else CRITERION_PATIENT_WORDS
    return words[c.label]


def _trials(matches: list[TrialMatch], audience: str) -> list[str]:
    out = ["## Trials", ""]
    if not matches:
        out.append("No open trial in NETNav's registry matched this case.")
    for m in matches:
        out.append(f"### {m.nct_id}: {m.title} — {m.status.replace('_', ' ')}")
        if audience == "patient":
            plain = plain_reason(m)
            out.extend([plain, ""] if plain else [])
            out.extend(f"- {c.kind}: {c.text} — {_patient_words(c)}" for c in m.criteria)
        else:
            out.extend(f"- {c.kind} [{CRITERION_LABELS[c.label]}] {c.text} — {c.reason}" for c in m.criteria)
        out.append("")
    return out


def case_markdown(assessment: Assessment, matches: list[TrialMatch], audience: str = "clinician") -> str:
    """The case as Markdown; `audience` "patient" uses the patient page's words (see the module docstring)."""
    body = _values(assessment) + _findings(assessment, audience) + _trials(matches, audience)
    lines = [*body, "", f"_{DISCLAIMER}_", ""]
    return "\n".join(lines)

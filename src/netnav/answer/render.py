"""Human-readable (Markdown-like) rendering of an Answer."""

from __future__ import annotations

from netnav.types.answer import Answer, Citation, Sentence, Urgent

_STATUS_TAG = {"withdrawn": " [WITHDRAWN]", "superseded": " [SUPERSEDED]", "retracted": " [RETRACTED]"}


def _line(sentence: Sentence | Urgent) -> str:
    marks = "".join(f"[{n}]" for n in sentence.citations)
    return f"{sentence.text} {marks}"


def _bullets(sentences: list[Sentence]) -> list[str]:
    """Consecutive sentences citing the same passages read as one bullet, marked once at its end."""
    groups: list[list[Sentence]] = []
    for s in sentences:
        if groups and groups[-1][-1].citations == s.citations:
            groups[-1].append(s)
        else:
            groups.append([s])
    out = []
    for group in groups:
        marks = "".join(f"[{n}]" for n in group[0].citations)
        out.append("- " + " ".join(s.text for s in group) + f" {marks}")
    return out


def _citation(c: Citation) -> str:
    parts = [f"[{c.n}] {c.title}"]
    detail = ", ".join(str(x) for x in (c.publisher, c.year, c.version) if x)
    if detail:
        parts.append(f"({detail})")
    ids = c.identifiers
    for key, label in (
        ("pmid", "PMID"),
        ("doi", "doi"),
        ("nct", ""),
        ("fda_approval_date", "FDA approval"),
        ("url", ""),
    ):
        if key in ids:
            parts.append(f"{label}: {ids[key]}" if label else ids[key])
    parts.append(f"— {c.kind}{_STATUS_TAG.get(c.status, '')}")
    return " ".join(parts)


def render_answer(answer: Answer) -> str:
    out: list[str] = [f"# {answer.question}", ""]
    if answer.rewritten_from:
        out += [f'_Follow-up "{answer.rewritten_from}" read as: {answer.question}_', ""]
    if answer.urgent:
        out += ["## Urgent", _line(answer.urgent), ""]
    if answer.abstained:
        out += [f"I can't answer this from NETNav's evidence: {answer.abstain_reason}", ""]
        if answer.suggestion:
            out += [f"Try instead: {answer.suggestion}", ""]
        if answer.citations:  # the sources of an urgent message shown with a refusal
            out += ["## Sources", *[_citation(c) for c in answer.citations], ""]
        out += [f"_{answer.disclaimer}_"]
        return "\n".join(out)
    if answer.personal:
        out += ["## For your case", *_bullets(answer.personal), ""]
    if answer.summary:
        out += ["## In short", *[_line(s) for s in answer.summary], ""]
    for section in answer.sections:
        out += [f"## {section.title}", *_bullets(section.sentences), ""]
    if answer.questions_to_ask:
        title = "Follow-up prompts" if answer.audience == "clinician" else "Questions to ask your care team"
        out += [f"## {title}", *[f"- {q}" for q in answer.questions_to_ask], ""]
    if answer.citations:
        out += ["## Sources", *[_citation(c) for c in answer.citations], ""]
    out += [f"_{answer.disclaimer}_"]
    return "\n".join(out)

"""Which way a criterion points: a sentence that states its own verdict ("Patients with CNS metastases are
ineligible", "Prior anti-PD-1 therapy is not allowed", "... will not be eligible / cannot be enrolled").

Such a sentence describes the patients it EXCLUDES, whatever section it is listed under:
- in the exclusion section the verdict only restates that the criterion excludes; the condition is read as
  written ("CNS metastases"), never negated by the verdict words (a negation there turned a recorded brain
  metastasis into "exclusion not met");
- in the inclusion section the criterion is satisfied by NOT being such a patient, so it is labelled as the
  exclusion it states and the label turned round (met <-> not_met), for every predicate alike, not only for
  predicates that know a negation.

A negation inside the described group stays ("Patients who have NOT received platinum are ineligible" excludes
the platinum-naive). The verdict must close its sentence (optionally "for / from / in this study"), so "must not
be enrolled in another study" (a condition) and "ineligible for cisplatin" (a description) are not verdicts.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from typing import Literal, Protocol

from netnav.trials.history_checks import BY_ABSENCE
from netnav.types.trials import Criterion, CriterionLabel

Kind = Literal["inclusion", "exclusion"]

_STUDY = r"(?:\s+(?:for|from|in|into|to|on)\s+(?:this|the)\s+(?:study|trial|protocol|cohort|part|arm)\w*)?"
_VERDICT = re.compile(
    r"\b(?:"
    r"(?:are|is|will be|would be|shall be|be|becomes?|were|was)\s+(?:deemed\s+|considered\s+)?"
    r"(?:ineligible|excluded|disqualified|not\s+(?:be\s+)?(?:eligible|allowed|permitted|acceptable|included|enrolled))"
    r"|(?:will|would|shall|may|can|must|should)\s+not\s+be\s+"
    r"(?:eligible|enrolled|included|allowed|permitted|accepted|randomi[sz]ed|registered|entered)"
    r"|(?:cannot|can't|can not)\s+be\s+"
    r"(?:enrolled|included|eligible|allowed|permitted|accepted|randomi[sz]ed|registered)"
    r"|(?:is|are)\s+(?:not|never)\s+(?:allowed|permitted|acceptable)"
    r"|(?:is|are)\s+prohibited"
    r")" + _STUDY + r"\s*(?=$|[.;:,)])",
    re.IGNORECASE,
)


_SUBJECT = (
    r"(?:(?:the\s+)?(?:patients?|participants?|subjects?|individuals?|persons?)\s+(?:who\s+|that\s+)?)?"
)
_PROHIBITION = re.compile(
    r"^\s*(?:[-*•]\s*)?(?:"
    + _SUBJECT
    + r"(?:must|should|shall|may|can|will|do|does|did)\s*not\s+(?:have\s+(?=(?:had|received|been|undergone|taken|"
    r"experienced|shown)\b)|have\s+|be\s+)?"
    r"|" + _SUBJECT + r"(?:has|have)\s+(?:not|never)\s+(?=(?:had|received|been|undergone|taken)\b)"
    r"|" + _SUBJECT + r"(?:with\s+)?(?:no|without)\s+"
    r"|(?:absence of|free of|not)\s+"
    r"|never\s+(?=(?:had|received|been|undergone)\b)"
    r")(?!(?:more|less|greater|longer|fewer|later|earlier|sooner|exceed\w*|other|only|otherwise)\b)"
    r"(?=\w)",
    re.IGNORECASE,
)


def verdict_span(text: str) -> tuple[int, int] | None:
    """Where the criterion states that the patients it describes are excluded, if it does."""
    m = _VERDICT.search(text)
    return None if m is None else (m.start(), m.end())


def states_exclusion(text: str) -> bool:
    """Whether the criterion is worded as an exclusion of the patients it describes."""
    return verdict_span(text) is not None


def prohibition_end(text: str) -> int | None:
    """Where a leading prohibition that governs the whole criterion ends ("No ", "Must not have received ",
    "Patients without ", "Has not had "); None when the criterion does not open with one. Comparators ("no
    more than 2 lines") and exceptions ("no other ...") are not prohibitions."""
    m = _PROHIBITION.match(text)
    return None if m is None else m.end()


class _RuleLike(Protocol):
    @property
    def field(self) -> str: ...
    @property
    def negate(self) -> bool: ...


def reframe(text: str, kind: Kind, rules: Sequence[_RuleLike] = ()) -> tuple[str, Kind] | None:
    """The criterion as a positive statement and the section it then belongs to, when its wording points the
    other way: "Patients with SCLC are not eligible" (inclusion) is the exclusion "Patients with SCLC" (in the
    exclusion section the verdict words are only dropped); "Must not have extensive-stage disease"
    (inclusion) is the exclusion "extensive-stage disease". A leading prohibition is reframed only when the
    criterion's own `rules` (its parse as written) missed it: some rule is not negated and is not a
    treatment-history rule read from the wording itself (history_checks.BY_ABSENCE). A verdict in a later
    sentence ("Confirmed SCLC. Mixed histology will not be eligible.") governs only that sentence, so it is
    left alone. None when the wording is already read the right way."""
    span = verdict_span(text)
    if span is not None and not re.search(r"[.;]\s", text[: span[0]]):
        core = (text[: span[0]] + text[span[1] :]).strip(" .;,")
        return (core, "exclusion") if core else None
    end = prohibition_end(text)
    missed = any(not r.negate and r.field not in BY_ABSENCE for r in rules)
    if end is not None and end < len(text) and missed:
        return text[end:], "exclusion" if kind == "inclusion" else "inclusion"
    return None


_TURNED: dict[CriterionLabel, CriterionLabel] = {
    "met": "not_met",
    "not_met": "met",
    "not_applicable": "not_applicable",
    "insufficient_info": "insufficient_info",
}


_NOTE = " (read from the criterion's negative wording)"


def restore(labelled: Criterion, text: str, kind: Kind) -> Criterion:
    """The label of the reframed criterion as a label of the original (`text`, `kind`): turned round
    (met <-> not_met) when the reframing changed the section. The reason keeps the facts, noted once."""
    turned = labelled.kind != kind
    label = _TURNED[labelled.label] if turned else labelled.label
    reason = labelled.reason.replace(_NOTE, "")
    if turned:  # "required: sclc" of the positive statement is "required: not sclc" of the criterion
        reason = re.sub(
            r"\brequired(:?) (not )?",
            lambda m: f"required{m.group(1)} {'' if m.group(2) else 'not '}",
            reason,
        )
    if label in ("met", "not_met"):
        reason += _NOTE
    return labelled.model_copy(update={"text": text, "kind": kind, "label": label, "reason": reason})

"""Wording of eligibility criteria that carries no condition of its own.

- Neutral disjunctions: "histologically or cytologically", "advanced or metastatic", "measurable or
  evaluable", "during or after", "male or female", "first- or second-line" name one condition two ways;
  they are not alternatives that could rescue a criterion whose decisive part is unmet.
- Rationale clauses ("due to the poor prognosis of these patients", "because it would complicate ...")
  explain a criterion and add no condition; they do not count as words left unexplained.
"""

from __future__ import annotations

import re

_EXTENT = r"(?:locally advanced|advanced|metastatic|unresectable|recurrent|relapsed|refractory|inoperable|progressive)"
_NEUTRAL_OR = re.compile(
    "|".join(
        (
            r"(?:histolog|cytolog|patholog)\w*\s+(?:and/)?or\s+(?:histolog|cytolog|patholog)\w*",
            rf"{_EXTENT}(?:\s*,\s*{_EXTENT})*,?\s+(?:and/)?or\s+{_EXTENT}",
            r"(?:measurable|evaluable)\s+(?:and/)?or\s+(?:non-?)?(?:measurable|evaluable)",
            r"\b(?:during|on)\s+or\s+(?:after|following|within)\b",
            r"\b(?:male|men|female|women)\s+(?:and/)?or\s+(?:male|men|female|women)\b",
            r"\b(?:first|second|third|1st|2nd|3rd)-?\s+(?:and/)?or\s+(?:second|third|later|2nd|3rd)\b",
            r"\b(?:typical|atypical)\s+(?:and/)?or\s+(?:typical|atypical)\b",
        )
    ),
    re.IGNORECASE,
)
_RATIONALE = re.compile(
    r"\b(?:due to (?:the )?(?:poor prognosis|difficult|risk|potential|possib)|"
    r"because (?:of )?(?:it|this|the|these|their|they|there)\b|"
    r"in order to|as (?:this|it) (?:may|might|could|will|would))",
    re.IGNORECASE,
)


def neutralised(text: str) -> str:
    """The text with neutral disjunctions blanked (same length, so spans still line up)."""
    return _NEUTRAL_OR.sub(lambda m: " " * len(m.group(0)), text)


def has_alternative(text: str) -> bool:
    """Whether the criterion joins real alternatives with "or" (neutral disjunctions removed)."""
    return bool(re.search(r"\bor\b", neutralised(text), re.IGNORECASE))


def rationale_span(text: str) -> tuple[int, int] | None:
    """Where the explanatory clause runs (to the end of its sentence), if there is one."""
    m = _RATIONALE.search(text)
    if m is None:
        return None
    end = text.find(".", m.end())
    return m.start(), len(text) if end < 0 else end


def without_rationale(text: str) -> str:
    """The criterion with a trailing explanatory clause blanked (same length, so spans still line up)."""
    m = _RATIONALE.search(text)
    if m is None:
        return text
    end = text.find(".", m.end())
    end = len(text) if end < 0 else end
    return text[: m.start()] + " " * (end - m.start()) + text[end:]

"""Wording of eligibility criteria that carries no condition of its own.

- Neutral disjunctions: "histologically or cytologically", "advanced or metastatic", "measurable or
  evaluable", "during or after", "male or female", "first- or second-line" name one condition two ways;
  they are not alternatives that could rescue a criterion whose decisive part is unmet.
- Rationale clauses ("due to the poor prognosis of these patients", "because it would complicate ...")
  explain a criterion and add no condition; they do not count as words left unexplained.
- Method and definition clauses ("as determined by CT or MRI", "as assessed by the investigator",
  "(per the VALG staging system)", "according to the WHO 2019 classification") say how a condition is
  established, not another condition; they are blanked the same way.
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


_METHOD = re.compile(
    r"\(?\b(?:as|when|if)\s+(?:determined|assessed|documented|measured|confirmed|defined|evaluated|"
    r"evidenced|demonstrated|shown|judged|detected|established|estimated|calculated)\s+(?:by|per|on|with|using)\b"
    r"|\(?\b(?:per|according to|using|based on|as per|as defined (?:by|in))\s+(?:the\s+)?"
    r"(?=[^.;]{0,90}?\b(?:staging system|staging|classification|criteria|guidelines?|definition|system)\b)",
    re.IGNORECASE,
)
_JOIN = re.compile(r",\s+(?:and|or|but|with|unless|except|who|which|including)\b", re.IGNORECASE)


def _ends_clause(text: str, i: int) -> bool:
    ch = text[i]
    if ch == ";" or (ch == "." and (i + 1 == len(text) or text[i + 1] == " ")):
        return True
    return ch == "," and _JOIN.match(text, i) is not None


def _clause_end(text: str, start: int) -> int:
    """Where a clause opened at `start` stops: the sentence end, its closing parenthesis, or a comma
    joining another clause."""
    depth = 0
    for i in range(start, len(text)):
        ch = text[i]
        if ch in "([":
            depth += 1
        elif ch in ")]":
            depth -= 1
            if depth <= 0 and text[start] == "(":
                return i + 1
            if depth < 0:
                return i
        elif depth <= 0 and _ends_clause(text, i):
            return i
    return len(text)


_ACRONYM_ONLY = re.compile(r"\((?=[^)]*[A-Z][^)]*[A-Z])[A-Za-z-]{2,10}\)")
_ACRONYM_DEFINED = re.compile(r"\b([A-Z]{2,8})\s*\(([^()]{5,120})\)")
_SMALL_WORDS = frozenset({"and", "of", "the", "or", "for", "in", "to"})


def _abbreviations(text: str) -> list[tuple[int, int]]:
    """Parentheses that only restate an abbreviation: "(STS)", "APUD (amine precursor uptake and
    decarboxylation)"."""
    spans = [(m.start(), m.end()) for m in _ACRONYM_ONLY.finditer(text)]
    for m in _ACRONYM_DEFINED.finditer(text):
        words = [w for w in re.findall(r"[A-Za-z]+", m.group(2)) if w.lower() not in _SMALL_WORDS]
        initials = "".join(w[0] for w in words).upper()
        if initials.startswith(m.group(1)) or initials == m.group(1):
            spans.append((m.start(2) - 1, m.end()))
    return spans


def no_condition_spans(text: str) -> list[tuple[int, int]]:
    """Spans of rationale, method and definition clauses and of restated abbreviations: they add no
    condition of their own."""
    spans: list[tuple[int, int]] = _abbreviations(text)
    why = rationale_span(text)
    if why is not None:
        spans.append(why)
    for m in _METHOD.finditer(text):
        if any(a <= m.start() < b for a, b in spans):
            continue
        spans.append((m.start(), _clause_end(text, m.start())))
    return sorted(spans)


def blank_spans(text: str, spans: list[tuple[int, int]]) -> str:
    """`text` with each span blanked (same length, so positions still line up)."""
    chars = list(text)
    for a, b in spans:
        chars[a:b] = " " * (b - a)
    return "".join(chars)


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

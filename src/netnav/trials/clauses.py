"""Split one eligibility criterion into the parts that change how it is read (text only, no case).

- `cohort_parts`: "Cohort A: ...; Cohort B: ...", "Part 1 (dose escalation): ... Part 2: ...", "Phase I: ...
  Phase II: ...", "1. Arm A: ... 2. Arm B: ..." → one text per cohort (a lead-in such as "have evidence of:" is
  put in front of each cohort after it).
- `condition_split`: "if X, Y", "Y, if X", "Y, among those X", "for patients who X: Y", "patients who have
  received X must Y" → (X, Y): X says whom Y concerns.
- `exception_split`: "X, except/unless/provided/other than ...", "X. Patients with ... are eligible ..." →
  (X, the exception, whether the exception widens an inclusion). In an exclusion every exception narrows it;
  in an inclusion only "unless", "except for patients ..." and "patients with ... are eligible" widen it (an
  "except"/"other than" after a noun narrows what an inclusion requires, so it is not split there).
- `alternatives`: clauses joined by ", or" / "; or" / "or patients ..." → the clauses.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

_COHORT_WORD = (
    r"(?:cohorts?|arms?|parts?|phases?|portions?|groups?|modules?|expansions?|escalation|confirmation|"
    r"(?:sub-?)?stud(?:y|ies))"
)
_LABEL = re.compile(
    rf"(?:(?<=^)|(?<=[.;:]\s)|(?<=\d[.)]\s)|(?<=\n))"
    rf"(?P<label>(?:(?:for|in)\s+(?:the\s+)?)?(?:[\w-]+\s+){{0,3}}?{_COHORT_WORD}\b[^:;.\n]{{0,45}}?)\s*:\s",
    re.IGNORECASE,
)
_LABEL_VERB = re.compile(r"\b(?:must|should|will|have|has|had|are|is|were|was|be|who|with)\b", re.I)
_TRAILING_NUMBER = re.compile(r"(?:^|\s)(?:\(?\d{1,2}[.)]|\(?[a-h][.)])\s*$")


@dataclass(frozen=True)
class Part:
    """One cohort's share of a criterion: `label` ("Cohort A") and the text to judge."""

    label: str
    text: str


def cohort_parts(text: str) -> list[Part]:
    """The criterion's cohorts, in order; [] when it names fewer than two."""
    marks = [m for m in _LABEL.finditer(text) if not _LABEL_VERB.search(m.group("label"))]
    if len(marks) < 2:
        return []
    prefix = _TRAILING_NUMBER.sub("", text[: marks[0].start()]).strip()
    parts: list[Part] = []
    lead = prefix if prefix.endswith(":") or len(prefix.split()) <= 12 else ""
    for i, m in enumerate(marks):
        end = marks[i + 1].start() if i + 1 < len(marks) else len(text)
        body = _TRAILING_NUMBER.sub("", text[m.end() : end]).strip(" ;,")
        if body.endswith(":") and i + 1 < len(marks):
            lead = f"{lead} {body}".strip()  # "Part 2: have evidence of: Arm A: ... Arm B: ..."
            continue
        label = m.group("label").strip()
        parts.append(Part(label=label, text=f"{lead} {label}: {body}".strip()))
    return parts if len(parts) >= 2 else []


_VAGUE_IF = (
    r"(?:even\s+if|if\s+(?:any|applicable|available|known|needed|required|indicated|possible|necessary|"
    r"appropriate|clinically|present|so|not|done|performed|feasible|relevant))\b"
)
_LEADING_CONDITION = re.compile(
    r"^\s*(?P<cond>(?:if|in case of|for|in|among)\s+(?:(?:the\s+)?(?:patients?|participants?|subjects?|those|women|men|"
    r"individuals)\s+(?:who|with|that|having|treated|receiving|previously)\b)?[^,:;]{3,160}?)\s*[,:]\s+(?P<then>\S.*)$",
    re.IGNORECASE | re.DOTALL,
)
_TRAILING_CONDITION = re.compile(
    r"^(?P<then>.{8,}?)\s*[,;]?\s+(?P<cue>if|only if|among (?:those|patients|participants|subjects)|"
    r"(?:for|in) (?:those|patients|participants|subjects) (?:who|with|that|treated|previously))\s+"
    r"(?P<cond>[^;,]{3,200}?)\s*\.?\s*$",
    re.IGNORECASE | re.DOTALL,
)
_WHO_RECEIVED = re.compile(
    r"^\s*(?:patients?|participants?|subjects?|those|individuals)\s+(?P<cond>(?:who|that)\s+(?:have\s+|has\s+|had\s+)?"
    r"(?:previously\s+|already\s+)?(?:received|been treated|undergone|had|were treated|was treated|been given|"
    r"been exposed)\b[^;]{3,160}?)\s*,?\s+(?:must|should|need to|are required to|will need to|have to)\s+"
    r"(?P<then>\S.*)$",
    re.IGNORECASE | re.DOTALL,
)
_WITH_MUST = re.compile(
    r"^\s*(?:patients?|participants?|subjects?|those|individuals)\s+(?P<cond>(?:with|having)\s+(?:\S+\s+){0,7}?\S+?)"
    r"\s*,?\s+(?:must|should|need to|are required to|will need to|have to)\s+(?P<then>\S.*)$",
    re.IGNORECASE | re.DOTALL,
)
_ELIGIBLE_ONLY = re.compile(
    r"^\s*(?:an?\s+|the\s+)?(?:tumou?rs?|patients?|participants?|subjects?|cancers?|cases?|diseases?)\s+"
    r"(?P<cond>(?:of|with|having|showing)\s+[^,;:]{3,120}?)\s+(?:is|are|will be)\s+(?:eligible\s+only|only\s+eligible|"
    r"allowed\s+only|only\s+allowed|permitted\s+only|only\s+permitted)\s+(?:when|if|where|provided(?:\s+that)?)\s+"
    r"(?P<then>\S.*)$",
    re.IGNORECASE | re.DOTALL,
)
_EXCLUDED = re.compile(
    r"(?:not\s+)?be\s+(?:excluded|ineligible|not eligible|eligible|enrolled|included)\b", re.I
)
_LEAD_WORD = re.compile(r"^(?:if|in case of|for|in|among)\b", re.IGNORECASE)
_LEAD_ABOUT_PATIENT = re.compile(
    r"^(?:if\b|in case of\b|(?:for|in|among)\s+(?:the\s+)?(?:patients?|participants?|subjects?|those|women|men|"
    r"individuals)\s+(?:who|with|that|having|treated|receiving|previously)\b)",
    re.IGNORECASE,
)


def condition_split(text: str) -> tuple[str, str] | None:
    """(condition, consequent) of a conditional criterion, or None."""
    if re.match(rf"^\s*{_VAGUE_IF}", text, re.IGNORECASE):
        return None
    m = _ELIGIBLE_ONLY.match(text)  # "A tumour of mixed histology is eligible only when the NEC part ..."
    if m:
        return m.group("cond").strip(), m.group("then").strip()
    m = _WHO_RECEIVED.match(text)
    if m and not _EXCLUDED.match(m.group("then")):
        return m.group("cond").strip(), m.group("then").strip()
    m = _WITH_MUST.match(text)
    if m and not _EXCLUDED.match(m.group("then")):
        return m.group("cond").strip(), m.group("then").strip()
    m = _LEADING_CONDITION.match(text)
    if m and _LEAD_ABOUT_PATIENT.match(m.group("cond").strip()) and len(m.group("then").split()) >= 2:
        cond = _LEAD_WORD.sub("", m.group("cond").strip(), count=1).strip()
        return cond, m.group("then").strip()
    m = _TRAILING_CONDITION.match(text)
    if m is None:
        return None
    if re.match(_VAGUE_IF, f"{m.group('cue')} {m.group('cond')}", re.IGNORECASE):
        return None
    if re.search(r"\b(?:even|as)\s*$", m.group("then"), re.IGNORECASE):
        return None
    if len(m.group("cond").split()) < 3:
        return None  # "brain metastases, if symptomatic": a qualifier of the condition, read with it
    return m.group("cond").strip(), m.group("then").strip()


_NARROW = re.compile(
    r"[,;(]?\s*\b(?:except(?:\s+for|\s+in|\s+when|\s+if|\s+those)?|with the exception of|unless|provided(?:\s+that)?|"
    r"as long as|excluding|other than|apart from|but not)\b",
    re.IGNORECASE,
)
_WIDEN = re.compile(
    r"[,;(]?\s*\b(?:unless|except\s+(?:for|in)\s+(?:patients|participants|subjects|those|individuals|cohort|arm|part))\b",
    re.IGNORECASE,
)
_ALLOW_SENTENCE = re.compile(
    r"(?:^|(?<=[.;]\s))(?:however,?\s+|note:?\s+)?[^.;]{0,160}?\b(?:are|is|will be|may be|would be|remain)\s+"
    r"(?:also\s+)?(?:eligible|allowed|permitted|acceptable|not excluded|not required|included)\b",
    re.IGNORECASE,
)


@dataclass(frozen=True)
class Exception_:
    """A criterion's main clause and its exception; `widens`: the exception adds people (inclusion)."""

    main: str
    exception: str
    widens: bool


def exception_split(text: str, kind: str) -> Exception_ | None:
    """Split off the first exception ("except ...", "unless ...", "Patients with ... are eligible ...")."""
    found: list[tuple[int, bool]] = []
    for m in _ALLOW_SENTENCE.finditer(text):
        if m.start() > 0:
            found.append((m.start(), True))
            break
    marker = _WIDEN if kind == "inclusion" else _NARROW
    m2 = marker.search(text)
    if m2 is not None and m2.start() > 0:
        found.append((m2.start(), kind == "inclusion"))
    if not found:
        return None
    start, widens = min(found)
    main = text[:start].strip(" ,;(")
    if len(main.split()) < 2:
        return None
    return Exception_(main=main, exception=text[start:].strip(" ,;()"), widens=widens)


_ALTERNATIVE = re.compile(
    r"\s*[,;]\s*or\s+|\s+or,\s+|\s+or\s+(?=(?:patients|participants|subjects|those|individuals)\b)",
    re.IGNORECASE,
)


def alternatives(text: str) -> list[str]:
    """Clauses joined as alternatives (", or", "; or", "or patients ..."); [] when there are fewer than two."""
    pieces = [p.strip(" ,;.") for p in _ALTERNATIVE.split(text)]
    pieces = [p for p in pieces if len(p.split()) >= 2]
    return pieces if len(pieces) >= 2 else []


_ABBREV_DOT = re.compile(r"\b(?:e\.g|i\.e|vs|etc|approx|no|dr|fig|ca|incl|resp|cf|st)\.$", re.IGNORECASE)


def sentences(text: str) -> list[str]:
    """The criterion's sentences ("Measurable disease. Patients with SCLC must ..."), outside parentheses and
    not after an abbreviation ("e.g.", "vs."); one item when there is a single sentence."""
    out: list[str] = []
    depth, start = 0, 0
    for i, ch in enumerate(text):
        if ch in "([":
            depth += 1
        elif ch in ")]":
            depth = max(0, depth - 1)
        elif ch == "." and depth == 0 and i + 2 < len(text) and text[i + 1] == " " and text[i + 2].isupper():
            if _ABBREV_DOT.search(text[start : i + 1]) or re.fullmatch(r"\s*\(?\d{1,2}", text[start:i]):
                continue
            out.append(text[start : i + 1].strip())
            start = i + 1
    out.append(text[start:].strip())
    return [s for s in out if len(s.split()) >= 2] or [text]


_ONE_OF = re.compile(
    r"^(?P<head>.*?)\b(?:(?:at least|any)\s+)?(?:one|1|any|either)\s+(?:\(1\)\s+)?of\s+the\s+following"
    r"(?:\s+[\w-]+){0,3}\s*:\s*(?P<items>.+)$",
    re.IGNORECASE | re.DOTALL,
)


def one_of(text: str) -> list[str]:
    """The items of "one of the following: a; b; c" (nested bullets joined by "; "), each with the words
    before the list ("Prior treatment with one of the following: ..." → "Prior treatment with a"); [] when the
    criterion is not such a list."""
    m = _ONE_OF.match(text)
    if m is None:
        return []
    items = [i.strip(" .;") for i in m.group("items").split(";")]
    items = [i for i in items if i]
    head = m.group("head").strip(" :,")
    return [f"{head} {i}".strip() for i in items] if len(items) >= 2 else []

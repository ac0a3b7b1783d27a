"""Criteria understanding: free-text criterion → rules (via the versioned pattern file) → a label.

Labels follow DESIGN.md. For an exclusion criterion the label refers to the criterion itself:
"met" means the exclusion applies (the patient is excluded). Nothing is labelled in the patient's
favour unless every part of the criterion was understood and evaluated.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from functools import lru_cache

from netnav.rules.logic import Tri
from netnav.trials.asides import aside_spans
from netnav.trials.completeness import CRITICAL_UNEXPLAINED, permissive
from netnav.trials.compound import Kind, label_compound
from netnav.trials.demographic_checks import outside_scope, without_sex_parts
from netnav.trials.drug_classes import THERAPY_WORDS, narrowed, prefer_specific
from netnav.trials.history_checks import BY_ABSENCE, by_absence
from netnav.trials.pattern_values import value_of
from netnav.trials.polarity import reframe, restore
from netnav.trials.predicates import Predicate, check
from netnav.trials.rule_context import (
    CONTEXT_FIELDS,
    THERAPY_FIELDS,
    drop_context,
    other_cancer,
    progression_on,
    regimen_without,
    subsume_generic,
    when_current,
)
from netnav.trials.schema import Pattern, PatternFile, load_patterns
from netnav.trials.therapy import systemic_therapies
from netnav.trials.therapy_windows import timed_washouts
from netnav.trials.verdict import PredicateResult
from netnav.trials.wording import blank_spans, has_alternative, neutralised, no_condition_spans
from netnav.types.case import CaseProfile
from netnav.types.trials import Criterion, CriterionLabel

_NEGATION = re.compile(
    r"\b(?:no|not|without|never|absence of|free of|must not|cannot|none|negative for)\b"
    r"(?! (?:more|less|greater|longer|exceed|fewer)\b)",
    re.IGNORECASE,
)
_POST_NEG = re.compile(
    r"\b(?:are|is|will be) (?:not eligible|ineligible|excluded|not allowed|not permitted)|"
    r"\b(?:do|does) not exist|\b(?:is|are) (?:not available|no longer effective|not possible)",
    re.IGNORECASE,
)
_INELIGIBLE = re.compile(
    r"\b(?:are|is|will be) (?:not eligible|ineligible|excluded|not allowed|not permitted)", re.IGNORECASE
)
_STOP_WORDS = """
patients patient participants participant subjects subject must have has had been with without the
and or of to a an be are is at least by as per for in on any all who which that this these those
than then histologically cytologically histological cytological confirmed confirmation documented
diagnosis diagnosed known history evidence disease criteria defined following prior previous
previously should will would able eligible other such including include includes except within after
before from into their they them there where when while also only both either each more less
following: note based according investigator opinion clinically significant current currently study
trial treatment therapy therapies dose doses days weeks months years year time period greater equal
type types status adequate normal eastern cooperative oncology group ecog scale performance schedule
zubrod unequivocally preferably cytology histology immunohistochemistry immunohistochemical features
presence proven pathologically tissue specimen biopsy cytologically-confirmed
histologically-confirmed tumor tumour tumors tumours cells staining stained assay defined having
according delta-like protein expression expressing histologic malignant cohort cohorts arm arms part
parts phase portion escalation expansion confirmation module cancer cancers received receive considered might"""
_STOP = frozenset(_STOP_WORDS.split()) | THERAPY_WORDS  # drug_classes.py


@dataclass(frozen=True)
class ParsedCriterion:
    text: str
    rules: tuple[Predicate, ...]
    pattern_ids: tuple[str, ...]
    residual: tuple[str, ...] = field(default_factory=tuple)  # significant words left unexplained
    critical: tuple[str, ...] = field(default_factory=tuple)  # numeric findings left unread (completeness.py)
    unmatched: str = ""  # the text with each rule's own span blanked ("stage I or II" holds its own "or")
    tumour_in_conjunction: bool = (
        False  # a tumour name no real "or" touches: the other alternatives need it too
    )

    @property
    def understood(self) -> bool:
        return bool(self.rules)

    @property
    def complete(self) -> bool:
        """At most four significant words left unexplained and no finding that decides by a number left
        unread (`critical`, from `CRITICAL_UNEXPLAINED`)."""
        return len(self.residual) <= 4 and not self.critical


def _negated(text: str, m: re.Match[str]) -> bool:
    start = max(text.rfind(";", 0, m.start()), text.rfind(".", 0, m.start() - 1), m.start() - 60, 0)
    window = text[start : m.start()]
    tail = text[m.end() : m.end() + 60]
    return bool(_NEGATION.search(window) or _POST_NEG.search(tail))


def _guards(p: Pattern, text: str) -> bool:
    if p.require and not re.search(p.require, text, re.IGNORECASE):
        return False
    return not (p.forbid and re.search(p.forbid, text, re.IGNORECASE))


def _rule_for(p: Pattern, text: str, m: re.Match[str]) -> Predicate | None:
    op, value = value_of(p, m)
    if value is None and p.op not in (
        "unavailable",
        "present",
        "possible",
        "advanced",
        "extensive",
        "positive",
    ):
        return None
    negate = p.negate != (p.negatable and _negated(text, m))
    qualifier = None
    if p.qualifier_regex:
        found = sorted({q.group(0).lower() for q in re.finditer(p.qualifier_regex, text, re.IGNORECASE)})
        qualifier = " ".join(found) or None
    return Predicate(field=p.field, op=op, value=value, negate=negate, qualifier=qualifier, label=p.label)


def _merge(rules: list[Predicate]) -> list[Predicate]:
    """Union the values of same-field category rules ("SCLC or LCNEC"); drop exact duplicates."""
    out: list[Predicate] = []
    for rule in rules:
        twin = next(
            (r for r in out if r.field == rule.field and r.op == rule.op == "in" and r.negate == rule.negate),
            None,
        )
        if twin is not None and isinstance(twin.value, list) and isinstance(rule.value, list):
            merged = twin.model_copy(update={"value": list(dict.fromkeys([*twin.value, *rule.value]))})
            out[out.index(twin)] = merged
        elif rule not in out:
            out.append(rule)
    return out


def _cover(covered: list[bool], start: int, end: int, text: str) -> None:
    """Mark text[start:end] explained, widened to whole words ("cortico|steroid")."""
    while start > 0 and text[start - 1].isalnum():
        start -= 1
    while end < len(text) and text[end].isalnum():
        end += 1
    covered[start:end] = [True] * (end - start)


def _said_before(rx: str, text: str, start: int) -> bool:
    """Whether `rx` occurs in the sentence before `start` (at most 80 characters back)."""
    begin = max(text.rfind(".", 0, start), text.rfind(";", 0, start), start - 80, 0)
    return re.search(rx, text[begin:start], re.IGNORECASE) is not None


def parse_criterion(text: str, patterns: PatternFile | None = None) -> ParsedCriterion:
    """The rules a criterion's text holds (see ParsedCriterion); with the packaged patterns the result is cached,
    since a criterion is read again for every case and for each of its parts."""
    if patterns is None:
        return _parse_packaged(text)
    return _parse(text, patterns)


@lru_cache(maxsize=8192)
def _parse_packaged(text: str) -> ParsedCriterion:
    return _parse(text, load_patterns())


def _parse(text: str, pf: PatternFile) -> ParsedCriterion:
    rules: list[Predicate] = []
    ids: list[str] = []
    covered = [False] * len(text)
    spans: list[tuple[int, int]] = []
    quiet = sorted(no_condition_spans(text) + aside_spans(text))  # asides.py: "There is no limit on ..."
    for p in pf.patterns:
        if not _guards(p, text):
            continue
        for m in re.finditer(p.regex, text, re.IGNORECASE):
            if p.field == "tumour_type" and any(covered[m.start() : m.end()]):
                continue  # a more specific tumour pattern already explained this span
            if p.field == "primary_site" and all(
                covered[m.start() : m.start() + len(m.group(0).rstrip(" ,;"))]
            ):
                continue  # the site is part of a tumour name ("small cell carcinoma of the lung")
            if p.op == "unavailable" and all(covered[m.start() : m.end()]):
                continue  # "tissue" inside "soft tissue sarcoma"
            if p.forbid_before and _said_before(p.forbid_before, text, m.start()):
                continue  # "history of melanoma": another cancer, not the one studied
            if any(a <= m.start() < b for a, b in quiet):
                continue  # an explanatory or method clause ("because of the risk ...", "as determined by CT")
            rule = _rule_for(p, text, m)
            if rule is None:
                continue
            rules.append(rule)
            ids.append(p.id)
            spans.append((m.start(), m.end()))
            for again in re.finditer(p.regex, text, re.IGNORECASE):  # later mentions are explained too
                _cover(covered, again.start(), again.end(), text)
            for q in re.finditer(p.qualifier_regex or "(?!)", text, re.IGNORECASE):
                _cover(covered, q.start(), q.end(), text)
            break
    kept = blank_spans(text, quiet)
    residual_text = "".join(ch if not c else " " for ch, c in zip(kept, covered, strict=True))
    words = [w for w in re.findall(r"[a-z][a-z-]{3,}", residual_text.lower()) if w not in _STOP]
    unmatched = "".join(
        " " if any(a <= i < b for a, b in spans) else ch
        for i, ch in enumerate(blank_spans(neutralised(text), quiet))
    )
    return ParsedCriterion(
        text=text,
        rules=tuple(_merge(rules)),
        pattern_ids=tuple(dict.fromkeys(ids)),
        residual=tuple(words),
        critical=tuple(m.group(0).lower() for m in CRITICAL_UNEXPLAINED.finditer(residual_text)),
        unmatched=unmatched,
        tumour_in_conjunction=_tumour_alone(rules, spans, unmatched),
    )


def _tumour_alone(rules: list[Predicate], spans: list[tuple[int, int]], unmatched: str) -> bool:
    """Whether the criterion names a tumour type and every real "or" joins other things ("medullary thyroid
    carcinoma, unresectable (stage IV) or metastatic": the "or" is between the two extents)."""
    tumour = [sp for r, sp in zip(rules, spans, strict=True) if r.field == "tumour_type"]
    if not tumour:
        return False
    for m in re.finditer(r"\bor\b", unmatched, re.IGNORECASE):
        before = max((sp for sp in spans if sp[1] <= m.start()), key=lambda sp: sp[1], default=None)
        after = min((sp for sp in spans if sp[0] >= m.end()), key=lambda sp: sp[0], default=None)
        if before in tumour or after in tumour or before is None or after is None:
            return False
    return True


def _combine(
    kind: Kind, verdicts: Sequence[PredicateResult], complete: bool, has_or: bool
) -> tuple[CriterionLabel, str]:
    truths = [v.truth for v in verdicts if not v.not_applicable]
    if verdicts and all(v.not_applicable for v in verdicts):
        return "not_applicable", verdicts[0].reason
    reasons = "; ".join(dict.fromkeys(v.reason for v in verdicts))
    favourable, unfavourable = (True, False) if kind == "inclusion" else (False, True)
    mixed_or = kind == "inclusion" and has_or and True in truths and False in truths
    if mixed_or:
        return (
            "insufficient_info",
            reasons + "; alternatives joined by 'or' disagree, so it cannot be decided",
        )
    if unfavourable in truths and not (kind == "inclusion" and has_or and not complete):
        # the reason is the part that decides ("prior therapy avelumab is anti-PD-L1"), not the parts that
        # did not ("no ipilimumab among prior therapies"), which would read as contradicting the label
        deciding = "; ".join(dict.fromkeys(v.reason for v in verdicts if v.truth is unfavourable))
        return ("not_met" if kind == "inclusion" else "met"), deciding
    if truths and all(t is favourable for t in truths):
        if complete:
            return ("met" if kind == "inclusion" else "not_met"), reasons
        return (
            "insufficient_info",
            reasons + "; part of the criterion was not understood, so it is not counted as satisfied",
        )
    return "insufficient_info", reasons


def _ctx(pf: PatternFile) -> dict[str, list[str]]:
    """What predicates look drugs up in: the drug classes, the drugs with an approval (`approved_drugs`) and the
    standard options of each tumour category (`options:<category>`)."""
    options = {f"options:{k}": v for k, v in pf.standard_options.items()}
    return {**pf.drug_classes, "approved_drugs": pf.approved_drugs, **options}


def label_rules(
    text: str,
    kind: Kind,
    rules: Sequence[Predicate],
    case: CaseProfile,
    complete: bool = True,
    patterns: PatternFile | None = None,
    alternatives: bool | None = None,
    tumour_alone: bool = False,
) -> Criterion:
    """Label one criterion from its rules. `complete`: every significant word was explained;
    `alternatives`: the text joins real alternatives with "or" (default: read from `text`); `tumour_alone`:
    no "or" touches the tumour name, so a tumour that does not match decides an inclusion whatever the
    alternatives elsewhere say."""
    if not rules:
        return Criterion(text=text, kind=kind, label="insufficient_info", reason="not understood")
    pf = patterns or load_patterns()
    if kind == "inclusion" and permissive(text) and all(r.field == "prior_therapy" for r in rules):
        return Criterion(
            text=text,
            kind=kind,
            label="met",
            reason="permissive statement (allows, does not require)",
            fields=["prior_therapies"],
        )
    rules = [r.model_copy(update={"negate": False}) if r.field in BY_ABSENCE else r for r in rules]
    rules = [when_current(r, text) for r in rules]
    verdicts = narrowed(text, rules, [check(r, case, _ctx(pf)) for r in rules])  # "high-dose chemotherapy"
    verdicts = regimen_without(text, rules, verdicts, case)
    kept = without_sex_parts(_brain_qualifiers(kind, rules, verdicts))
    rules, verdicts = [r for r, _ in kept], [v for _, v in kept]
    verdicts = by_absence(kind, rules, verdicts, text)
    verdicts = timed_washouts(text, kind, case, rules, verdicts, _ctx(pf))  # therapy_windows.py
    favourable = kind == "inclusion"
    if all(r.field in BY_ABSENCE | THERAPY_FIELDS for r in rules) and all(
        v.truth is favourable for v in verdicts
    ):
        # the unexplained words qualify a treatment the patient never had ("prior CD137 agonists or ...")
        complete = complete or all(r.field in BY_ABSENCE for r in rules) or systemic_therapies(case) == []
    has_or = has_alternative(text) if alternatives is None else alternatives
    if kind == "inclusion" and tumour_alone:
        wrong = [
            v for r, v in zip(rules, verdicts, strict=True) if r.field == "tumour_type" and v.truth is False
        ]
        if wrong:
            verdicts, has_or = wrong, False
    label, reason = _combine(kind, verdicts, complete, has_or)
    fields = list(dict.fromkeys(f for v in verdicts for f in v.fields))
    ev = list(dict.fromkeys(e for v in verdicts for e in v.evidence))
    return Criterion(text=text, kind=kind, label=label, reason=reason, fields=fields, evidence=ev)


_BRAIN_QUALIFIERS = frozenset(
    {
        "immunosuppression",
        "recent_treatment",
        "radiotherapy_history",
        "imaging",
        "prior_toxicity",
        "recent_surgery",
    }
)


def _brain_qualifiers(
    kind: Kind, rules: Sequence[Predicate], verdicts: list[PredicateResult]
) -> list[tuple[Predicate, PredicateResult]]:
    """ "Symptomatic brain metastases requiring steroids or radiotherapy": with no brain metastases at all,
    the steroid / radiotherapy / imaging parts qualify something absent and do not keep it undecided."""
    brain_false = any(
        r.field == "brain_metastases" and v.truth is False for r, v in zip(rules, verdicts, strict=True)
    )
    if kind != "exclusion" or not brain_false:
        return list(zip(rules, verdicts, strict=True))
    return [(r, v) for r, v in zip(rules, verdicts, strict=True) if r.field not in _BRAIN_QUALIFIERS]


def label_criterion(
    text: str, kind: Kind, case: CaseProfile, patterns: PatternFile | None = None
) -> Criterion:
    """Label one registry criterion for the case: its parts (cohorts, a condition, an exception,
    alternatives; compound.py) each labelled by the one-clause labeller below, then combined. A criterion
    addressed to the other sex than the case's does not concern the patient, and neither does an exclusion that does not
    concern the patient: `not_applicable` (demographic_checks.py)."""
    scoped = outside_scope(text, kind, case)  # "Women must ..." for a man
    if scoped is not None:
        return scoped

    def plain(part: str, k: Kind, c: CaseProfile) -> Criterion:
        return _label_clause(part, k, c, patterns)

    def condition(part: str, c: CaseProfile) -> tuple[Tri, str]:
        return condition_truth(part, c, patterns)

    return label_compound(text, kind, case, plain, condition)


def condition_truth(text: str, case: CaseProfile, patterns: PatternFile | None = None) -> tuple[Tri, str]:
    """Whether the case is one of the patients a condition clause describes ("treated with prior chemo/
    radiotherapy for limited-stage SCLC"): every part is read, the disease name included; the treatments it
    names are alternatives (any one given is enough), everything else must hold too. Undecided when a part
    is not understood or the clause is negated ("who have not received ..."). Returns (truth, reason)."""
    parsed = parse_criterion(text, patterns)
    if not parsed.rules:
        return None, f"'{text}' is not understood"
    if _NEGATION.search(text) and not any(r.negate for r in parsed.rules):
        return None, f"'{text}' is not understood"
    pf = patterns or load_patterns()
    verdicts = [(r, check(r, case, _ctx(pf))) for r in parsed.rules]
    reason = "; ".join(dict.fromkeys(v.reason for _, v in verdicts))
    therapy = [v.truth for r, v in verdicts if r.field in THERAPY_FIELDS | BY_ABSENCE]
    others = [v.truth for r, v in verdicts if r.field not in THERAPY_FIELDS | BY_ABSENCE]
    if any(v.not_applicable for _, v in verdicts):
        others.append(False)
    parts = list(others)
    if therapy:  # treatments named are alternatives: one given is enough
        parts.append(True if True in therapy else (False if all(t is False for t in therapy) else None))
    if False in parts and not has_alternative(parsed.unmatched):
        return False, reason
    if parts and all(t is True for t in parts) and parsed.complete:
        return True, reason
    return None, reason


def _label_clause(text: str, kind: Kind, case: CaseProfile, patterns: PatternFile | None = None) -> Criterion:
    # "No prior X", "Patients with X cannot be enrolled": worded the other way round (polarity.py)
    framed = reframe(text, kind, parse_criterion(text, patterns).rules)
    if framed is not None:
        return restore(_label_clause(framed[0], framed[1], case, patterns), text, kind)
    # "Patients with CNS metastases are ineligible" listed as an exclusion says the same as without the tail
    read = _INELIGIBLE.sub(lambda m: " " * len(m.group(0)), text) if kind == "exclusion" else text
    parsed = parse_criterion(read, patterns)
    rules = drop_context(kind, other_cancer(kind, parsed.rules), text)
    rules = progression_on(subsume_generic(prefer_specific(rules, text), text))
    if kind == "exclusion" and not parsed.complete and all(r.field in CONTEXT_FIELDS for r in rules):
        rules = []  # "SCLC" in an exclusion about something not understood says nothing by itself
    alternatives = has_alternative(parsed.unmatched)
    return label_rules(
        text, kind, rules, case, parsed.complete, patterns, alternatives, parsed.tumour_in_conjunction
    )

"""Criterion predicates over the case's gene alterations and hormonal (functional) syndrome.

- `gene_alterations` (op any_of, value: gene symbols): True when a recorded alteration names the gene
  (word match, so "RET" is not found in "TRET1"); False when the case records the gene as tested negative
  (its negated findings) or wild-type; unknown otherwise, because an untested gene is not a negative one. A
  criterion asking for a germline (or somatic) alteration stays unknown unless the recorded one says so.
- `functional_syndrome` (op functional): whether the tumour causes a hormonal syndrome (carcinoid
  syndrome, insulinoma, gastrinoma, ... → True; "non-functioning" → False).
"""

from __future__ import annotations

import re

from netnav.rules.logic import Tri
from netnav.trials.verdict import Ctx, PredicateResult, RuleLike, field_evidence, missing
from netnav.types.case import CaseProfile

_GENES = ("gene_alterations",)
_WILD = re.compile(r"wild[- ]?type|\bwt\b|negative|not detected|no (?:mutation|alteration)", re.I)


def _has_gene(item: str, gene: str) -> bool:
    return re.search(rf"(?<![a-z0-9]){re.escape(gene)}(?![a-z0-9])", item, re.IGNORECASE) is not None


def gene_alteration(case: CaseProfile, rule: RuleLike, _: Ctx) -> PredicateResult:
    genes = [str(v) for v in rule.value] if isinstance(rule.value, list) else [str(rule.value)]
    raw = case.value("gene_alterations")
    items = [str(i) for i in raw] if isinstance(raw, list) else ([str(raw)] if raw else [])
    ev = field_evidence(case, _GENES)
    negative = [
        n.value or n.text
        for n in case.negated
        if n.field == "gene_alterations" and any(_has_gene(n.value or n.text, g) for g in genes)
    ]
    hits = [i for i in items if any(_has_gene(i, g) for g in genes)]
    want = " or ".join(g.upper() for g in genes)
    origin = sorted({o.lower() for o in re.findall(r"germline|somatic", rule.qualifier or "", re.IGNORECASE)})
    origin = origin if len(origin) == 1 else []  # "germline or somatic" asks for neither in particular
    if hits and all(_WILD.search(h) for h in hits):
        return PredicateResult(False, f"{want} recorded as not altered ({', '.join(hits)})", _GENES, ev)
    if hits:
        if origin and not any(o.lower() in h.lower() for h in hits for o in origin):
            return PredicateResult(
                None,
                f"{want} alteration recorded ({', '.join(hits)}); whether {origin[0]} is not",
                _GENES,
                ev,
            )
        return PredicateResult(True, f"{want} alteration recorded ({', '.join(hits)})", _GENES, ev)
    if negative:
        return PredicateResult(False, f"{want} tested without alteration ({', '.join(negative)})", _GENES, ev)
    if raw is None:
        return missing("gene_alterations", f"{want} status")
    return PredicateResult(
        None, f"no {want} result among the recorded alterations ({', '.join(items) or 'none'})", _GENES, ev
    )


_NON_FUNCTIONAL = re.compile(r"non[- ]?function|nonfunction|no (?:hormonal )?syndrome|none\b|absent", re.I)
_FUNCTIONAL = re.compile(
    r"syndrome|function|insulinoma|gastrinoma|glucagonoma|vipoma|somatostatinoma|zollinger|cushing|"
    r"acromegal|hypoglyc|flush|secret",
    re.I,
)


_SPECIFIC = re.compile(
    r"carcinoid syndrome|insulinoma|gastrinoma|glucagonoma|vipoma|somatostatinoma|cushing", re.I
)


def functional(case: CaseProfile, rule: RuleLike, _: Ctx) -> PredicateResult:
    """A functioning tumour, or (value given) that particular syndrome ("carcinoid syndrome")."""
    raw = case.value("functional_syndrome")
    wanted = [str(v) for v in rule.value] if isinstance(rule.value, list) else []
    if raw is None:
        return missing("functional_syndrome", "hormonal (functional) syndrome")
    text = str(raw)
    truth: Tri
    if _NON_FUNCTIONAL.search(text):
        truth = False
    elif wanted:
        named = any(w.lower() in text.lower() for w in wanted)
        truth = True if named else (False if _SPECIFIC.search(text) else None)
    else:
        truth = True if _FUNCTIONAL.search(text) else None
    need = " or ".join(wanted) or "a functioning (hormone-secreting) tumour"
    return PredicateResult(
        truth,
        f"hormonal syndrome: {text}; required: {need}",
        ("functional_syndrome",),
        field_evidence(case, ("functional_syndrome",)),
    )

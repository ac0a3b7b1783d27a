"""The value a criterion pattern reads from its match (criteria_patterns.yaml `value_from`): a number with its
comparator, a range, grades, stage groups, site names, named drugs, gene symbols."""

from __future__ import annotations

import re

from netnav.trials.schema import Pattern

_WORDS = {"one": 1.0, "two": 2.0, "three": 3.0, "four": 4.0}
_CMP = [
    (r"greater than or equal|>=|=>|≥|at least|of at least|minimum", "ge"),
    (r"less than or equal|<=|=<|≤|no more than|no greater than|up to|at most|\bof\b", "le"),
    (r"greater than|more than|above|over|older than|>", "gt"),
    (r"less than|below|under|<", "lt"),
]


def _number(raw: str | None) -> float | None:
    if raw is None:
        return None
    raw = raw.strip().lower()
    return _WORDS.get(raw) if raw in _WORDS else float(raw)


def _cmp(raw: str | None, default: str) -> str:
    if not raw:
        return default
    for rx, op in _CMP:
        if re.search(rx, raw, re.IGNORECASE):
            return op
    return default


def value_of(p: Pattern, m: re.Match[str]) -> tuple[str, float | str | list[str] | list[float] | None]:
    groups = m.groupdict()
    if p.value_from == "num":
        num = _number(groups.get("num") or groups.get("num2"))
        return _cmp(groups.get(p.cmp_from) if p.cmp_from else None, p.op), num
    if p.value_from == "range":
        lo, hi = _number(groups.get("lo")), _number(groups.get("hi"))
        if lo is None or hi is None or lo > hi:
            return p.op, None
        return p.op, [lo, hi]
    if p.value_from == "grades":
        return p.op, _grades(m.group(0))
    if p.value_from == "sites":
        return p.op, _sites(m.group(0))
    if p.value_from == "stages":
        return p.op, _stages(m.group(0))
    if p.value_from == "drug":
        drug = (groups.get("drug") or "").lower()
        others = [d.lower() for d in _DRUG_WORD.findall(m.string) if d.lower() != drug]
        return p.op, list(dict.fromkeys([drug, *others])) if drug else None
    if p.value_from == "gene":
        gene = (groups.get("gene") or "").lower()
        return p.op, _GENE_FAMILIES.get(gene, [gene]) if gene else None
    return p.op, p.value


def _grades(span: str) -> list[str]:
    """Every grade a matched span names: "grade 1 or grade 2" → G1, G2; "G1-G3" → G1, G2, G3."""
    digits = [int(d) for d in re.findall(r"[123]", span)]
    if len(digits) == 2 and re.search(r"\d\s*(?:-|–|to)\s*(?:g|grade\s*)?\d", span, re.IGNORECASE):
        digits = list(range(min(digits), max(digits) + 1))
    return [f"G{g}" for g in sorted(set(digits))]


# drug-name endings (INN stems) for listing every drug a criterion names ("vandetanib or cabozantinib")
_DRUG_WORD = re.compile(
    r"\b([a-z][a-z-]{3,}(?:mab|nib|platin|taxel|tecan|limus|rubicin|fosfamide|abine|lisib|mustine|zomib|"
    r"ciclib|dronate|tide|mide|oside|ozocin|mycin|parib|ercept|trexate))\b",
    re.IGNORECASE,
)
_GENE_FAMILIES = {
    "sdh": ["sdha", "sdhb", "sdhc", "sdhd"],
    "sdhx": ["sdha", "sdhb", "sdhc", "sdhd"],
    "her2": ["her2", "erbb2"],
    "erbb2": ["her2", "erbb2"],
    "hif2a": ["hif2a", "epas1"],
    "epas1": ["hif2a", "epas1"],
}
_SITE_WORDS = (
    (r"gastro-?entero-?pancrea|\bgep\b", "gep"),
    (r"pancrea", "pancreas"),
    (
        r"gastrointestinal|gastric|stomach|duoden|small[- ](?:bowel|intestin)|midgut|hindgut|colo|rect|appendi|"
        r"\bile(?:al|um)|jejun",
        "gi",
    ),
    (r"lung|pulmonary|bronch", "lung"),
    (r"thym", "other"),
)


def _sites(span: str) -> list[str] | None:
    """Case-site names (tumour_categories.yaml sites and site_groups) a span of site words names."""
    found: list[str] = []
    for chunk in re.split(r"\s*,\s*|\s+(?:and/)?or\s+|\s+and\s+", span.lower()):
        names = [name for rx, name in _SITE_WORDS if re.search(rx, chunk)]
        found += ["gep"] if "gep" in names else names
    return list(dict.fromkeys(found)) or None


_STAGE_TOKEN = re.compile(r"\b(iv|i{1,3}|[1-4])([abc]?)\b", re.IGNORECASE)
_STAGE_NUM = {"i": 1, "ii": 2, "iii": 3, "iv": 4, "1": 1, "2": 2, "3": 3, "4": 4}


def _stages(span: str) -> list[str]:
    """Stage groups a span names: "stage I or II" → 1, 2; "stage II-IV" → 2, 3, 4; "stage IIIB" → 3b
    (a sub-stage only partly covers its group)."""
    tokens = [(_STAGE_NUM[t.lower()], s.lower()) for t, s in _STAGE_TOKEN.findall(span.split(" ", 1)[-1])]
    if len(tokens) == 2 and re.search(r"(?:-|–|\bto\b)", span) and not any(s for _, s in tokens):
        lo, hi = sorted(g for g, _ in tokens)
        return [str(g) for g in range(lo, hi + 1)]
    return list(dict.fromkeys(f"{g}{s}" for g, s in tokens))

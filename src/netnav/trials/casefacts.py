"""Facts derived from a CaseProfile for trial matching: tumour family/site/cell type, numeric
intervals, prior-therapy classes. Every derived fact remembers the case fields it came from."""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

from netnav.types.case import CaseProfile, FieldData

Tri = bool | None  # three-valued truth: True, False, None (= cannot tell)

_GI_SITES = (
    "stomach",
    "gastric",
    "duoden",
    "jejun",
    "ileum",
    "ileal",
    "small bowel",
    "small intestin",
    "colon",
    "colorectal",
    "rect",
    "appendi",
    "cecum",
    "caecum",
    "esophag",
    "oesophag",
    "bowel",
    "gastrointestinal",
    "midgut",
    "hindgut",
    "foregut",
    "ampull",
    "bile duct",
    "biliary",
    "gallbladder",
    "liver",
)


def evidence(case: CaseProfile, name: str) -> str | None:
    """'field=value (source:line)' for a field present in the case."""
    fv = case.fields.get(name)
    if fv is None:
        return None
    value = ", ".join(fv.value) if isinstance(fv.value, list) else fv.value
    note = " [inferred]" if fv.inferred else ""
    return f"{name}={value}{note} ({fv.source}:{fv.line})"


def _text(value: FieldData | None) -> str:
    if value is None:
        return ""
    if isinstance(value, list):
        return " ; ".join(value).lower()
    return str(value).lower()


@dataclass(frozen=True)
class TumourFacts:
    family: str | None  # net | nec | merkel | pheo_pgl | mtc | None
    site: str | None  # lung | pancreas | gi | unknown_primary | other | None
    cell: str | None  # small | large | None
    fields: tuple[str, ...] = field(default_factory=tuple)


def _family(hist: str, diff: str) -> tuple[str | None, str | None]:
    cell = None
    if re.search(r"(?<!non-)(?<!non )small[- ]cell", hist) or "sclc" in hist.replace("nsclc", ""):
        cell = "small"
    elif "large cell" in hist or "large-cell" in hist or "lcnec" in hist:
        cell = "large"
    if "merkel" in hist:
        return "merkel", None
    if "pheochromocytoma" in hist or "phaeochromocytoma" in hist or "paraganglioma" in hist:
        return "pheo_pgl", None
    if "medullary" in hist and "thyroid" in hist:
        return "mtc", None
    if cell is not None or diff.startswith("poor"):
        return "nec", cell
    if diff.startswith("well"):
        return "net", cell
    if "well" in hist and "differentiated" in hist:
        return "net", cell
    if re.search(r"neuroendocrine carcinoma|\bnec\b|poorly", hist):
        return "nec", cell
    if re.search(r"neuroendocrine tumou?r|carcinoid|\bnet\b|\bpnet\b|insulinoma|gastrinoma", hist):
        return "net", cell
    return None, cell


def _site(text: str) -> str | None:
    if not text:
        return None
    if re.search(r"unknown|occult|cup\b", text):
        return "unknown_primary"
    if re.search(r"lung|bronch|pulmon|sclc", text):
        return "lung"
    if "pancrea" in text or "pnet" in text:
        return "pancreas"
    if any(s in text for s in _GI_SITES):
        return "gi"
    return "other"


def tumour_facts(case: CaseProfile) -> TumourFacts:
    hist = _text(case.value("histology"))
    diff = _text(case.value("differentiation"))
    family, cell = _family(hist, diff)
    used = [n for n in ("histology", "differentiation") if case.value(n) is not None]
    site = _site(_text(case.value("primary_site")))
    if site is not None:
        used.append("primary_site")
    else:
        site = _site(hist) if re.search(r"lung|pulmon|pancrea|sclc|bronch|gastr|ileal|rect", hist) else None
    if family == "merkel":
        site = "other"
    return TumourFacts(family=family, site=site, cell=cell, fields=tuple(used))


# --- numbers ---------------------------------------------------------------------------------


def interval(value: FieldData | None) -> tuple[float, float] | None:
    """A case value as a closed interval: 15 → (15, 15); '<1' → (-inf, 1); '3-5' → (3, 5)."""
    if value is None or isinstance(value, (bool, list)):
        return None
    if isinstance(value, (int, float)):
        return float(value), float(value)
    text = str(value).strip().replace(",", ".").replace("%", "")
    rng = re.match(r"^(\d+(?:\.\d+)?)\s*[-–]\s*(\d+(?:\.\d+)?)$", text)
    if rng:
        return float(rng.group(1)), float(rng.group(2))
    cmp = re.match(r"^(<=|>=|≤|≥|<|>)\s*(\d+(?:\.\d+)?)$", text)
    if cmp:
        num = float(cmp.group(2))
        return (float("-inf"), num) if cmp.group(1) in ("<", "<=", "≤") else (num, float("inf"))
    try:
        num = float(text)
    except ValueError:
        return None
    return num, num


def compare(iv: tuple[float, float], op: str, threshold: float) -> Tri:
    """Three-valued comparison of an interval with a threshold."""
    lo, hi = iv
    tests = {
        "ge": (lo >= threshold, hi < threshold),
        "gt": (lo > threshold, hi <= threshold),
        "le": (hi <= threshold, lo > threshold),
        "lt": (hi < threshold, lo >= threshold),
    }
    yes, no = tests[op]
    return True if yes else (False if no else None)


# --- prior therapy ---------------------------------------------------------------------------

_LOCAL = re.compile(r"surger|resect|ectomy|radiother|radiation|\brt\b|sbrt|ablation|embolization|whipple")


def systemic_therapies(case: CaseProfile) -> list[str] | None:
    raw = case.value("prior_therapies")
    if raw is None:
        return None
    items = raw if isinstance(raw, list) else [str(raw)]
    return [i for i in items if i.strip() and not _LOCAL.search(i.lower())]


def therapy_hits(
    items: Sequence[str], classes: Sequence[str], drug_classes: Mapping[str, Sequence[str]]
) -> list[str]:
    """Items of prior_therapies that belong to any of the named drug classes."""
    terms = [t.lower() for c in classes for t in drug_classes.get(c, [c])]
    return [item for item in items if any(t in item.lower() for t in terms)]


_PARTNERS = (
    "platin",
    "etoposide",
    "irinotecan",
    "paclitaxel",
    "pemetrexed",
    "gemcitabine",
    "fluorouracil",
    "5-fu",
    "atezolizumab",
    "durvalumab",
    "serplulimab",
    "adebrelimab",
    "benmelstobart",
    "toripalimab",
)


def line_interval(items: Sequence[str]) -> tuple[float, float]:
    """Lines of therapy from a drug/regimen list, as (fewest, most): drugs usually given together
    (platinum + etoposide ± first-line PD-L1 antibody; capecitabine + temozolomide) may be one line."""
    if not items:
        return 0.0, 0.0
    lowered = [i.lower() for i in items]
    merges = 0
    if any("platin" in i for i in lowered):
        partners = [i for i in lowered if any(p in i for p in _PARTNERS)]
        merges += max(len(partners) - 1, 0)
    if any("capecitabine" in i for i in lowered) and any("temozolomide" in i for i in lowered):
        merges += 1
    return float(max(len(items) - merges, 1)), float(len(items))

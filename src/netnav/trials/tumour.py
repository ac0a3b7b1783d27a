"""The case's tumour as trial populations see it (family, site, cell type) and the categories of
`data/tumour_categories.yaml` matched against it, three-valued."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import lru_cache
from importlib import resources
from pathlib import Path

from pydantic import Field, ValidationError

from netnav.datafiles import load_yaml
from netnav.errors import KnowledgeError
from netnav.rules.logic import Tri
from netnav.types.base import Frozen
from netnav.types.case import CaseProfile, FieldData


class Category(Frozen):
    families: list[str] = Field(default_factory=list)
    any_family: bool = False
    sites: list[str] | None = None
    not_sites: list[str] = Field(default_factory=list)
    cell: str | None = None


class CategoryFile(Frozen):
    version: str
    categories: dict[str, Category]
    site_groups: dict[str, list[str]]
    gi_words: list[str]


@lru_cache(maxsize=2)
def load_categories(path: str | None = None) -> CategoryFile:
    """The category file, validated; raises KnowledgeError."""
    target = (
        Path(path)
        if path
        else Path(str(resources.files("netnav.trials") / "data" / "tumour_categories.yaml"))
    )
    try:
        return CategoryFile.model_validate(load_yaml(target.read_text(encoding="utf-8")))
    except (OSError, ValueError, ValidationError) as exc:
        raise KnowledgeError(f"{target.name}: {exc}") from exc


@dataclass(frozen=True)
class TumourFacts:
    family: str | None  # net | nec | merkel | pheo_pgl | mtc | None
    site: str | None  # lung | pancreas | gi | unknown_primary | other | None
    cell: str | None  # small | large | None
    fields: tuple[str, ...] = field(default_factory=tuple)

    def describe(self) -> str:
        site = f", site {self.site}" if self.site else ""
        cell = f", {self.cell} cell" if self.cell else ""
        return f"case tumour: {self.family}{site}{cell}"


def text_of(value: FieldData | None) -> str:
    if value is None:
        return ""
    if isinstance(value, list):
        return " ; ".join(value).lower()
    return str(value).lower()


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


def site_of(text: str) -> str | None:
    if not text:
        return None
    if re.search(r"unknown|occult|cup\b", text):
        return "unknown_primary"
    if re.search(r"lung|bronch|pulmon|sclc", text):
        return "lung"
    if "pancrea" in text or "pnet" in text:
        return "pancreas"
    if any(s in text for s in load_categories().gi_words):
        return "gi"
    return "other"


def tumour_facts(case: CaseProfile) -> TumourFacts:
    hist = text_of(case.value("histology"))
    diff = text_of(case.value("differentiation"))
    family, cell = _family(hist, diff)
    used = [n for n in ("histology", "differentiation") if case.value(n) is not None]
    site = site_of(text_of(case.value("primary_site")))
    if site is not None:
        used.append("primary_site")
    elif re.search(r"lung|pulmon|pancrea|sclc|bronch|gastr|ileal|rect", hist):
        site = site_of(hist)
    if family == "merkel":
        site = "other"
    return TumourFacts(family=family, site=site, cell=cell, fields=tuple(used))


def category_truth(facts: TumourFacts, name: str) -> Tri:
    """Whether the case's tumour belongs to category `name` (None: cannot tell)."""
    cat = load_categories().categories.get(name)
    if cat is None or facts.family is None:
        return None
    if cat.any_family:
        return True
    if facts.family not in cat.families:
        return False
    checks: list[Tri] = []
    # an unknown primary may lie at any site a category names or rules out (a small-cell carcinoma of
    # unknown primary may be a lung cancer), unless the category names unknown primaries itself
    site = (
        None if facts.site == "unknown_primary" and "unknown_primary" not in (cat.sites or []) else facts.site
    )
    if cat.sites is not None:
        checks.append(None if site is None else site in cat.sites)
    if cat.not_sites:
        checks.append(None if site is None else site not in cat.not_sites)
    if cat.cell is not None:
        checks.append(None if facts.cell is None else facts.cell == cat.cell)
    if False in checks:
        return False
    return None if None in checks else True


def site_matches(site: str, wanted: str) -> bool:
    """A case site against a criterion's site word (which may name a group such as `gep`)."""
    return site in load_categories().site_groups.get(wanted, [wanted])

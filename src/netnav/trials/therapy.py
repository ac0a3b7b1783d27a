"""Prior systemic therapy as trial criteria see it: the drug list, drug classes, and lines of therapy."""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from functools import lru_cache
from importlib import resources

import yaml
from pydantic import ValidationError

from netnav.datafiles import load_yaml
from netnav.errors import KnowledgeError
from netnav.rules.history import history_fields
from netnav.rules.values import Interval
from netnav.types.base import Frozen
from netnav.types.case import CaseProfile

_LOCAL = re.compile(r"surger|resect|ectomy|radiother|radiation|\brt\b|sbrt|ablation|embolization|whipple")


def evidence(case: CaseProfile, name: str) -> str | None:
    """'field=value (source:line)' for a field present in the case."""
    fv = case.fields.get(name)
    if fv is None:
        return None
    value = ", ".join(fv.value) if isinstance(fv.value, list) else fv.value
    note = " [inferred]" if fv.inferred else ""
    return f"{name}={value}{note} ({fv.source}:{fv.line})"


def systemic_therapies(case: CaseProfile) -> list[str] | None:
    """Prior drugs/regimens actually given (surgery, radiotherapy and ablation left out; declined or planned
    therapies in the case's therapy lines left out); None when not recorded."""
    raw = case.value("prior_therapies")
    received = history_fields(case).get("received_therapies") if case.therapy_lines else None
    if received is not None:
        raw = received.value  # declined or planned therapies are not prior therapy
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


class Regimen(Frozen):
    name: str
    components: list[list[str]]


class RegimenFile(Frozen):
    version: str
    regimens: list[Regimen]


@lru_cache(maxsize=1)
def _regimens() -> tuple[Regimen, ...]:
    path = resources.files("netnav.trials") / "data" / "regimens.yaml"
    try:
        loaded = RegimenFile.model_validate(load_yaml(path.read_text(encoding="utf-8")))
    except (OSError, yaml.YAMLError, ValidationError) as exc:
        raise KnowledgeError(f"regimens.yaml: {exc}") from exc
    return tuple(sorted(loaded.regimens, key=lambda r: -len(r.components)))


def _take(regimen: Regimen, remaining: list[str]) -> list[str] | None:
    picked: list[str] = []
    for component in regimen.components:
        hit = next((i for i in remaining if i not in picked and any(t in i.lower() for t in component)), None)
        if hit is None:
            return None
        picked.append(hit)
    return picked


def regimen_groups(items: Sequence[str]) -> list[list[str]]:
    """The drug list grouped into lines: drugs of a standard combination regimen (regimens.yaml) together,
    every other drug alone. E.g. carboplatin, etoposide, atezolizumab, topotecan → 2 lines."""
    remaining = list(items)
    groups: list[list[str]] = []
    for regimen in _regimens():
        while (picked := _take(regimen, remaining)) is not None:
            groups.append(picked)
            remaining = [i for i in remaining if i not in picked]
    order = {item: n for n, item in enumerate(items)}
    groups += [[i] for i in remaining]
    return sorted(groups, key=lambda g: min(order[i] for i in g))


def line_interval(items: Sequence[str]) -> Interval:
    """Lines of systemic therapy from a drug/regimen list without dates: one per regimen group."""
    return Interval.point(float(len(regimen_groups(items))))


def describe_lines(items: Sequence[str]) -> str:
    """'2 (carboplatin + etoposide; topotecan)' for a reason text."""
    groups = regimen_groups(items)
    return f"{len(groups)} ({'; '.join(' + '.join(g) for g in groups)})" if groups else "0"

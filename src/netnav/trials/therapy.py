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


CURRENT = "current"  # the qualifier of a prior_therapy predicate about therapy still being given
# A criterion about therapy being given now ("receiving a stable dose of octreotide LAR", "currently treated with
# an SSA", "on a stable dose", "ongoing", "concurrent"), unless it also speaks of past therapy ("are receiving or
# have received"; "prior"/"previous"/"history of"), which any recorded use can satisfy.
_NOW = re.compile(
    r"\breceiving\b|\bcurrent(?:ly)?\b|\bpresently\b|\bongoing\b|\bstable dose|\bon (?:a )?stable\b|"
    r"\bconcurrent\w*|\bconcomitant\w*|\bmaintained on\b|\bcontinu(?:e|es|ing) (?:to receive|on|with|taking)\b|"
    r"\b(?:is|are) (?:on|taking|being treated)\b|\bunder treatment\b",
    re.IGNORECASE,
)
_BEFORE = re.compile(
    r"\bprior\b(?!\s+to)|\bprevious(?:ly)?\b|\bhistory of\b|\b(?:have|has|had) (?:received|been treated|had)\b|"
    r"\bpre-?treated\b|\breceived\b|\bin the past\b",
    re.IGNORECASE,
)


def asks_current(text: str) -> bool:
    """The criterion is about therapy being given now, not at any time (see `_NOW`, `_BEFORE`)."""
    return bool(_NOW.search(text)) and not _BEFORE.search(text)


def current_therapy(
    case: CaseProfile, classes: Sequence[str], drug_classes: Mapping[str, Sequence[str]]
) -> tuple[bool | None, str]:
    """Is a therapy of `classes` being given now? From the therapy lines: ongoing → yes; stopped → no (past
    use is not current use); given with nothing said about now, or only a prior-therapy list → unknown; none of
    the class recorded while the history is known → no. Returns (truth, reason)."""
    want = "/".join(classes)
    lines = [t for t in case.therapy_lines if t.received and therapy_hits(t.drugs, classes, drug_classes)]
    ongoing = [t for t in lines if t.status == "ongoing"]
    if ongoing:
        return True, f"currently receiving {', '.join(t.agent for t in ongoing)} ({want})"
    unclear = [t for t in lines if t.status != "stopped"]
    if unclear:
        return (
            None,
            f"{', '.join(t.agent for t in unclear)} recorded; whether it is still given is not recorded",
        )
    if lines:
        stops = ", ".join(f"{t.agent} (stopped{' ' + t.stop if t.stop else ''})" for t in lines)
        return False, f"{want} given in the past only: {stops}; not current therapy"
    items = systemic_therapies(case)
    if items is None:
        return None, "prior therapies not recorded in the case"
    listed = therapy_hits(items, classes, drug_classes)
    if listed:
        return (
            None,
            f"{', '.join(listed)} recorded as prior therapy; whether it is still given is not recorded",
        )
    return False, f"no {want} among recorded therapies ({', '.join(items) or 'none'})"


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

"""Filling statement templates from a case, and readable names for case fields."""

from __future__ import annotations

import string
from collections.abc import Mapping

from netnav.rules.history import history_fields
from netnav.rules.values import display_field
from netnav.types.case import CaseProfile
from netnav.types.field_words import FIELD_LABELS

UNITS: dict[str, str] = {
    "ki67_percent": "%",
    "mitoses_per_2mm2": " per 2 mm²",
    "tumor_size_cm": " cm",
    "tmb_mut_per_mb": " mut/Mb",
    "pdl1_tps_percent": "%",
    "minen_ne_percent": "%",
    "minen_non_ne_percent": "%",
}


def label(name: str) -> str:
    return FIELD_LABELS.get(name, name)


def join_words(items: list[str], last: str = "and") -> str:
    if not items:
        return ""
    if len(items) == 1:
        return items[0]
    return f"{', '.join(items[:-1])} {last} {items[-1]}"


def with_unit(name: str, text: str) -> str:
    unit = UNITS.get(name, "")
    return text if not unit or text.endswith(unit.strip()) else text + unit


class _Values(dict[str, str]):
    def __missing__(self, key: str) -> str:
        return "not reported"


def render(template: str, case: CaseProfile, extras: Mapping[str, str]) -> str:
    """Fill {field} placeholders with the case's values (as written) and {label}/{possible}/{missing}."""
    fields = {**history_fields(case), **case.fields}
    values = _Values({name: with_unit(name, display_field(fv)) for name, fv in fields.items()})
    values.update(extras)
    text = string.Formatter().vformat(template, (), values)
    return " ".join(text.split())

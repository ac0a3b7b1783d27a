"""User confirmations and corrections of case values: parsing what the user typed, applying it.

A corrected field takes the user's value (so assessment and trials use it) and keeps the report's
line (`text`, `source`, `line`) so the original stays visible; the report's value moves to `history`
with `superseded_by="user correction"`. A confirmation leaves the value as it is and records `user`.
"""

from __future__ import annotations

import re

from netnav.errors import BadInputError
from netnav.types.case import CANONICAL_FIELDS, CaseProfile, FieldData, FieldValue, HistoryEntry, UserValue

NUMBER_FIELDS: dict[str, str | None] = {
    "ki67_percent": "%",
    "mitoses_per_2mm2": "per 2 mm2",
    "tumor_size_cm": "cm",
    "tmb_mut_per_mb": "mut/Mb",
    "pdl1_cps": None,
    "pdl1_tps_percent": "%",
    "nodes_positive": None,
    "nodes_examined": None,
    "ecog": None,
    "age": "years",
}
BOOL_FIELDS = frozenset({"necrosis", "lymphovascular_invasion", "perineural_invasion"})
LIST_FIELDS = frozenset({"metastatic_sites", "gene_alterations", "prior_therapies"})
_TRUE = {"yes", "true", "present", "positive", "identified", "seen", "y"}
_FALSE = {"no", "false", "absent", "negative", "not identified", "none", "n"}
_NUMBER = re.compile(r"^\s*([<>]=?|≤|≥)?\s*(\d+(?:[.,]\d+)?)\s*(%|cm|mm|mut/mb)?\s*$", re.IGNORECASE)
_GRADE_INPUTS = frozenset({"ki67_percent", "mitoses_per_2mm2"})
USER_SOURCE = "your correction"
CORRECTION = "user correction"  # superseded_by of a report value the user corrected


def check_field(field: str) -> str:
    name = field.strip()
    if name not in CANONICAL_FIELDS:
        raise BadInputError(f"unknown field {name!r}; use one of {', '.join(CANONICAL_FIELDS)}")
    return name


def parse_value(field: str, raw: str) -> FieldData:
    """The typed value of `raw` for `field`: a number (comparators kept as text), yes/no, list or text."""
    text = " ".join(raw.split())
    if not text:
        raise BadInputError("give a value, e.g. `netnav case correct NAME ki67_percent 12`")
    if field in NUMBER_FIELDS:
        m = _NUMBER.match(text)
        if not m:
            raise BadInputError(f"{field} needs a number, e.g. 12 (got {text!r})")
        number = float(m.group(2).replace(",", "."))
        if field == "tumor_size_cm" and (m.group(3) or "").lower() == "mm":
            number /= 10
        if m.group(1):
            return f"{m.group(1)}{m.group(2)}"
        return (
            int(number)
            if number.is_integer() and field in ("nodes_positive", "nodes_examined", "ecog", "age")
            else number
        )
    if field in BOOL_FIELDS:
        low = text.lower()
        if low in _TRUE:
            return True
        if low in _FALSE:
            return False
        raise BadInputError(f"{field} needs yes or no (got {text!r})")
    if field in LIST_FIELDS:
        return [p.strip() for p in text.split(",") if p.strip()]
    if field == "grade":
        g = re.fullmatch(r"(?:g|grade)\s*([1-3])", text, re.IGNORECASE)
        return f"G{g.group(1)}" if g else text
    return text


def apply_corrections(profile: CaseProfile, corrections: dict[str, UserValue]) -> CaseProfile:
    """The profile with every correction/confirmation applied (see the module docstring)."""
    fields = dict(profile.fields)
    for name, user in corrections.items():
        fv = fields.get(name)
        if fv is None:
            if user.action != "corrected":
                continue
            fields[name] = FieldValue(
                value=user.value,
                unit=NUMBER_FIELDS.get(name),
                text=f"(not in the reports; entered by you on {user.at[:10]})",
                source=USER_SOURCE,
                line=0,
                user=user,
            )
            continue
        if user.action == "confirmed":
            if fv.value == user.value:  # a confirmation of a value a newer report replaced no longer holds
                fields[name] = fv.model_copy(update={"user": user})
            continue
        old = HistoryEntry(
            value=fv.value,
            source=fv.source,
            line=fv.line,
            report_date=fv.report_date,
            superseded_by=CORRECTION,
        )
        fields[name] = fv.model_copy(
            update={"value": user.value, "user": user, "inferred": False, "history": [*fv.history, old]}
        )
    grade = fields.get("grade")
    changed = any(c.action == "corrected" for n, c in corrections.items() if n in _GRADE_INPUTS)
    if changed and grade is not None and grade.inferred and grade.user is None:
        del fields["grade"]  # inferred from a value the user corrected: let the rules derive it again
    return profile.model_copy(update={"fields": fields})

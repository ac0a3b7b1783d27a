"""Treatment-history fields that rules may read, derived from the case's therapy lines.

- `received_therapies`: drugs actually given (therapy lines given/ongoing/stopped, plus `prior_therapies`
  items that no line marks as declined or planned);
- `progressed_on`: drugs the reports say the disease progressed on (documented progression only: an SSA
  started a month ago is not a failed line); absent (unknown) when the case has only a `prior_therapies` list
  and no therapy lines, since such a list does not say how the disease did on them;
- `declined_therapies`, `planned_therapies`: offered and not taken / not yet given (never counted as given).

Each is a list of generic drug names in lower case, or absent (unknown) when the case records no treatment
history at all (no therapy lines and no `prior_therapies`). Also `tmb_specimen` / `msi_specimen` (see
`specimen_value`) and `minen_driver` (rules/minen.py).
"""

from __future__ import annotations

from netnav.rules.minen import minen_driver
from netnav.types.case import CaseProfile, FieldValue
from netnav.types.therapy import TherapyLine

SPECIMEN_FIELDS: dict[str, str] = {"tmb_specimen": "tmb_mut_per_mb", "msi_specimen": "msi_status"}
HISTORY_FIELDS: tuple[str, ...] = (
    "received_therapies",
    "progressed_on",
    "declined_therapies",
    "planned_therapies",
    *SPECIMEN_FIELDS,
    "minen_driver",
)


def _names(lines: list[TherapyLine]) -> list[str]:
    return list(dict.fromkeys(d for t in lines for d in t.drugs))


def _field(names: list[str], lines: list[TherapyLine], case: CaseProfile) -> FieldValue:
    where = lines[0] if lines else None
    prior = case.fields.get("prior_therapies")
    if where is not None:
        return FieldValue(value=names, text=where.text, source=where.source, line=where.line)
    if prior is not None:
        return prior.model_copy(update={"value": names, "note": None, "history": []})
    return FieldValue(value=names, text="", source="", line=0)


def history_fields(case: CaseProfile) -> dict[str, FieldValue]:
    """The history fields of the case (empty dict when it has no treatment history at all; no `progressed_on`
    without therapy lines)."""
    lines = list(case.therapy_lines)
    prior = case.value("prior_therapies")
    if not lines and prior is None:
        return {}
    declined = [t for t in lines if t.status == "declined"]
    planned = [t for t in lines if t.status == "planned"]
    received = [t for t in lines if t.received]
    not_given = set(_names(declined) + _names(planned)) - set(_names(received))
    prior_items = prior if isinstance(prior, list) else ([str(prior)] if prior else [])
    extra = [p.lower() for p in prior_items if p.lower() not in not_given]
    progressed = [t for t in lines if t.progressed]
    out = {
        "received_therapies": _field(list(dict.fromkeys(_names(received) + extra)), received, case),
        "declined_therapies": _field(_names(declined), declined, case),
        "planned_therapies": _field(_names(planned), planned, case),
    }
    if lines:  # a bare list of prior therapies says nothing about what the disease did on them
        out["progressed_on"] = _field(_names(progressed), progressed, case)
    return out


def specimen_value(case: CaseProfile, name: str) -> FieldValue | None:
    """`tmb_specimen` / `msi_specimen`: "blood" (liquid biopsy) or "tissue" for the biomarker's value, when
    the report states it; absent otherwise. Blood TMB/MSI is not the tissue result the approvals rely on."""
    fv = case.fields.get(SPECIMEN_FIELDS[name])
    if fv is None or fv.specimen is None:
        return None
    return fv.model_copy(update={"value": fv.specimen, "note": None, "history": []})


def history_value(case: CaseProfile, name: str) -> FieldValue | None:
    if name == "minen_driver":
        return minen_driver(case)
    if name in SPECIMEN_FIELDS:
        return specimen_value(case, name)
    return history_fields(case).get(name)

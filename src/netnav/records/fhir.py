"""FHIR R4 JSON (Bundle or single resource) -> report lines; the pipeline runs the same extractors on them.

This module only produces lines (no extraction, no import of the pipeline). Each resource value becomes one
`Line` whose number is the line of that resource's `"resourceType"` key in the JSON pretty-printed with
`json.dumps(indent=2)` (SourceText.lines) and whose shown `text` is "<code display>: <value>".

Status and provenance:
- Observation `status` entered-in-error / cancelled: not used (a warning says so); preliminary: rank 0
  (a final value supersedes it); amended / corrected: rank 2 (supersedes final).
- Condition `verificationStatus` refuted / entered-in-error: not used; provisional / differential /
  unconfirmed: not used, with a warning (uncertain). A secondary-cancer condition (mCODE
  mcode-secondary-cancer-condition, or a code naming a secondary / metastatic neoplasm) gives metastatic
  sites from its body site, never the primary site.
- Medication resources (Statement, Administration, Request, Dispense) are prior therapies unless their
  status is not-taken / intended / entered-in-error / cancelled / draft (or a request is only a proposal).
- A Specimen whose type names blood, plasma or cell-free DNA marks biomarker values as `blood`.
LOINC codes mapped to labels: Ki-67 29593-1, TMB 94076-7, MSI 81695-9, ECOG 89247-1, stage group
21902-2/21908-9, pathological TNM 21899-0/21900-6/21901-4, clinical TNM 21905-5/21906-3/21907-1, tumour size
21889-1/33728-7, variant components 48018-6/48005-3/48004-6. Other codes are read by their display text.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any

from netnav.errors import CorruptFileError
from netnav.records.collector import Collector, Line
from netnav.records.reader import SourceText
from netnav.types.case import Specimen

LOINC_LABELS = {
    "29593-1": "Ki-67 index",
    "94076-7": "Tumor mutational burden",
    "81695-9": "Microsatellite status",
    "89247-1": "ECOG performance status",
    "21908-9": "Stage group",
    "21902-2": "Stage group",
    "21899-0": "TNM",
    "21900-6": "TNM",
    "21901-4": "TNM",
    "21905-5": "TNM",
    "21906-3": "TNM",
    "21907-1": "TNM",
    "21889-1": "Tumor size",
    "33728-7": "Tumor size",
}
GENE_STUDIED, AA_CHANGE, DNA_CHANGE = "48018-6", "48005-3", "48004-6"
SKIP_OBS_STATUS = {"entered-in-error", "cancelled"}
OBS_RANK = {"preliminary": 0, "registered": 0, "amended": 2, "corrected": 2}
SKIP_MED_STATUS = {"intended", "not-taken", "entered-in-error", "cancelled", "draft"}
SKIP_MED_INTENT = {"proposal", "plan"}
REFUTED = {"refuted", "entered-in-error"}
UNCERTAIN = {"provisional", "differential", "unconfirmed"}
SECONDARY = re.compile(r"secondary|metasta", re.IGNORECASE)
NEGATIVE_STATUS = re.compile(r"absent|not detected|negative|not identified|wild[- ]?type", re.IGNORECASE)
BLOOD = re.compile(r"blood|plasma|cell-?free|cfDNA|ctDNA|liquid", re.IGNORECASE)
STRUCTURE = re.compile(r"\bstructure of\b|\bstructure\b|\(body structure\)", re.IGNORECASE)
RESOURCE_LINE = re.compile(r'^\s*"resourceType": ')

Row = tuple[str, str]  # (text the extractors read, text shown to the user)


def _resources(obj: Any) -> Iterator[dict[str, Any]]:
    """Resources in the order their "resourceType" keys appear in the pretty-printed JSON."""
    if isinstance(obj, dict):
        for key, value in obj.items():
            if key == "resourceType":
                yield obj
            yield from _resources(value)
    elif isinstance(obj, list):
        for item in obj:
            yield from _resources(item)


def _concept_text(cc: Any) -> str:
    """text, else the first coding display, else the first code (staging codes such as "pT2")."""
    if not isinstance(cc, dict):
        return ""
    if cc.get("text"):
        return str(cc["text"])
    codings = [c for c in cc.get("coding") or [] if isinstance(c, dict)]
    for coding in codings:
        if coding.get("display"):
            return str(coding["display"])
    return next((str(c["code"]) for c in codings if c.get("code")), "")


def _codes(cc: Any) -> list[str]:
    return [str(c.get("code")) for c in (cc or {}).get("coding") or [] if isinstance(c, dict)]


def _value(res: dict[str, Any]) -> str:
    if "valueQuantity" in res:
        q = res["valueQuantity"]
        cmp = q.get("comparator", "")
        unit = q.get("unit") or q.get("code") or ""
        return f"{cmp}{q.get('value')} {unit}".strip()
    if "valueCodeableConcept" in res:
        return _concept_text(res["valueCodeableConcept"])
    for key in ("valueString", "valueInteger", "valueBoolean"):
        if key in res:
            v = res[key]
            return ("present" if v else "absent") if isinstance(v, bool) else str(v)
    return ""


def _variant(res: dict[str, Any], display: str) -> list[Row]:
    comps = res.get("component") or []
    genes = [
        _concept_text(c.get("valueCodeableConcept")) or _value(c)
        for c in comps
        if GENE_STUDIED in _codes(c.get("code"))
    ]
    by_code = {code: c for c in comps for code in _codes(c.get("code"))}
    change = next((_value(by_code[c]) for c in (AA_CHANGE, DNA_CHANGE) if c in by_code), "")
    status = _value(res) or "present"
    rows = []
    for gene in genes:
        shown = f"{display}: {gene} {change} ({status})".replace("  ", " ")
        if NEGATIVE_STATUS.search(status):
            rows.append((f"{gene}: not detected ({status})", shown))
        else:
            rows.append((f"{gene} {change} variant", shown))
    return rows


def _observation(res: dict[str, Any]) -> list[Row]:
    display = _concept_text(res.get("code"))
    codes = _codes(res.get("code"))
    if any(GENE_STUDIED in _codes(c.get("code")) for c in res.get("component") or []):
        return _variant(res, display)
    rows = []
    label = next((LOINC_LABELS[c] for c in codes if c in LOINC_LABELS), "")
    value = _value(res)
    if value:
        rows.append((f"{label}: {value}" if label else f"{display}: {value}", f"{display}: {value}"))
    for comp in res.get("component") or []:
        cdisplay = _concept_text(comp.get("code"))
        clabel = next((LOINC_LABELS[c] for c in _codes(comp.get("code")) if c in LOINC_LABELS), "")
        cvalue = _value(comp)
        if cvalue:
            rows.append((f"{clabel or cdisplay}: {cvalue}", f"{display}: {cdisplay}: {cvalue}"))
    return rows


def _site_text(cc: Any) -> str:
    """SNOMED body-structure wording without its scaffolding ("Structure of ileum" -> "ileum")."""
    return STRUCTURE.sub("", _concept_text(cc)).strip(" ,")


def _profiles(res: dict[str, Any]) -> str:
    return " ".join(str(p) for p in (res.get("meta") or {}).get("profile") or [])


def _condition(res: dict[str, Any]) -> list[Row]:
    display = _concept_text(res.get("code"))
    sites = [_site_text(site) for site in res.get("bodySite") or []]
    if "secondary-cancer" in _profiles(res) or SECONDARY.search(display):
        return [(f"Metastatic site: {s}", f"{display}: body site {s}") for s in sites if s] or [
            (f"Metastatic disease: {display}", display)
        ]
    out = [(f"Diagnosis: {display}", display)] if display else []
    for ext in res.get("extension") or []:
        if isinstance(ext, dict) and "histology" in str(ext.get("url", "")):
            morph = _concept_text(ext.get("valueCodeableConcept"))
            if morph:
                out.append((f"Histology: {morph}", f"{display}: histology {morph}"))
    out.extend((f"Primary site: {s}", f"{display}: body site {s}") for s in sites if s)
    for stage in res.get("stage") or []:
        s = _concept_text(stage.get("summary"))
        if s:
            out.append((f"Stage {s}", f"{display}: stage {s}"))
    return out


def _medication(res: dict[str, Any]) -> list[Row]:
    if res.get("status") in SKIP_MED_STATUS or res.get("intent") in SKIP_MED_INTENT:
        return []
    display = _concept_text(res.get("medicationCodeableConcept"))
    return [(f"Prior treatment: {display}", f"{display}: {res.get('status', 'recorded')}")] if display else []


def _patient(res: dict[str, Any]) -> list[Row]:
    gender = res.get("gender")
    return [(f"Sex: {gender}", f"gender: {gender}")] if gender in ("male", "female") else []


def _procedure(res: dict[str, Any]) -> list[Row]:
    display = _concept_text(res.get("code"))
    return [(f"Procedure: {display}", display)] if display else []


def _diagnostic_report(res: dict[str, Any]) -> list[Row]:
    """A DiagnosticReport's conclusion (and coded conclusions) read as report text."""
    rows = []
    conclusion = res.get("conclusion")
    if isinstance(conclusion, str) and conclusion.strip():
        rows.append(
            (conclusion.strip(), f"{_concept_text(res.get('code')) or 'Report'}: {conclusion.strip()}")
        )
    for cc in res.get("conclusionCode") or []:
        text = _concept_text(cc)
        if text:
            rows.append((f"Diagnosis: {text}", f"conclusion: {text}"))
    return rows


HANDLERS = {
    "Observation": _observation,
    "Condition": _condition,
    "MedicationStatement": _medication,
    "MedicationAdministration": _medication,
    "MedicationRequest": _medication,
    "MedicationDispense": _medication,
    "Patient": _patient,
    "Procedure": _procedure,
    "DiagnosticReport": _diagnostic_report,
}


def _status_rank(res: dict[str, Any], kind: str, where: str, out: Collector) -> int | None:
    """The line rank for a resource, or None when it must not be used (a warning says why)."""
    if kind in ("Observation", "DiagnosticReport"):
        status = str(res.get("status") or "final")
        if status in SKIP_OBS_STATUS:
            out.warn(f"{where}: {kind} with status '{status}' not used")
            return None
        return OBS_RANK.get(status, 1)
    if kind == "Condition":
        ver = _codes(res.get("verificationStatus"))
        if REFUTED & set(ver):
            out.warn(f"{where}: Condition '{_concept_text(res.get('code'))}' is {'/'.join(ver)}; not used")
            return None
        if UNCERTAIN & set(ver):
            out.warn(f"{where}: Condition '{_concept_text(res.get('code'))}' is {'/'.join(ver)}; not used")
            return None
    return 1


def fhir_specimen(src: SourceText) -> Specimen | None:
    """blood when a Specimen resource names blood / plasma / cell-free DNA, tissue for other Specimens."""
    kinds = [
        _concept_text(r.get("type")) for r in _resources(src.fhir) if r.get("resourceType") == "Specimen"
    ]
    if any(BLOOD.search(k) for k in kinds):
        return "blood"
    return "tissue" if kinds else None


def fhir_lines(src: SourceText, out: Collector) -> list[Line]:
    """One Line per resource value, ranked by status; unusable resources are left out with a warning."""
    starts = [i + 1 for i, t in enumerate(src.lines) if RESOURCE_LINE.match(t)]
    lines: list[Line] = []
    for no, res in zip(starts, _resources(src.fhir), strict=False):
        kind = str(res.get("resourceType"))
        handler = HANDLERS.get(kind)
        if handler is None:
            continue
        try:
            rank = _status_rank(res, kind, f"{src.name}:{no}", out)
            if rank is None:
                continue
            lines.extend(Line(no, text, shown, rank=rank) for text, shown in handler(res))
        except (AttributeError, TypeError, ValueError, KeyError) as exc:
            raise CorruptFileError(
                f"{src.name}: malformed FHIR {kind} resource at line {no} ({type(exc).__name__})"
            ) from exc
    return lines

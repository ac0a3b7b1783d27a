"""FHIR R4 JSON (Bundle or single resource) -> synthetic report lines -> the same extractors as text.

Each resource value becomes one line whose `line` number is the line of that resource's `"resourceType"`
key in the JSON pretty-printed with `json.dumps(indent=2)` (SourceText.lines), and whose shown `text` is
"<code display>: <value>". LOINC codes are mapped to canonical labels (Ki-67 29593-1, TMB 94076-7,
MSI 81695-9, ECOG 89247-1, stage group 21908-9, variant components 48018-6/48005-3/48004-6); other codes
(including SNOMED) are read by their display text.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any

from netnav.errors import CorruptFileError
from netnav.records.collector import Collector, Line
from netnav.records.extract_molecular import extract_genes
from netnav.records.extract_site import extract_sites
from netnav.records.patterns import load_patterns
from netnav.records.pipeline import LINE_EXTRACTORS
from netnav.records.reader import SourceText
from netnav.records.textdoc import TextDoc

LOINC_LABELS = {
    "29593-1": "Ki-67 index",
    "94076-7": "Tumor mutational burden",
    "81695-9": "Microsatellite status",
    "89247-1": "ECOG performance status",
    "21908-9": "Stage group",
}
GENE_STUDIED, AA_CHANGE, DNA_CHANGE = "48018-6", "48005-3", "48004-6"
SKIP_MED_STATUS = {"intended", "not-taken", "entered-in-error"}
RESOURCE_LINE = re.compile(r'^\s*"resourceType": ')


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
    if not isinstance(cc, dict):
        return ""
    if cc.get("text"):
        return str(cc["text"])
    for coding in cc.get("coding") or []:
        if coding.get("display"):
            return str(coding["display"])
    return ""


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


def _observation(res: dict[str, Any]) -> list[tuple[str, str]]:
    display = _concept_text(res.get("code"))
    comps = {code: comp for comp in res.get("component") or [] for code in _codes(comp.get("code"))}
    if GENE_STUDIED in comps:
        gene = _concept_text(comps[GENE_STUDIED].get("valueCodeableConcept")) or _value(comps[GENE_STUDIED])
        change = next((_value(comps[c]) for c in (AA_CHANGE, DNA_CHANGE) if c in comps), "")
        status = _value(res) or "present"
        shown = f"{display}: {gene} {change} ({status})"
        if re.search(r"absent|not detected|negative", status, re.IGNORECASE):
            return [(shown, shown)]
        return [(f"{gene} {change} variant", shown)]
    label = next((LOINC_LABELS[c] for c in _codes(res.get("code")) if c in LOINC_LABELS), "")
    shown = f"{display}: {_value(res)}"
    return [(f"{label} {shown}".strip(), shown)]


def _condition(res: dict[str, Any]) -> list[tuple[str, str]]:
    display = _concept_text(res.get("code"))
    out = [(f"Diagnosis: {display}", f"{display}")]
    for site in res.get("bodySite") or []:
        s = _concept_text(site)
        out.append((f"Primary site: {s}", f"{display}: body site {s}"))
    for stage in res.get("stage") or []:
        s = _concept_text(stage.get("summary"))
        if s:
            out.append((f"Stage {s}", f"{display}: stage {s}"))
    return out


def _medication(res: dict[str, Any]) -> list[tuple[str, str]]:
    if res.get("status") in SKIP_MED_STATUS:
        return []
    display = _concept_text(res.get("medicationCodeableConcept"))
    return [(f"Prior treatment: {display}", f"{display}: {res.get('status', 'recorded')}")] if display else []


def _patient(res: dict[str, Any]) -> list[tuple[str, str]]:
    gender = res.get("gender")
    return [(f"Sex: {gender}", f"gender: {gender}")] if gender in ("male", "female") else []


def _procedure(res: dict[str, Any]) -> list[tuple[str, str]]:
    display = _concept_text(res.get("code"))
    return [(f"Procedure: {display}", display)] if display else []


HANDLERS = {
    "Observation": _observation,
    "Condition": _condition,
    "MedicationStatement": _medication,
    "Patient": _patient,
    "Procedure": _procedure,
}


def fhir_lines(src: SourceText) -> list[Line]:
    starts = [i + 1 for i, t in enumerate(src.lines) if RESOURCE_LINE.match(t)]
    lines: list[Line] = []
    for no, res in zip(starts, _resources(src.fhir), strict=False):
        kind = str(res.get("resourceType"))
        handler = HANDLERS.get(kind)
        if handler is None:
            continue
        try:
            lines.extend(Line(no, text, shown) for text, shown in handler(res))
        except (AttributeError, TypeError, ValueError, KeyError) as exc:
            raise CorruptFileError(
                f"{src.name}: malformed FHIR {kind} resource at line {no} ({type(exc).__name__})"
            ) from exc
    return lines


def collect_fhir(src: SourceText, out: Collector) -> None:
    lines = fhir_lines(src)
    if not lines:
        out.warn(
            f"{src.name}: FHIR JSON without Observation/Condition/MedicationStatement/Procedure resources"
        )
        return
    doc = TextDoc(tuple(lines), load_patterns(), out, join_lines=False)
    extract_sites(doc)
    for line in doc.lines:
        for extractor in LINE_EXTRACTORS:
            extractor(doc, line)
    extract_genes(doc)

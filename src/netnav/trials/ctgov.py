"""Read ClinicalTrials.gov records: API v2 JSON (one study or {"studies": [...]}) and classic XML."""

from __future__ import annotations

import json
import re
from collections.abc import Mapping
from typing import Any

from lxml import etree

from netnav.errors import CorruptFileError, UnsupportedFormatError
from netnav.ingest.limits import check_json_depth
from netnav.trials.eligibility import split_eligibility
from netnav.trials.eligibility import unescape_markdown as unescape_markdown
from netnav.types.trials import Site, Trial

_NCT = re.compile(r"^NCT\d{8}$")
_STATUS_WORDS = {
    "ACTIVE_NOT_RECRUITING": "Active, not recruiting",
    "NOT_YET_RECRUITING": "Not yet recruiting",
    "ENROLLING_BY_INVITATION": "Enrolling by invitation",
    "APPROVED_FOR_MARKETING": "Approved for marketing",
    "NO_LONGER_AVAILABLE": "No longer available",
    "TEMPORARILY_NOT_AVAILABLE": "Temporarily not available",
}


_AGE = re.compile(r"\bage[sd]?\b|\byears? (?:of age|old)\b|\badults?\b", re.IGNORECASE)


def normalize_status(raw: str | None) -> str | None:
    """'ACTIVE_NOT_RECRUITING' → 'Active, not recruiting'; display forms pass through."""
    if not raw or not raw.strip():
        return None
    text = raw.strip()
    if text.upper() in _STATUS_WORDS:
        return _STATUS_WORDS[text.upper()]
    if text.isupper() or "_" in text:
        return text.replace("_", " ").capitalize()
    return text


def normalize_phase(phases: list[str]) -> str | None:
    """['PHASE1', 'PHASE2'] → 'Phase 1/Phase 2'; 'N/A' and 'NA' → None."""
    out: list[str] = []
    for raw in phases:
        for part in re.split(r"[/,]", raw):
            token = part.strip()
            if not token or token.upper() in {"NA", "N/A"}:
                continue
            match = re.match(r"(?:EARLY_)?PHASE\s*(\d)", token.upper().replace(" ", ""))
            label = f"Phase {match.group(1)}" if match else token
            if token.upper().startswith("EARLY"):
                label = "Early Phase 1"
            if label not in out:
                out.append(label)
    return "/".join(out) or None


def _trial(source: str, **fields: Any) -> Trial:
    nct = str(fields.get("nct_id") or "").strip().upper()
    if not _NCT.match(nct):
        raise CorruptFileError(f"{source}: record has no valid NCT id (got {nct or 'nothing'!r})")
    criteria_text = unescape_markdown(fields.pop("criteria_text", "") or "")
    inclusion, exclusion = split_eligibility(criteria_text)
    minimum_age = fields.pop("minimum_age", None)
    age_stated = any(_AGE.search(c) for c in inclusion)
    if minimum_age and not age_stated and re.match(r"^\d+\s*years?$", minimum_age.strip(), re.IGNORECASE):
        inclusion.append(f"Minimum age {minimum_age.strip()} (registry age limit)")
    title = (fields.pop("title", None) or "").strip() or nct
    return Trial(
        nct_id=nct,
        title=title,
        inclusion=inclusion,
        exclusion=exclusion,
        source=source,
        **{k: v for k, v in fields.items() if k != "nct_id"},
    )


# --- API v2 JSON ----------------------------------------------------------------------------


def _get(obj: Mapping[str, Any], *path: str) -> Any:
    cur: Any = obj
    for key in path:
        if not isinstance(cur, Mapping):
            return None
        cur = cur.get(key)
    return cur


def _contact(raw: Any) -> str | None:
    if not isinstance(raw, list):
        return None
    for item in raw:
        if isinstance(item, Mapping):
            parts = [str(item[k]).strip() for k in ("name", "phone", "email") if item.get(k)]
            if parts:
                return ", ".join(parts)
    return None


def _number(raw: Any) -> float | None:
    return float(raw) if isinstance(raw, int | float) and not isinstance(raw, bool) else None


def v2_sites(proto: Mapping[str, Any]) -> list[Site]:
    """The study's locations (facility, city, country, site status, first contact, geo point)."""
    out: list[Site] = []
    for loc in _get(proto, "contactsLocationsModule", "locations") or []:
        if not isinstance(loc, Mapping):
            continue
        raw_geo = loc.get("geoPoint")
        geo: Mapping[str, Any] = raw_geo if isinstance(raw_geo, Mapping) else {}
        out.append(
            Site(
                facility=loc.get("facility") or None,
                city=loc.get("city") or None,
                state=loc.get("state") or None,
                country=loc.get("country") or None,
                status=normalize_status(loc.get("status")),
                contact=_contact(loc.get("contacts")),
                lat=_number(geo.get("lat")),
                lon=_number(geo.get("lon")),
            )
        )
    return out


def _v2_study(study: Mapping[str, Any], source: str) -> Trial:
    proto = study.get("protocolSection")
    if not isinstance(proto, Mapping):
        raise UnsupportedFormatError(
            f"{source}: JSON is not a ClinicalTrials.gov v2 study (no protocolSection)"
        )
    arms_mod = _get(proto, "armsInterventionsModule") or {}
    interventions = [
        f"{i.get('type', '').title()}: {i.get('name', '')}".strip(": ")
        for i in arms_mod.get("interventions") or []
        if isinstance(i, Mapping)
    ]
    arms = [
        " - ".join(x for x in (a.get("label"), a.get("type"), a.get("description")) if x)
        for a in arms_mod.get("armGroups") or []
        if isinstance(a, Mapping)
    ]
    return _trial(
        source,
        nct_id=_get(proto, "identificationModule", "nctId"),
        title=_get(proto, "identificationModule", "officialTitle")
        or _get(proto, "identificationModule", "briefTitle"),
        phase=normalize_phase(list(_get(proto, "designModule", "phases") or [])),
        overall_status=normalize_status(_get(proto, "statusModule", "overallStatus")),
        last_update=_get(proto, "statusModule", "lastUpdatePostDateStruct", "date"),
        conditions=[str(c) for c in _get(proto, "conditionsModule", "conditions") or []],
        interventions=interventions,
        arms=arms,
        summary=_get(proto, "descriptionModule", "briefSummary"),
        criteria_text=_get(proto, "eligibilityModule", "eligibilityCriteria"),
        minimum_age=_get(proto, "eligibilityModule", "minimumAge"),
        sites=v2_sites(proto),
    )


def _parse_json(data: bytes, source: str) -> list[Trial]:
    check_json_depth(data)
    try:
        payload = json.loads(data.decode("utf-8-sig"))
    except (UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise CorruptFileError(f"{source}: invalid JSON: {exc}") from exc
    if isinstance(payload, Mapping) and isinstance(payload.get("studies"), list):
        studies = payload["studies"]
    elif isinstance(payload, Mapping) and "protocolSection" in payload:
        studies = [payload]
    elif isinstance(payload, list) and payload and all(isinstance(s, Mapping) for s in payload):
        studies = payload
    else:
        raise UnsupportedFormatError(f"{source}: JSON is not a ClinicalTrials.gov v2 study or study list")
    if not studies:
        raise UnsupportedFormatError(f"{source}: the study list is empty")
    return [_v2_study(s, source) for s in studies]


# --- classic XML ----------------------------------------------------------------------------


def _text(node: etree._Element, path: str) -> str | None:
    found = node.find(path)
    if found is None:
        return None
    text = "".join(found.itertext()).strip()
    return text or None


def _xml_study(root: etree._Element, source: str) -> Trial:
    interventions = [
        f"{_text(i, 'intervention_type') or ''}: {_text(i, 'intervention_name') or ''}".strip(": ")
        for i in root.findall("intervention")
    ]
    arms = [
        " - ".join(
            x for x in (_text(a, "arm_group_label"), _text(a, "arm_group_type"), _text(a, "description")) if x
        )
        for a in root.findall("arm_group")
    ]
    phase = _text(root, "phase")
    return _trial(
        source,
        nct_id=_text(root, "id_info/nct_id"),
        title=_text(root, "official_title") or _text(root, "brief_title"),
        phase=normalize_phase([phase]) if phase else None,
        overall_status=normalize_status(_text(root, "overall_status")),
        last_update=_text(root, "last_update_posted") or _text(root, "lastchanged_date"),
        conditions=[c.text.strip() for c in root.findall("condition") if c.text and c.text.strip()],
        interventions=interventions,
        arms=arms,
        summary=_text(root, "brief_summary/textblock"),
        criteria_text=_text(root, "eligibility/criteria/textblock"),
        minimum_age=_text(root, "eligibility/minimum_age"),
    )


def _parse_xml(data: bytes, source: str) -> list[Trial]:
    parser = etree.XMLParser(resolve_entities=False, no_network=True, huge_tree=False, recover=False)
    try:
        root = etree.fromstring(data, parser=parser)
    except etree.XMLSyntaxError as exc:
        raise CorruptFileError(f"{source}: invalid XML: {exc}") from exc
    if root.tag == "clinical_study":
        return [_xml_study(root, source)]
    studies = root.findall(".//clinical_study")
    if not studies:
        raise UnsupportedFormatError(f"{source}: XML is not a ClinicalTrials.gov <clinical_study> record")
    return [_xml_study(s, source) for s in studies]


def looks_like_ctgov(data: bytes) -> bool:
    """Cheap sniff used by ingest: a v2 study JSON or a classic <clinical_study> XML."""
    head = data[:4096].lstrip().lower()
    return (head.startswith(b"{") and (b"protocolsection" in head or b'"studies"' in head)) or (
        head.startswith(b"<") and b"<clinical_study" in data[:8192].lower()
    )


def parse_ctgov_bytes(data: bytes, source: str) -> list[Trial]:
    """Parse a ClinicalTrials.gov record; raises CorruptFileError / UnsupportedFormatError."""
    stripped = data.lstrip(b"\xef\xbb\xbf \t\r\n")
    if not stripped:
        raise CorruptFileError(f"{source}: empty file")
    try:
        if stripped[:1] in (b"{", b"["):
            return _parse_json(stripped, source)
        if stripped[:1] == b"<":
            return _parse_xml(stripped, source)
    except (AttributeError, TypeError, ValueError, KeyError) as exc:
        # A record whose fields have the wrong JSON types (null/bool/number where text or a list belongs).
        raise CorruptFileError(
            f"{source}: malformed ClinicalTrials.gov record ({type(exc).__name__})"
        ) from exc
    raise UnsupportedFormatError(f"{source}: not a ClinicalTrials.gov JSON or XML record")

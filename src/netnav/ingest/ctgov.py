"""ClinicalTrials.gov records (API v2 JSON and classic XML) → blocks by section.

Self-contained on purpose: structured trial parsing lives in ``netnav.trials``; this module only
produces retrievable text (summary, description, conditions, interventions, outcomes, eligibility).
"""

from __future__ import annotations

import json
from typing import Any

from netnav.errors import CorruptFileError, UnsupportedFormatError
from netnav.ingest.limits import check_json_depth
from netnav.ingest.model import Block, RawDocument
from netnav.ingest.textutil import clean_inline, reflow_blocks
from netnav.ingest.xmlutil import Element, first_text, text_of, year_of

Sections = list[tuple[str, list[Block]]]


def load_json(text: str) -> Any:
    check_json_depth(text)
    try:
        return json.loads(text)
    except (json.JSONDecodeError, RecursionError) as exc:
        raise CorruptFileError(f"malformed JSON: {exc}") from exc


def parse_ctgov_json(data: Any) -> list[RawDocument]:
    """A study, a list of studies, or an API page ``{"studies": [...]}``."""
    studies: list[Any]
    if isinstance(data, dict) and isinstance(data.get("studies"), list):
        studies = data["studies"]
    elif isinstance(data, list):
        studies = data
    else:
        studies = [data]
    records = [s for s in studies if isinstance(s, dict) and isinstance(s.get("protocolSection"), dict)]
    if not records:
        raise UnsupportedFormatError("JSON is not a ClinicalTrials.gov record (no protocolSection)")
    return [_study(r["protocolSection"]) for r in records]


def _get(obj: Any, *path: str) -> Any:
    for key in path:
        if not isinstance(obj, dict):
            return None
        obj = obj.get(key)
    return obj


def _str(value: Any) -> str:
    return clean_inline(value) if isinstance(value, str) else ""


def _strs(value: Any) -> list[str]:
    return (
        [clean_inline(v) for v in value if isinstance(v, str) and v.strip()]
        if isinstance(value, list)
        else []
    )


def _study(ps: dict[str, Any]) -> RawDocument:
    nct = _str(_get(ps, "identificationModule", "nctId"))
    title = _str(_get(ps, "identificationModule", "briefTitle")) or _str(
        _get(ps, "identificationModule", "officialTitle")
    )
    sections: Sections = [
        ("Summary", _prose(_get(ps, "descriptionModule", "briefSummary"))),
        ("Description", _prose(_get(ps, "descriptionModule", "detailedDescription"))),
        (
            "Conditions",
            _conditions(
                _strs(_get(ps, "conditionsModule", "conditions")),
                _strs(_get(ps, "conditionsModule", "keywords")),
            ),
        ),
        ("Interventions", _json_interventions(ps.get("armsInterventionsModule"))),
        ("Outcomes", _json_outcomes(ps.get("outcomesModule"))),
        ("Eligibility", _eligibility(_get(ps, "eligibilityModule", "eligibilityCriteria"))),
    ]
    meta = {
        "overall_status": _str(_get(ps, "statusModule", "overallStatus")),
        "last_update": _str(_get(ps, "statusModule", "lastUpdatePostDateStruct", "date")),
        "study_type": _str(_get(ps, "designModule", "studyType")),
        "phases": ", ".join(_strs(_get(ps, "designModule", "phases"))),
        "conditions": "; ".join(_strs(_get(ps, "conditionsModule", "conditions"))),
    }
    sponsor = _str(_get(ps, "sponsorCollaboratorsModule", "leadSponsor", "name"))
    return _assemble("ctgov-json", nct, title, sections, meta, sponsor)


def _prose(text: Any) -> list[Block]:
    return reflow_blocks(text, heading_level=3) if isinstance(text, str) else []


def _eligibility(text: Any) -> list[Block]:
    return reflow_blocks(text, heading_level=3) if isinstance(text, str) else []


def _conditions(conditions: list[str], keywords: list[str]) -> list[Block]:
    blocks = [Block("Conditions: " + "; ".join(conditions))] if conditions else []
    if keywords:
        blocks.append(Block("Keywords: " + "; ".join(keywords)))
    return blocks


def _json_interventions(module: Any) -> list[Block]:
    blocks: list[Block] = []
    for arm in _get(module, "armGroups") or []:
        label = " ".join(x for x in (_str(_get(arm, "type")), _str(_get(arm, "label"))) if x)
        blocks.append(_item("Arm", label, _str(_get(arm, "description"))))
    for iv in _get(module, "interventions") or []:
        label = ": ".join(x for x in (_str(_get(iv, "type")), _str(_get(iv, "name"))) if x)
        blocks.append(_item("Intervention", label, _str(_get(iv, "description"))))
    return [b for b in blocks if b.text]


def _json_outcomes(module: Any) -> list[Block]:
    blocks: list[Block] = []
    for key, name in (("primaryOutcomes", "Primary outcome"), ("secondaryOutcomes", "Secondary outcome")):
        for outcome in _get(module, key) or []:
            detail = " ".join(
                x for x in (_str(_get(outcome, "description")), _str(_get(outcome, "timeFrame"))) if x
            )
            blocks.append(_item(name, _str(_get(outcome, "measure")), detail))
    return [b for b in blocks if b.text]


def _item(prefix: str, label: str, description: str) -> Block:
    if not label and not description:
        return Block("", "item")
    text = f"- {prefix}: {label}" + (f" — {description}" if description else "")
    return Block(clean_inline(text), "item")


def _assemble(
    fmt: str, nct: str, title: str, sections: Sections, meta: dict[str, str], sponsor: str
) -> RawDocument:
    blocks: list[Block] = [Block(title or nct or "Clinical trial", "heading", 1)]
    for name, body in sections:
        if body:
            blocks.append(Block(name, "heading", 2))
            blocks.extend(body)
    raw = RawDocument(
        fmt=fmt,
        blocks=blocks,
        title=title or nct or None,
        kind="trial",
        publisher=sponsor or None,
        meta={k: v for k, v in meta.items() if v},
    )
    if nct:
        raw.identifiers["nct"] = nct
        raw.identifiers["url"] = f"https://clinicaltrials.gov/study/{nct}"
    last_update = meta.get("last_update", "")
    raw.year = year_of(last_update) if last_update else None
    raw.version = last_update or None
    return raw


def is_ctgov_xml(root: Element) -> bool:
    return bool(root.tag == "clinical_study")


def parse_ctgov_xml(root: Element) -> RawDocument:
    def tb(xpath: str) -> list[Block]:
        return _prose(_textblock(root, xpath))

    sections: Sections = [
        ("Summary", tb("brief_summary/textblock")),
        ("Description", tb("detailed_description/textblock")),
        (
            "Conditions",
            _conditions(
                [text_of(c) for c in root.findall("condition")], [text_of(k) for k in root.findall("keyword")]
            ),
        ),
        ("Interventions", _xml_interventions(root)),
        ("Outcomes", _xml_outcomes(root)),
        ("Eligibility", tb("eligibility/criteria/textblock")),
    ]
    meta = {
        "overall_status": first_text(root, "overall_status"),
        "last_update": first_text(root, "last_update_posted"),
        "study_type": first_text(root, "study_type"),
        "phases": first_text(root, "phase"),
        "conditions": "; ".join(text_of(c) for c in root.findall("condition")),
    }
    raw = _assemble(
        "ctgov-xml",
        first_text(root, "id_info/nct_id"),
        first_text(root, "brief_title") or first_text(root, "official_title"),
        sections,
        meta,
        first_text(root, "sponsors/lead_sponsor/agency"),
    )
    if raw.year is None:
        raw.year = _xml_year(meta["last_update"])
    return raw


def _textblock(root: Element, xpath: str) -> str:
    found = root.find(xpath)
    return "".join(found.itertext()) if found is not None else ""


def _xml_interventions(root: Element) -> list[Block]:
    blocks = [
        _item(
            "Arm",
            " ".join(x for x in (first_text(a, "arm_group_type"), first_text(a, "arm_group_label")) if x),
            first_text(a, "description"),
        )
        for a in root.findall("arm_group")
    ]
    blocks += [
        _item(
            "Intervention",
            ": ".join(
                x for x in (first_text(i, "intervention_type"), first_text(i, "intervention_name")) if x
            ),
            first_text(i, "description"),
        )
        for i in root.findall("intervention")
    ]
    return [b for b in blocks if b.text]


def _xml_outcomes(root: Element) -> list[Block]:
    blocks: list[Block] = []
    for tag, name in (("primary_outcome", "Primary outcome"), ("secondary_outcome", "Secondary outcome")):
        for outcome in root.findall(tag):
            detail = " ".join(
                x for x in (first_text(outcome, "description"), first_text(outcome, "time_frame")) if x
            )
            blocks.append(_item(name, first_text(outcome, "measure"), detail))
    return [b for b in blocks if b.text]


def _xml_year(value: str) -> int | None:
    for token in value.replace(",", " ").split():
        year = year_of(token)
        if year is not None:
            return year
    return None

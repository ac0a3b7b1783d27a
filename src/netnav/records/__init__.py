"""Read a patient's reports (txt, md, PDF text layer, FHIR R4 JSON) into a CaseProfile.

Every value keeps the exact source line (`text`), its 1-based `line` and the file name (`source`).
For FHIR JSON, `line` is the line of the resource's `"resourceType"` key in the bundle pretty-printed with
`json.dumps(indent=2)`, and `text` is "<code display>: <value>".
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

from netnav.records.caseio import case_to_json, load_case_json
from netnav.records.ids import case_id_for
from netnav.records.layout import is_pathology_report
from netnav.records.merge import merge_profiles
from netnav.records.pipeline import profile_from_source
from netnav.records.reader import check_size, from_text, read_source
from netnav.types.case import CaseProfile

__all__ = ["case_to_json", "extract_case", "extract_text", "load_case_json", "merge_profiles"]


def extract_text(text: str, source: str) -> CaseProfile:
    """Extract from text already in memory (uploads, tests). `source` names it in every value."""
    return profile_from_source(from_text(text, source))


def extract_case(paths: Sequence[Path]) -> CaseProfile:
    """Read every file (sizes checked before any is read) and merge them into one case."""
    for path in paths:
        check_size(path)
    sources = [read_source(p) for p in paths]
    profiles = [profile_from_source(s) for s in sources]
    pathology = {s.name for s in sources if s.fhir is None and is_pathology_report(s.lines)}
    return merge_profiles(profiles, case_id=case_id_for(sources), pathology=pathology)

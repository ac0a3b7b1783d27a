"""Build CaseProfiles for rule tests."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from netnav.types.case import CaseProfile, FieldValue

SHARED = Path(__file__).resolve().parents[3] / "shared"
REPORTS = SHARED / "eval" / "reports"


def make_case(case_id: str = "t", negated: list[str] | None = None, **values: Any) -> CaseProfile:
    fields = {
        name: FieldValue(value=value, text=f"{name}: {value}", source="test.txt", line=i + 1)
        for i, (name, value) in enumerate(values.items())
    }
    neg = [{"field": n, "text": f"no {n}", "line": 99} for n in (negated or [])]
    return CaseProfile.model_validate({"case_id": case_id, "fields": fields, "negated": neg})


def case_from_expected(path: Path) -> CaseProfile:
    data = json.loads(path.read_text(encoding="utf-8"))
    return make_case(path.name.removesuffix(".expected.json"), **data)

"""Values with comparators/ranges, Kleene logic, and the rule schema's validation."""

from __future__ import annotations

import math
from typing import Any

import pytest

from netnav.errors import KnowledgeError
from netnav.rules.loader import load_rule_file
from netnav.rules.logic import evaluate
from netnav.rules.schema import Condition, Rule
from netnav.rules.values import Interval, as_bool, field_interval, parse_interval
from netnav.types.case import FieldValue
from tests.rules.rules_helpers import make_case

INTERVALS: list[tuple[Any, Interval | None]] = [
    (8, Interval(8, 8)),
    (2.9, Interval(2.9, 2.9)),
    ("<1", Interval(-math.inf, 1, True, True)),
    ("<1%", Interval(-math.inf, 1, True, True)),
    (">50", Interval(50, math.inf, True, True)),
    ("≥10", Interval(10, math.inf, False, True)),
    ("3-5", Interval(3, 5)),
    ("3 to 5%", Interval(3, 5)),
    ("approximately 85", Interval(85, 85)),
    ("14 Muts/Mb", Interval(14, 14)),
    ("2,5", Interval(2.5, 2.5)),
    ("high", None),
    (True, None),
    (["liver"], None),
]


@pytest.mark.parametrize(("raw", "expected"), INTERVALS, ids=[repr(r) for r, _ in INTERVALS])
def test_parse_interval(raw: Any, expected: Interval | None) -> None:
    assert parse_interval(raw) == expected


def test_range_from_note_is_used_instead_of_upper_bound() -> None:
    note = "range 3-5% reported; the upper bound 5 is used (conservative for grading)"
    fv = FieldValue(value=5, text="Ki-67 3-5%", source="r.txt", line=3, note=note)
    assert field_interval(fv) == Interval(3, 5)
    other = FieldValue(value=5, text="Ki-67 5%", source="r.txt", line=3, note="hot spot 2-3 fields")
    assert field_interval(other) == Interval(5, 5)


def test_reported_range_straddling_a_threshold_is_unknown() -> None:
    from netnav.rules import assess
    from netnav.types.case import CaseProfile

    fields = {
        "primary_site": FieldValue(value="pancreas", text="pancreas", source="r.txt", line=1),
        "ki67_percent": FieldValue(
            value=4,
            text="Ki-67 2-4%",
            source="r.txt",
            line=2,
            note="range 2-4% reported; the upper bound 4 is used",
        ),
        "mitoses_per_2mm2": FieldValue(value=0, text="0 mitoses", source="r.txt", line=3),
    }
    finding = next(
        f for f in assess(CaseProfile(case_id="r", fields=fields)).findings if f.rule_id == "who-gep-grade.v1"
    )
    assert finding.status == "unknown" and "2-4%" in finding.statement and "G1 or G2" in finding.statement


@pytest.mark.parametrize(("raw", "expected"), [("present", True), ("Not identified", False), ("maybe", None)])
def test_as_bool(raw: str, expected: bool | None) -> None:
    assert as_bool(raw) is expected


def cond(data: dict[str, Any]) -> Condition:
    return Condition.model_validate(data)


KI67_LT3 = {"field": "ki67_percent", "op": "lt", "value": 3}
MIT_LT2 = {"field": "mitoses_per_2mm2", "op": "lt", "value": 2}

KLEENE: list[tuple[dict[str, Any], dict[str, Any], bool | None]] = [
    ({"all": [KI67_LT3, MIT_LT2]}, {"ki67_percent": 1}, None),
    ({"all": [KI67_LT3, MIT_LT2]}, {"ki67_percent": 5}, False),  # one false decides all()
    ({"any": [KI67_LT3, MIT_LT2]}, {"ki67_percent": 1}, True),  # one true decides any()
    ({"any": [KI67_LT3, MIT_LT2]}, {"ki67_percent": 5}, None),
    ({"not": KI67_LT3}, {}, None),
    ({"not": KI67_LT3}, {"ki67_percent": "<1"}, False),
    ({"field": "ki67_percent", "op": "present"}, {}, False),
    ({"field": "ki67_percent", "op": "absent"}, {}, True),
    ({"field": "metastatic_sites", "op": "ne", "value": []}, {"metastatic_sites": []}, False),
    ({"field": "metastatic_sites", "op": "ne", "value": []}, {}, None),
    (
        {"field": "metastatic_sites", "op": "contains", "value": "liver"},
        {"metastatic_sites": ["Liver"]},
        True,
    ),
    (
        {"field": "histology", "op": "contains", "value": ["merkel"]},
        {"histology": "Merkel cell carcinoma"},
        True,
    ),
    ({"field": "msi_status", "op": "in", "value": ["MSS", "MSI-L"]}, {"msi_status": "mss"}, True),
    ({"field": "ki67_percent", "op": "between", "value": [3, 20]}, {"ki67_percent": "2-4"}, None),
    ({"field": "ki67_percent", "op": "eq", "value": 20}, {"ki67_percent": 20}, True),
    ({"field": "necrosis", "op": "eq", "value": True}, {"necrosis": "present"}, True),
    ({"field": "ki67_percent", "op": "gt", "value": 20}, {"ki67_percent": "unreadable"}, None),
]


@pytest.mark.parametrize(("tree", "values", "expected"), KLEENE, ids=[str(i) for i in range(len(KLEENE))])
def test_kleene(tree: dict[str, Any], values: dict[str, Any], expected: bool | None) -> None:
    verdict = evaluate(cond(tree), make_case(**values))
    assert verdict.value is expected
    assert bool(verdict.missing) == (expected is None)


BAD_CONDITIONS: list[dict[str, Any]] = [
    {"field": "ki67", "op": "lt", "value": 3},  # unknown field
    {"field": "ki67_percent", "op": "lt", "value": "3"},  # non-numeric comparison
    {"field": "ki67_percent", "op": "present", "value": 3},  # value on a valueless op
    {"field": "ki67_percent", "op": "between", "value": [3]},
    {"field": "ki67_percent", "op": "matches", "value": "x"},  # unknown op
    {"all": []},
    {"all": [KI67_LT3], "field": "ki67_percent", "op": "absent"},  # two shapes at once
]


@pytest.mark.parametrize("tree", BAD_CONDITIONS, ids=[str(i) for i in range(len(BAD_CONDITIONS))])
def test_bad_conditions_rejected(tree: dict[str, Any]) -> None:
    with pytest.raises(ValueError):
        cond(tree)


GOOD_RULE: dict[str, Any] = {
    "id": "demo.v1",
    "version": 1,
    "kind": "risk",
    "title": "Demo rule",
    "cards": ["x"],
    "condition": KI67_LT3,
    "met": {"patient": "Ki-67 is {ki67_percent}, low.", "clinician": "Ki-67 {ki67_percent} low."},
    "not_met": {"patient": "Ki-67 is {ki67_percent}, not low.", "clinician": "Ki-67 {ki67_percent} not low."},
}


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"id": "Demo"}, "name.v1"),
        ({"version": 2}, "does not match"),
        ({"not_met": None}, "not_met"),
        ({"met": {"patient": "Value {nonsense} here.", "clinician": "Value here, fine."}}, "placeholder"),
    ],
)
def test_bad_rules_rejected(change: dict[str, Any], message: str) -> None:
    data = {k: v for k, v in {**GOOD_RULE, **change}.items() if v is not None}
    with pytest.raises(ValueError, match=message):
        Rule.model_validate(data)


def test_binary_form_becomes_one_outcome() -> None:
    rule = Rule.model_validate(GOOD_RULE)
    assert len(rule.outcomes) == 1 and rule.outcomes[0].when is not None
    assert rule.inputs() == ["ki67_percent"]


def test_rule_file_name_must_match_id(tmp_path: Any) -> None:
    import yaml

    path = tmp_path / "other.v1.yaml"
    path.write_text(yaml.safe_dump(GOOD_RULE), encoding="utf-8")
    with pytest.raises(KnowledgeError, match="file name"):
        load_rule_file(path)
    bad = tmp_path / "demo.v1.yaml"
    bad.write_text("id: [unclosed", encoding="utf-8")
    with pytest.raises(KnowledgeError):
        load_rule_file(bad)

"""Trial tumour categories live in one data file and use the shared three-valued logic."""

from __future__ import annotations

import math

import pytest

from netnav.rules.logic import all_of, any_of, compare
from netnav.rules.values import Interval
from netnav.trials.schema import load_builtin, load_patterns
from netnav.trials.tumour import category_truth, load_categories, tumour_facts
from tests.trials.helpers import case, nec_case, pnet_case, sclc_case


def test_every_category_used_by_data_is_defined() -> None:
    defined = set(load_categories().categories)
    used = {p for t in load_builtin().trials for p in t.populations}
    for pattern in load_patterns().patterns:
        if pattern.field == "tumour_type" and isinstance(pattern.value, list):
            used.update(str(v) for v in pattern.value)
    assert used <= defined, used - defined


@pytest.mark.parametrize(
    ("profile", "category", "expected"),
    [
        (sclc_case(), "sclc", True),
        (sclc_case(), "ep_nec", False),
        (nec_case(), "ep_nec", True),
        (nec_case(), "gep_nec", True),
        (nec_case(), "lcnec", False),  # large-cell, but pancreatic: lcnec means lung
        (pnet_case(), "pnet", True),
        (pnet_case(), "nec", False),
        (pnet_case(), "any_nen", True),
        (case("x", histology="poorly differentiated neuroendocrine carcinoma"), "ep_nec", None),
        (case("x", histology="small cell carcinoma"), "sclc", None),  # site not recorded
        (case("x", primary_site="lung"), "sclc", None),  # no histology
    ],
)
def test_category_truth(profile: object, category: str, expected: bool | None) -> None:
    assert category_truth(tumour_facts(profile), category) is expected  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("iv", "op", "x", "expected"),
    [
        (Interval.point(8), "le", 20, True),
        (Interval(-math.inf, 1, True, True), "lt", 1, True),  # "<1" is below 1
        (Interval(-math.inf, 1, True, True), "lt", 2, True),
        (Interval(3, 5), "le", 4, None),  # a range straddling the cut-off is unknown
        (Interval(3, 5), "ge", 6, False),
        (Interval(1, 2), "eq", 1, None),
        (Interval.point(1), "eq", 1, True),
    ],
)
def test_compare_is_three_valued(iv: Interval, op: str, x: float, expected: bool | None) -> None:
    assert compare(iv, op, x) is expected


def test_kleene_combinators() -> None:
    assert all_of([True, None]) is None and all_of([None, False]) is False
    assert any_of([False, None]) is None and any_of([None, True]) is True

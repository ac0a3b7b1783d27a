"""Sentences that add no condition ("There is no limit on ...", an explaining NOTE) do not make a decided
criterion 'not understood'; a NOTE stating a rule of its own is kept. Criteria written for these tests."""

from __future__ import annotations

import pytest

from netnav.trials.asides import aside_spans
from netnav.trials.criteria import label_criterion
from tests.trials.helpers import nec_case, pnet_case

CHEMO = nec_case()  # carboplatin + etoposide
SSA = pnet_case()  # lanreotide


@pytest.mark.parametrize(
    ("text", "who", "label"),
    [
        (
            "At least one prior line of systemic therapy. There is no limit on prior hormonal therapy.",
            CHEMO,
            "met",
        ),
        (
            "At least one prior systemic regimen. No restriction on the number of prior regimens.",
            CHEMO,
            "met",
        ),
        ("Prior platinum-based chemotherapy. NOTE: platinum means cisplatin or carboplatin.", CHEMO, "met"),
        (
            "Prior treatment with a platinum agent. Note: as defined by the protocol, includes oxaliplatin.",
            CHEMO,
            "met",
        ),
        ("Previously treated with a somatostatin analogue (see Appendix C).", SSA, "met"),
        (
            "Previously treated with a somatostatin analogue. There are no limits on the duration of treatment.",
            SSA,
            "met",
        ),
    ],
)
def test_asides_do_not_undecide(text: str, who: object, label: str) -> None:
    got = label_criterion(text, "inclusion", who)  # type: ignore[arg-type]
    assert got.label == label, got.reason
    assert "not understood" not in got.reason


@pytest.mark.parametrize(
    ("text", "aside"),
    [
        (
            "Prior platinum. There is no limit on prior hormonal therapy.",
            "There is no limit on prior hormonal therapy.",
        ),
        (
            "Prior platinum. NOTE: measurable disease is defined by RECIST 1.1.",
            "NOTE: measurable disease is defined by RECIST 1.1.",
        ),
        ("Prior platinum. Note: patients with treated brain metastases are eligible.", None),  # a rule, kept
        ("There is no limit on prior therapy", None),  # the criterion itself is never an aside
        ("Prior SSA (see section 5.2) is required", "(see section 5.2)"),
    ],
)
def test_aside_spans(text: str, aside: str | None) -> None:
    spans = aside_spans(text)
    found = [text[a:b].strip() for a, b in spans]
    assert found == ([] if aside is None else [aside])

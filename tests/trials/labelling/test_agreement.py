"""The agreement script reads label files in the usual shapes and measures what it says."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from tests.trials.labelling.agreement import measure, read_rows

PNET = "lc02-pnet-g2-progressed-ssa"
ROWS: list[dict[str, Any]] = [
    {
        "case_id": PNET,
        "kind": "inclusion",
        "text": "ECOG performance status 0-1",
        "label": "met",
    },
    {
        "case_id": PNET,
        "kind": "inclusion",
        "text": "Age 18 years or older",
        "label": "met",
    },
    {
        "case_id": "lc06-merkel-untreated",
        "kind": "inclusion",
        "text": "ECOG performance status 0-1",
        "label": "met",
    },
    {
        "case_id": PNET,
        "kind": "exclusion",
        "text": "Adequate bone marrow reserve",
        "label": "insufficient_info",
        "understood": False,
    },
    {"case_id": "nobody", "kind": "inclusion", "text": "x", "label": "met"},
]


def test_measure_counts_agreement_and_insufficient_share() -> None:
    result = measure(ROWS)
    assert result["labelled"] == 4 and result["skipped_rows"] == 1
    assert result["understood_by_labeller"] == 3
    # the Merkel case has ECOG 2: the matcher says not_met, the (deliberately wrong) label says met
    assert result["agreement_on_understood"] == round(2 / 3, 4)
    assert result["matcher_insufficient_info_share"] == 0.25
    assert result["disagreements"][0]["case_id"] == "lc06-merkel-untreated"


def test_reads_jsonl_json_and_csv(tmp_path: Path) -> None:
    jsonl = tmp_path / "l.jsonl"
    jsonl.write_text("".join(json.dumps(r) + "\n" for r in ROWS[:2]))
    as_list = tmp_path / "l.json"
    as_list.write_text(json.dumps(ROWS[:2]))
    as_csv = tmp_path / "l.csv"
    as_csv.write_text("Case,Section,Criterion,Label\nlc02-pnet-g2-progressed-ssa,Inclusion,ECOG 0-1,met\n")
    assert len(read_rows(jsonl)) == len(read_rows(as_list)) == 2
    assert measure(read_rows(as_csv))["labelled"] == 1

"""Real-world-style report cases: ../shared/eval/real-world (extraction cases), our own cases by fault kind
(tests/records/realworld/<kind>/) and a held-out set (tests/records/realworld_heldout/, not tuned to).

Each case must give its expected fields, report no stated negative as positive, keep superseded values as
history and mark the specimen of biomarker values (see netnav.records.evalcases for the file format).
"""

from __future__ import annotations

from pathlib import Path

import pytest

from netnav.records.evalcases import EvalCase, load_cases, run_case, summarise
from tests.records.helpers import EVAL_REPORTS, SHARED

HERE = Path(__file__).resolve().parent
REAL_WORLD = SHARED / "eval" / "real-world"
OWN, HELD_OUT = HERE / "realworld", HERE / "realworld_heldout"


def _cases(folder: Path) -> list[EvalCase]:
    return load_cases(folder) if folder.is_dir() else []


def _check(case: EvalCase) -> None:
    result = run_case(case)
    assert result.score.errors == []
    assert result.false_positives == []
    assert result.missing_history == []


@pytest.mark.parametrize("case", _cases(REAL_WORLD), ids=lambda c: c.name)
def test_shared_real_world_case(case: EvalCase) -> None:
    _check(case)


def test_shared_real_world_cases_are_present() -> None:
    if not REAL_WORLD.is_dir():
        pytest.skip(f"shared material not found at {REAL_WORLD}")
    assert len(_cases(REAL_WORLD)) >= 14


@pytest.mark.parametrize("case", _cases(OWN) + _cases(HELD_OUT), ids=lambda c: f"{c.kind}/{c.name}")
def test_own_real_world_case(case: EvalCase) -> None:
    _check(case)


def test_own_cases_cover_every_kind_and_meet_the_targets() -> None:
    cases = _cases(OWN) + _cases(HELD_OUT)
    assert len(cases) >= 40
    assert {c.kind for c in cases} >= {"negation", "scope", "status", "precedence", "layout", "vocabulary"}
    extra = _cases(EVAL_REPORTS) if EVAL_REPORTS.is_dir() else []
    summary = summarise([run_case(c) for c in cases + extra])
    assert summary["overall"]["precision"] >= 0.99, summary["errors"]
    assert summary["overall"]["recall"] >= 0.95, summary["errors"]
    assert summary["negatives_reported_positive"] == []


@pytest.mark.parametrize("case", _cases(OWN), ids=lambda c: c.name)
def test_values_point_at_their_source_line(case: EvalCase) -> None:
    """Text reports: every value and every negative quotes a part of the line it cites."""
    from netnav.records import extract_case

    if any(p.suffix == ".json" for p in case.inputs):
        pytest.skip("FHIR values quote '<display>: <value>', not a line of the file")
    profile = extract_case(list(case.inputs))
    texts = {p.name: p.read_text(encoding="utf-8").splitlines() for p in case.inputs}
    for name, fv in profile.fields.items():
        assert fv.text and fv.text in texts[fv.source][fv.line - 1], name
        for h in fv.history:
            assert 1 <= h.line <= len(texts[h.source]), name
    for neg in profile.negated:
        assert neg.text in texts[str(neg.source)][neg.line - 1], neg.field


def test_blood_tmb_is_not_the_tissue_tmb_of_the_pembrolizumab_approval() -> None:
    """A liquid-biopsy TMB of 14 is recorded with specimen 'blood' and does not meet the TMB-H rule."""
    from netnav.records import extract_text
    from netnav.rules import assess

    blood = "LIQUID BIOPSY\nSpecimen: peripheral blood (cell-free DNA)\nBlood Tumor Mutational Burden: 14 Muts/Mb\n"
    tissue = "MOLECULAR REPORT\nSpecimen: FFPE block A1, liver biopsy\nTumor Mutational Burden: 14 Muts/Mb\n"
    rule = "io-tmb-high-pembrolizumab.v1"
    statuses = {}
    for name, text in (("blood", blood), ("tissue", tissue)):
        case = extract_text(text, f"{name}.txt")
        assert case.fields["tmb_mut_per_mb"].specimen == name
        statuses[name] = next(f for f in assess(case, audience="clinician").findings if f.rule_id == rule)
    assert statuses["tissue"].status == "met"
    assert statuses["blood"].status == "unknown"
    assert "blood" in statuses["blood"].statement.lower()


def test_assess_text_and_case_markdown_show_negatives_and_history() -> None:
    from netnav.cli.assess import render_text
    from netnav.records import extract_text
    from netnav.rules import assess
    from netnav.web.markdown import case_markdown

    text = (
        "PANCREAS, RESECTION:\nWell-differentiated neuroendocrine tumor, WHO grade 1, Ki-67 2%.\n"
        "Negative for: RET and NTRK1 fusions.\n\nADDENDUM:\nKi-67 repeated on block A2: 9%. WHO grade 2.\n"
    )
    assessment = assess(extract_text(text, "r.txt"), audience="clinician")
    shown = render_text(assessment)
    assert "gene_alterations: RET" in shown and "gene_alterations: NTRK1" in shown
    assert "earlier: 2" in shown and "superseded by r.txt:6" in shown
    md = case_markdown(assessment, [])
    assert "earlier value 2" in md and "Stated as negative or absent" in md

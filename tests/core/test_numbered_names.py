"""A question about a numbered name (NETTER-1, RADIANT-4, CheckMate 214) is not answered from a sibling's
passages (NETTER-2): the tokenizer drops the number, so without this BM25 and the encoder see the
two trials as one."""

from __future__ import annotations

from pathlib import Path

import pytest

from netnav.engine import Engine
from netnav.retrieve import analyze, hybrid_search
from netnav.retrieve.names import NumberedName, conflicts, numbered_names
from netnav.retrieve.search import Fusion
from netnav.testing import HashEmbedder


@pytest.mark.parametrize(
    ("question", "expected"),
    [
        ("NETTER-1: PFS benefit and main toxicities?", {("netter", "1")}),
        ("what did netter-1 show for my dad's carcinoid", {("netter", "1")}),
        ("Is NETTER 2 a positive trial?", {("netter", "2")}),
        ("CheckMate 214 results in neuroendocrine tumours", {("checkmate", "214")}),
        ("KEYNOTE-158 and TMB-high tumours", {("keynote", "158")}),
        ("RADIANT-4 vs RADIANT-3: which tumours?", {("radiant", "4"), ("radiant", "3")}),
        ("does MEN-1 raise the risk of a pancreatic NET", {("men", "1")}),
        ("What is a grade 3 NET?", set()),
        ("Ki-67 of 20%, what does it mean", set()),
        ("Is the WHO 2019 grading still used?", set()),
        ("my mum is over 60 and had 4 cycles of lutathera", set()),
        ("HR 0.21 in the trial", set()),
    ],
)
def test_numbered_names_in_questions(question: str, expected: set[tuple[str, str]]) -> None:
    assert numbered_names(question) == {NumberedName(n, d) for n, d in expected}


@pytest.mark.parametrize(
    ("question", "text", "expected"),
    [
        ("NETTER-1 PFS?", "In NETTER-2, median PFS was 22.8 months.", True),
        ("NETTER-1 PFS?", "NETTER-1 and NETTER-2 both used 177Lu-DOTATATE.", False),
        ("NETTER-1 PFS?", "In NETTER-1 the hazard ratio was 0.21.", False),
        ("NETTER-1 PFS?", "Lutathera is given every 8 weeks.", False),
        ("netter 1 results", "NETTER-2 enrolled grade 2-3 tumours.", False),  # 'netter 1' is not a name
        ("RADIANT-4 lung carcinoid", "RADIANT-3 enrolled pancreatic NETs only.", True),
        ("CheckMate 214 NET cohort", "In CheckMate 227, nivolumab plus ipilimumab ...", True),
    ],
)
def test_a_sibling_only_passage_conflicts(question: str, text: str, expected: bool) -> None:
    assert conflicts(numbered_names(question), text) is expected


def _write(folder: Path) -> None:
    folder.mkdir()
    docs = {
        "n2-pfs": "In NETTER-2, progression-free survival (PFS) benefit was large and toxicities were mild; "
        "PFS benefit and main toxicities of NETTER-2 are described here.",
        "n2-safety": "NETTER-2 safety: the main toxicities were nausea and fatigue; PFS benefit held.",
        "n2-design": "NETTER-2 design: PFS was the primary endpoint; toxicities were recorded.",
        "n1-pfs": "In NETTER-1, the hazard ratio for progression was 0.21 versus high-dose octreotide.",
        "both": "NETTER-1 and NETTER-2 compared PFS with 177Lu-DOTATATE against octreotide.",
        "other": "Everolimus improved progression in RADIANT-4 for lung and GI tumours.",
    }
    for name, text in docs.items():
        (folder / f"{name}.md").write_text(f"# {name}\n\n{text}\n", encoding="utf-8")


@pytest.mark.parametrize("fusion", ["rrf", "convex"])
def test_a_sibling_trials_passages_rank_after_the_asked_trials(tmp_path: Path, fusion: Fusion) -> None:
    _write(tmp_path / "docs")
    engine = Engine(tmp_path / "home", embedder=HashEmbedder())
    engine.ingest([tmp_path / "docs"], kind="research")
    index = engine.current_index()
    question = "NETTER-1: PFS benefit and main toxicities?"
    analysis = analyze(question, index.vocabulary())
    found = hybrid_search(
        index, engine.store, analysis, engine.embedder.embed([question])[0], k=30, fusion=fusion
    )
    ours = [c.doc.title for c in found if c.doc.kind == "research"]
    assert {"n1-pfs", "both"} <= set(ours)
    last_asked = max(ours.index("n1-pfs"), ours.index("both"))
    for sibling in ("n2-pfs", "n2-safety", "n2-design"):
        if sibling in ours:
            assert ours.index(sibling) > last_asked, ours
    engine.close()

"""Near-duplicate passages (boilerplate repeated across documents) take one retrieval slot, not several."""

from __future__ import annotations

from pathlib import Path

import pytest

from netnav.engine import Engine
from netnav.retrieve import analyze, hybrid_search
from netnav.testing import HashEmbedder

BOILERPLATE = (
    "The summaries are reviewed regularly and updated as new information becomes available. This "
    "section describes the latest changes made to this summary as of the date above. Editorial "
    "changes were made to this summary about octreotide scans."
)


def _write(folder: Path, n: int) -> None:
    folder.mkdir()
    for i in range(n):
        (folder / f"summary-{i}.md").write_text(
            f"# Summary {i}\n\n## Topic {i}\n\nTopic {i} covers octreotide scan practice number {i} "
            f"in plain words for readers of summary {i}.\n\n## Latest updates ({i:02d}/05/2025)\n\n"
            f"{BOILERPLATE}\n",
            encoding="utf-8",
        )


@pytest.mark.parametrize("fusion", ["rrf", "convex"])
def test_boilerplate_repeated_across_documents_is_returned_once(tmp_path: Path, fusion: str) -> None:
    _write(tmp_path / "docs", 6)
    engine = Engine(tmp_path / "home", embedder=HashEmbedder())
    engine.ingest([tmp_path / "docs"])
    index = engine.current_index()
    question = "What changed in the latest updates to the octreotide scan summaries?"
    analysis = analyze(question, index.vocabulary())
    qvec = engine.embedder.embed([question])[0]
    found = hybrid_search(index, engine.store, analysis, qvec, k=8, fusion=fusion)  # type: ignore[arg-type]
    boiler = [c for c in found if "Editorial changes" in c.passage.text]
    assert len(boiler) == 1
    assert len(found) == 8  # the freed slots go to other passages
    engine.close()

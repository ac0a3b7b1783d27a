"""The NCI PDQ summaries in the shared data parse into sensible passages (skipped without ../shared)."""

from __future__ import annotations

import time

import pytest

from netnav.ingest import iter_input_files, parse_file
from tests.ingest.ingest_helpers import SHARED, assert_offsets


def test_every_pdq_file_parses_sensibly() -> None:
    folder = SHARED / "data" / "nci_pdq"
    if not folder.is_dir():
        pytest.skip(f"shared data not found at {folder}")
    files = [f for f in iter_input_files([folder]) if f.name != "PROVENANCE.md"]
    assert len(files) >= 16
    started = time.perf_counter()
    for path in files:
        parsed = parse_file(path, kind="guideline")
        assert_offsets(parsed)
        doc = parsed.document
        assert doc.kind == "guideline" and doc.identifiers["url"].startswith("https://www.cancer.gov/")
        assert doc.title and "PDQ" in doc.title or "NCI" in doc.title
        words = [len(p.text.split()) for p in parsed.passages]
        assert max(words) <= 400
        assert all(p.section for p in parsed.passages)
        assert all("](" not in p.text and "list_uids=" not in p.text for p in parsed.passages)
        if "-hp-" in path.name and path.stat().st_size > 30_000:
            assert len(parsed.passages) > 20, path.name
            assert sum(words) / len(words) >= 40
    assert time.perf_counter() - started < 20

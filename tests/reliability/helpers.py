"""Helpers for the reliability tests: a generated document corpus and store consistency checks."""

from __future__ import annotations

import random
import shutil
import sqlite3
from pathlib import Path

from netnav.ingest import parse_file

WORDS = [
    "tumor",
    "grade",
    "pancreas",
    "somatostatin",
    "lanreotide",
    "octreotide",
    "liver",
    "surgery",
    "imaging",
    "chromogranin",
    "serotonin",
    "carcinoid",
    "syndrome",
    "flushing",
    "diarrhea",
    "ileum",
    "mesentery",
    "everolimus",
    "sunitinib",
    "PRRT",
    "receptor",
    "Ki-67",
    "mitotic",
    "metastases",
    "resection",
    "follow-up",
]


def make_corpus(
    folder: Path, n_docs: int, sections: int = 3, paragraphs: int = 2, seed: int = 0
) -> list[Path]:
    """`n_docs` distinct Markdown documents, each cut into sections x paragraphs passages."""
    rng = random.Random(seed)
    folder.mkdir(parents=True, exist_ok=True)
    paths = []
    for d in range(n_docs):
        parts = [f"# Generated document {seed}-{d}\n"]
        for s in range(sections):
            parts.append(f"## Section {s} of document {d}\n")
            for k in range(paragraphs):
                body = " ".join(rng.choice(WORDS) for _ in range(60))
                parts.append(f"{body}. Document {seed}-{d} paragraph {s}-{k}.\n")
        path = folder / f"doc-{seed}-{d:04d}.md"
        path.write_text("\n".join(parts), encoding="utf-8")
        paths.append(path)
    return paths


def seed_embedding_cache(src_home: Path, dst_home: Path) -> None:
    """Reuse the built-in cards' cached vectors so a test home does not re-run the model on them."""
    dst_home.mkdir(parents=True, exist_ok=True)
    src = src_home / "embeddings.sqlite3"
    if src.is_file():
        con = sqlite3.connect(str(src))
        con.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        con.close()
        shutil.copy(src, dst_home / "embeddings.sqlite3")


def check_store(db_path: Path, corpus: list[Path] | None = None) -> dict[str, int]:
    """Assert the store is consistent; with `corpus`, every stored file's document is whole.

    Returns {source_path: passages stored} for the corpus documents present.
    """
    con = sqlite3.connect(str(db_path), timeout=30)
    try:
        assert con.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
        assert con.execute("PRAGMA foreign_key_check").fetchall() == []
        orphans = con.execute(
            "SELECT COUNT(*) FROM passages p LEFT JOIN documents d ON d.id = p.doc_id WHERE d.id IS NULL"
        ).fetchone()[0]
        assert orphans == 0, f"{orphans} passages without their document"
        empty = con.execute(
            "SELECT d.id FROM documents d LEFT JOIN passages p ON p.doc_id = d.id WHERE p.id IS NULL"
        ).fetchall()
        assert empty == [], f"documents without passages: {empty}"
        present: dict[str, int] = {}
        for path in corpus or []:
            parsed = parse_file(path)
            row = con.execute("SELECT id FROM documents WHERE id=?", (parsed.document.id,)).fetchone()
            if row is None:
                continue
            stored = {
                r[0] for r in con.execute("SELECT id FROM passages WHERE doc_id=?", (parsed.document.id,))
            }
            assert stored == {p.id for p in parsed.passages}, f"{path.name} is stored partially"
            present[str(path)] = len(stored)
        return present
    finally:
        con.close()

"""The dump folder: a manifest plus JSON-lines files and one vector matrix, each with its checksum.

    manifest.json        format, created_at, source backend, embedding model, counts, sha256 per file
    documents.jsonl      one line per document: {"document", "builtin", "owner", "added_at", "passages"}
    vectors.npy          float32 [passages, dim], row i = the passage on line i of vector_keys.jsonl
    vector_keys.jsonl    one line per vector: [passage id, sha256 of the text embedded]
    saved_cases.jsonl    one line per saved case: {"case", "reports", "corrections"} (raw rows)
    session_cases.jsonl  one line per session case: [session digest, case id, profile JSON, saved_at]
    trials.jsonl         one line per ingested trial record (the registry's JSON)

A dump is written into a temporary folder beside the target and renamed into place when complete, so
an interrupted export leaves no partial dump. Reading checks every file's checksum before anything is
imported (a damaged dump changes nothing).
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import Any

from pydantic import Field

from netnav.errors import BadInputError
from netnav.types.base import Frozen

FORMAT = "netnav-dump/1"
FILES = (
    "documents.jsonl",
    "vectors.npy",
    "vector_keys.jsonl",
    "saved_cases.jsonl",
    "session_cases.jsonl",
    "trials.jsonl",
)


class DumpError(BadInputError):
    """The folder is not a complete, undamaged NETNav dump (or the target folder is not empty)."""


class Manifest(Frozen):
    """What a dump holds: `counts` per kind (documents, passages, vectors, saved_cases, case_reports,
    case_corrections, session_cases, trials) and `sha256` per file."""

    format: str = FORMAT
    created_at: str
    source_backend: str
    model_id: str | None = None
    dim: int | None = None
    counts: dict[str, int] = Field(default_factory=dict)
    sha256: dict[str, str] = Field(default_factory=dict)


def sha256_of(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def write_lines(path: Path, rows: Iterable[Any]) -> int:
    """Write one JSON value per line; returns how many."""
    count = 0
    with path.open("w", encoding="utf-8") as handle:
        for row in rows:
            handle.write(json.dumps(row, ensure_ascii=False, separators=(",", ":")) + "\n")
            count += 1
    return count


def read_lines(path: Path) -> Iterator[Any]:
    with path.open(encoding="utf-8") as handle:
        for line in handle:
            if line.strip():
                yield json.loads(line)


def staging_dir(target: Path) -> Path:
    """A fresh temporary folder beside `target` (refuses a target that exists and is not empty)."""
    if target.exists() and (not target.is_dir() or any(target.iterdir())):
        raise DumpError(f"{target} already exists and is not an empty folder; choose a new folder")
    target.parent.mkdir(parents=True, exist_ok=True)
    staging = target.parent / f".{target.name}.partial"
    shutil.rmtree(staging, ignore_errors=True)
    staging.mkdir(mode=0o700)
    return staging


def finish(staging: Path, target: Path, manifest: Manifest) -> None:
    """Write the manifest (with checksums) last and move the complete dump into place."""
    sums = {name: sha256_of(staging / name) for name in FILES if (staging / name).is_file()}
    final = manifest.model_copy(update={"sha256": sums})
    (staging / "manifest.json").write_text(final.model_dump_json(indent=2), encoding="utf-8")
    if target.exists():
        target.rmdir()
    os.replace(staging, target)


def open_dump(folder: Path) -> Manifest:
    """The manifest of a complete dump whose files all match their checksums (raises DumpError)."""
    path = folder / "manifest.json"
    if not path.is_file():
        raise DumpError(f"{folder} is not a NETNav dump (no manifest.json)")
    try:
        manifest = Manifest.model_validate_json(path.read_text(encoding="utf-8"))
    except ValueError as exc:
        raise DumpError(f"the dump manifest in {folder} cannot be read") from exc
    if manifest.format != FORMAT:
        raise DumpError(f"unsupported dump format {manifest.format!r} (this NETNav reads {FORMAT})")
    for name in FILES:
        expected = manifest.sha256.get(name)
        if expected is None or not (folder / name).is_file() or sha256_of(folder / name) != expected:
            raise DumpError(f"the dump file {name} is missing or damaged; nothing was imported")
    return manifest

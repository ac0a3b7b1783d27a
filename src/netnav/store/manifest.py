"""The search index's manifest: what was written (row count, store fingerprint and generation, model,
SHA-256 of every file), checked whenever the index is loaded.

    manifest.json = {"format": 1, "fingerprint": "<passages>-g<generation>", "generation": int,
                     "model_id": str, "rows": int, "dim": int, "files": {"relative/path": "sha256 hex"}}

It is written last into the temporary folder, so a folder without it never finished being written.
Any difference (a missing, truncated, replaced or reordered file, a wrong row count) raises
IndexIntegrityError; the engine then rebuilds the index from the store and says so.
"""

from __future__ import annotations

import hashlib
import json
import re
from pathlib import Path
from typing import Any

from netnav.errors import StoreError

MANIFEST = "manifest.json"
FORMAT = 1
_CHUNK = 1 << 20
_GENERATION = re.compile(r"-g(\d+)$")


class IndexIntegrityError(StoreError):
    """The search index on disk does not match its manifest (damaged, partial or edited)."""


def generation_of(fingerprint: str) -> int:
    """The store generation inside a fingerprint ("1234-g56" -> 56); 0 when it has none."""
    match = _GENERATION.search(fingerprint)
    return int(match.group(1)) if match else 0


def file_sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        while chunk := handle.read(_CHUNK):
            digest.update(chunk)
    return digest.hexdigest()


def _files(folder: Path) -> dict[str, str]:
    return {
        p.relative_to(folder).as_posix(): file_sha256(p)
        for p in sorted(folder.rglob("*"))
        if p.is_file() and p.name != MANIFEST
    }


def write_manifest(folder: Path, fingerprint: str, model_id: str, rows: int, dim: int) -> None:
    body = {
        "format": FORMAT,
        "fingerprint": fingerprint,
        "generation": generation_of(fingerprint),
        "model_id": model_id,
        "rows": rows,
        "dim": dim,
        "files": _files(folder),
    }
    (folder / MANIFEST).write_text(json.dumps(body, indent=1), encoding="utf-8")


def read_manifest(folder: Path) -> dict[str, Any]:
    """The manifest, after checking every listed file's checksum (and that no file is missing)."""
    path = folder / MANIFEST
    try:
        body = json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError as exc:
        raise IndexIntegrityError(f"search index at {folder} has no manifest (incomplete or old)") from exc
    except (OSError, ValueError) as exc:
        raise IndexIntegrityError(f"search index manifest {path} is unreadable") from exc
    if not isinstance(body, dict) or body.get("format") != FORMAT or not isinstance(body.get("files"), dict):
        raise IndexIntegrityError(f"search index manifest {path} is not a format-{FORMAT} manifest")
    try:
        actual = _files(folder)
    except OSError as exc:
        raise IndexIntegrityError(f"search index at {folder} cannot be read: {exc.strerror}") from exc
    expected: dict[str, str] = body["files"]
    missing = sorted(set(expected) - set(actual))
    changed = sorted(name for name in expected if name in actual and actual[name] != expected[name])
    if missing or changed:
        what = ", ".join([f"{n} missing" for n in missing] + [f"{n} changed" for n in changed])
        raise IndexIntegrityError(f"search index at {folder} does not match its manifest ({what})")
    return body


def check_rows(body: dict[str, Any], ids: list[str], counts: dict[str, int]) -> None:
    """Every part of the index describes the same number of passages, each id once."""
    rows = body.get("rows")
    wrong = {name: n for name, n in counts.items() if n != rows}
    if len(ids) != rows or wrong:
        raise IndexIntegrityError(f"search index rows disagree: manifest {rows}, ids {len(ids)}, {wrong}")
    if len(set(ids)) != len(ids):
        raise IndexIntegrityError("search index lists a passage id twice")

"""The search index's manifest: what was written (row count, store fingerprint and generation, model,
SHA-256 of every file), checked whenever the index is loaded.

    manifest.json = {"format": 1, "fingerprint": "<passages>-g<generation>", "generation": int,
                     "model_id": str, "rows": int, "dim": int, "files": {"relative/path": "sha256 hex"}}

It is written last into the temporary folder, so a folder without it never finished being written.
Any difference (a missing, truncated, replaced or reordered file, a wrong row count) raises
IndexIntegrityError; the engine then rebuilds the index from the store and says so.

Cheap re-checks (verified.json beside the manifest): hashing every file costs O(index size) at every
start, so once a folder has been verified, the stamp of each file (size, mtime_ns, ctime_ns, inode) and
the manifest's own digest are recorded; a later load whose stamps all match skips the hashing. Any
write to a file changes its ctime, which no program can set back (unlike mtime, which `touch`/utime
can restore), so a same-size garbage write with the old mtime restored is still re-hashed and caught.
What a stamp cannot see is damage below the file system (bit rot on the disk itself); the row-count
and id checks run on every load regardless. Copying or restoring a home changes inodes and ctimes:
the first load after that hashes everything once. A home that cannot be written keeps hashing.
"""

from __future__ import annotations

import hashlib
import json
import os
import re
from pathlib import Path
from typing import Any

from netnav.errors import StoreError

MANIFEST = "manifest.json"
VERIFIED = "verified.json"  # stamps of the last full verification; not part of the manifest
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
        if p.is_file() and p.name not in (MANIFEST, VERIFIED)
    }


def _stamps(folder: Path) -> dict[str, list[int]]:
    """relative path -> [size, mtime_ns, ctime_ns, inode] of every file except the verification record."""
    out: dict[str, list[int]] = {}
    for p in sorted(folder.rglob("*")):
        if p.name == VERIFIED or not p.is_file():
            continue
        st = p.stat()
        out[p.relative_to(folder).as_posix()] = [st.st_size, st.st_mtime_ns, st.st_ctime_ns, st.st_ino]
    return out


def _stamp_record(folder: Path, manifest_text: str) -> dict[str, Any]:
    digest = hashlib.sha256(manifest_text.encode("utf-8")).hexdigest()
    return {"manifest_sha256": digest, "stamps": _stamps(folder)}


def _already_verified(folder: Path, manifest_text: str) -> bool:
    try:
        recorded = json.loads((folder / VERIFIED).read_text(encoding="utf-8"))
        return bool(recorded == _stamp_record(folder, manifest_text))
    except (OSError, ValueError):
        return False


def record_verified(folder: Path) -> None:
    """Record the stamps of a folder whose files were just verified (or written); best effort: a home
    that cannot be written simply verifies in full next time."""
    try:
        text = (folder / MANIFEST).read_text(encoding="utf-8")
        body = json.dumps(_stamp_record(folder, text))
        tmp = folder / (VERIFIED + ".tmp")
        tmp.write_text(body, encoding="utf-8")
        os.replace(tmp, folder / VERIFIED)
    except OSError:
        return


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
    """The manifest, after checking every listed file's checksum (and that no file is missing) — or,
    when every file's stamp matches the last full verification (see the module docstring), without
    re-hashing."""
    path = folder / MANIFEST
    try:
        text = path.read_text(encoding="utf-8")
        body = json.loads(text)
    except FileNotFoundError as exc:
        raise IndexIntegrityError(f"search index at {folder} has no manifest (incomplete or old)") from exc
    except (OSError, ValueError) as exc:
        raise IndexIntegrityError(f"search index manifest {path} is unreadable") from exc
    if not isinstance(body, dict) or body.get("format") != FORMAT or not isinstance(body.get("files"), dict):
        raise IndexIntegrityError(f"search index manifest {path} is not a format-{FORMAT} manifest")
    try:
        if _already_verified(folder, text):
            return body
    except OSError:
        pass
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
    record_verified(folder)
    return body


def check_rows(body: dict[str, Any], ids: list[str], counts: dict[str, int]) -> None:
    """Every part of the index describes the same number of passages, each id once."""
    rows = body.get("rows")
    wrong = {name: n for name, n in counts.items() if n != rows}
    if len(ids) != rows or wrong:
        raise IndexIntegrityError(f"search index rows disagree: manifest {rows}, ids {len(ids)}, {wrong}")
    if len(set(ids)) != len(ids):
        raise IndexIntegrityError("search index lists a passage id twice")

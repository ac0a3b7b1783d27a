"""Expand input paths into the list of files to ingest."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

from netnav.ingest.detect import EXTENSIONS


def iter_input_files(paths: Sequence[Path]) -> list[Path]:
    """Files named directly are kept as given (so errors about them are reported); directories are
    walked recursively in sorted order, skipping hidden entries and unknown extensions. Duplicates
    (same resolved path) are dropped, first occurrence wins."""
    seen: set[Path] = set()
    out: list[Path] = []
    for path in paths:
        path = Path(path)
        candidates = _walk(path, set()) if path.is_dir() else [path]
        for candidate in candidates:
            key = candidate.resolve()
            if key not in seen:
                seen.add(key)
                out.append(candidate)
    return out


def _walk(directory: Path, visited: set[Path]) -> list[Path]:
    found: list[Path] = []
    real = directory.resolve()
    if real in visited:  # symlink loop
        return found
    visited.add(real)
    try:
        entries = sorted(directory.iterdir(), key=lambda p: p.name)
    except OSError:
        return found
    for entry in entries:
        if entry.name.startswith("."):
            continue
        if entry.is_dir():
            found.extend(_walk(entry, visited))
        elif entry.is_file() and entry.suffix.lower() in EXTENSIONS:
            found.append(entry)
    return found

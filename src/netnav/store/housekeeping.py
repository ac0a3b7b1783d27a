"""Housekeeping around the search index: stray temporary folders, a store that went back in time.

Messages go to the "netnav" logger at WARNING (shown on stderr by the CLI even without logging set up);
they name files and counts, never document or report text.
"""

from __future__ import annotations

import logging
import shutil
import time
from pathlib import Path

from netnav.store.manifest import generation_of

log = logging.getLogger("netnav.store")
STRAY_AGE_S = 15 * 60  # an index is written in seconds (embedding happens before its folder exists)


def clean_stray_folders(index_dir: Path, now: float | None = None) -> int:
    """Remove `.index-*` temporary folders and `index.old` left by a crash; returns how many went.
    Recent temporary folders are kept: another process may be writing one right now."""
    parent = index_dir.parent
    if not parent.is_dir():
        return 0
    cutoff = (now or time.time()) - STRAY_AGE_S
    removed = 0
    for path in [*parent.glob(".index-*"), index_dir.with_name(index_dir.name + ".old")]:
        try:
            if path.is_dir() and path.stat().st_mtime < cutoff:
                shutil.rmtree(path)
                removed += 1
        except OSError:
            continue
    if removed:
        log.warning("removed %d unfinished search-index folder(s) left by an interrupted run", removed)
    return removed


def check_store_generation(index_fingerprint: str, store_fingerprint: str) -> bool:
    """False (and one warning) when the store is older than the index built from it: committed documents
    were lost, e.g. its write-ahead log (netnav.sqlite3-wal) was deleted or an old copy restored."""
    index_gen, store_gen = generation_of(index_fingerprint), generation_of(store_fingerprint)
    if index_gen > store_gen:
        log.warning(
            "the document store is older than its search index (write generation %d < %d): documents "
            "committed earlier are missing from netnav.sqlite3 (was netnav.sqlite3-wal deleted, or an old "
            "copy restored?). Answers now use only what the store holds; ingest the missing files again.",
            store_gen,
            index_gen,
        )
        return False
    return True

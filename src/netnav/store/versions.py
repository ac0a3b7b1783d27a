"""Versions of one FDA label (same SPL set id): the newest is current, older ones are superseded, and an
indication an older version had but the newest lacks is withdrawn (never reported as current).

Pure functions over small records; the store applies the result inside the write transaction.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass

from netnav.types.documents import DocStatus

_WORD = re.compile(r"[a-z0-9]+")
_STOP = frozenset(
    {
        "a",
        "an",
        "and",
        "or",
        "the",
        "of",
        "for",
        "with",
        "in",
        "to",
        "by",
        "as",
        "is",
        "are",
        "be",
        "who",
        "whose",
        "that",
        "this",
        "patients",
        "patient",
        "adult",
        "adults",
        "pediatric",
        "treatment",
        "indicated",
        "use",
        "used",
        "years",
        "older",
    }
)
SAME_INDICATION = 0.6  # share of an old indication's content words that must recur in one new indication


@dataclass(frozen=True)
class LabelVersion:
    """One stored version: document id, SPL version number, effective date (YYYYMMDD) and indications."""

    doc_id: str
    version: int
    effective: str
    indications: tuple[str, ...]


@dataclass(frozen=True)
class VersionStatus:
    status: DocStatus
    superseded_by: str | None
    withdrawn_indications: tuple[str, ...]


def version_of(version: str | None, meta: dict[str, str], doc_id: str) -> LabelVersion:
    """A LabelVersion from stored fields (unparseable version numbers count as 0)."""
    try:
        number = int(version or 0)
    except ValueError:
        number = 0
    try:
        indications = tuple(str(x) for x in json.loads(meta.get("indications", "[]")))
    except (ValueError, TypeError):
        indications = ()
    return LabelVersion(doc_id, number, meta.get("effectiveTime", ""), indications)


def _words(text: str) -> set[str]:
    return {w for w in _WORD.findall(text.lower()) if w not in _STOP and len(w) > 2}


def still_listed(old: str, newer: tuple[str, ...]) -> bool:
    """True when a newer indication covers the old one (most of its content words recur)."""
    words = _words(old)
    if not words:
        return True
    return any(len(words & _words(new)) / len(words) >= SAME_INDICATION for new in newer)


def reconcile(versions: list[LabelVersion]) -> dict[str, VersionStatus]:
    """Status of every version: newest (highest version, then latest effective date) current; the rest
    superseded, or withdrawn when they list an indication the newest no longer has."""
    if not versions:
        return {}
    newest = max(versions, key=lambda v: (v.version, v.effective, v.doc_id))
    out: dict[str, VersionStatus] = {}
    removed_all: list[str] = []
    for v in versions:
        if v.doc_id == newest.doc_id:
            continue
        removed = tuple(
            i for i in v.indications if newest.indications and not still_listed(i, newest.indications)
        )
        removed_all.extend(r for r in removed if r not in removed_all)
        out[v.doc_id] = VersionStatus("withdrawn" if removed else "superseded", newest.doc_id, removed)
    out[newest.doc_id] = VersionStatus("current", None, tuple(removed_all))
    return out

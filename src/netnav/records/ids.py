"""Stable case ids: a hash of the inputs' names and contents."""

from __future__ import annotations

import hashlib
from collections.abc import Sequence

from netnav.records.reader import SourceText


def case_id_for(sources: Sequence[SourceText]) -> str:
    h = hashlib.sha256()
    for src in sorted(sources, key=lambda s: s.name):
        h.update(src.name.encode("utf-8") + b"\x00")
        h.update("\n".join(src.lines).encode("utf-8") + b"\x01")
    return "case-" + h.hexdigest()[:16]

"""Per-process limits for parsing untrusted files (set by a job's worker process, see netnav.jobs).

- max_pages: a PDF with more pages is refused.
- max_decompressed_bytes: the decompressed content streams of one PDF, summed over its pages, may not
  exceed this (pages sharing one large compressed stream multiply the work; this bounds it).
Outside a job the defaults below apply (the same as netnav.types.jobs.JobLimits).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from netnav.errors import CorruptFileError, FileTooLargeError


@dataclass
class _Limits:
    max_pages: int = 1000
    max_decompressed_bytes: int = 64 * 1024**2


LIMITS = _Limits()


def configure(max_pages: int, max_decompressed_bytes: int) -> None:
    LIMITS.max_pages = max_pages
    LIMITS.max_decompressed_bytes = max_decompressed_bytes


def check_pages(count: int) -> None:
    if count > LIMITS.max_pages:
        raise FileTooLargeError(f"PDF too long: {count} pages (the limit is {LIMITS.max_pages})")


class DecompressedBudget:
    """Counts decompressed bytes of one file; raises FileTooLargeError past the limit."""

    def __init__(self) -> None:
        self.used = 0

    def spend(self, n: int) -> None:
        self.used += n
        if self.used > LIMITS.max_decompressed_bytes:
            raise FileTooLargeError(
                f"PDF too large once decompressed: over {LIMITS.max_decompressed_bytes} bytes of page content"
            )


#: JSON nesting limit for request bodies and uploaded JSON files. FHIR R4 Bundles and ClinicalTrials.gov
#: v2 records nest about 10-15 levels; Python's json module fails with RecursionError near 1,000.
MAX_JSON_DEPTH = 64
_JSON_SPECIAL = re.compile(rb'["\\\[\]{}]')


class JsonTooDeepError(CorruptFileError):
    """JSON nested deeper than MAX_JSON_DEPTH (HTTP 422, CLI exit 2)."""


class JsonDepthScanner:
    """Tracks the nesting depth of a JSON text fed in chunks (bytes, any split), without parsing it.
    Brackets inside strings (with their backslash escapes) do not count. Raises JsonTooDeepError as soon
    as the depth passes `limit`. Malformed JSON is not judged here (the parser does that)."""

    def __init__(self, limit: int = MAX_JSON_DEPTH) -> None:
        self.limit = limit
        self.depth = 0
        self.max_depth = 0
        self._in_string = False
        self._escaped_at = -1
        self._offset = 0

    def feed(self, chunk: bytes) -> None:
        base = self._offset
        for match in _JSON_SPECIAL.finditer(chunk):
            pos = base + match.start()
            char = chunk[match.start()]
            if self._in_string:
                if pos == self._escaped_at:
                    continue
                if char == 0x5C:  # backslash: the next byte is escaped
                    self._escaped_at = pos + 1
                elif char == 0x22:
                    self._in_string = False
            elif char == 0x22:
                self._in_string = True
            elif char in (0x5B, 0x7B):
                self.depth += 1
                self.max_depth = max(self.max_depth, self.depth)
                if self.depth > self.limit:
                    raise JsonTooDeepError(f"JSON nested too deeply (more than {self.limit} levels)")
            else:
                self.depth -= 1
        self._offset += len(chunk)


def check_json_depth(data: bytes | str, limit: int = MAX_JSON_DEPTH) -> None:
    """Raise JsonTooDeepError when `data` nests deeper than `limit` (call before json.loads)."""
    JsonDepthScanner(limit).feed(data.encode("utf-8", "surrogatepass") if isinstance(data, str) else data)

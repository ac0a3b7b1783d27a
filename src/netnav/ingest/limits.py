"""Per-process limits for parsing untrusted files (set by a job's worker process, see netnav.jobs).

- max_pages: a PDF with more pages is refused.
- max_decompressed_bytes: the decompressed content streams of one PDF, summed over its pages, may not
  exceed this (pages sharing one large compressed stream multiply the work; this bounds it).
Outside a job the defaults below apply (the same as netnav.types.jobs.JobLimits).
"""

from __future__ import annotations

from dataclasses import dataclass

from netnav.errors import FileTooLargeError


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

"""Document ingestion: files of many formats → Document + Passages (no storage here).

Formats: plain text, Markdown, HTML, PDF, PubMed XML, FDA SPL XML, ClinicalTrials.gov JSON (v2) and
XML. Every failure is a typed ``BadInputError`` subclass with a reason.
"""

from __future__ import annotations

from netnav.ingest.api import default_kind, parse_bytes, parse_bytes_all, parse_file, parse_file_all
from netnav.ingest.files import iter_input_files
from netnav.ingest.model import ParsedDocument

__all__ = [
    "ParsedDocument",
    "default_kind",
    "iter_input_files",
    "parse_bytes",
    "parse_bytes_all",
    "parse_file",
    "parse_file_all",
]

"""Public entry points: read a file or upload, detect its format, parse, chunk, build ids."""

from __future__ import annotations

import os
import re
from collections.abc import Callable
from pathlib import Path

from netnav import settings
from netnav.errors import (
    BadInputError,
    CorruptFileError,
    EmptyDocumentError,
    FileTooLargeError,
    UnsupportedFormatError,
)
from netnav.ingest import chunk as chunker
from netnav.ingest.ctgov import is_ctgov_xml, load_json, parse_ctgov_json, parse_ctgov_xml
from netnav.ingest.decode import decode_text, require_text
from netnav.ingest.detect import detect_format
from netnav.ingest.htmldoc import parse_html
from netnav.ingest.markdown import parse_markdown
from netnav.ingest.model import ParsedDocument, RawDocument
from netnav.ingest.pdf import parse_pdf
from netnav.ingest.plaintext import parse_text
from netnav.ingest.pubmed import parse_pubmed
from netnav.ingest.spl import is_spl, parse_spl
from netnav.ingest.xmlutil import local_name, parse_xml
from netnav.types.documents import Document, EvidenceKind

_XML_DECL = re.compile(r"^\s*<\?xml[^>]*\?>")
_DEFAULT_KINDS: dict[str, EvidenceKind] = {
    "pubmed": "research",
    "spl": "label",
    "ctgov-json": "trial",
    "ctgov-xml": "trial",
}


def default_kind(fmt: str) -> EvidenceKind:
    """Evidence kind implied by a format: pubmed→research, spl→label, ctgov→trial, else document."""
    if fmt.startswith("ctgov"):
        return "trial"
    return _DEFAULT_KINDS.get(fmt, "document")


def read_limited(path: Path) -> bytes:
    """Read a file, refusing it before reading when it exceeds settings.MAX_FILE_BYTES."""
    try:
        size = path.stat().st_size
        if not path.is_file():
            raise BadInputError(f"not a regular file: {path}")
        if size > settings.MAX_FILE_BYTES:
            raise FileTooLargeError(f"file too large: {size} bytes (limit {settings.MAX_FILE_BYTES})")
        with path.open("rb") as handle:
            data = handle.read(settings.MAX_FILE_BYTES + 1)
    except FileNotFoundError as exc:
        raise BadInputError(f"file not found: {path}") from exc
    except IsADirectoryError as exc:
        raise BadInputError(f"not a regular file: {path}") from exc
    except PermissionError as exc:
        raise BadInputError(f"permission denied: {path}") from exc
    except OSError as exc:
        raise BadInputError(f"cannot read {path}: {exc.strerror or exc}") from exc
    if len(data) > settings.MAX_FILE_BYTES:
        raise FileTooLargeError(f"file too large: more than {settings.MAX_FILE_BYTES} bytes")
    return data


def parse_file(path: Path, kind: EvidenceKind | None = None) -> ParsedDocument:
    return parse_file_all(path, kind)[0]


def parse_file_all(path: Path, kind: EvidenceKind | None = None) -> list[ParsedDocument]:
    """Every record of a file (PubMed sets and CT.gov study lists hold several)."""
    path = Path(path)
    return _parse_all(read_limited(path), path.name, kind, str(path.resolve()))


def parse_bytes(data: bytes, name: str, kind: EvidenceKind | None = None) -> ParsedDocument:
    return parse_bytes_all(data, name, kind)[0]


def parse_bytes_all(data: bytes, name: str, kind: EvidenceKind | None = None) -> list[ParsedDocument]:
    if len(data) > settings.MAX_FILE_BYTES:
        raise FileTooLargeError(f"file too large: {len(data)} bytes (limit {settings.MAX_FILE_BYTES})")
    return _parse_all(data, name, kind, name)


def _parse_all(data: bytes, name: str, kind: EvidenceKind | None, source: str) -> list[ParsedDocument]:
    if not data:
        raise EmptyDocumentError("empty file")
    try:
        raws = _raw_documents(data, name)
        return [build(raw, source, name, kind) for raw in raws]
    except BadInputError:
        raise
    except RecursionError as exc:
        raise CorruptFileError("document is nested too deeply to parse") from exc
    except (ValueError, TypeError, KeyError, IndexError, AttributeError, UnicodeError) as exc:
        raise CorruptFileError(f"cannot parse file: {type(exc).__name__}: {exc}") from exc


def _raw_documents(data: bytes, name: str) -> list[RawDocument]:
    fmt = detect_format(data, name)
    if fmt == "pdf":
        return [parse_pdf(data)]
    text = require_text(decode_text(data))
    if fmt == "json":
        return parse_ctgov_json(load_json(text))
    if fmt == "xml":
        return _xml_documents(text)
    parsers: dict[str, Callable[[str], RawDocument]] = {"md": parse_markdown, "html": parse_html}
    return [parsers.get(fmt, parse_text)(text)]


def _xml_documents(text: str) -> list[RawDocument]:
    root = parse_xml(_XML_DECL.sub("", text, count=1).encode("utf-8"))
    name = local_name(root)
    if name in ("PubmedArticleSet", "PubmedArticle", "PubmedBookArticle", "PubmedBookArticleSet"):
        docs = parse_pubmed(root)
        if not docs:
            raise EmptyDocumentError("PubMed XML holds no PubmedArticle or PubmedBookArticle")
        return docs
    if is_spl(root):
        return [parse_spl(root)]
    if is_ctgov_xml(root):
        return [parse_ctgov_xml(root)]
    if name.lower() == "html":
        return [parse_html(text)]
    raise UnsupportedFormatError(f"unrecognised XML document <{name}> (expected PubMed, FDA SPL or CT.gov)")


def build(raw: RawDocument, source: str, name: str, kind: EvidenceKind | None = None) -> ParsedDocument:
    """Chunk a parsed document and assemble the Document with content-hash ids."""
    full_text, spans = chunker.chunk(raw.blocks)
    if not full_text.strip():
        raise EmptyDocumentError("no text content")
    doc_id = chunker.document_id(full_text, raw.identifiers)
    passages = chunker.make_passages(doc_id, full_text, spans)
    if not passages:
        raise EmptyDocumentError("no text content")
    document = Document(
        id=doc_id,
        kind=kind or raw.kind or default_kind(raw.fmt),
        title=_title(raw, name),
        source_path=source,
        format=raw.fmt,
        publisher=raw.publisher,
        year=raw.year,
        version=raw.version,
        identifiers=dict(raw.identifiers),
        meta=dict(raw.meta),
        status=raw.status,
    )
    return ParsedDocument(document=document, passages=passages, full_text=full_text)


def _title(raw: RawDocument, name: str) -> str:
    if raw.title:
        return raw.title
    for block in raw.blocks:
        if block.kind == "heading":
            return block.text
    stem = os.path.splitext(os.path.basename(name))[0]
    return stem or name or "Untitled"

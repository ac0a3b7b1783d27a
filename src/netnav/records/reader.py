"""Read one report file (txt, md, PDF text layer, FHIR JSON) into lines, refusing bad input early."""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from netnav import settings
from netnav.errors import BadInputError, CorruptFileError, DecodeError, FileTooLargeError, NoTextLayerError
from netnav.ingest.limits import check_json_depth

TEXT_SUFFIXES = frozenset({".txt", ".md", ".text", ".markdown", ""})


@dataclass(frozen=True)
class SourceText:
    """A report as lines (1-based numbering is `index + 1`); `fhir` holds the parsed JSON for bundles."""

    name: str
    lines: tuple[str, ...]
    fhir: dict[str, Any] | None = None


def check_size(path: Path) -> None:
    """Refuse files over the limit before reading a byte."""
    try:
        size = path.stat().st_size
    except FileNotFoundError as exc:
        raise BadInputError(f"{path}: file not found") from exc
    if size > settings.MAX_FILE_BYTES:
        mb = size / (1024 * 1024)
        raise FileTooLargeError(f"{path.name}: file is {mb:.0f} MB; the limit is 50 MB")


def decode(data: bytes, name: str) -> str:
    if b"\x00" in data[:4096] and not data.startswith((b"\xff\xfe", b"\xfe\xff")):
        raise DecodeError(f"{name}: binary content, not a text report")
    for enc in ("utf-8-sig", "utf-16"):
        try:
            if enc == "utf-16" and not data.startswith((b"\xff\xfe", b"\xfe\xff")):
                continue
            return data.decode(enc)
        except UnicodeDecodeError:
            continue
    raise DecodeError(f"{name}: cannot decode as UTF-8 text")


def split_lines(text: str) -> tuple[str, ...]:
    return tuple(text.replace("\r\n", "\n").replace("\r", "\n").split("\n"))


def _pdf_text(path: Path) -> str:
    from pypdf import PdfReader

    try:
        reader = PdfReader(str(path))
        pages = [page.extract_text() or "" for page in reader.pages]
    except Exception as exc:
        raise CorruptFileError(f"{path.name}: damaged PDF ({exc})") from exc
    text = "\n".join(pages)
    if not text.strip():
        raise NoTextLayerError("no text layer: OCR not supported")
    return text


def _looks_like_fhir(text: str, name: str = "") -> dict[str, Any] | None:
    """The FHIR resource in `text`, or None for a text report.

    Raises CorruptFileError when a `.json` file (or text naming a FHIR `resourceType`) is not valid JSON, e.g. a
    truncated export: reading it as prose would silently find nothing.
    """
    stripped = text.lstrip()
    strict = name.lower().endswith(".json")
    if not (stripped.startswith("{") or strict and stripped.startswith("[")):
        return None
    check_json_depth(stripped)  # deeper FHIR is refused (exit 2 / HTTP 422), never a RecursionError
    try:
        data = json.loads(stripped)
    except json.JSONDecodeError as exc:
        if strict or '"resourceType"' in stripped[:4000]:
            raise CorruptFileError(
                f"{name or 'input'}: not valid JSON (line {exc.lineno}, column {exc.colno}: {exc.msg}); "
                "a FHIR export may be truncated"
            ) from exc
        return None
    return data if isinstance(data, dict) and "resourceType" in data else None


def read_source(path: Path) -> SourceText:
    """Read `path` into a SourceText. Raises typed BadInputError subclasses."""
    check_size(path)
    suffix = path.suffix.lower()
    if suffix == ".pdf":
        return SourceText(path.name, split_lines(_pdf_text(path)))
    text = decode(path.read_bytes(), path.name)
    return from_text(text, path.name)


def from_text(text: str, name: str) -> SourceText:
    fhir = _looks_like_fhir(text, name)
    if fhir is not None:
        pretty = json.dumps(fhir, indent=2, ensure_ascii=False)
        return SourceText(name, split_lines(pretty), fhir)
    return SourceText(name, split_lines(text))

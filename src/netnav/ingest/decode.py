"""Bytes → str for text formats, telling text from binary."""

from __future__ import annotations

import codecs

from netnav.errors import DecodeError, EmptyDocumentError, UnsupportedFormatError

_BOMS: tuple[tuple[bytes, str], ...] = (
    (codecs.BOM_UTF32_LE, "utf-32-le"),
    (codecs.BOM_UTF32_BE, "utf-32-be"),
    (codecs.BOM_UTF8, "utf-8"),
    (codecs.BOM_UTF16_LE, "utf-16-le"),
    (codecs.BOM_UTF16_BE, "utf-16-be"),
)
_TEXT_CONTROLS = frozenset(b"\t\n\r\f\x0b\x1a")
_MAX_CONTROL_RATIO = 0.05

_MAGIC: tuple[tuple[bytes, str], ...] = (
    (b"\x89PNG", "PNG image"),
    (b"\xff\xd8\xff", "JPEG image"),
    (b"GIF8", "GIF image"),
    (b"PK\x03\x04", "ZIP archive (e.g. DOCX/XLSX)"),
    (b"\x1f\x8b", "gzip archive"),
    (b"\xd0\xcf\x11\xe0", "legacy Office document"),
    (b"{\\rtf", "RTF document"),
    (b"\x7fELF", "executable"),
    (b"MZ", "executable"),
)


def binary_kind(data: bytes) -> str | None:
    """Name of a known binary format the bytes start with, if any."""
    for magic, name in _MAGIC:
        if data.startswith(magic):
            return name
    return None


def bom_encoding(data: bytes) -> tuple[str, int] | None:
    for bom, encoding in _BOMS:
        if data.startswith(bom):
            return encoding, len(bom)
    return None


def looks_binary(data: bytes) -> bool:
    """NUL bytes, or more than 5% control characters, mean binary."""
    sample = data[:65536]
    if b"\x00" in sample:
        return True
    if not sample:
        return False
    controls = sum(1 for byte in sample if (byte < 32 or byte == 127) and byte not in _TEXT_CONTROLS)
    return controls / len(sample) > _MAX_CONTROL_RATIO


def decode_text(data: bytes) -> str:
    """Decode text bytes: BOM-declared encodings, UTF-8, then cp1252/latin-1 for text-like bytes."""
    if not data:
        raise EmptyDocumentError("empty file")
    bom = bom_encoding(data)
    if bom is not None:
        encoding, skip = bom
        try:
            text = data[skip:].decode(encoding)
        except UnicodeDecodeError as exc:
            raise DecodeError(
                f"cannot decode as {encoding} despite its byte-order mark: {exc.reason}"
            ) from exc
        return _reject_binary_text(text)
    kind = binary_kind(data)
    if kind is not None:
        raise UnsupportedFormatError(f"binary file ({kind})")
    if looks_binary(data):
        raise UnsupportedFormatError("binary file")
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        pass
    return _legacy_decode(data)


def _legacy_decode(data: bytes) -> str:
    try:
        text = data.decode("cp1252")
    except UnicodeDecodeError:
        text = data.decode("latin-1")
    if _mostly_unprintable(text):
        raise DecodeError("cannot decode text: not UTF-8 and not readable as cp1252/latin-1")
    return text


def _reject_binary_text(text: str) -> str:
    if "\x00" in text[:65536] or _mostly_unprintable(text):
        raise UnsupportedFormatError("binary file")
    return text


def _mostly_unprintable(text: str) -> bool:
    sample = text[:65536]
    if not sample:
        return False
    bad = sum(1 for ch in sample if not (ch.isprintable() or ch in "\t\n\r\f\x0b"))
    return bad / len(sample) > _MAX_CONTROL_RATIO


def require_text(text: str) -> str:
    """Raise EmptyDocumentError for whitespace-only text."""
    if not text.strip():
        raise EmptyDocumentError("whitespace only: no text content")
    return text

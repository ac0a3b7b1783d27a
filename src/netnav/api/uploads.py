"""Uploaded files: sanitised names, size limit while reading, type checks. Nothing here is logged."""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from pathlib import Path, PurePosixPath, PureWindowsPath

from fastapi import UploadFile

from netnav import settings
from netnav.errors import BadInputError, FileTooLargeError, UnsupportedFormatError
from netnav.guard.body import MAX_UPLOAD_FILES

REPORT_SUFFIXES = frozenset({".txt", ".md", ".markdown", ".text", ".pdf", ".json"})
DOCUMENT_SUFFIXES = frozenset({".txt", ".md", ".markdown", ".text", ".pdf", ".json", ".xml", ".html", ".htm"})
MAX_FILES = MAX_UPLOAD_FILES  # one number, also used by the streaming body limit
_CHUNK = 1024 * 1024
_UNSAFE = re.compile(r"[^A-Za-z0-9._ -]+")


@dataclass(frozen=True)
class Upload:
    name: str  # sanitised basename, safe to join to a folder
    data: bytes


def safe_name(raw: str | None, fallback: str = "upload.txt") -> str:
    """Only a sanitised basename is ever used: directories, drive letters, `..` and odd bytes go."""
    text = unicodedata.normalize("NFKC", raw or "")
    base = PureWindowsPath(PurePosixPath(text.replace("\x00", "")).name).name
    base = _UNSAFE.sub("_", base).strip(" .")
    base = re.sub(r"\.{2,}", ".", base)
    if not base:
        return fallback
    stem, dot, suffix = base.rpartition(".")
    if dot and len(base) > 120:
        return stem[: 119 - len(suffix)] + "." + suffix
    return base[:120]


def check_suffix(name: str, allowed: frozenset[str]) -> None:
    suffix = Path(name).suffix.lower()
    if suffix not in allowed:
        shown = suffix or "no extension"
        raise UnsupportedFormatError(
            f"unsupported file type ({shown}); accepted: {', '.join(sorted(allowed))}"
        )


async def read_limited(upload: UploadFile) -> bytes:
    """Read an upload in chunks, refusing it as soon as it passes settings.MAX_FILE_BYTES."""
    limit = settings.MAX_FILE_BYTES
    parts: list[bytes] = []
    total = 0
    while True:
        chunk = await upload.read(_CHUNK)
        if not chunk:
            break
        total += len(chunk)
        if total > limit:
            raise FileTooLargeError(f"file too large: the limit is {limit} bytes")
        parts.append(chunk)
    return b"".join(parts)


def _sniff_report(name: str, data: bytes) -> None:
    suffix = Path(name).suffix.lower()
    if suffix == ".pdf" and not data.lstrip()[:5].startswith(b"%PDF"):
        raise UnsupportedFormatError(f"{name}: not a PDF file")
    if suffix != ".pdf" and data.lstrip()[:5].startswith(b"%PDF"):
        raise UnsupportedFormatError(f"{name}: a PDF must have the .pdf extension")
    if suffix == ".json" and not data.lstrip().startswith(b"{"):
        raise UnsupportedFormatError(f"{name}: not a FHIR JSON resource")


async def collect(files: list[UploadFile], allowed: frozenset[str], sniff: bool) -> list[Upload]:
    """Read and check every file; names are de-duplicated after sanitising."""
    real = [f for f in files if f.filename]
    if not real:
        raise BadInputError("no file was uploaded")
    if len(real) > MAX_FILES:
        raise BadInputError(f"too many files: at most {MAX_FILES} per upload")
    out: list[Upload] = []
    used: set[str] = set()
    for i, upload in enumerate(real, start=1):
        name = safe_name(upload.filename)
        check_suffix(name, allowed)
        data = await read_limited(upload)
        if not data.strip():
            raise BadInputError(f"{name}: the file is empty")
        if sniff:
            _sniff_report(name, data)
        if name in used:
            name = f"{i}-{name}"
        used.add(name)
        out.append(Upload(name=name, data=data))
    return out

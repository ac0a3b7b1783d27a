"""Turn uploads into a CaseProfile, or into ingested documents. Report bytes live only in a temp folder."""

from __future__ import annotations

import hashlib
import tempfile
from collections.abc import Sequence
from pathlib import Path

from netnav.api.uploads import Upload
from netnav.engine import Engine
from netnav.types.case import CaseProfile
from netnav.types.ingest import IngestItem, IngestReport


def extract_uploads(engine: Engine, uploads: Sequence[Upload]) -> CaseProfile:
    """Write the reports to a private temporary folder (sanitised names), extract, delete the folder."""
    with tempfile.TemporaryDirectory(prefix="netnav-upload-") as tmp:
        paths: list[Path] = []
        for upload in uploads:
            path = Path(tmp) / upload.name
            path.write_bytes(upload.data)
            paths.append(path)
        return engine.extract(paths)


def _stored_path(home: Path, upload: Upload, owner: str | None = None) -> Path:
    digest = hashlib.sha256(upload.data).hexdigest()[:16]
    folder = home / "uploads" / (f"{owner[:16]}-{digest}" if owner else digest)
    folder.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
    folder.mkdir(mode=0o700, exist_ok=True)
    path = folder / upload.name
    path.write_bytes(upload.data)
    return path


def store_uploads(
    home: Path, uploads: Sequence[Upload], owner: str | None = None
) -> tuple[list[Path], dict[str, str]]:
    """Keep each document under <home>/uploads/<hash>/<name> (its source path); (paths, path -> name)."""
    paths = [_stored_path(home, u, owner) for u in uploads]
    return paths, {str(p): u.name for p, u in zip(paths, uploads, strict=True)}


def ingest_uploads(engine: Engine, uploads: Sequence[Upload], kind: str | None) -> IngestReport:
    """Store and ingest in this process (the server uses netnav.jobs instead, see api/session.py)."""
    paths, names = store_uploads(engine.settings.home, uploads)
    report = engine.ingest(paths, kind)
    items: list[IngestItem] = [
        i.model_copy(update={"path": names.get(i.path, Path(i.path).name)}) for i in report.items
    ]
    return IngestReport(items=items)

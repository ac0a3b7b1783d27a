"""The long tasks that run as jobs (each in its own worker process, see netnav.jobs.runner).

- ingest_task: parse files and store their documents (no index work). Payload:
  {"home": str, "paths": [str, ...], "kind": evidence kind or None, "names": {path: display name},
   "owner": session digest or None (None = the shared library), "database_url": the serving engine's
   PostgreSQL URL or None ($NETNAV_DATABASE_URL, else embedded)}.
  Result: the IngestReport as JSON text ({"added", "unchanged", "failed", "items": [...]}, paths shown
  by their display name). A session's uploaded files are removed when they failed, and on PostgreSQL
  always (the document's text, the trial records and the NCT ids deletion needs are in the database, which
  every server reaches; a file left on this machine would outlive "delete my data" sent to another).
- index_task: bring the search index up to date with the store (embeds only new passages; the index is
  written to a temporary folder and swapped in atomically, so answering keeps using the previous one).
  Payload: {"home": str, "database_url": as above}. Result: {"passages": n, "fingerprint": "..."} as JSON text.
"""

from __future__ import annotations

import contextlib
import json
from collections.abc import Mapping
from pathlib import Path
from typing import TYPE_CHECKING, Any

from netnav.jobs.worker import JobContext
from netnav.types.ingest import IngestReport

if TYPE_CHECKING:
    from netnav.engine import Engine


def ingest_task(ctx: JobContext, payload: Mapping[str, Any]) -> str:
    engine = _engine(payload)
    try:
        paths = [Path(p) for p in payload["paths"]]
        report = engine.ingest(
            paths, payload.get("kind"), ctx.progress, index=False, owner=payload.get("owner")
        )
        shared_database = bool(engine.settings.database_url)
    finally:
        engine.close()
    if payload.get("owner"):  # a web upload that did not become a document: nothing could list or delete it
        for item in report.failed:
            _drop_upload(Path(item.path))
        if shared_database:  # its text is in the database; "delete my data" may reach another machine
            for path in paths:
                _drop_upload(path)
    names: dict[str, str] = dict(payload.get("names") or {})
    items = [i.model_copy(update={"path": names.get(i.path, Path(i.path).name)}) for i in report.items]
    return json.dumps(IngestReport(items=items).as_json())


def _engine(payload: Mapping[str, Any]) -> Engine:
    """The serving engine's home and database (`database_url`; None: $NETNAV_DATABASE_URL or embedded)."""
    from netnav.engine import Engine
    from netnav.settings import get_settings

    return Engine(settings=get_settings(payload["home"], database_url=payload.get("database_url")))


def _drop_upload(path: Path) -> None:
    path.unlink(missing_ok=True)
    with contextlib.suppress(OSError):
        path.parent.rmdir()  # only when empty


def index_task(ctx: JobContext, payload: Mapping[str, Any]) -> str:
    engine = _engine(payload)
    try:
        index = engine.ensure_index(ctx.progress)
        return json.dumps({"passages": len(index), "fingerprint": index.fingerprint})
    finally:
        engine.close()

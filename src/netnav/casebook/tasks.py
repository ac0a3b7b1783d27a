"""Saved-case work that may take long (OCR of scans, large PDFs) as a background job task.

    add_reports_task(ctx, {"home": str, "owner": str, "case_id": str | None, "name": str | None,
                           "paths": [str, ...], "names": {path: display name}})

With `case_id` the reports are added to that case; otherwise a new case named `name` is created from them.
Progress goes to `ctx.progress(stage, done, total)` (stage e.g. "OCR page 2 of 5 (scan.pdf)"); the result
is {"case_id": ..., "name": ..., "reports": n} as JSON text. The uploaded files are deleted afterwards.
"""

from __future__ import annotations

import json
import shutil
from collections.abc import Mapping
from pathlib import Path
from typing import Any, Protocol


class ProgressContext(Protocol):
    def progress(self, stage: str, done: int, total: int) -> None: ...


def add_reports_task(ctx: ProgressContext, payload: Mapping[str, Any]) -> str:
    from netnav.casebook.reading import read_report
    from netnav.casebook.service import open_casebook

    paths = [Path(p) for p in payload["paths"]]
    names: dict[str, str] = dict(payload.get("names") or {})
    from netnav.settings import get_settings

    settings = get_settings(payload["home"], database_url=payload.get("database_url"))
    book = open_casebook(payload["home"], str(payload["owner"]), settings=settings)
    try:
        if payload.get("case_id"):
            book.find(str(payload["case_id"]))  # a missing case fails before any work
        reports = []
        for n, path in enumerate(paths):
            shown = names.get(str(path), path.name)

            def step(label: str, fraction: float, n: int = n, shown: str = shown) -> None:
                ctx.progress(f"{label} ({shown})", int((n + fraction) * 100), 100 * len(paths))

            report = read_report(path, step)
            reports.append(report.model_copy(update={"name": shown}))
        ctx.progress("saving the case", 100 * len(paths), 100 * len(paths))
        if payload.get("case_id"):
            summary = book.add(str(payload["case_id"]), reports)
        else:
            summary = book.create(str(payload.get("name") or "Untitled case"), reports)
    finally:
        for folder in {p.parent for p in paths}:
            shutil.rmtree(folder, ignore_errors=True)
    return json.dumps({"case_id": summary.id, "name": summary.name, "reports": summary.reports})

"""Read report files into `NewReport`s for a saved case (per-report profile, date, lines, OCR confidence)."""

from __future__ import annotations

import tempfile
from collections.abc import Callable, Sequence
from pathlib import Path

from netnav.types.case import CaseProfile
from netnav.types.casebook import NewReport

Progress = Callable[[str, float], None]  # (step label, fraction done 0..1)


def read_report(path: Path, progress: Progress | None = None) -> NewReport:
    """One file -> NewReport. Raises the typed errors of netnav.records (bad input -> exit code 2)."""
    from netnav.casebook.formats import read_any
    from netnav.records.dates import report_date
    from netnav.records.pipeline import profile_from_source
    from netnav.records.reader import check_size

    check_size(path)
    if progress:
        progress(f"reading {path.name}", 0.0)
    source, meta = read_any(path, progress)
    if progress:
        progress(f"finding values in {path.name} ({len(source.lines)} lines)", 0.8)
    profile = profile_from_source(source)
    flagged = meta.get("low_confidence_lines")
    if isinstance(flagged, str) and flagged:
        profile = _flag_low_confidence(profile, {int(x) for x in flagged.split(",")})
    return NewReport(
        name=source.name,
        report_date=report_date(source.lines),
        profile=profile,
        lines=list(source.lines),
        meta=meta,
    )


def _flag_low_confidence(profile: CaseProfile, lines: set[int]) -> CaseProfile:
    from netnav.casebook.formats import LOW_CONFIDENCE_NOTE

    fields = {
        name: fv.model_copy(update={"note": "; ".join(x for x in (fv.note, LOW_CONFIDENCE_NOTE) if x)})
        if fv.line in lines
        else fv
        for name, fv in profile.fields.items()
    }
    return profile.model_copy(update={"fields": fields})


def read_reports(paths: Sequence[Path], progress: Progress | None = None) -> list[NewReport]:
    """Every file, in order; sizes are checked before any is read."""
    from netnav.records.reader import check_size

    for path in paths:
        check_size(path)
    return [read_report(p, progress) for p in paths]


def read_uploads(files: Sequence[tuple[str, bytes]], progress: Progress | None = None) -> list[NewReport]:
    """(sanitised name, bytes) pairs -> NewReports; the bytes live only in a private temporary folder."""
    with tempfile.TemporaryDirectory(prefix="netnav-case-") as tmp:
        paths = []
        for name, data in files:
            path = Path(tmp) / name
            path.write_bytes(data)
            paths.append(path)
        return read_reports(paths, progress)

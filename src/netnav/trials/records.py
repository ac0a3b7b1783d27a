"""Where ingested trial records are kept: the interface, and its data-home (files) implementation.

Two implementations of `TrialRecordStore`:

* `FileTrialRecords` (embedded default): `<home>/trials/<NCT>.json` for the shared registry and
  `<home>/trials/private/<owner>/<NCT>.json` for a session's own uploads (folders mode 0700), each file
  written atomically (temp file + os.replace); a damaged file is moved to `damaged/` and skipped.
* `netnav.store.postgres.trials.PostgresTrialRecords` (PostgreSQL): one table, one transaction per `put`,
  so several server processes see each other's trial updates and uploads at once.

`owner` is None for the shared registry, else a session digest (netnav.api.state.owner_key).
"""

from __future__ import annotations

import datetime as dt
import json
import logging
import os
from collections.abc import Collection, Iterable
from pathlib import Path
from typing import Protocol

from pydantic import ValidationError

from netnav.errors import StoreError
from netnav.fileio import atomic_write
from netnav.types.trials import Trial

log = logging.getLogger("netnav.trials")


class TrialRecordStore(Protocol):
    """Ingested trial records by owner. `put` writes every given record or none where the backend
    allows it (PostgreSQL: one transaction; files: each record atomically); raises StoreError."""

    def put(self, owner: str | None, trials: Iterable[Trial]) -> int:
        """Store (replace) these records of `owner`; returns how many were written."""
        ...

    def records(self, owner: str | None) -> list[Trial]:
        """`owner`'s records only (None: the shared registry's), by NCT id."""
        ...

    def remove(self, owner: str, nct_ids: Collection[str]) -> int:
        """Delete these records of session `owner` (never the shared ones); returns how many went."""
        ...


def is_nct(value: str) -> bool:
    return value.startswith("NCT") and value[3:].isdigit()


class FileTrialRecords:
    """Trial records as JSON files under `folder` (`<home>/trials`); see the module docstring."""

    def __init__(self, folder: Path) -> None:
        self.folder = folder

    def _dir(self, owner: str | None) -> Path:
        return self.folder if owner is None else self.folder / "private" / owner

    def put(self, owner: str | None, trials: Iterable[Trial]) -> int:
        folder = self._dir(owner)
        count = 0
        try:
            folder.mkdir(parents=True, exist_ok=True)
            if owner is not None:  # a session's records: not listable by other local users
                os.chmod(folder.parent, 0o700)
                os.chmod(folder, 0o700)
            for trial in trials:
                atomic_write(folder / f"{trial.nct_id}.json", trial.model_dump_json(indent=2))
                count += 1
        except OSError as exc:
            raise StoreError(f"cannot write trial registry under {folder}: {exc}") from exc
        return count

    def remove(self, owner: str, nct_ids: Collection[str]) -> int:
        folder = self._dir(owner)
        removed = 0
        for nct in nct_ids:
            path = folder / f"{nct}.json"
            if is_nct(nct) and path.is_file():
                path.unlink(missing_ok=True)
                removed += 1
        return removed

    def records(self, owner: str | None) -> list[Trial]:
        folder = self._dir(owner)
        out: list[Trial] = []
        if not folder.is_dir():
            return out
        for path in sorted(folder.glob("NCT*.json")):
            try:
                trial = Trial.model_validate(json.loads(path.read_text(encoding="utf-8")))
            except (ValueError, ValidationError):
                _quarantine(path)
                continue
            except OSError as exc:
                raise StoreError(f"cannot read trial record {path.name}: {exc.strerror}") from exc
            if trial.nct_id != path.stem:  # another trial's record under this name
                _quarantine(path)
                continue
            out.append(trial)
        return out


def _quarantine(path: Path) -> None:
    """A damaged record is moved to <home>/trials/damaged/ (kept for inspection) and skipped, with one
    warning; the other trials stay usable. Ingesting its ClinicalTrials.gov file again restores it."""
    target = path.parent / "damaged" / f"{path.name}.{dt.datetime.now():%Y%m%dT%H%M%S}"
    try:
        target.parent.mkdir(exist_ok=True)
        os.replace(path, target)
        where = f"moved to {target}"
    except OSError:
        where = "left in place (the folder is not writable)"
    log.warning(
        "trial record %s is damaged and was skipped (%s); ingest its ClinicalTrials.gov file again",
        path.name,
        where,
    )

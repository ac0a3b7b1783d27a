"""Per-session case store: <home>/cases/<digest of session>/<case_id>.json, written atomically, deletable
at once, expiring after CASE_MAX_AGE_DAYS without use.

Session and case ids are validated against strict patterns before they touch a path, so neither can
name anything outside the session's folder. Folders are named by a digest of the session id (a folder
listing reveals no usable session) and are private to the server's user (0700).
"""

from __future__ import annotations

import hashlib
import os
import re
import secrets
import shutil
import threading
import time
from pathlib import Path
from typing import Protocol

from pydantic import ValidationError

from netnav.errors import BadInputError, CaseNotFoundError, NetNavError
from netnav.fileio import atomic_write
from netnav.types.case import CaseProfile

SESSION_PATTERN = re.compile(r"^[0-9a-f]{32}$")
CASE_ID_PATTERN = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_-]{0,79}$")


class CaseStoreError(NetNavError):
    """A stored case file cannot be read back (internal error)."""


def new_session_id() -> str:
    return secrets.token_hex(16)


def is_session_id(value: str | None) -> bool:
    return bool(value) and SESSION_PATTERN.fullmatch(value or "") is not None


def check_case_id(case_id: str) -> str:
    if not CASE_ID_PATTERN.fullmatch(case_id):
        raise CaseNotFoundError("no such case")
    return case_id


def _check_session(session: str) -> str:
    if not is_session_id(session):
        raise BadInputError("invalid session")
    return session


def session_digest(session: str) -> str:
    """What a session is called on disk and in the store: never the id itself."""
    return hashlib.sha256(("netnav-session:" + _check_session(session)).encode("ascii")).hexdigest()[:40]


#: Cases unused for this many days are deleted (NETNAV_CASE_DAYS; default 30 days).
CASE_MAX_AGE_DAYS = float(os.environ.get("NETNAV_CASE_DAYS", "30") or 30)


_LOCKS_GUARD = threading.Lock()
_LOCKS: dict[str, threading.Lock] = {}


def _folder_lock(folder: Path) -> threading.Lock:
    """One lock per session folder in this process: saving, listing and deleting one session's cases never
    interleave (two "Delete my data" at once, or an upload racing a delete, used to fail)."""
    with _LOCKS_GUARD:
        if len(_LOCKS) > 10_000:
            _LOCKS.clear()
        return _LOCKS.setdefault(str(folder), threading.Lock())


class SessionCases(Protocol):
    """Cases uploaded in a browser/API session: `CaseStore` (files under the data home) or
    netnav.store.postgres.sessions.PostgresSessionCases (shared by several server processes)."""

    def save(self, session: str, profile: CaseProfile) -> object: ...
    def load(self, session: str, case_id: str) -> CaseProfile: ...
    def list_ids(self, session: str) -> list[str]: ...
    def delete(self, session: str, case_id: str) -> bool: ...
    def delete_all(self, session: str) -> int: ...
    def expire(self, max_age_days: float = CASE_MAX_AGE_DAYS, now: float | None = None) -> int: ...


class CaseStore:
    """Cases uploaded in a browser/API session. Only this session's folder is ever read or written."""

    def __init__(self, cases_dir: Path) -> None:
        self.root = cases_dir

    def _folder(self, session: str) -> Path:
        return self.root / session_digest(session)

    def expire(self, max_age_days: float = CASE_MAX_AGE_DAYS, now: float | None = None) -> int:
        """Delete the case folders of sessions unused for `max_age_days`; returns how many went."""
        if not self.root.is_dir():
            return 0
        cutoff = (now or time.time()) - max_age_days * 86400
        removed = 0
        for folder in self.root.iterdir():
            try:
                if not folder.is_dir():
                    continue
                times = [p.stat().st_mtime for p in folder.glob("*.json")] or [folder.stat().st_mtime]
                if max(times) < cutoff:
                    shutil.rmtree(folder)
                    removed += 1
            except OSError:
                continue
        return removed

    def delete(self, session: str, case_id: str) -> bool:
        """Delete one case of the session; False when there is none by that id."""
        path = self._path(session, case_id)
        with _folder_lock(path.parent):
            try:
                path.unlink()
            except FileNotFoundError:
                return False
        return True

    def _path(self, session: str, case_id: str) -> Path:
        return self._folder(session) / f"{check_case_id(case_id)}.json"

    def save(self, session: str, profile: CaseProfile) -> Path:
        path = self._path(session, profile.case_id)
        with _folder_lock(path.parent):
            self.root.mkdir(mode=0o700, parents=True, exist_ok=True)
            path.parent.mkdir(mode=0o700, exist_ok=True)
            os.chmod(self.root, 0o700)
            os.chmod(path.parent, 0o700)
            atomic_write(path, profile.model_dump_json(indent=2))
        return path

    def load(self, session: str, case_id: str) -> CaseProfile:
        path = self._path(session, case_id)
        try:
            data = path.read_text(encoding="utf-8")
        except FileNotFoundError as exc:
            raise CaseNotFoundError("no such case in this session") from exc
        try:
            return CaseProfile.model_validate_json(data)
        except ValidationError as exc:
            raise CaseStoreError("a stored case could not be read") from exc

    def list_ids(self, session: str) -> list[str]:
        folder = self._folder(session)
        with _folder_lock(folder):
            if not folder.is_dir():
                return []
            dated = []
            for p in folder.glob("*.json"):
                try:
                    dated.append((p.stat().st_mtime, p.stem))
                except FileNotFoundError:  # deleted by another process meanwhile
                    continue
        return [stem for _, stem in sorted(dated, reverse=True) if CASE_ID_PATTERN.fullmatch(stem)]

    def delete_all(self, session: str) -> int:
        """Delete every case of the session ("delete my data"). Returns how many were removed."""
        folder = self._folder(session)
        with _folder_lock(folder):
            if not folder.is_dir():
                return 0
            count = 0
            for path in folder.glob("*.json"):
                try:
                    path.unlink()
                    count += 1
                except FileNotFoundError:
                    continue
            shutil.rmtree(folder, ignore_errors=True)
        return count

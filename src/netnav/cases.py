"""Per-session case store: <home>/cases/<session>/<case_id>.json, written atomically, deletable at once.

Session and case ids are validated against strict patterns before they touch a path, so neither can
name anything outside the session's folder.
"""

from __future__ import annotations

import re
import secrets
import shutil
from pathlib import Path

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


class CaseStore:
    """Cases uploaded in a browser/API session. Only this session's folder is ever read or written."""

    def __init__(self, cases_dir: Path) -> None:
        self.root = cases_dir

    def _folder(self, session: str) -> Path:
        return self.root / _check_session(session)

    def _path(self, session: str, case_id: str) -> Path:
        return self._folder(session) / f"{check_case_id(case_id)}.json"

    def save(self, session: str, profile: CaseProfile) -> Path:
        path = self._path(session, profile.case_id)
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
        if not folder.is_dir():
            return []
        files = sorted(folder.glob("*.json"), key=lambda p: p.stat().st_mtime, reverse=True)
        return [p.stem for p in files if CASE_ID_PATTERN.fullmatch(p.stem)]

    def delete_all(self, session: str) -> int:
        """Delete every case of the session ("delete my data"). Returns how many were removed."""
        folder = self._folder(session)
        if not folder.is_dir():
            return 0
        count = len(list(folder.glob("*.json")))
        shutil.rmtree(folder)
        return count

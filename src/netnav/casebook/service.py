"""CaseBook: saved, named cases of one owner (create, add reports, correct, rename, delete).

A saved case's profile is always rebuilt from its stored per-report profiles (merge with history,
`casebook.merge`) plus the user's corrections (`casebook.corrections`); nothing derived is stored, so
deleting a case's rows deletes everything about it.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from netnav.casebook.corrections import apply_corrections, check_field, parse_value
from netnav.casebook.merge import merge_reports
from netnav.casebook.reading import Progress, read_reports
from netnav.errors import BadInputError, CaseNameTakenError
from netnav.store.cases import CaseRepository, SqliteCaseRepository, check_name, now_iso
from netnav.types.case import CaseProfile, UserValue
from netnav.types.casebook import LOCAL_OWNER, CaseSummary, NewReport, SavedCase

if TYPE_CHECKING:
    from netnav.settings import Settings


@dataclass(frozen=True)
class CaseView:
    """A saved case ready to show: stored rows plus the profile assessment and trials use."""

    saved: SavedCase
    profile: CaseProfile

    @property
    def summary(self) -> CaseSummary:
        return self.saved.summary


class CaseBook:
    """Every operation is scoped to `owner`; another owner's case is reported as not found."""

    def __init__(self, repo: CaseRepository, owner: str = LOCAL_OWNER) -> None:
        self.repo = repo
        self.owner = owner

    def find(self, ref: str) -> CaseSummary:
        return self.repo.find(self.owner, ref)

    def cases(self) -> list[CaseSummary]:
        return self.repo.list_cases(self.owner)

    def view(self, ref: str) -> CaseView:
        saved = self.repo.load(self.owner, self.find(ref).id)
        merged = merge_reports(saved.summary.id, saved.reports)
        return CaseView(saved=saved, profile=apply_corrections(merged, saved.corrections))

    def profile(self, ref: str) -> CaseProfile:
        return self.view(ref).profile

    def check_new_name(self, name: str) -> str:
        """The cleaned name, if a new case may take it (raises CaseNameTakenError / BadInputError)."""
        clean = check_name(name)
        if any(c.name.casefold() == clean.casefold() for c in self.cases()):
            raise CaseNameTakenError(f"a case named {clean!r} already exists")
        return clean

    def create(self, name: str, reports: Sequence[NewReport] = ()) -> CaseSummary:
        summary = self.repo.create(self.owner, name)
        if reports:
            self.repo.add_reports(self.owner, summary.id, list(reports))
        return self.repo.find(self.owner, summary.id)

    def create_from_files(
        self, name: str, paths: Sequence[Path], progress: Progress | None = None
    ) -> CaseSummary:
        reports = read_reports(paths, progress)  # read first: a bad file creates nothing
        return self.create(name, reports)

    def add(self, ref: str, reports: Sequence[NewReport]) -> CaseSummary:
        if not reports:
            raise BadInputError("give at least one report to add")
        case_id = self.find(ref).id
        self.repo.add_reports(self.owner, case_id, list(reports))
        return self.repo.find(self.owner, case_id)

    def add_files(self, ref: str, paths: Sequence[Path], progress: Progress | None = None) -> CaseSummary:
        self.find(ref)  # a missing case is reported before any file is read
        return self.add(ref, read_reports(paths, progress))

    def rename(self, ref: str, name: str) -> CaseSummary:
        return self.repo.rename(self.owner, self.find(ref).id, name)

    def delete(self, ref: str) -> CaseSummary:
        summary = self.find(ref)
        self.repo.delete(self.owner, summary.id)
        return summary

    def delete_all(self) -> int:
        return self.repo.delete_owner(self.owner)

    def correct(self, ref: str, field: str, raw: str) -> CaseProfile:
        """Store the user's value for `field` (typed by parse_value) and return the updated profile."""
        name = check_field(field)
        value = parse_value(name, raw)
        case_id = self.find(ref).id
        self.repo.set_correction(
            self.owner, case_id, name, UserValue(value=value, action="corrected", at=now_iso(), by=self.owner)
        )
        return self.profile(case_id)

    def confirm(self, ref: str, field: str) -> CaseProfile:
        """Record that the user checked `field` against the report and it is right."""
        name = check_field(field)
        view = self.view(ref)
        fv = view.profile.fields.get(name)
        if fv is None:
            raise BadInputError(f"the case has no value for {name} to confirm")
        if fv.user is not None and fv.user.action == "corrected":
            raise BadInputError(f"{name} holds your correction; undo it first to confirm the report's value")
        self.repo.set_correction(
            self.owner,
            view.summary.id,
            name,
            UserValue(value=fv.value, action="confirmed", at=now_iso(), by=self.owner),
        )
        return self.profile(view.summary.id)

    def undo(self, ref: str, field: str) -> CaseProfile:
        """Remove the user's correction or confirmation of `field` (the report's value comes back)."""
        name = check_field(field)
        case_id = self.find(ref).id
        if not self.repo.remove_correction(self.owner, case_id, name):
            raise BadInputError(f"there is no correction or confirmation of {name} to undo")
        return self.profile(case_id)


def open_casebook(
    home: Path | str | None = None, owner: str = LOCAL_OWNER, settings: Settings | None = None
) -> CaseBook:
    """The CaseBook of a data home: on PostgreSQL when the settings name a database
    (NETNAV_DATABASE_URL / --database-url; the process's shared pool), else the SQLite store at
    <home>/netnav.sqlite3, migrated on open. Raises StoreError (StoreUnavailable: server unreachable)."""
    from netnav.settings import get_settings

    chosen = settings or get_settings(home)
    if chosen.database_url:
        from netnav.store.postgres.cases import PostgresCaseRepository
        from netnav.store.postgres.shared import pool_for

        return CaseBook(PostgresCaseRepository(pool_for(chosen.database_url)), owner)
    from netnav.store.db import Store

    return CaseBook(SqliteCaseRepository(Store(chosen.db_path)), owner)

"""Trial registry: built-in entries (package data) merged with ingested ClinicalTrials.gov records.

Ingested records live in a TrialRecordStore (netnav.trials.records): files under <home>/trials (embedded
default) or the database (PostgreSQL, so every server process sees them). When both exist for one NCT
id, the ingested record wins unless it is older than the built-in one.
"""

from __future__ import annotations

import datetime as dt
import shutil
from collections.abc import Iterable, Iterator
from pathlib import Path

from netnav.errors import BadInputError, StoreError
from netnav.trials.predicates import Predicate
from netnav.trials.records import FileTrialRecords, TrialRecordStore, is_nct
from netnav.trials.schema import BuiltinFile, BuiltinTrial, load_builtin
from netnav.types.base import Frozen
from netnav.types.trials import Trial

#: Sub-folder of <home>/trials where `netnav trials update` keeps the pages of a run until it completes.
STAGED = ".staged"


def date_span(dates: Iterable[str | None]) -> tuple[str, str] | None:
    """(oldest, newest) of the given ISO dates ("2026-06" and "2026-06-02" both allowed), None if none."""
    known = sorted(d for d in dates if d)
    return (known[0], known[-1]) if known else None


def _span_words(span: tuple[str, str] | None) -> str:
    if span is None:
        return "none"
    return span[0] if span[0] == span[1] else f"{span[0]} to {span[1]}"


class SnapshotInfo(Frozen):
    """How fresh the registry is, honestly: each built-in trial carries its own ClinicalTrials.gov record's
    last-update date (`status_as_of`, when a verified copy showed one) and the day we checked it; the summary
    gives the range of both and how many records have no known date. Ingested records carry the date the
    API gave (`lastUpdatePostDate`) and when they were fetched."""

    builtin_version: str
    builtin_snapshot_date: str  # the file's default check date
    builtin_count: int
    ingested_count: int
    ingested_latest: str | None = None  # newest fetch (snapshot) date of an ingested record
    builtin_checked: tuple[str, str] | None = None  # oldest and newest day a built-in status was checked
    builtin_updated: tuple[str, str] | None = None  # oldest and newest record last-update date
    builtin_undated: int = 0  # built-in trials whose record date no verified copy showed
    ingested_updated: tuple[str, str] | None = None

    def describe(self) -> str:
        dated = self.builtin_count - self.builtin_undated
        text = (
            f"Registry snapshot: {self.builtin_count} built-in trials ({self.builtin_version}), statuses checked "
            f"{_span_words(self.builtin_checked or (self.builtin_snapshot_date,) * 2)}; their registry records "
            f"were last updated {_span_words(self.builtin_updated)} ({dated} with a known record date"
        )
        text += f", {self.builtin_undated} without one)" if self.builtin_undated else ")"
        if self.ingested_count:
            text += (
                f"; {self.ingested_count} ingested record(s), fetched up to {self.ingested_latest}, "
                f"records last updated {_span_words(self.ingested_updated)}"
            )
        return text + ". Trial status changes: confirm on ClinicalTrials.gov."


REST_TEXT = (
    "Other registry criteria not encoded here (organ function, comorbidities, washout periods): "
    "see the full ClinicalTrials.gov record"
)
REST_RULE = Predicate(
    field="full_eligibility_list", op="unavailable", label="the rest of the registry eligibility list"
)


def builtin_trial(entry: BuiltinTrial, snapshot_date: str) -> Trial:
    inclusion = [c.text for c in entry.criteria if c.kind == "inclusion"] + [REST_TEXT]
    exclusion = [c.text for c in entry.criteria if c.kind == "exclusion"]
    title = f"{entry.acronym}: {entry.title}" if entry.acronym else entry.title
    return Trial(
        nct_id=entry.nct_id,
        title=title,
        phase=entry.phase,
        overall_status=entry.overall_status,
        last_update=entry.status_as_of,
        snapshot_date=entry.checked_on or snapshot_date,
        conditions=entry.conditions,
        interventions=entry.interventions,
        inclusion=inclusion,
        exclusion=exclusion,
        summary=entry.summary or entry.population,
        source="builtin",
    )


def builtin_rules(data: BuiltinFile | None = None) -> dict[str, dict[tuple[str, str], list[Predicate]]]:
    """nct_id → {(kind, criterion text) → rules} for the built-in entries."""
    data = data or load_builtin()
    out: dict[str, dict[tuple[str, str], list[Predicate]]] = {}
    for t in data.trials:
        out[t.nct_id] = {(c.kind, c.text): list(c.rules) for c in t.criteria}
        out[t.nct_id][("inclusion", REST_TEXT)] = [REST_RULE]
    return out


def builtin_populations(data: BuiltinFile | None = None) -> dict[str, tuple[list[str], str]]:
    """nct_id → (tumour categories, population description) for the relevance gate."""
    data = data or load_builtin()
    return {t.nct_id: (list(t.populations), t.population) for t in data.trials}


def _stamped(trials: Iterable[Trial]) -> Iterator[Trial]:
    """Records without a snapshot date get today's (the day they were ingested)."""
    today = dt.date.today().isoformat()
    for trial in trials:
        yield trial if trial.snapshot_date else trial.model_copy(update={"snapshot_date": today})


def _older(a: str | None, b: str | None) -> bool:
    """True when date `a` is strictly older than date `b` (missing dates never count as older)."""
    return bool(a and b and a[:10] < b[:10])


class TrialRegistry:
    def __init__(
        self,
        home: Path | None = None,
        builtin: BuiltinFile | None = None,
        records: TrialRecordStore | None = None,
    ) -> None:
        """Ingested records live in `records` (default: files under `home`/trials; the Engine passes the
        database's on PostgreSQL, netnav.store.postgres.trials); without either the registry holds the
        built-in entries only (it never guesses a home from the environment: the Engine passes its own).
        `dir` (`home`/trials) is this machine's folder for the update's progress and staged pages."""
        self.home = Path(home) if home is not None else None
        self.dir = self.home / "trials" if self.home is not None else None
        self._builtin = builtin or load_builtin()
        self.records: TrialRecordStore | None = records
        if records is None and self.dir is not None:
            self.records = FileTrialRecords(self.dir)
        self.owner: str | None = None  # set on a session's view (see `owned`)

    def owned(self, owner: str) -> TrialRegistry:
        """The registry as session `owner` (a session digest, netnav.api.state.owner_key) sees it: the
        shared records plus the records that session uploaded through the web, which are kept apart
        (files: <home>/trials/private/<owner>/; PostgreSQL: rows of that owner) and seen by no other
        session (the CLI operator path writes to the shared registry). Raises BadInputError for an owner
        that is not a digest."""
        if not (owner.isalnum() and 8 <= len(owner) <= 64):
            raise BadInputError("not a session owner key")
        view = TrialRegistry(self.home, self._builtin, self.records)
        view.owner = owner
        return view

    # --- writing ---------------------------------------------------------------------------
    def add(self, trials: Iterable[Trial]) -> int:
        """Store trials (a session's view: as that session's own); returns how many were written. On
        PostgreSQL all of them in one transaction, as files each one atomically. Raises StoreError."""
        if self.records is None:
            raise StoreError("this trial registry has no data home to store ingested records in")
        return self.records.put(self.owner, _stamped(trials))

    def remove_own(self, nct_ids: Iterable[str]) -> int:
        """A session's view: delete that session's own records of these trials (its upload was
        deleted); the shared records are never touched. Returns how many were removed."""
        if self.owner is None or self.records is None:
            return 0
        return self.records.remove(self.owner, [n for n in nct_ids if is_nct(n)])

    # --- an update's pages, applied together ---------------------------------------------------
    def _staging(self) -> FileTrialRecords:
        if self.dir is None or self.owner is not None:
            raise BadInputError("trials update needs a data home to keep the registry in")
        return FileTrialRecords(self.dir / STAGED)

    def stage(self, trials: Iterable[Trial]) -> int:
        """Keep an update's page on this machine (`dir`/.staged) until `commit_staged`; the registry
        others read is unchanged until then. Raises StoreError."""
        return self._staging().put(None, _stamped(trials))

    def commit_staged(self) -> int:
        """Apply every staged record to the shared registry (PostgreSQL: one transaction, so every
        server sees the whole update or none of it), then drop the staged copies; returns how many."""
        staging = self._staging()
        written = self.add(staging.records(None))
        shutil.rmtree(staging.folder, ignore_errors=True)
        return written

    def discard_staged(self) -> None:
        """Forget the pages of an earlier run that will not be resumed."""
        shutil.rmtree(self._staging().folder, ignore_errors=True)

    # --- reading ---------------------------------------------------------------------------
    def ingested(self) -> list[Trial]:
        """Ingested records (a session's view: the shared ones, then the session's own)."""
        if self.records is None:
            return []
        shared = self.records.records(None)
        return shared + self.records.records(self.owner) if self.owner is not None else shared

    def builtin(self) -> list[Trial]:
        return [builtin_trial(t, self._builtin.snapshot_date) for t in self._builtin.trials]

    def all(self) -> list[Trial]:
        merged = {t.nct_id: t for t in self.builtin()}
        for trial in self.ingested():
            current = merged.get(trial.nct_id)
            if current is None or not _older(trial.last_update, current.last_update):
                merged[trial.nct_id] = trial
        return sorted(merged.values(), key=lambda t: t.nct_id)

    def snapshot(self) -> SnapshotInfo:
        ingested = self.ingested()
        builtin = self.builtin()
        fetched = date_span(t.snapshot_date for t in ingested)
        return SnapshotInfo(
            builtin_version=self._builtin.version,
            builtin_snapshot_date=self._builtin.snapshot_date,
            builtin_count=len(builtin),
            ingested_count=len(ingested),
            ingested_latest=fetched[1] if fetched else None,
            builtin_checked=date_span(t.snapshot_date for t in builtin),
            builtin_updated=date_span(t.last_update for t in builtin),
            builtin_undated=sum(1 for t in builtin if not t.last_update),
            ingested_updated=date_span(t.last_update for t in ingested),
        )

"""What one app instance holds: the Engine (one per app), the case store, follow-ups.

Concurrency: asks, assessments and trial matches run at once, each on the index snapshot it took
(Engine.current_index); only writes in this process (deleting a document, creating the job runner,
shutting down) take `lock`, and never an ask. Ingest and index rebuilds run as jobs in worker
processes; the finished index is swapped in with one assignment."""

from __future__ import annotations

import hashlib
import threading
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TypeVar

from fastapi import Request

from netnav.api.asked import AskedAnswers
from netnav.api.casework import extract_uploads
from netnav.api.uploads import Upload
from netnav.cases import SessionCases
from netnav.conversation import ConversationMemory
from netnav.engine import Engine
from netnav.guard.sessions import private_home
from netnav.jobs import JobRunner
from netnav.jobs.library import LibraryJobs
from netnav.types.answer import Answer
from netnav.types.assessment import Assessment
from netnav.types.case import CaseProfile
from netnav.types.documents import SourceRow, StoredDocument
from netnav.types.trials import TrialMatch

T = TypeVar("T")


@dataclass
class AppState:
    engine: Engine
    token: str | None = None
    asked: AskedAnswers = field(default_factory=AskedAnswers)  # web answers by opaque id (no ?q= URLs)
    lock: threading.RLock = field(default_factory=threading.RLock)
    ready: bool = False
    _library: LibraryJobs | None = None

    @property
    def conversations(self) -> ConversationMemory:
        """Follow-up memory (Engine.conversations: in this process, or in the database on PostgreSQL)."""
        return self.engine.conversations()

    @property
    def library(self) -> LibraryJobs:
        """Library writes as jobs (netnav.jobs): created on first use, closed at shutdown."""
        with self.lock:
            if self._library is None:
                library = LibraryJobs(self.engine, JobRunner(workers=1, records=self.engine.job_records()))
                library.runner.on_finish = library.finished
                self._library = library
            return self._library

    def forget_session(self, session: str) -> None:
        """Forget the session's conversations and the questions it asked on the web pages."""
        self.conversations.forget_session(session)
        self.asked.forget_session(session)

    @property
    def jobs(self) -> JobRunner:
        return self.library.runner

    def shutdown(self) -> None:
        if self._library is not None:
            self._library.runner.close()
        self.engine.release_database()
        self.locked(self.engine.close)

    @property
    def home(self) -> Path:
        return self.engine.settings.home

    @property
    def cases(self) -> SessionCases:
        return self.engine.cases

    def locked(self, fn: Callable[[], T]) -> T:
        with self.lock:
            return fn()

    def startup(self) -> None:
        self.cases.expire()  # cases unused for NETNAV_CASE_DAYS go
        self.locked(self.engine.ensure_index)
        private_home(self.home)  # another local user must not read saved cases or private uploads
        self.engine.background_index = True  # from now on, rebuilds are index jobs (netnav.jobs)
        self.ready = True

    def ask(self, question: str, audience: str, case: CaseProfile | None, owner: str | None = None) -> Answer:
        """Answer (no lock: concurrent asks never queue behind each other or behind ingest); `owner`
        (owner_key of the session) adds that session's own uploads to the evidence."""
        return self.engine.ask(question, audience, case, owner=owner)

    def extract(self, uploads: Sequence[Upload]) -> CaseProfile:
        return extract_uploads(self.engine, uploads)

    def assess(self, case: CaseProfile, audience: str) -> Assessment:
        return self.engine.assess(case, audience)

    def trials(
        self,
        case: CaseProfile,
        status: str = "recruiting",
        near: str | None = None,
        within: str | None = None,
        owner: str | None = None,
    ) -> list[TrialMatch]:
        """Ranked trials; `near`/`within` as in Engine.trials (offline place look-up; BadInputError);
        `owner` (owner_key of the session) adds the trial records that session uploaded."""
        return self.engine.trials(case, status, near=near, within=within, owner=owner)

    def sources(self, owner: str | None = None) -> list[SourceRow]:
        return self.engine.sources(owner)

    def documents(self, owner: str | None = None) -> list[StoredDocument]:
        return self.engine.documents(owner)

    def delete_document(self, doc_id: str, owner: str) -> bool:
        """Delete one of the session's uploads and queue the index rebuild that drops it."""
        gone = self.locked(lambda: self.engine.delete_document(doc_id, owner))
        if gone:
            self.library.reindex()
        return gone


def app_state(request: Request) -> AppState:
    state: AppState = request.app.state.netnav
    return state


def owner_key(session: str) -> str:
    """What jobs and documents record as their owner: a digest of the session id, never the id itself."""
    return hashlib.sha256(("netnav-owner:" + session).encode("utf-8")).hexdigest()[:32]


def session_of(request: Request) -> str:
    session: str = request.state.session
    return session

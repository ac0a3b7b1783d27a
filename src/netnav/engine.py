"""The Engine facade: one object behind the CLI, the REST API and the web UI.

Every job goes through it: `ask`, `ingest`, `sources`, `extract`/`load_case`/`case_from`, `assess`,
`trials` and the session `cases`. Enumerated inputs (audience, evidence kinds, trial scope) are parsed
once here, on the way in, with the parse functions of `netnav.types`. It owns one store, one search
index, one embedder and one trial registry, all built from its settings unless passed in.
"""

from __future__ import annotations

import contextlib
import hashlib
import logging
import threading
import time
from collections.abc import Callable, Mapping, Sequence
from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING, Any

import numpy as np
import numpy.typing as npt

from netnav.answer import Evidence, abstain, compose, select_evidence
from netnav.answer.compose import PersonalItem
from netnav.answer.facets import type_expansion
from netnav.answer.select import card_questions, diseases_in, unaddressed_terms
from netnav.answer.triage import (
    analysis_text,
    card_sources,
    no_evidence_reason,
    triage_refusal,
    urgent_rule,
    urgent_text,
)
from netnav.conversation import ConversationMemory, Conversations, rewrite_follow_up
from netnav.errors import BadInputError, NetNavError, StoreError
from netnav.knowledge.loader import card_documents, cards_dir
from netnav.retrieve import Analysis, analyze, hybrid_search
from netnav.settings import Settings, get_settings
from netnav.store import DocumentStore, RetrievalIndex, SearchIndex, open_backend
from netnav.store.housekeeping import check_store_generation, clean_stray_folders
from netnav.store.variants import american
from netnav.types.answer import Answer
from netnav.types.audience import parse_audience
from netnav.types.documents import EvidenceKind, SourceRow, StoredDocument, parse_evidence_kind

if TYPE_CHECKING:
    # Case, trial, rule, ingest and casebook modules load on first use (a plain `netnav ask` never needs
    # them; they cost ~0.25 s CPU of a cold start). CaseBook and CaseView are re-exported for the edges.
    from netnav.casebook import CaseBook as CaseBook
    from netnav.casebook import CaseView as CaseView
    from netnav.casebook.reading import Progress as ReadProgress
    from netnav.cases import SessionCases
    from netnav.embed.cache import SupportsEmbed
    from netnav.store.postgres.asked import PostgresAnswerRecords
    from netnav.trials import TrialRegistry
    from netnav.trials.records import TrialRecordStore
    from netnav.types.assessment import Assessment
    from netnav.types.case import CaseProfile
    from netnav.types.casebook import NewReport
    from netnav.types.ingest import IngestReport
    from netnav.types.jobs import JobRecords
    from netnav.types.trials import TrialMatch

#: The owner of the saved cases of a single-user home (netnav.types.casebook.LOCAL_OWNER, kept in sync by
#: a test); written here so the casebook package loads only when cases are used.
LOCAL_OWNER = "local"


def __getattr__(name: str) -> Any:
    """`from netnav.engine import CaseBook, CaseView` (the API and web type the casebook they get here)."""
    if name in ("CaseBook", "CaseView"):
        import netnav.casebook

        return getattr(netnav.casebook, name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


Progress = Callable[[str, int, int], None]
log = logging.getLogger("netnav.engine")


def _noop(stage: str, done: int, total: int) -> None:
    return None


@lru_cache(maxsize=1)
def knowledge_fingerprint() -> str:
    """Hash of the packaged card files; they cannot change while the process runs, so it is computed once."""
    digest = hashlib.sha256()
    for path in sorted(cards_dir().glob("*.yaml")):
        digest.update(path.name.encode())
        digest.update(path.read_bytes())
    return digest.hexdigest()[:24]


class Engine:
    def __init__(
        self,
        home: str | Path | None = None,
        settings: Settings | None = None,
        embedder: SupportsEmbed | None = None,
        registry: TrialRegistry | None = None,
    ) -> None:
        """`embedder` defaults to all-MiniLM-L6-v2 (loaded on first use; tests pass
        `netnav.testing.HashEmbedder`); `registry` defaults to the trial registry under the data home."""
        self.settings = settings or get_settings(home)
        self._registry = registry
        self._store: DocumentStore | None = None
        self._index: RetrievalIndex | None = None
        self._analyzer_checked = False  # PostgreSQL: postings checked against today's text analyzer
        self._vectors_synced: str | None = None  # PostgreSQL: the fingerprint vectors were synced at
        self._knowledge_at: str | None = None  # PostgreSQL: a fingerprint at which the cards were current
        self._embedder: SupportsEmbed | None = embedder
        self._lock = threading.RLock()  # writers (ingest, knowledge sync, index rebuild) among themselves
        self._adopt_lock = threading.Lock()  # one thread loads a newer index; asks never wait for it
        self._index_stamp: tuple[int, int] | None = None
        self._owned: tuple[str, dict[str, str]] | None = None  # (store fingerprint, owned_documents())
        #: The server sets this: `ask` then never rebuilds the index inline (that is an index job's work,
        #: see netnav.jobs); it answers from the index in memory and adopts a newer one found on disk.
        self.background_index = False
        self._conversations: Conversations | None = None
        #: passage id -> vector to use instead of embedding its text when the embedded index is built
        #: (an import's own vectors, exact per passage; netnav.transfer.library)
        self.preset_vectors: Mapping[str, npt.NDArray[Any]] | None = None

    # -- plumbing ---------------------------------------------------------------------------------

    @property
    def registry(self) -> TrialRegistry:
        """The one trial registry of this Engine: built-in entries plus ingested records, kept under its
        home (embedded) or in the database (PostgreSQL: every server process sees the same records)."""
        if self._registry is None:
            from netnav.trials import TrialRegistry

            with self._lock:
                if self._registry is None:
                    self._registry = TrialRegistry(self.settings.home, records=self._trial_records())
        return self._registry

    def _trial_records(self) -> TrialRecordStore | None:
        """The database's trial records (PostgreSQL), or None: files under the home."""
        if not self.settings.database_url:
            return None
        from netnav.store.postgres.shared import pool_for
        from netnav.store.postgres.trials import PostgresTrialRecords

        return PostgresTrialRecords(pool_for(self.settings.database_url))

    def trial_registry(self, owner: str | None = None) -> TrialRegistry:
        """The shared registry, or `owner`'s view of it (shared records plus that session's own)."""
        return self.registry.owned(owner) if owner is not None else self.registry

    @property
    def store(self) -> DocumentStore:
        """The document store the settings select (embedded SQLite, or PostgreSQL; netnav.store.base)."""
        if self._store is None:
            self._store = open_backend(self.settings)
        return self._store

    @property
    def embedder(self) -> SupportsEmbed:
        if self._embedder is None:
            from netnav.embed import Embedder  # lazy: the model package is heavy and not needed by every job

            self._embedder = Embedder()
        return self._embedder

    def embed_texts(self, texts: list[str]) -> npt.NDArray[Any]:
        from netnav.embed import EmbeddingCache, embed_cached  # lazy, as above

        if not texts:
            return np.zeros((0, self.embedder.dim), dtype=np.float32)
        try:
            cache = EmbeddingCache(self.settings.home / "embeddings.sqlite3", self.embedder.model_id)
        except StoreError as exc:  # e.g. a read-only home: embed without the cache
            log.warning("%s; embedding without the cache", exc)
            return self.embedder.embed(texts)
        with cache:
            return embed_cached(self.embedder, cache, texts)

    def close(self) -> None:
        if self._store is not None:
            self._store.close()
            self._store = None

    def sync_knowledge(self, progress: Progress = _noop) -> int:
        """Load built-in cards into the store when the card files changed. Returns cards added."""
        fingerprint = knowledge_fingerprint()
        if self.store.get_meta("knowledge_fingerprint") == fingerprint:
            return 0
        pairs = card_documents()
        keep = {doc.id for doc, _ in pairs}
        self.store.remove_builtin_except(keep)
        if self.settings.database_url:  # every card in one transaction (binary COPY)
            from netnav.store.postgres.bulk import NewDocument, add_documents
            from netnav.store.postgres.store import PostgresStore

            assert isinstance(self.store, PostgresStore)
            items = (NewDocument(doc, [passage], builtin=True) for doc, passage in pairs)
            outcome = add_documents(
                self.store,
                items,
                progress=lambda done, _: progress("knowledge", done, len(pairs)),
                durable=False,
            )
            self.store.set_meta("knowledge_fingerprint", fingerprint)
            return outcome.added
        added = 0
        for i, (doc, passage) in enumerate(pairs, start=1):
            if self.store.add_document(doc, [passage], builtin=True).outcome == "added":
                added += 1
            progress("knowledge", i, len(pairs))
        self.store.set_meta("knowledge_fingerprint", fingerprint)
        return added

    def ensure_index(self, progress: Progress = _noop) -> RetrievalIndex:
        """Bring the built-in knowledge and the search index up to date (idempotent).

        An index on disk that fails its manifest check (netnav.store.manifest) is rebuilt from the store
        with one warning; a store older than its index (lost write-ahead log) is reported the same way.
        On PostgreSQL the index lives in the database: passages without a vector are embedded here."""
        if self.settings.database_url:
            return self._database_index(progress, embed_missing=True)
        with self._lock:
            self._sync_knowledge_if_writable(progress)
            fingerprint = self.store.fingerprint()
            if self._index is not None and self._index.fingerprint == fingerprint:
                return self._index
            folder = self.settings.index_dir
            clean_stray_folders(folder)
            if folder.exists():
                try:
                    stamp = index_stamp(folder)
                    index = SearchIndex.load(folder)
                    if index.fingerprint == fingerprint and index.model_id == self.embedder.model_id:
                        self._index, self._index_stamp = index, stamp
                        return index
                    check_store_generation(index.fingerprint, fingerprint)
                except NetNavError as exc:
                    log.warning("%s; rebuilding it from the document store", exc)
            self._index = self._rebuild(fingerprint, progress)
            self._index_stamp = index_stamp(folder)
            return self._index

    def _sync_knowledge_if_writable(self, progress: Progress) -> None:
        try:
            self.sync_knowledge(progress)
        except StoreError as exc:
            if self._index is None and not self.settings.index_dir.exists():
                raise
            log.warning("%s; answering with the knowledge already stored", exc)

    def current_index(self) -> RetrievalIndex:
        """The index to answer from: with `background_index`, the snapshot in memory (adopting a newer
        one written by an index job or another process); otherwise ensure_index(). On PostgreSQL, the
        database at its current generation (with `background_index`, new passages are embedded by an
        index job, not by the ask).

        Concurrency (server): a SearchIndex is never modified after it is built or loaded, and the
        engine swaps its reference in one assignment, so any number of asks read their snapshot at
        once without a lock. When a newer index is on disk, one ask loads it (the others keep answering
        from the snapshot they hold instead of queueing behind the load)."""
        if self.settings.database_url:
            return self._database_index(_noop, embed_missing=not self.background_index)
        index = self._index
        if not self.background_index or index is None:
            return self.ensure_index()
        self.adopt_index(wait=False)
        return self._index or index

    def adopt_index(self, wait: bool = True) -> bool:
        """Load the on-disk index if it changed since this engine last loaded or wrote it (one stat when
        unchanged). A damaged or foreign-model index on disk is ignored; the one in memory stays.
        `wait=False`: when another thread is already loading it, return False at once."""
        if self.settings.database_url:
            return False  # every process reads the same database: nothing to adopt
        folder = self.settings.index_dir
        stamp = index_stamp(folder)
        if stamp is None or stamp == self._index_stamp:
            return False
        if not self._adopt_lock.acquire(blocking=wait):
            return False
        try:
            stamp = index_stamp(folder)
            if stamp is None or stamp == self._index_stamp:
                return False
            try:
                index = SearchIndex.load(folder)
            except NetNavError:
                return False
            if index.model_id != self.embedder.model_id:
                return False
            self._index, self._index_stamp = index, stamp
            return True
        finally:
            self._adopt_lock.release()

    def _database_index(self, progress: Progress, embed_missing: bool) -> RetrievalIndex:
        """The PostgreSQL index at the store's current generation (netnav.store.postgres.search); with
        `embed_missing`, passages written since the last sync (by any process) get their vectors first."""
        from netnav.store.postgres.relex import ensure_analyzer
        from netnav.store.postgres.search import sync_vectors
        from netnav.store.postgres.store import PostgresStore

        store = self.store
        assert isinstance(store, PostgresStore)
        if self._analyzer_checked:  # steady state: no engine lock, so asks never queue behind a writer
            fingerprint = store.fingerprint()
            if self._knowledge_at != fingerprint and store.get_meta("knowledge_fingerprint") == (
                knowledge_fingerprint()
            ):
                self._knowledge_at = fingerprint  # no write since, so the cards are still current
            if self._knowledge_at == fingerprint and (
                not embed_missing or self._vectors_synced == fingerprint
            ):
                return self._pg_index_at(fingerprint)
        with self._lock:
            if not self._analyzer_checked:
                redone = ensure_analyzer(store)
                if redone:  # None: already current; 0: an empty library, nothing to say
                    log.warning("lexical postings of %d passages made again for a new text analyzer", redone)
                self._analyzer_checked = True
            self._sync_knowledge_if_writable(progress)
            fingerprint = store.fingerprint()
            if store.get_meta("knowledge_fingerprint") == knowledge_fingerprint():
                self._knowledge_at = fingerprint
            if embed_missing and fingerprint != self._vectors_synced:
                sync_vectors(
                    store,
                    self.embed_texts,
                    self.embedder.model_id,
                    lambda done, total: progress("index", done, total),
                )
                self._vectors_synced = fingerprint
            return self._pg_index_at(fingerprint)

    def _pg_index_at(self, fingerprint: str) -> RetrievalIndex:
        """The PostgreSQL index object for `fingerprint` (one per generation; replaced in one assignment)."""
        from netnav.store.postgres.search import PgSearchIndex

        index = self._index
        if not isinstance(index, PgSearchIndex) or index.fingerprint != fingerprint:
            index = PgSearchIndex(self.store, fingerprint, self.embedder.model_id)  # type: ignore[arg-type]
            self._index = index
        return index

    def _rebuild(self, fingerprint: str, progress: Progress) -> SearchIndex:
        rows = list(self.store.iter_passages())
        preset = self.preset_vectors or {}
        known = {i: preset[p.id] for i, (p, _) in enumerate(rows) if p.id in preset}

        def embed(texts: list[str]) -> npt.NDArray[Any]:
            wanted = [i for i in range(len(texts)) if i not in known]
            parts = []
            step = 256
            for start in range(0, len(wanted), step):
                parts.append(self.embed_texts([texts[i] for i in wanted[start : start + step]]))
                progress("index", min(start + step, len(wanted)), len(wanted))
            if not known:
                return np.vstack(parts) if parts else np.zeros((0, self.embedder.dim), dtype=np.float32)
            out = np.zeros((len(texts), self.embedder.dim), dtype=np.float32)
            for i, vector in known.items():
                out[i] = vector
            if parts:
                out[wanted] = np.vstack(parts)
            return out

        index = SearchIndex.build(rows, embed, fingerprint, self.embedder.model_id)
        try:
            index.save(self.settings.index_dir)
        except OSError as exc:  # disk full, read-only home: answer from memory, keep the old index
            log.warning(
                "cannot write the search index to %s (%s); answering from memory, the previous index on "
                "disk is unchanged",
                self.settings.index_dir,
                exc.strerror or type(exc).__name__,
            )
        return index

    # -- the user-facing jobs -------------------------------------------------------------------------

    def ask(
        self,
        question: str,
        audience: str = "patient",
        case: CaseProfile | None = None,
        kinds: Sequence[str] | None = None,
        rewritten_from: str | None = None,
        owner: str | None = None,
    ) -> Answer:
        """A cited answer (or an abstention with its reason). `kinds` keeps only those evidence kinds;
        `rewritten_from` is the message as typed when `question` is a follow-up made whole from the
        previous question (shown with the answer). `owner` (a session digest): that session's own
        uploads are searched too; other sessions' never are (without an owner: the shared library only).

        Raises `BadInputError` for an unknown audience or kind, `InvalidQuestionError` for an unusable
        question."""
        audience = parse_audience(audience)
        wanted = [parse_evidence_kind(k) for k in kinds] if kinds else None
        t0 = time.perf_counter()
        index = self.current_index()
        # on PostgreSQL the index was made for the store's fingerprint just read: no second read per ask
        hidden = self.hidden_documents(owner, index.fingerprint if self.settings.database_url else None)
        analysis = analyze(question, index.vocabulary(hidden))
        if rewritten_from:
            analysis = analysis.model_copy(update={"rewritten_from": rewritten_from})
        rule = urgent_rule(analysis_text(analysis))
        urgent = (urgent_text(rule, audience), card_sources(rule.cards)) if rule is not None else None
        refusal = triage_refusal(analysis, audience)
        # Urgent symptoms are never lost to a refusal: a symptom question without a NET word is answered
        # with the urgent message; a refused request (a dose, another cancer) keeps the urgent message on top.
        if refusal is not None and not (urgent is not None and refusal[0] == "out_of_scope"):
            kind, reason, suggestion = refusal
            refused = abstain(analysis.question, audience, reason, suggestion, {"retrieve": _ms(t0)}, kind)
            if urgent is None:
                return refused
            alert = compose(analysis, [], audience, urgent=urgent)
            return refused.model_copy(update={"urgent": alert.urgent, "citations": alert.citations})
        terms = case_terms(case) if case is not None else []
        search_analysis = with_case_context(analysis, terms + type_expansion(analysis))
        query_text = f"{analysis.question} ({' '.join(terms)})" if case is not None else analysis.question
        query_vec = self.embedder.embed([american(query_text)])[0]  # one vector for both spellings
        candidates = hybrid_search(
            index, self.store, search_analysis, query_vec, kinds=wanted, hidden_docs=hidden
        )
        evidence: list[Evidence] = select_evidence(
            candidates,
            analysis,
            max_items=MAX_WITH_CASE if case is not None else None,
            case_diseases=diseases_in(" ".join(terms)) if case is not None else None,
        )
        t1 = time.perf_counter()
        timings = {"retrieve": round((t1 - t0) * 1000, 2)}
        if urgent is None:
            missing = unaddressed_terms(analysis, evidence) if evidence else []
            if not evidence or missing:
                return abstain(
                    analysis.question,
                    audience,
                    *no_evidence_reason(analysis, missing),
                    timings,
                    "no_evidence",
                )
        personal: list[PersonalItem] = []
        first_questions: list[str] = []
        if case is not None:
            from netnav.personal import personal_items

            personal, first_questions = personal_items(case, analysis, audience, self.trial_registry(owner))
        if audience == "patient":
            first_questions += [q for q in card_questions(candidates) if q not in first_questions]
        else:
            first_questions = []
        answer = compose(analysis, evidence, audience, personal, first_questions, timings, urgent)
        timings["compose"] = round((time.perf_counter() - t1) * 1000, 2)
        update: dict[str, object] = {"timings_ms": timings}
        if case is not None:
            from netnav.answer.case_focus import drop_held_tests

            update["questions_to_ask"] = drop_held_tests(answer.questions_to_ask, case)
        return answer.model_copy(update=update)

    def _owned_documents(self, fingerprint: str | None = None) -> dict[str, str]:
        """The store's ``owned_documents()``, read again only when the store's fingerprint (bumped by
        every write; `fingerprint` when the caller has just read it) changed: no per-ask query that grows
        with the library."""
        fingerprint = fingerprint or self.store.fingerprint()
        cached = self._owned
        if cached is None or cached[0] != fingerprint:
            cached = (fingerprint, self.store.owned_documents())
            self._owned = cached
        return cached[1]

    def hidden_documents(self, owner: str | None, fingerprint: str | None = None) -> set[str]:
        """Documents `owner` must not see: every other session's private uploads."""
        return {doc for doc, who in self._owned_documents(fingerprint).items() if who != owner}

    def known_words(self, owner: str | None = None) -> frozenset[str]:
        """The stemmed terms that `owner`'s questions are checked against (spelling): the shared
        library's and `owner`'s own uploads', never another session's."""
        return self.current_index().vocabulary(self.hidden_documents(owner))

    def rewrite_follow_up(self, previous: str, message: str) -> str:
        """The question to answer for `message` asked after `previous` (see `netnav.conversation`)."""
        return rewrite_follow_up(previous, message)

    def ingest(
        self,
        paths: Sequence[Path],
        kind: str | None = None,
        progress: Progress = _noop,
        index: bool = True,
        owner: str | None = None,
    ) -> IngestReport:
        """Add documents (one transaction each; failures reported by path); CT.gov records also go to the
        trial registry. With `index=False` the search index is left to a later index job (netnav.jobs).
        `owner` (a session digest) keeps the documents private to that session.
        Raises `BadInputError` for an unknown kind."""
        from netnav.ingest_service import ingest_paths

        checked: EvidenceKind | None = parse_evidence_kind(kind) if kind else None
        with self._lock:
            self.sync_knowledge(progress)
            report = ingest_paths(self.store, self.registry, paths, checked, progress, owner)
            if report.added and index:
                self.ensure_index(progress)
            return report

    def documents(self, owner: str | None = None) -> list[StoredDocument]:
        """The shared library (built-in cards first) plus `owner`'s own uploads, with passage count and
        when each was added."""
        if not self.background_index:
            self.ensure_index()
        return self.store.document_rows(owner)

    def sources(self, owner: str | None = None) -> list[SourceRow]:
        """`documents()` as the public rows of `netnav sources --json` and `GET /api/sources` (no paths)."""
        return [SourceRow.of(row) for row in self.documents(owner)]

    def delete_document(self, doc_id: str, owner: str) -> bool:
        """Delete one of `owner`'s uploads, its uploaded file under <home>/uploads (when on this machine)
        and, for a ClinicalTrials.gov record, that session's private trial record of its NCT id (unless
        another of its uploads holds the same trial); False when it is not theirs. The index drops it on
        its next rebuild; until then it is hidden like any other session's document."""
        mine = {d for d, who in self.store.owned_documents().items() if who == owner}
        docs = [row.doc for row in self.store.document_rows(owner) if row.doc.id in mine]
        source = self.store.delete_owned(doc_id, owner)
        if source is None:
            return False
        trials = {d.id: d.identifiers.get("nct") for d in docs if d.format.startswith("ctgov")}
        nct = trials.pop(doc_id, None)
        if nct and nct not in trials.values():
            self.trial_registry(owner).remove_own([nct])
        uploads = (self.settings.home / "uploads").resolve()
        path = Path(source).resolve() if source else None
        if path is not None and path.is_relative_to(uploads) and path.is_file():
            path.unlink(missing_ok=True)
            with contextlib.suppress(OSError):
                path.parent.rmdir()  # only when empty
        return True

    def extract(self, paths: Sequence[Path]) -> CaseProfile:
        """Read report files (txt, md, pdf, FHIR JSON) into one CaseProfile; each value keeps its line."""
        from netnav.records import extract_case

        return extract_case(paths)

    def load_case(self, path: Path) -> CaseProfile:
        """A saved CaseProfile JSON (from `netnav extract --json`); raises `CaseFileError`."""
        from netnav.records import load_case_json

        return load_case_json(path)

    def case_from(
        self, reports: Sequence[Path], case_file: Path | None, case_name: str | None = None
    ) -> CaseProfile:
        """The case to assess or match: report files to read, a CaseProfile JSON, or a saved case by name
        (exactly one of them)."""
        given = sum(1 for x in (bool(reports), case_file is not None, case_name is not None) if x)
        if given > 1:
            raise BadInputError("give report files, --case or --case-name: one of them, not both")
        if given == 0:
            raise BadInputError("give at least one report file, --case CASE.json or --case-name NAME")
        if case_name is not None:
            return self.casebook().profile(case_name)
        return self.load_case(case_file) if case_file is not None else self.extract(reports)

    def casebook(self, owner: str = LOCAL_OWNER) -> CaseBook:
        """The saved, named cases of `owner` in this Engine's data home (with the user's corrections)."""
        from netnav.casebook import open_casebook

        return open_casebook(self.settings.home, owner, settings=self.settings)

    def read_reports(
        self, files: Sequence[tuple[str, bytes]], progress: ReadProgress | None = None
    ) -> list[NewReport]:
        """Uploaded reports, (sanitised file name, bytes) pairs, read into NewReports for `casebook()` (text,
        PDF, Word, FHIR JSON; scans and photos through OCR). The bytes live only in a private temporary folder;
        raises BadInputError / CorruptFileError for a file that cannot be read, before any case changes."""
        from netnav.casebook.reading import read_uploads

        return read_uploads(files, progress)

    def owned_documents(self, owner: str) -> list[StoredDocument]:
        """Only `owner`'s own uploads to the library (never the shared library's documents)."""
        mine = {doc_id for doc_id, who in self.store.owned_documents().items() if who == owner}
        return [row for row in self.documents(owner) if row.doc.id in mine]

    def assess(self, case: CaseProfile, audience: str = "patient") -> Assessment:
        """Grade, classification, risk and immunotherapy findings by explicit rules (three-valued)."""
        from netnav.rules import assess

        return assess(case, audience=parse_audience(audience))

    def trials(
        self,
        case: CaseProfile,
        status: str = "recruiting",
        near: str | None = None,
        within: str | None = None,
        owner: str | None = None,
    ) -> list[TrialMatch]:
        """Trials of this Engine's registry ranked for the case, criterion by criterion.

        `status` is "recruiting" (recruiting, not yet recruiting, enrolling by invitation) or "all" (closed
        trials listed after the enrolling ones). `near` ("Leeds, UK" or "lat,lon", resolved offline) keeps
        trials with an open site in reach and lists sites nearest first; `within` ("200km", "120mi") limits
        the distance. `owner` (a session digest) adds the trial records that session uploaded through the
        web (TrialRegistry.owned). Raises BadInputError for a bad status, place or distance."""
        from netnav.trials import match_trials
        from netnav.trials.places import parse_radius, resolve_place
        from netnav.types.trials import parse_trial_scope

        scope = parse_trial_scope(status)
        if within is not None and near is None:
            raise BadInputError("--within needs --near PLACE")
        where = None if near is None else (resolve_place(near), parse_radius(within) if within else None)
        return match_trials(case, status=scope, registry=self.trial_registry(owner), near=where)

    def update_trials(self) -> dict[str, object]:
        """Refresh this Engine's trial registry from the ClinicalTrials.gov API v2 (network; resumable):
        {"fetched_at", "written", "pages", "skipped", "conditions_done", "resumed"}. Raises
        RegistryFetchError when the API keeps failing (progress is kept)."""
        from netnav.trials.update import update_registry  # httpx only when updating

        return update_registry(self.registry).as_dict()

    def conversations(self) -> ConversationMemory:
        """Follow-up memory: this Engine's own (in this process), or the database's when the settings name
        one, so that a follow-up sent to another server process finds its previous question."""
        if self.settings.database_url:
            from netnav.conversation import PostgresConversations
            from netnav.store.postgres.shared import pool_for

            return PostgresConversations(pool_for(self.settings.database_url))
        with self._lock:
            if self._conversations is None:
                self._conversations = Conversations()
            return self._conversations

    def job_records(self) -> JobRecords | None:
        """Where the server's job runner shares its jobs with the other server processes: the database
        (PostgreSQL), or None (embedded: one process knows all its jobs)."""
        if not self.settings.database_url:
            return None
        from netnav.store.postgres.jobs import PostgresJobRecords
        from netnav.store.postgres.shared import pool_for

        return PostgresJobRecords(pool_for(self.settings.database_url))

    def answer_records(self) -> PostgresAnswerRecords | None:
        """Where the web keeps answers by id when several server processes share a database (PostgreSQL);
        None on the embedded backend (one process keeps them in memory)."""
        if not self.settings.database_url:
            return None
        from netnav.store.postgres.asked import PostgresAnswerRecords

        return PostgresAnswerRecords(self.settings.database_url)

    def release_database(self) -> None:
        """Close this process's shared database pools (server shutdown); they reopen on next use."""
        if self.settings.database_url:
            from netnav.store.postgres.shared import close_pools

            close_pools()

    def storage_status(self, timeout_s: float = 2.0) -> tuple[str, int | None, str | None]:
        """(backend "sqlite" | "postgresql", highest applied migration, problem or None), for /api/health.
        Never raises; waits at most `timeout_s` for a database connection."""
        url = self.settings.database_url
        if not url:
            try:
                return "sqlite", self.store.schema_version(), None
            except (StoreError, OSError) as exc:
                return "sqlite", None, f"the document store cannot be read ({type(exc).__name__})"
        from netnav.store.postgres.health import schema_version_now

        try:
            return "postgresql", schema_version_now(url, timeout_s), None
        except StoreError:
            return "postgresql", None, "the database cannot be reached"

    @property
    def cases(self) -> SessionCases:
        """The per-session case store: files under the data home, or PostgreSQL tables shared by every
        server process when the settings name a database."""
        if self.settings.database_url:
            from netnav.store.postgres.sessions import PostgresSessionCases
            from netnav.store.postgres.shared import pool_for

            return PostgresSessionCases(pool_for(self.settings.database_url))
        from netnav.cases import CaseStore

        return CaseStore(self.settings.cases_dir)


MAX_WITH_CASE = 4  # with a case, the personal section carries most of the answer


def case_terms(case: CaseProfile) -> list[str]:
    """What the case is about, for retrieval: histology, differentiation and primary site."""
    terms = []
    for name in ("histology", "primary_site"):
        value = case.value(name)
        if isinstance(value, str) and value:
            terms.append(value)
    if case.value("differentiation") == "poorly" and not any("carcinoma" in t for t in terms):
        terms.append("poorly differentiated neuroendocrine carcinoma")
    return terms


def with_case_context(analysis: Analysis, terms: list[str]) -> Analysis:
    """The analysis with the case's terms (from `case_terms`) added to the lexical query expansion."""
    extra = [t.lower() for t in terms if t.lower() not in analysis.expansion]
    return analysis.model_copy(update={"expansion": analysis.expansion + extra})


def index_stamp(folder: Path) -> tuple[int, int] | None:
    """(mtime_ns, inode) of the index's meta file: changes whenever an index is swapped in."""
    try:
        st = (folder / "meta.json").stat()
    except OSError:
        return None
    return st.st_mtime_ns, st.st_ino


def _ms(t0: float) -> float:
    return round((time.perf_counter() - t0) * 1000, 2)

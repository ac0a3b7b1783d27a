"""The derived search index: bm25s (lexical) + dense vectors (netnav.store.vectors: exact search;
approximate above a size threshold).

Built from the store, written to a temporary folder and swapped in with one rename, so a reader
never sees a half-written index.
"""

from __future__ import annotations

import fcntl
import json
import os
import re
import shutil
import tempfile
from collections.abc import Callable, Collection, Iterator, Sequence
from contextlib import contextmanager
from functools import lru_cache
from pathlib import Path
from typing import Any

import bm25s
import numpy as np
import numpy.typing as npt
import Stemmer
from bm25s.stopwords import STOPWORDS_EN

from netnav.errors import StoreError
from netnav.store.manifest import (
    IndexIntegrityError,
    check_rows,
    read_manifest,
    record_verified,
    write_manifest,
)
from netnav.store.topk import top_rows
from netnav.store.variants import analyzer_id, us_spelling
from netnav.store.vectors import Hit, Vectors, ann_threshold
from netnav.types.documents import Document, Passage
from netnav.types.embedding import EMBEDDING_DIM

_STEMMER = Stemmer.Stemmer("english")
Progress = Callable[[int, int], None]


_SPLIT = re.compile(r"(?u)\b\w\w+\b").findall  # bm25s' default token pattern
_STOPWORDS = frozenset(STOPWORDS_EN)  # what bm25s uses for stopwords="en"
_BULK = 64  # from this many texts on, bm25s' own batch tokenizer is used (same output)


@lru_cache(maxsize=1 << 16)
def _stem(word: str) -> str:
    """One lower-case word as a search term: American spelling (netnav.store.variants), then its
    Snowball stem ("tumours" and "tumors" -> "tumor")."""
    stem: str = _STEMMER.stemWord(us_spelling(word))
    return stem


def _stem_words(words: list[str]) -> list[str]:
    return [_stem(w) for w in words]


def tokenize_one(text: str) -> list[str]:
    """Tokens of one text, identical to ``bm25s.tokenize`` with our settings, with stems cached per word
    (answer composition tokenises hundreds of short sentences per ask)."""
    return [_stem(w) for w in _SPLIT(text.lower()) if w not in _STOPWORDS]


def tokenize(texts: Sequence[str]) -> list[list[str]]:
    """The one tokenizer for indexing and querying (lowercase, English stopwords, British spellings
    made American, Snowball stems); its identity is `analyzer_id()`."""
    if len(texts) < _BULK:
        return [tokenize_one(t) for t in texts]
    out = bm25s.tokenize(
        list(texts), stopwords="en", stemmer=_stem_words, return_ids=False, show_progress=False
    )
    return [list(t) for t in out]


def index_text(passage: Passage, doc: Document) -> str:
    """What BM25 sees: the passage plus its heading, title and (for cards) topics and patient wording."""
    parts = [
        passage.section or "",
        doc.title if not doc.is_card else "",
        passage.text,
        passage.plain or "",
    ]
    if doc.card is not None:
        parts.append(" ".join(doc.card.topics).replace("-", " "))
    return "\n".join(p for p in parts if p)


def embed_text(passage: Passage, doc: Document) -> str:
    head = passage.section or (doc.title if not doc.is_card else "")
    return f"{head}. {passage.text}" if head else passage.text


@contextmanager
def _folder_lock(folder: Path, exclusive: bool) -> Iterator[None]:
    """An advisory lock file beside the index folder: writers swap exclusively, readers load shared."""
    folder.parent.mkdir(parents=True, exist_ok=True)
    with open(folder.with_name(folder.name + ".lock"), "a+b") as handle:
        fcntl.flock(handle, fcntl.LOCK_EX if exclusive else fcntl.LOCK_SH)
        try:
            yield
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)


CODES_FILE = "rows.npy"  # per row: kind, status and document as numbers into meta.json's value lists


def _columns(
    ids: list[str], kinds: list[str], statuses: list[str], doc_ids: list[str]
) -> tuple[dict[str, Any], npt.NDArray[np.int32]]:
    """meta.json's row columns as value lists plus an (n, 3) int32 code array: one string per distinct
    kind, status and document instead of one per row (less to parse and to keep)."""
    meta: dict[str, Any] = {"ids": ids}
    codes = np.zeros((len(ids), 3), dtype=np.int32)
    for col, (name, column) in enumerate((("kinds", kinds), ("statuses", statuses), ("doc_ids", doc_ids))):
        values: dict[str, int] = {}
        codes[:, col] = [values.setdefault(v, len(values)) for v in column]
        meta[f"{name}_values"] = list(values)
    return meta, codes


def _rows_of(
    meta: dict[str, Any], folder: Path
) -> tuple[npt.NDArray[np.str_], npt.NDArray[np.str_], list[str]]:
    """kinds, statuses and doc ids per row, from the value lists + codes (or the per-row lists that
    indexes written before them hold). Raises ValueError/KeyError/IndexError on a damaged file."""
    if "kinds" in meta:
        return np.array(meta["kinds"]), np.array(meta["statuses"]), list(meta["doc_ids"])
    codes = np.load(folder / CODES_FILE, allow_pickle=False)
    if codes.ndim != 2 or codes.shape[1] != 3 or codes.shape[0] != len(meta["ids"]):
        raise ValueError(f"{CODES_FILE} has shape {codes.shape}")
    if len(codes) and int(codes.min()) < 0:
        raise ValueError(f"{CODES_FILE} holds a negative code")
    kinds = np.array(meta["kinds_values"] or [""])[codes[:, 0]]
    statuses = np.array(meta["statuses_values"] or [""])[codes[:, 1]]
    docs = meta["doc_ids_values"]
    doc_ids = [docs[c] for c in codes[:, 2].tolist()]
    return kinds, statuses, doc_ids


class SearchIndex:
    """Row i of every array describes passage `ids[i]`."""

    def __init__(
        self,
        ids: list[str],
        kinds: Sequence[str] | npt.NDArray[np.str_],
        statuses: Sequence[str] | npt.NDArray[np.str_],
        doc_ids: list[str],
        bm25: bm25s.BM25,
        vectors: npt.NDArray[Any] | Vectors,
        fingerprint: str,
        model_id: str,
    ) -> None:
        self.ids = ids
        self.kinds = np.asarray(kinds)
        self.statuses = np.asarray(statuses)
        self.doc_ids = doc_ids
        self.bm25 = bm25
        self.dense = vectors if isinstance(vectors, Vectors) else Vectors(vectors)
        self.vectors = self.dense.matrix  # (n, dim); float16 when the approximate index is in use
        self.fingerprint = fingerprint
        self.model_id = model_id
        self._vocab: dict[str, int] = dict(getattr(bm25, "vocab_dict", {}) or {})
        self._vocabulary: frozenset[str] | None = None
        self._visible_vocab: dict[frozenset[str], frozenset[str]] = {}
        self._doc_id_set: frozenset[str] | None = None
        self._kind_masks: dict[frozenset[str], npt.NDArray[Any]] = {}
        self._doc_codes: tuple[dict[str, int], npt.NDArray[np.int32]] | None = None

    def __len__(self) -> int:
        return len(self.ids)

    def vocabulary(self, hidden_docs: Collection[str] = ()) -> frozenset[str]:
        """The lexical index's terms (stemmed, as `tokenize` produces them). With `hidden_docs` (other
        sessions' private uploads), only the terms that occur in at least one visible passage: a word
        known only from someone else's upload must not change what this session sees (e.g. whether
        its spelling is corrected). Cached per hidden set (a few recent ones)."""
        if self._vocabulary is None:
            self._vocabulary = frozenset(self._vocab)
        if hidden_docs and self._doc_id_set is None:
            self._doc_id_set = frozenset(self.doc_ids)
        hidden = frozenset(hidden_docs) & (self._doc_id_set or frozenset()) if hidden_docs else frozenset()
        if not hidden:
            return self._vocabulary
        cached = self._visible_vocab.get(hidden)
        if cached is None:
            cached = self._terms_in(~np.isin(np.asarray(self.doc_ids), list(hidden)))
            if len(self._visible_vocab) >= 16:
                self._visible_vocab.pop(next(iter(self._visible_vocab)))
            self._visible_vocab[hidden] = cached
        return cached

    def _terms_in(self, rows: npt.NDArray[Any]) -> frozenset[str]:
        """Terms with a posting in one of the rows where `rows` (bool, one per passage) is True."""
        scores = getattr(self.bm25, "scores", None) or {}
        indptr, indices = scores.get("indptr"), scores.get("indices")
        if indptr is None or indices is None or not len(self.ids):
            return frozenset()
        indptr = np.asarray(indptr)
        per_term = np.repeat(np.arange(len(indptr) - 1), np.diff(indptr))
        visible_postings = np.asarray(rows)[np.asarray(indices)]
        seen = np.bincount(per_term[visible_postings], minlength=len(indptr) - 1) > 0
        return frozenset(t for t, i in self._vocab.items() if i < len(seen) and seen[i])

    def kind_mask(self, kinds: Sequence[str] | None) -> npt.NDArray[Any] | None:
        """Rows whose evidence kind is one of ``kinds`` (bool, one per row); None without kinds.
        Cached per kind set: the index never changes once built, and the comparison over every row
        costs milliseconds at a million rows."""
        if not kinds:
            return None
        key = frozenset(kinds)
        mask = self._kind_masks.get(key)
        if mask is None:
            mask = np.isin(self.kinds, list(key))
            mask.flags.writeable = False
            self._kind_masks[key] = mask
        return mask

    def _doc_rows(self) -> tuple[dict[str, int], npt.NDArray[np.int32]]:
        """Document id -> code, and each row's document code (built once per index)."""
        if self._doc_codes is None:
            codes: dict[str, int] = {}
            per_row = np.fromiter(
                (codes.setdefault(d, len(codes)) for d in self.doc_ids),
                dtype=np.int32,
                count=len(self.doc_ids),
            )
            self._doc_codes = (codes, per_row)
        return self._doc_codes

    def visible_mask(
        self, kinds: Sequence[str] | None, hidden_docs: Collection[str] = ()
    ) -> npt.NDArray[Any] | None:
        """Rows of the wanted kinds whose document is not hidden (another session's private upload);
        None when every row is visible."""
        mask = self.kind_mask(kinds)
        if not hidden_docs:
            return mask
        codes, per_row = self._doc_rows()
        hidden = [codes[d] for d in hidden_docs if d in codes]
        if not hidden:
            return mask
        visible = ~np.isin(per_row, hidden)
        return visible if mask is None else mask & visible

    def row_info(self, rows: Collection[int]) -> dict[int, tuple[str, str]]:
        """row -> (passage id, document status) for the given rows."""
        return {r: (self.ids[r], str(self.statuses[r])) for r in rows}

    def search_lexical(self, tokens: list[str], k: int, mask: npt.NDArray[Any] | None = None) -> list[Hit]:
        known = [t for t in tokens if t in self._vocab]
        if not known or not self.ids:
            return []
        k = min(k, len(self.ids))
        weight = None if mask is None else mask.astype(np.float32)
        if len(self.ids) >= ann_threshold():  # large corpora: select without a pass over every score
            scores = self.bm25.get_scores(known, weight_mask=weight)
            return [Hit(int(r), float(scores[r])) for r in top_rows(scores, k) if scores[r] > 0]
        # n_threads=0: scored in this thread (n_threads=1 starts a thread pool on every call)
        docs, found = self.bm25.retrieve([known], k=k, show_progress=False, weight_mask=weight, n_threads=0)
        return [Hit(int(d), float(s)) for d, s in zip(docs[0], found[0], strict=True) if s > 0]

    def search_dense(
        self, query: npt.NDArray[Any], k: int, mask: npt.NDArray[Any] | None = None
    ) -> list[Hit]:
        """Top ``k`` rows by cosine: exact, or approximate for large corpora (see netnav.store.vectors)."""
        return self.dense.search(query, k, mask)

    def cosines(self, rows: Sequence[int], query: npt.NDArray[Any]) -> npt.NDArray[np.float32]:
        """Exact cosine of the query with the given rows (vectors are L2-normalised), shape (len(rows),)."""
        return self.dense.cosines(rows, query)

    # -- persistence ------------------------------------------------------------------------------

    def save(self, folder: Path) -> None:
        """Write to a temporary folder, then swap it in under an exclusive lock (safe across processes)."""
        folder.parent.mkdir(parents=True, exist_ok=True)
        tmp = Path(tempfile.mkdtemp(prefix=".index-", dir=folder.parent))
        try:
            self.bm25.save(str(tmp / "bm25"), show_progress=False)
            self.dense.save(tmp)
            meta, codes = _columns(self.ids, self.kinds.tolist(), self.statuses.tolist(), self.doc_ids)
            meta.update(fingerprint=self.fingerprint, model_id=self.model_id, analyzer=analyzer_id())
            np.save(tmp / CODES_FILE, codes)
            (tmp / "meta.json").write_text(json.dumps(meta), encoding="utf-8")
            write_manifest(tmp, self.fingerprint, self.model_id, len(self.ids), int(self.vectors.shape[1]))
            record_verified(tmp)  # just hashed what we wrote: the next load need not hash it again
            with _folder_lock(folder, exclusive=True):
                old = folder.with_name(folder.name + ".old")
                if old.exists():
                    shutil.rmtree(old)
                if folder.exists():
                    os.replace(folder, old)
                os.replace(tmp, folder)
                shutil.rmtree(old, ignore_errors=True)
        except BaseException:
            shutil.rmtree(tmp, ignore_errors=True)
            raise

    @classmethod
    def load(cls, folder: Path) -> SearchIndex:
        """Load and verify (netnav.store.manifest): checksums, row counts, fingerprint and model must
        agree, else IndexIntegrityError (a StoreError); never a silently inconsistent index."""
        try:
            with _folder_lock(folder, exclusive=False):
                body = read_manifest(folder)
                meta = json.loads((folder / "meta.json").read_text(encoding="utf-8"))
                if meta.get("analyzer") != analyzer_id():
                    raise IndexIntegrityError(
                        f"search index at {folder} was built with another text analyzer"
                        f" ({meta.get('analyzer') or 'before spelling variants'}; now {analyzer_id()})"
                    )
                kinds, statuses, doc_ids = _rows_of(meta, folder)
                # memory-mapped: the pages load on first touch and are shared between processes
                # (the rename-based swap in `save` leaves an open mapping valid on POSIX)
                bm25 = bm25s.BM25.load(str(folder / "bm25"), show_progress=False, mmap=True)
                vectors = Vectors.load(folder)
            index = cls(
                meta["ids"],
                kinds,
                statuses,
                doc_ids,
                bm25,
                vectors,
                meta["fingerprint"],
                meta["model_id"],
            )
        except IndexIntegrityError:
            raise
        except (OSError, ValueError, KeyError, TypeError, IndexError) as exc:
            raise StoreError(f"search index at {folder} is unreadable: {type(exc).__name__}") from exc
        counts = {
            "kinds": len(index.kinds),
            "statuses": len(index.statuses),
            "doc_ids": len(index.doc_ids),
            "vectors": int(vectors.matrix.shape[0]) if vectors.matrix.ndim == 2 else -1,
            "bm25": int(getattr(bm25, "scores", {}).get("num_docs", len(index.ids))) if index.ids else 0,
        }
        check_rows(body, index.ids, counts)
        if (body.get("fingerprint"), body.get("model_id")) != (index.fingerprint, index.model_id):
            raise IndexIntegrityError(f"search index at {folder}: metadata and manifest disagree")
        return index

    @classmethod
    def build(
        cls,
        rows: Sequence[tuple[Passage, Document]],
        embed: Callable[[list[str]], npt.NDArray[Any]],
        fingerprint: str,
        model_id: str,
    ) -> SearchIndex:
        ids = [p.id for p, _ in rows]
        bm25 = bm25s.BM25()
        corpus_tokens = tokenize([index_text(p, d) for p, d in rows]) if rows else []
        if rows:
            bm25.index(corpus_tokens, show_progress=False)
        vectors = (
            embed([embed_text(p, d) for p, d in rows]) if rows else np.zeros((0, EMBEDDING_DIM), np.float32)
        )
        return cls(
            ids,
            [d.kind for _, d in rows],
            [d.status for _, d in rows],
            [d.id for _, d in rows],
            bm25,
            Vectors.build(vectors),
            fingerprint,
            model_id,
        )

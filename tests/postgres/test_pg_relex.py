"""A PostgreSQL library written with an older text analyzer (British spellings kept as typed) gets its
lexical postings made again, so "tumor" finds the passages that say "tumours"."""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence

import pytest

from netnav.store import index as index_module
from netnav.store.index import tokenize
from netnav.store.postgres import store as store_module
from netnav.store.postgres.relex import ANALYZER_KEY, ensure_analyzer
from netnav.store.postgres.search import PgSearchIndex
from netnav.store.postgres.store import PostgresStore
from netnav.store.variants import analyzer_id
from netnav.types.documents import Document, Passage

TEXTS = [
    "Oesophageal tumours may cause haemorrhage",
    "Paediatric tumours are treated in a specialist centre",
    "Octreotide for diarrhoea in carcinoid syndrome",
]


def _old_tokenize(texts: Sequence[str]) -> list[list[str]]:
    stem = index_module._STEMMER.stemWord
    return [
        [stem(w) for w in index_module._SPLIT(t.lower()) if w not in index_module._STOPWORDS] for t in texts
    ]


def _found(index: PgSearchIndex, word: str) -> set[str]:
    hits = index.search_lexical(tokenize([word])[0], 5)
    return {pid for pid, _ in index.row_info([h.row for h in hits]).values()}


def test_postings_of_an_older_analyzer_are_made_again(
    pg_database: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    store = PostgresStore(pg_database)
    try:
        with monkeypatch.context() as m:
            m.setattr(store_module, "tokenize", _old_tokenize)
            for n, text in enumerate(TEXTS):
                passage = Passage(id=f"p{n}", doc_id=f"d{n}", ordinal=0, text=text, start=0, end=len(text))
                store.add_document(Document(id=f"d{n}", kind="research", title="", format="txt"), [passage])
        old = PgSearchIndex(store, store.fingerprint(), "m")
        assert old.search_lexical(tokenize(["tumors"])[0], 5) == []  # indexed as "tumour"
        generation = store.fingerprint()

        assert ensure_analyzer(store) == 3
        assert store.get_meta(ANALYZER_KEY) == analyzer_id() and store.fingerprint() != generation
        new = PgSearchIndex(store, store.fingerprint(), "m")
        assert _found(new, "tumors") == {"p0", "p1"}
        assert _found(new, "esophageal") == {"p0"}
        tokens = tokenize(TEXTS)
        df = Counter(t for toks in tokens for t in set(toks))
        assert {str(t): int(str(n)) for t, n in store.query("SELECT term, df FROM terms")} == dict(df)
        assert store.query("SELECT passages, tokens FROM lexical_stats") == [(3, sum(map(len, tokens)))]
        assert ensure_analyzer(store) is None  # done once
    finally:
        store.close()

"""Lexical postings made again when the text analyzer changed (netnav.store.variants.analyzer_id):
a database written before British spellings were made American holds "tumour" where every query now
asks for "tumor". The database records the analyzer its postings were made with (metadata
'lexical_analyzer'); when it differs, every passage is tokenised again and its postings, the term
document frequencies and the corpus totals are rewritten in one transaction.
"""

from __future__ import annotations

from collections import Counter

from netnav.store.index import index_text, tokenize
from netnav.store.postgres.rows import DOC_COLUMNS, PASSAGE_COLUMNS, document_of, passage_of
from netnav.store.postgres.store import PostgresStore
from netnav.store.variants import analyzer_id

ANALYZER_KEY = "lexical_analyzer"


def ensure_analyzer(store: PostgresStore) -> int | None:
    """Rewrite the lexical postings when they were made with another analyzer. Returns the number of
    passages tokenised again, or None when the postings were already current. It runs inside the
    library write transaction, so writers wait meanwhile and a second process finds the work done."""
    want = analyzer_id()
    if store.get_meta(ANALYZER_KEY) == want:
        return None
    with store.transaction() as conn:
        row = conn.execute("SELECT value FROM metadata WHERE key=%s", (ANALYZER_KEY,)).fetchone()
        if row is not None and row[0] == want:
            return None
        docs = {
            d.id: d for d in (document_of(r) for r in conn.execute(f"SELECT {DOC_COLUMNS} FROM documents"))
        }
        rows = conn.execute(f"SELECT row_id, {PASSAGE_COLUMNS} FROM passages").fetchall()
        passages = [(int(r[0]), passage_of(r[1:])) for r in rows]
        tokens = tokenize([index_text(p, docs[p.doc_id]) for _, p in passages]) if passages else []
        conn.execute("DELETE FROM postings")
        conn.execute("DELETE FROM terms")
        df: Counter[str] = Counter()
        with conn.cursor() as cur, cur.copy("COPY postings (term, row_id, tf, length) FROM STDIN") as copy:
            for (row_id, _), toks in zip(passages, tokens, strict=True):
                counts = Counter(toks)
                df.update(counts.keys())
                for term, tf in counts.items():
                    copy.write_row((term, row_id, tf, len(toks)))
        conn.execute(
            "UPDATE passages p SET length = t.n FROM unnest(%s::bigint[], %s::int[]) AS t(r, n) WHERE p.row_id = t.r",
            ([row_id for row_id, _ in passages], [len(toks) for toks in tokens]),
        )
        # every process's postings copy (netnav.store.postgres.lcache) loads everything again
        conn.execute("UPDATE lexical_state SET seq = seq + 1, floor = seq + 1")
        conn.execute("DELETE FROM passage_log")
        if df:
            terms = sorted(df)
            conn.execute(
                "INSERT INTO terms(term, df) SELECT * FROM unnest(%s::text[], %s::int[])",
                (terms, [df[t] for t in terms]),
            )
        conn.execute(
            "UPDATE lexical_stats SET passages = %s, tokens = %s",
            (len(passages), sum(len(t) for t in tokens)),
        )
        conn.execute(
            "INSERT INTO metadata(key, value) VALUES (%s,%s) ON CONFLICT (key) DO UPDATE SET value = EXCLUDED.value",
            (ANALYZER_KEY, want),
        )
        conn.execute("UPDATE metadata SET value = (value::bigint + 1)::text WHERE key = 'generation'")
    return len(passages)

"""Exact BM25 top-k in PostgreSQL with MaxScore pruning.

Summing every posting of every query term is what costs: at 100k passages a question holding
"tumour" and "neuroendocrine" reads ~150k postings. Those frequent terms have a small idf, and a
term's BM25 contribution is below its idf (the lucene term-frequency part tf / (tf + k1 * norm) is
< 1). So (MaxScore, Turtle & Flood 1995): terms in more than COMMON_SHARE of the passages are
"common"; the others are summed first ("partial" scores); theta, the k-th best partial score, is a
lower bound of the k-th best full score; only rows whose partial score plus the common terms' idf
sum reaches theta can be in the top k, and only they get their common-term postings looked up (by
primary key). A row without any rare term scores at most that idf sum: when that bound reaches
theta (or fewer than k rows hold a rare term) the plain full sum is used instead. The result is the
same top k as the full sum (tests/postgres/test_pg_lexical.py checks both against each other).
"""

from __future__ import annotations

import math
from collections import Counter
from collections.abc import Callable
from typing import Any

#: A term found in more than this share of passages is summed last, only for candidate rows.
COMMON_SHARE = 0.2

_NORM = "po.tf / (po.tf + %(k1)s * (1 - %(b)s + %(b)s * po.length / %(avglen)s))"

FULL = f"""
WITH q AS (SELECT * FROM unnest(%(terms)s::text[], %(idf)s::float8[]) AS q(term, idf)),
hits AS (
  SELECT po.row_id, SUM(q.idf * {_NORM}) AS score
  FROM q JOIN postings po ON po.term = q.term
  {{where}}
  GROUP BY po.row_id ORDER BY score DESC LIMIT %(pool)s)
SELECT h.row_id, h.score FROM hits h JOIN passages p ON p.row_id = h.row_id
ORDER BY h.score DESC, p.doc_id DESC, p.ordinal DESC LIMIT %(k)s
"""

PRUNED = f"""
WITH r AS (SELECT * FROM unnest(%(rare)s::text[], %(ridf)s::float8[]) AS r(term, idf)),
partial AS (
  SELECT po.row_id, SUM(r.idf * {_NORM}) AS score
  FROM r JOIN postings po ON po.term = r.term
  {{where}}
  GROUP BY po.row_id),
theta AS (SELECT score FROM partial ORDER BY score DESC OFFSET %(kth)s LIMIT 1),
cand AS (SELECT row_id, score FROM partial WHERE score + %(bound)s >= (SELECT score FROM theta)),
c AS (SELECT * FROM unnest(%(common)s::text[], %(cidf)s::float8[]) AS c(term, idf)),
full_ AS (
  SELECT cand.row_id, cand.score + COALESCE(SUM(c.idf * {_NORM}), 0) AS score
  FROM cand CROSS JOIN c LEFT JOIN postings po ON po.term = c.term AND po.row_id = cand.row_id
  GROUP BY cand.row_id, cand.score ORDER BY score DESC LIMIT %(pool)s)
SELECT f.row_id, f.score, (SELECT score FROM theta) FROM full_ f JOIN passages p ON p.row_id = f.row_id
ORDER BY f.score DESC, p.doc_id DESC, p.ordinal DESC LIMIT %(k)s
"""

Run = Callable[[str, dict[str, Any]], list[tuple[Any, ...]]]


def bm25_top(
    run: Run, counts: Counter[str], k: int, where: str, params: dict[str, Any], k1: float, b: float
) -> list[tuple[int, float]]:
    """(row, score) of the top `k` rows, best first (ties: document id, ordinal, descending).

    `run(sql, params)` executes one statement; `where`/`params`: a filter on ``po.row_id``."""
    stats = run(
        "SELECT s.passages, s.tokens, t.term, t.df FROM lexical_stats s"
        " LEFT JOIN terms t ON t.term = ANY(%(terms)s)",
        {"terms": sorted(counts)},
    )
    if not stats:
        return []
    n, tokens = float(stats[0][0]), float(stats[0][1])
    df = {str(r[2]): int(r[3]) for r in stats if r[2] is not None}
    if not df:
        return []
    idf = {t: counts[t] * math.log(1 + (n - d + 0.5) / (d + 0.5)) for t, d in df.items()}
    base = {**params, "k1": k1, "b": b, "avglen": tokens / max(n, 1.0), "k": k, "pool": 2 * k}
    common = sorted(t for t in df if df[t] > COMMON_SHARE * n)
    rare = sorted(t for t in df if t not in common)
    if common and rare:
        rows = run(
            PRUNED.format(where=where),
            {
                **base,
                "rare": rare,
                "ridf": [idf[t] for t in rare],
                "common": common,
                "cidf": [idf[t] for t in common],
                "bound": sum(idf[t] for t in common),
                "kth": k - 1,
            },
        )
        if rows and rows[0][2] is not None and float(rows[0][2]) > sum(idf[t] for t in common):
            return [(int(r[0]), float(r[1])) for r in rows]
    terms = sorted(df)
    rows = run(FULL.format(where=where), {**base, "terms": terms, "idf": [idf[t] for t in terms]})
    return [(int(r[0]), float(r[1])) for r in rows]

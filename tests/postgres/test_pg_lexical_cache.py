"""The per-process postings copy (netnav.store.postgres.lcache): the same BM25 top k as the SQL sum
(scores, and the tie order by document and ordinal), and current with another process's writes."""

from __future__ import annotations

import random
from collections.abc import Iterator

import pytest

from netnav.store.index import tokenize
from netnav.store.postgres import lcache
from netnav.store.postgres.relex import ANALYZER_KEY, ensure_analyzer
from netnav.store.postgres.search import _LEXICAL, PgSearchIndex
from netnav.store.postgres.store import PostgresStore, _bump_generation, _delete_documents
from netnav.store.vectors import Hit
from netnav.types.documents import Document, Passage

COMMON = ["tumour", "neuroendocrine", "patient"]
RARE = [
    "everolimus", "sunitinib", "lutetium", "octreotide", "lanreotide", "gastrinoma", "insulinoma",
    "chromogranin", "somatostatin", "capecitabine", "temozolomide", "carcinoid", "serotonin", "glucagon",
]  # fmt: skip


def _doc(name: str, per_doc: int, kind: str = "research") -> tuple[Document, list[Passage]]:
    rng = random.Random(name)
    passages = []
    for i in range(per_doc):
        words = [w for w in COMMON if rng.random() < 0.8] + rng.sample(RARE, rng.randint(0, 3))
        words += [rng.choice(RARE)] * rng.randint(0, 2) + ["filler"] * rng.randint(0, 6)
        rng.shuffle(words)
        text = " ".join(words) or "filler"
        passages.append(Passage(id=f"{name}-{i}", doc_id=name, ordinal=i, text=text, start=0, end=1))
    return Document(id=name, kind=kind, title="", format="txt"), passages


_KEYS = "SELECT row_id, doc_id, ordinal FROM passages"  # equal scores: document id, ordinal, descending


@pytest.fixture
def stores(pg_database: str) -> Iterator[tuple[PostgresStore, PostgresStore]]:
    a, b = PostgresStore(pg_database), PostgresStore(pg_database)
    try:
        yield a, b
    finally:
        a.close()
        b.close()


def _sql(index: PgSearchIndex, tokens: list[str], k: int, mask: object, mp: pytest.MonkeyPatch) -> list[Hit]:
    mp.setenv("NETNAV_PG_SEARCH_CACHE", "0")
    try:
        return index.search_lexical(tokens, k, mask)  # type: ignore[arg-type]
    finally:
        mp.delenv("NETNAV_PG_SEARCH_CACHE")


def _agree(index: PgSearchIndex, mp: pytest.MonkeyPatch, trials: int = 18) -> None:
    rng = random.Random(3)
    masks = [None, index.visible_mask(["guideline"]), index.visible_mask(None, {"d1", "d4"})]
    for trial in range(trials):
        words = rng.sample(COMMON, rng.randint(0, 3)) + rng.sample(RARE, rng.randint(1, 4))
        tokens = tokenize([" ".join(words)])[0] + (["zzzunknown"] if trial % 5 == 0 else [])
        mask = masks[trial % 3]
        k = rng.choice([1, 3, 10, 40])
        cached = index.search_lexical(tokens, k, mask)
        sql = _sql(index, tokens, k, mask, mp)
        assert [h.score for h in cached] == pytest.approx([h.score for h in sql], rel=1e-12)
        # the same rows at each score; SQL sums a row's terms in any order, so its equal scores can differ
        # in the last bit and their order is not comparable
        assert _by_score(cached) == _by_score(sql)
        key = {int(str(r[0])): (str(r[1]), int(str(r[2]))) for r in index.store.query(_KEYS)}
        assert all(
            key[a.row] > key[b.row] for a, b in zip(cached, cached[1:], strict=False) if a.score == b.score
        )


def _by_score(hits: list[Hit]) -> dict[float, set[int]]:
    """Rows per score (to 9 digits), without the lowest score: a tie there may be cut differently."""
    groups: dict[float, set[int]] = {}
    for hit in hits:
        groups.setdefault(round(hit.score, 9), set()).add(hit.row)
    if groups:
        del groups[min(groups)]
    return groups


def test_cached_bm25_equals_the_sql_sum_and_follows_other_writers(
    stores: tuple[PostgresStore, PostgresStore], monkeypatch: pytest.MonkeyPatch
) -> None:
    reader, writer = stores
    for d in range(24):
        writer.add_document(*_doc(f"d{d}", 8, kind="research" if d % 3 else "guideline"))
    index = PgSearchIndex(reader, reader.fingerprint(), "m")
    _agree(index, monkeypatch)
    cache = _LEXICAL[reader]
    assert cache.loads == 1 and cache.nbytes > 0

    gone = {int(str(r[0])) for r in writer.query("SELECT row_id FROM passages WHERE doc_id IN ('d2', 'd7')")}
    writer.add_document(*_doc("late", 12, kind="guideline"))  # another process adds ...
    with writer.transaction() as conn:  # ... and deletes
        _delete_documents(conn, ["d2", "d7"])
        _bump_generation(conn)
    index = PgSearchIndex(reader, reader.fingerprint(), "m")
    _agree(index, monkeypatch)
    rare = set(tokenize([" ".join(RARE)])[0])
    late = {
        int(str(r[0]))
        for r in writer.query("SELECT DISTINCT row_id FROM postings WHERE term = ANY(%s)", (sorted(rare),))
        if int(str(r[0])) > max(gone)
    }
    found = {h.row for h in index.search_lexical(sorted(rare), 400)}
    assert late and late <= found and not gone & found
    assert cache.loads == 1  # applied incrementally

    writer.set_meta(ANALYZER_KEY, "an older analyzer")
    assert ensure_analyzer(writer) == 24 * 8 - 16 + 12  # every passage tokenised again: a full load follows
    _agree(index, monkeypatch, trials=6)
    assert cache.loads == 2


def test_many_changes_load_everything_again(
    stores: tuple[PostgresStore, PostgresStore], monkeypatch: pytest.MonkeyPatch
) -> None:
    reader, writer = stores
    writer.add_document(*_doc("a", 10))
    index = PgSearchIndex(reader, reader.fingerprint(), "m")
    index.search_lexical(["everolimus"], 5)
    monkeypatch.setattr(lcache, "REFRESH_SHARE", 0.0)
    writer.add_document(*_doc("b", 10))
    _agree(index, monkeypatch, trials=4)
    assert _LEXICAL[reader].loads == 2

"""The cached per-text tokenizer gives exactly what bm25s' batch tokenizer gives."""

from __future__ import annotations

import bm25s
from hypothesis import given, settings
from hypothesis import strategies as st

from netnav.knowledge.loader import card_documents
from netnav.store.index import _stem_words, index_text, tokenize, tokenize_one


def _bm25s(texts: list[str]) -> list[list[str]]:
    out = bm25s.tokenize(texts, stopwords="en", stemmer=_stem_words, return_ids=False, show_progress=False)
    return [list(t) for t in out]


def test_identical_to_bm25s_on_every_card() -> None:
    texts = [index_text(p, d) for d, p in card_documents()]
    assert [tokenize_one(t) for t in texts] == _bm25s(texts)
    assert tokenize(texts[:10]) == _bm25s(texts[:10])  # the short-list path


@settings(max_examples=200, deadline=None)
@given(st.text(max_size=200))
def test_identical_to_bm25s_on_any_text(text: str) -> None:
    assert tokenize_one(text) == _bm25s([text])[0]


def test_edge_cases() -> None:
    for text in ["", "!!", "a b", "The THE the", "Ki-67 of 15% in a G2 NET", "Ünïcödé naïve café", "x\x00y"]:
        assert tokenize_one(text) == _bm25s([text])[0], text

"""Convex score fusion of lexical and dense hits."""

from __future__ import annotations

import pytest

from netnav.retrieve.search import COSINE_FLOOR, DENSE_WEIGHT, convex_fusion
from netnav.store.vectors import Hit


def test_scores_are_normalised_and_weighted() -> None:
    lexical = [Hit(1, 10.0), Hit(2, 5.0)]
    dense = [Hit(3, 0.8), Hit(1, 0.4)]
    cosine = {1: 0.4, 2: 0.6, 3: 0.8}
    fused = convex_fusion(lexical, dense, cosine, dense_weight=0.5, cosine_floor=-1.0)
    # cosines scaled between the floor (-1 here) and the best dense hit (0.8); BM25 by its best
    assert fused[1] == pytest.approx(0.5 * 1.4 / 1.8 + 0.5 * 1.0)
    assert fused[2] == pytest.approx(0.5 * 1.6 / 1.8 + 0.5 * 0.5)
    assert fused[3] == pytest.approx(0.5 * 1.0)  # not in the lexical pool: 0 on that side


def test_a_cosine_gap_counts_by_its_size_not_by_the_pool_spread() -> None:
    # the same two passages, once in a flat dense pool and once in a spread-out one: the weakest pool
    # member must not change how far apart they are (min-max over the pool made 0.005 count like 0.2)
    lexical = [Hit(1, 8.0)]
    flat = [Hit(2, 0.443), Hit(3, 0.440), Hit(9, 0.438)]
    spread = [Hit(2, 0.443), Hit(3, 0.440), Hit(9, 0.05)]
    cosine = {1: 0.30, 2: 0.443, 3: 0.440, 9: 0.438}
    a = convex_fusion(lexical, flat, cosine, DENSE_WEIGHT)
    b = convex_fusion(lexical, spread, {**cosine, 9: 0.05}, DENSE_WEIGHT)
    for row in (1, 2, 3):
        assert a[row] == pytest.approx(b[row])
    assert a[2] - a[3] < 0.01


def test_a_large_lexical_margin_survives_fusion() -> None:
    # RRF would tie rows 1 and 3 (each first in one list); score fusion keeps BM25's clear margin
    lexical = [Hit(1, 20.0), Hit(3, 2.0)]
    dense = [Hit(3, 0.52), Hit(1, 0.50), Hit(4, 0.30)]
    cosine = {1: 0.50, 3: 0.52, 4: 0.30}
    fused = convex_fusion(lexical, dense, cosine, dense_weight=0.6)
    assert max(fused, key=fused.__getitem__) == 1


def test_weight_extremes_reproduce_each_retriever() -> None:
    lexical = [Hit(1, 3.0), Hit(2, 2.0), Hit(3, 1.0)]
    dense = [Hit(3, 0.9), Hit(2, 0.5), Hit(1, 0.1)]
    cosine = {1: 0.1, 2: 0.5, 3: 0.9}
    lex_only = convex_fusion(lexical, dense, cosine, dense_weight=0.0)
    dense_only = convex_fusion(lexical, dense, cosine, dense_weight=1.0)
    assert sorted(lex_only, key=lambda r: -lex_only[r]) == [1, 2, 3]
    assert sorted(dense_only, key=lambda r: -dense_only[r]) == [3, 2, 1]


def test_empty_and_one_sided_inputs() -> None:
    assert convex_fusion([], [], {}, 0.5) == {}
    only_dense = convex_fusion([], [Hit(7, 0.3), Hit(8, 0.2)], {7: 0.3, 8: 0.2}, 0.6)
    assert only_dense[7] > only_dense[8]
    only_lex = convex_fusion([Hit(5, 4.0), Hit(6, 1.0)], [], {5: 0.2, 6: 0.9}, 0.6)
    assert set(only_lex) == {5, 6}
    assert all(0.0 <= v <= 1.0 for v in only_lex.values())


def test_a_cosine_at_or_below_the_floor_scores_zero_on_the_dense_side() -> None:
    lexical = [Hit(1, 2.0)]
    dense = [Hit(2, 0.6)]
    cosine = {1: COSINE_FLOOR - 0.2, 2: 0.6}
    fused = convex_fusion(lexical, dense, cosine, dense_weight=0.7)
    assert fused[1] == pytest.approx(0.3)  # lexical side only: 0.3 x (2.0 / 2.0)
    assert fused[2] == pytest.approx(0.7)  # best cosine scores 1 on the dense side

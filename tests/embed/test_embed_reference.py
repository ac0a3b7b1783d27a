"""Our onnxruntime encoder against vectors from sentence-transformers + torch (see make_reference.py)."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pytest

from netnav.embed import Embedder
from tests.embed.reference_sentences import SENTENCES
from tests.embed.reference_vectors import REFERENCE_FIRST8, REFERENCE_TOKEN_COUNTS

_FULL = json.loads((Path(__file__).parent / "reference_vectors.json").read_text(encoding="utf-8"))


def test_reference_file_matches_sentences() -> None:
    assert _FULL["sentences"] == SENTENCES
    assert len(_FULL["vectors"]) == len(SENTENCES) == len(REFERENCE_FIRST8)
    assert all(len(v) == 384 for v in _FULL["vectors"])


def test_token_counts_match_reference_truncation(embedder: Embedder) -> None:
    assert embedder.token_counts(SENTENCES) == REFERENCE_TOKEN_COUNTS
    assert max(REFERENCE_TOKEN_COUNTS) == 256  # the long sentence really is truncated


@pytest.mark.parametrize("batch_size", [1, 2, 32])
def test_first_eight_dims_match_reference(embedder: Embedder, batch_size: int) -> None:
    ours = embedder.embed(SENTENCES, batch_size=batch_size)
    np.testing.assert_allclose(ours[:, :8], np.array(REFERENCE_FIRST8, dtype=np.float32), atol=1e-4, rtol=0)


def test_full_vectors_cosine_to_reference(embedder: Embedder) -> None:
    ours = embedder.embed(SENTENCES)
    ref = np.array(_FULL["vectors"], dtype=np.float64)
    ref /= np.linalg.norm(ref, axis=1, keepdims=True)
    cos = (ours.astype(np.float64) * ref).sum(axis=1) / np.linalg.norm(ours, axis=1)
    assert cos.min() >= 0.99999, cos
    assert np.abs(ours - ref).max() < 1e-5


def test_similarity_ordering_is_sensible(embedder: Embedder) -> None:
    a, b, c = embedder.embed(
        [
            "Pancreatic neuroendocrine tumour",
            "Neuroendocrine tumors of the pancreas",
            "How do I bake sourdough bread?",
        ]
    )
    assert float(a @ b) > 0.7
    assert float(a @ b) > float(a @ c) + 0.4

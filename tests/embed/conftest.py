"""Shared fixtures for the embedding tests."""

from __future__ import annotations

import pytest

from netnav.embed import Embedder


@pytest.fixture(scope="session")
def embedder() -> Embedder:
    emb = Embedder()
    emb.load()
    return emb

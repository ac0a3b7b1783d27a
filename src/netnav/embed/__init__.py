"""Sentence embeddings (all-MiniLM-L6-v2 on onnxruntime) and their persistent cache.

Public API::

    from netnav.embed import Embedder, EmbeddingCache, embed_cached

    emb = Embedder()                       # cheap; verifies + loads weights on first use
    vecs = emb.embed(["What is a NET?"])   # float32 (n, 384), L2-normalised
    with EmbeddingCache(path, emb.model_id) as cache:
        vecs = embed_cached(emb, cache, texts)   # computes only the misses
"""

from __future__ import annotations

import os as _os

_os.environ["ORT_DISABLE_TELEMETRY"] = "1"  # before anything imports onnxruntime (see _runtime.py)

from netnav.embed._integrity import MODEL_NAME, MODEL_SHA256, default_model_dir, verify_model_dir
from netnav.embed.cache import CacheStats, EmbeddingCache, SupportsEmbed, embed_cached, text_hash
from netnav.embed.embedder import DIM, Embedder

__all__ = [
    "DIM",
    "MODEL_NAME",
    "MODEL_SHA256",
    "CacheStats",
    "Embedder",
    "EmbeddingCache",
    "SupportsEmbed",
    "default_model_dir",
    "embed_cached",
    "text_hash",
    "verify_model_dir",
]

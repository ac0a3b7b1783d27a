"""The width of every embedding vector in NETNav (all-MiniLM-L6-v2's hidden size)."""

from __future__ import annotations

EMBEDDING_DIM = 384

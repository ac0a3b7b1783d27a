"""Test doubles shared by the test suite and benchmarks: a hash embedder and a tiny corpus.

- `HashEmbedder`: deterministic bag-of-words vectors (feature hashing into `DIM` dimensions, L2-normalised).
  No model weights, no start-up cost; texts sharing words get similar vectors, which is enough for
  tests of indexing, storage, concurrency and the API that do not judge retrieval quality.
- `TINY_CORPUS` / `write_tiny_corpus(folder)`: a handful of short documents, in our own words, in the
  formats `netnav ingest` reads.
- `netnav_command()`: argv prefix that runs the command line of this interpreter's netnav (`python -m netnav`).
"""

from __future__ import annotations

import hashlib
import re
import sys
from collections.abc import Sequence
from pathlib import Path

import numpy as np
import numpy.typing as npt

from netnav.types.embedding import EMBEDDING_DIM

_WORD = re.compile(r"[a-z0-9]+")


class HashEmbedder:
    """Feature-hashed bag of words, shape ``(len(texts), EMBEDDING_DIM)``, float32, L2-normalised.

    An empty or wordless text embeds as the zero vector. Satisfies `netnav.embed.cache.SupportsEmbed`.
    """

    model_id = f"hash-bow-v1/dim{EMBEDDING_DIM}"
    dim = EMBEDDING_DIM

    def load(self) -> None:
        """Nothing to load (mirrors `Embedder.load`)."""

    def embed(self, texts: Sequence[str], batch_size: int = 32) -> npt.NDArray[np.float32]:
        if isinstance(texts, str):
            raise TypeError("embed() takes a sequence of strings, not a single string")
        out = np.zeros((len(texts), EMBEDDING_DIM), dtype=np.float32)
        for row, text in enumerate(texts):
            for word in _WORD.findall(text.lower()):
                digest = hashlib.blake2b(word.encode("utf-8"), digest_size=8).digest()
                slot = int.from_bytes(digest[:4], "little") % EMBEDDING_DIM
                out[row, slot] += 1.0 if digest[4] & 1 else -1.0
            norm = float(np.linalg.norm(out[row]))
            if norm > 0:
                out[row] /= norm
        return out


TINY_CORPUS: dict[str, str] = {
    "lanreotide.md": (
        "# Lanreotide for neuroendocrine tumors\n\n"
        "Lanreotide is a somatostatin analogue given as a monthly injection. It can slow the growth of "
        "well differentiated gastroenteropancreatic neuroendocrine tumors and eases flushing and diarrhea "
        "from carcinoid syndrome.\n"
    ),
    "ki67.txt": (
        "Ki-67 grading\n\n"
        "The Ki-67 index is the share of tumor cells that are dividing. Under 3 percent is grade 1, "
        "3 to 20 percent is grade 2 and above 20 percent is grade 3 for a well differentiated tumor.\n"
    ),
    "immunotherapy.html": (
        "<html><head><title>Checkpoint inhibitors and NEC</title></head><body>"
        "<h1>Checkpoint inhibitors and NEC</h1>"
        "<p>Immune checkpoint inhibitors such as pembrolizumab are approved for any solid tumor with high "
        "microsatellite instability or a high tumor mutational burden. Most well differentiated "
        "neuroendocrine tumors have neither marker.</p></body></html>"
    ),
}


def write_tiny_corpus(folder: Path) -> list[Path]:
    """Write `TINY_CORPUS` into ``folder`` (created if needed); returns the paths in name order."""
    folder.mkdir(parents=True, exist_ok=True)
    paths = []
    for name in sorted(TINY_CORPUS):
        path = folder / name
        path.write_text(TINY_CORPUS[name], encoding="utf-8")
        paths.append(path)
    return paths


def netnav_command() -> list[str]:
    """``[sys.executable, "-m", "netnav"]``: the command line of the netnav this interpreter imports."""
    return [sys.executable, "-m", "netnav"]

"""Sentence embeddings from all-MiniLM-L6-v2, computed by onnxruntime.

Equivalent to ``SentenceTransformer("all-MiniLM-L6-v2").encode(texts, normalize_embeddings=True)``:
WordPiece tokenisation (truncated to 256 tokens incl. [CLS]/[SEP]), BERT encoder, mean pooling
over the attention mask, L2 normalisation. Weights come only from a local directory whose
SHA-256 is checked before use; the ONNX graph is built from them (see :mod:`netnav.embed._graph`).
"""

from __future__ import annotations

import json
import os
import threading
from collections.abc import Callable, Iterator, Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
import numpy.typing as npt
from tokenizers import Tokenizer

from netnav.embed._graph import BertConfig
from netnav.embed._integrity import (
    MODEL_NAME,
    MODEL_SHA256,
    default_model_dir,
    verify_model_dir,
)
from netnav.errors import ModelIntegrityError
from netnav.types.embedding import EMBEDDING_DIM

DIM = EMBEDDING_DIM
DEFAULT_MAX_SEQ_LENGTH = 256
# Upper bound on attention-score elements per forward call (batch * heads * seq * seq): 8M floats
# = 32 MB, which keeps peak memory small for long passages while short ones batch fully.
_MAX_SCORE_ELEMENTS = 8 * 1024 * 1024
_MAX_DEFAULT_WORKERS = 4
# Padded tokens per forward call. Smaller batches keep the activations in cache: CPU per passage on
# 400 real PDQ passages (123 tokens on average), one thread: 25.8/s unlimited (32 rows), 27.4/s at
# 2048, 30/s at 1024, 31.5/s at 512, 32/s at 256 (docs/performance.md, issue 16).
_MAX_BATCH_TOKENS = 512


def embed_workers() -> int:
    """Batches embedded at the same time: ``$NETNAV_EMBED_WORKERS``, else the usable CPU cores (max 4).

    Each batch runs on one onnxruntime thread (see :func:`netnav.embed._runtime._threads`), so
    bulk embedding (ingest, index builds) uses every core by running separate batches side by side;
    a single query is one batch and stays on one thread. Vectors do not depend on this setting.
    """
    raw = os.environ.get("NETNAV_EMBED_WORKERS", "")
    if raw.isdigit() and int(raw) > 0:
        return int(raw)
    try:
        cores = len(os.sched_getaffinity(0))
    except AttributeError:  # not on Linux
        cores = os.cpu_count() or 1
    return max(1, min(cores, _MAX_DEFAULT_WORKERS))


def _length_batches(
    lengths: npt.NDArray[np.int64], batch_size: int, heads: int
) -> list[npt.NDArray[np.intp]]:
    """Row indices grouped into batches of similar token length (longest first), each at most
    ``batch_size`` rows, :data:`_MAX_BATCH_TOKENS` padded tokens and :data:`_MAX_SCORE_ELEMENTS`
    attention scores."""
    order = np.argsort(-lengths, kind="stable")
    batches: list[npt.NDArray[np.intp]] = []
    start = 0
    while start < len(order):
        seq = int(lengths[order[start]])
        fit = max(1, min(_MAX_SCORE_ELEMENTS // (heads * seq * seq), _MAX_BATCH_TOKENS // seq))
        batches.append(order[start : start + min(batch_size, fit)])
        start += len(batches[-1])
    return batches


@dataclass(frozen=True)
class _Model:
    sha256: str
    session: Any  # onnxruntime.InferenceSession (imported lazily)
    num_heads: int
    tokenizer: Tokenizer
    max_seq_length: int


_models_lock = threading.Lock()
_models: dict[str, _Model] = {}


def _clean(text: str) -> str:
    """Replace lone surrogates (e.g. from surrogateescape decoding), which the tokenizer rejects."""
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        return text.encode("utf-8", errors="replace").decode("utf-8")
    return text


def _read_max_seq_length(model_dir: Path, max_positions: int) -> int:
    path = model_dir / "sentence_bert_config.json"
    try:
        value = int(
            json.loads(path.read_text(encoding="utf-8")).get("max_seq_length", DEFAULT_MAX_SEQ_LENGTH)
        )
    except (OSError, ValueError, TypeError, AttributeError) as exc:
        raise ModelIntegrityError(f"invalid {path}: {exc}") from exc
    if not 2 <= value <= max_positions:
        raise ModelIntegrityError(f"{path}: max_seq_length {value} outside 2..{max_positions}")
    return value


def _load_model(model_dir: Path) -> _Model:
    """Verify, then load tokenizer and weights; one shared copy per directory per process."""
    key = str(model_dir.resolve())
    with _models_lock:
        cached = _models.get(key)
        if cached is not None:
            return cached
        sha = verify_model_dir(model_dir, MODEL_SHA256)
        config = BertConfig.from_file(model_dir / "config.json")
        if config.hidden_size != DIM:
            raise ModelIntegrityError(f"expected hidden_size {DIM}, config says {config.hidden_size}")
        max_len = _read_max_seq_length(model_dir, config.max_position_embeddings)
        try:
            tokenizer = Tokenizer.from_file(str(model_dir / "tokenizer.json"))
        except Exception as exc:  # tokenizers raises a bare Exception on bad files
            raise ModelIntegrityError(f"cannot load tokenizer from {model_dir}: {exc}") from exc
        tokenizer.no_padding()  # tokenizer.json pads to a fixed 128; we pad per batch ourselves
        tokenizer.enable_truncation(max_length=max_len)
        from netnav.embed._runtime import encoder_model, make_session

        session = make_session(encoder_model(model_dir, config, sha))
        model = _Model(
            sha256=sha,
            session=session,
            num_heads=config.num_heads,
            tokenizer=tokenizer,
            max_seq_length=max_len,
        )
        _models[key] = model
        return model


class Embedder:
    """all-MiniLM-L6-v2 sentence embedder. Construction is cheap; weights load on first use."""

    def __init__(self, model_dir: str | Path | None = None) -> None:
        self._model_dir = Path(model_dir) if model_dir is not None else None
        self._model: _Model | None = None
        self._sha256: str | None = None
        self._model_id: str | None = None
        self._lock = threading.Lock()

    @property
    def model_dir(self) -> Path:
        if self._model_dir is None:
            self._model_dir = default_model_dir()
        return self._model_dir

    @property
    def dim(self) -> int:
        return DIM

    @property
    def model_id(self) -> str:
        """Cache key for vectors from this model: name, weights' SHA-256 prefix, seq length, pooling."""
        if self._model_id is None:
            if self._sha256 is None:
                self._sha256 = verify_model_dir(self.model_dir, MODEL_SHA256)
            seq = (
                self._model.max_seq_length
                if self._model is not None
                else _read_max_seq_length(self.model_dir, 512)
            )
            self._model_id = f"{MODEL_NAME}@sha256:{self._sha256[:16]}/seq{seq}/mean/l2"
        return self._model_id

    @property
    def max_seq_length(self) -> int:
        return self._get_model().max_seq_length

    def load(self) -> None:
        """Verify and load now rather than on the first call to :meth:`embed`."""
        self._get_model()

    def _get_model(self) -> _Model:
        if self._model is None:
            with self._lock:
                if self._model is None:
                    model = _load_model(self.model_dir)
                    self._sha256 = model.sha256
                    self._model = model
        return self._model

    def token_counts(self, texts: Sequence[str]) -> list[int]:
        """Number of tokens (incl. [CLS]/[SEP], after truncation) each text is embedded from."""
        model = self._get_model()
        return [len(enc.ids) for enc in model.tokenizer.encode_batch([_clean(t) for t in texts])]

    def embed(
        self,
        texts: Sequence[str],
        batch_size: int = 32,
        progress: Callable[[int], None] | None = None,
    ) -> npt.NDArray[np.float32]:
        """L2-normalised float32 embeddings, shape ``(len(texts), 384)``, in input order.

        ``progress``, if given, is called after each batch with the number of texts just embedded
        (for progress bars during indexing).
        """
        if isinstance(texts, str):
            raise TypeError("embed() takes a sequence of strings, not a single string")
        if batch_size < 1:
            raise ValueError("batch_size must be >= 1")
        items = list(texts)
        out = np.zeros((len(items), DIM), dtype=np.float32)
        if not items:
            return out
        for i, t in enumerate(items):
            if not isinstance(t, str):
                raise TypeError(f"texts[{i}] is {type(t).__name__}, not str")
        model = self._get_model()
        encodings = model.tokenizer.encode_batch([_clean(t) for t in items])
        id_lists = [enc.ids for enc in encodings]
        lengths = np.fromiter((len(ids) for ids in id_lists), dtype=np.int64, count=len(id_lists))
        batches = _length_batches(lengths, batch_size, model.num_heads)
        workers = min(embed_workers(), len(batches))

        def run(idx: npt.NDArray[np.intp]) -> npt.NDArray[np.float32]:
            return self._embed_batch(model, [id_lists[i] for i in idx], lengths[idx])

        if workers <= 1:
            results: Iterator[npt.NDArray[np.float32]] = map(run, batches)
            for idx, vecs in zip(batches, results, strict=True):
                out[idx] = vecs
                if progress is not None:
                    progress(len(idx))
            return out
        # onnxruntime releases the GIL inside run(): one batch per core, same session, same output
        with ThreadPoolExecutor(max_workers=workers, thread_name_prefix="netnav-embed") as pool:
            for idx, vecs in zip(batches, pool.map(run, batches), strict=True):
                out[idx] = vecs
                if progress is not None:
                    progress(len(idx))
        return out

    @staticmethod
    def _embed_batch(
        model: _Model, id_lists: list[list[int]], lengths: npt.NDArray[np.int64]
    ) -> npt.NDArray[np.float32]:
        from netnav.embed._runtime import run_encoder

        b, seq = len(id_lists), int(lengths.max())
        ids = np.zeros((b, seq), dtype=np.int64)  # [PAD] has id 0
        for row, tok in enumerate(id_lists):
            ids[row, : len(tok)] = tok
        mask = (np.arange(seq)[None, :] < lengths[:, None]).astype(np.int64)
        return run_encoder(model.session, ids, mask)

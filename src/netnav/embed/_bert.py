"""A float32 NumPy forward pass of a BERT encoder (as used by all-MiniLM-L6-v2).

Matches Hugging Face ``BertModel`` in eval mode: word + position + token-type embeddings,
LayerNorm, then N post-LayerNorm encoder layers (multi-head self-attention, erf-GELU FFN).
Dense layers run on the flattened ``(batch * seq, hidden)`` matrix so that each is one BLAS call.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
import numpy.typing as npt

from netnav.errors import ModelIntegrityError

F32 = npt.NDArray[np.float32]
I64 = npt.NDArray[np.int64]

_NEG = np.float32(-1e9)  # additive mask for padded keys; exp() of it underflows to exactly 0
_GELU_CHUNK = 1 << 14  # elements per GELU pass: keeps the ~25 elementwise passes in cache
_SMALL_ROWS = 128  # up to this many tokens per forward, dense layers use the (W @ x.T).T form
_FOUR = np.float32(4.0)
_HALF = np.float32(0.5)

# Rational approximation of erf on [-4, 4] (Eigen / XLA float erf); |error| < 5e-7 in float32.
_ERF_ALPHA = tuple(
    np.float32(c)
    for c in (
        -2.72614225801306e-10,
        2.77068142495902e-08,
        -2.10102402082508e-06,
        -5.69250639462346e-05,
        -7.34990630326855e-04,
        -2.95459980854025e-03,
        -1.60960333262415e-02,
    )
)
_ERF_BETA = tuple(
    np.float32(c)
    for c in (
        -1.45660718464996e-05,
        -2.13374055278905e-04,
        -1.68282697438203e-03,
        -7.37332916720468e-03,
        -1.42647390514189e-02,
    )
)
_ERF_ALPHA_HALF = tuple(np.float32(0.5) * c for c in _ERF_ALPHA)
_INV_SQRT2 = np.float32(1.0 / np.sqrt(2.0))


@dataclass(frozen=True)
class BertConfig:
    hidden_size: int
    num_layers: int
    num_heads: int
    intermediate_size: int
    max_position_embeddings: int
    layer_norm_eps: float
    vocab_size: int
    type_vocab_size: int

    @classmethod
    def from_file(cls, path: Path) -> BertConfig:
        try:
            raw: dict[str, Any] = json.loads(path.read_text(encoding="utf-8"))
            if raw.get("hidden_act", "gelu") != "gelu":
                raise ModelIntegrityError(f"{path}: unsupported hidden_act {raw.get('hidden_act')!r}")
            if raw.get("position_embedding_type", "absolute") != "absolute":
                raise ModelIntegrityError(f"{path}: only absolute position embeddings are supported")
            return cls(
                hidden_size=int(raw["hidden_size"]),
                num_layers=int(raw["num_hidden_layers"]),
                num_heads=int(raw["num_attention_heads"]),
                intermediate_size=int(raw["intermediate_size"]),
                max_position_embeddings=int(raw["max_position_embeddings"]),
                layer_norm_eps=float(raw["layer_norm_eps"]),
                vocab_size=int(raw["vocab_size"]),
                type_vocab_size=int(raw.get("type_vocab_size", 2)),
            )
        except (OSError, ValueError, KeyError, TypeError) as exc:
            raise ModelIntegrityError(f"invalid model config {path}: {exc}") from exc


@dataclass(frozen=True)
class _Layer:
    w_qkv: F32  # (3H, H), query rows pre-scaled by 1/sqrt(head_dim); all weights are (out, in)
    b_qkv: F32
    w_o: F32  # (H, H)
    b_o: F32
    ln1_g: F32
    ln1_b: F32
    w_in: F32  # (I, H)
    b_in: F32
    w_out: F32  # (H, I)
    b_out: F32
    ln2_g: F32
    ln2_b: F32


def _gelu_block(h: F32) -> F32:
    """Exact (erf) GELU in place on a C-contiguous array, in cache-sized chunks."""
    flat = h.reshape(-1)
    n = min(_GELU_CHUNK, flat.size)
    buf_t, buf_x2, buf_p, buf_q = (np.empty(n, dtype=np.float32) for _ in range(4))
    for start in range(0, flat.size, _GELU_CHUNK):
        seg = flat[start : start + _GELU_CHUNK]
        m = seg.size
        t, x2, p, q = buf_t[:m], buf_x2[:m], buf_p[:m], buf_q[:m]
        np.multiply(seg, _INV_SQRT2, out=t)
        np.minimum(t, _FOUR, out=t)
        np.maximum(t, -_FOUR, out=t)
        np.multiply(t, t, out=x2)
        # p = 0.5 * numerator (the 0.5 of GELU is folded into the coefficients), q = denominator
        np.multiply(x2, _ERF_ALPHA_HALF[0], out=p)
        p += _ERF_ALPHA_HALF[1]
        for c in _ERF_ALPHA_HALF[2:]:
            p *= x2
            p += c
        p *= t
        np.multiply(x2, _ERF_BETA[0], out=q)
        q += _ERF_BETA[1]
        for c in _ERF_BETA[2:]:
            q *= x2
            q += c
        np.divide(p, q, out=p)  # 0.5 * erf(h / sqrt(2))
        p += _HALF
        seg *= p
    return h


def gelu_(h: F32) -> F32:
    """Exact (erf) GELU in place: 0.5 * h * (1 + erf(h / sqrt(2))). ``h`` must be C-contiguous."""
    if not h.flags.c_contiguous:
        raise ValueError("gelu_ needs a C-contiguous array")
    return _gelu_block(h)


def erf(x: npt.ArrayLike) -> F32:
    """erf in float32 by the same approximation the GELU uses (exposed for tests)."""
    t = np.clip(np.asarray(x, dtype=np.float32), -_FOUR, _FOUR)
    x2 = t * t
    p = np.full_like(t, _ERF_ALPHA_HALF[0])
    for c in _ERF_ALPHA_HALF[1:]:
        p = p * x2 + c
    q = np.full_like(t, _ERF_BETA[0])
    for c in _ERF_BETA[1:]:
        q = q * x2 + c
    result: F32 = (np.float32(2.0) * p * t / q).astype(np.float32)
    return result


def _softmax_block(scores: F32) -> F32:
    scores -= scores.max(axis=-1, keepdims=True)
    np.exp(scores, out=scores)
    scores /= scores.sum(axis=-1, keepdims=True)
    return scores


def _linear(x: F32, w: F32, b: F32) -> F32:
    """``x @ w.T + b`` for ``w`` in (out, in) layout; returns a C-contiguous array."""
    # few rows (a short query): OpenBLAS is faster with the weight matrix as the left operand
    y = np.ascontiguousarray((w @ x.T).T) if x.shape[0] <= _SMALL_ROWS else x @ w.T
    y += b
    return y


def layer_norm_(x: F32, gamma: F32, beta: F32, eps: float) -> F32:
    """LayerNorm over the last axis of a 2-D array, in place (biased variance, like torch)."""
    x -= x.mean(axis=-1, keepdims=True)
    var = np.einsum("ij,ij->i", x, x) / np.float32(x.shape[-1])
    x *= (np.float32(1.0) / np.sqrt(var + np.float32(eps)))[:, None]
    x *= gamma
    x += beta
    return x


class BertEncoder:
    """Weights of a BERT encoder prepared for fast float32 inference."""

    def __init__(self, config: BertConfig, tensors: Mapping[str, npt.NDArray[Any]]) -> None:
        self.config = config
        h = config.hidden_size
        if h % config.num_heads:
            raise ModelIntegrityError("hidden_size is not divisible by num_attention_heads")
        self.head_dim = h // config.num_heads
        prefix = "bert." if "bert.embeddings.word_embeddings.weight" in tensors else ""

        def get(name: str, shape: tuple[int, ...]) -> F32:
            key = prefix + name
            if key not in tensors:
                raise ModelIntegrityError(f"model weights lack tensor {key!r}")
            arr = tensors[key]
            if tuple(arr.shape) != shape:
                raise ModelIntegrityError(f"tensor {key!r} has shape {arr.shape}, expected {shape}")
            return np.ascontiguousarray(arr, dtype=np.float32)

        i_size = config.intermediate_size
        self.word = get("embeddings.word_embeddings.weight", (config.vocab_size, h))
        self.pos = get("embeddings.position_embeddings.weight", (config.max_position_embeddings, h))
        self.type0 = get("embeddings.token_type_embeddings.weight", (config.type_vocab_size, h))[0].copy()
        self.emb_ln_g = get("embeddings.LayerNorm.weight", (h,))
        self.emb_ln_b = get("embeddings.LayerNorm.bias", (h,))
        scale = np.float32(1.0 / np.sqrt(self.head_dim))
        layers: list[_Layer] = []
        for n in range(config.num_layers):
            p = f"encoder.layer.{n}."
            wq = get(p + "attention.self.query.weight", (h, h)) * scale
            bq = get(p + "attention.self.query.bias", (h,)) * scale
            wk = get(p + "attention.self.key.weight", (h, h))
            wv = get(p + "attention.self.value.weight", (h, h))
            layers.append(
                _Layer(
                    w_qkv=np.ascontiguousarray(np.concatenate([wq, wk, wv], axis=0)),
                    b_qkv=np.concatenate(
                        [
                            bq,
                            get(p + "attention.self.key.bias", (h,)),
                            get(p + "attention.self.value.bias", (h,)),
                        ]
                    ),
                    w_o=get(p + "attention.output.dense.weight", (h, h)),
                    b_o=get(p + "attention.output.dense.bias", (h,)),
                    ln1_g=get(p + "attention.output.LayerNorm.weight", (h,)),
                    ln1_b=get(p + "attention.output.LayerNorm.bias", (h,)),
                    w_in=get(p + "intermediate.dense.weight", (i_size, h)),
                    b_in=get(p + "intermediate.dense.bias", (i_size,)),
                    w_out=get(p + "output.dense.weight", (h, i_size)),
                    b_out=get(p + "output.dense.bias", (h,)),
                    ln2_g=get(p + "output.LayerNorm.weight", (h,)),
                    ln2_b=get(p + "output.LayerNorm.bias", (h,)),
                )
            )
        self.layers = tuple(layers)

    def forward(self, ids: I64, mask: npt.NDArray[np.bool_]) -> F32:
        """Last hidden states, shape ``(batch, seq, hidden)``, for padded ``ids`` and boolean ``mask``."""
        b, seq = ids.shape
        cfg = self.config
        h, nh, hd = cfg.hidden_size, cfg.num_heads, self.head_dim
        if seq > cfg.max_position_embeddings:
            raise ValueError(f"sequence length {seq} exceeds {cfg.max_position_embeddings} positions")
        x = self.word[ids]  # (b, seq, h), a fresh copy
        x += self.pos[:seq]
        x += self.type0
        x2d = x.reshape(b * seq, h)
        layer_norm_(x2d, self.emb_ln_g, self.emb_ln_b, cfg.layer_norm_eps)
        key_bias = np.where(mask, np.float32(0.0), _NEG).astype(np.float32)[:, None, None, :]
        eps = cfg.layer_norm_eps
        for lyr in self.layers:
            qkv = _linear(x2d, lyr.w_qkv, lyr.b_qkv)
            qkv5 = qkv.reshape(b, seq, 3, nh, hd).transpose(2, 0, 3, 1, 4)  # (3, b, nh, seq, hd)
            scores = np.matmul(qkv5[0], qkv5[1].transpose(0, 1, 3, 2))  # (b, nh, seq, seq)
            scores += key_bias
            _softmax_block(scores)
            ctx = np.matmul(scores, qkv5[2])  # (b, nh, seq, hd)
            ctx2d = np.ascontiguousarray(ctx.transpose(0, 2, 1, 3)).reshape(b * seq, h)
            attn = _linear(ctx2d, lyr.w_o, lyr.b_o)
            attn += x2d
            x2d = layer_norm_(attn, lyr.ln1_g, lyr.ln1_b, eps)
            inter = _linear(x2d, lyr.w_in, lyr.b_in)
            gelu_(inter)
            out = _linear(inter, lyr.w_out, lyr.b_out)
            out += x2d
            x2d = layer_norm_(out, lyr.ln2_g, lyr.ln2_b, eps)
        return x2d.reshape(b, seq, h)

"""Build the ONNX graph of a BERT sentence encoder (all-MiniLM-L6-v2) from its safetensors weights.

No model hub and no exporter: the graph is written op by op with the ``onnx`` helper API and
reproduces Hugging Face ``BertModel`` in eval mode followed by sentence-transformers' mean pooling
and L2 normalisation::

    inputs   input_ids (batch, seq) int64, attention_mask (batch, seq) int64 (1 = token, 0 = pad)
    output   embedding (batch, hidden) float32, L2-normalised

Word + position + token-type-0 embeddings, LayerNorm, then N post-LayerNorm encoder layers
(multi-head self-attention, erf-GELU feed-forward). onnxruntime's graph optimiser fuses the
LayerNorm/GELU patterns itself. Bump :data:`GRAPH_VERSION` whenever the graph changes, so cached
files built by older code are not reused.
"""

from __future__ import annotations

import json
import math
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

import numpy as np
import numpy.typing as npt

from netnav.errors import ModelIntegrityError

if TYPE_CHECKING:
    import onnx

GRAPH_VERSION = 1
OPSET = 17  # LayerNormalization is a standard op from opset 17
_NEG = -1e9  # additive mask for padded keys; exp() of it underflows to exactly 0


@dataclass(frozen=True)
class BertConfig:
    """The fields of a Hugging Face BERT ``config.json`` the graph needs."""

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
        """Read ``config.json``; raises :class:`ModelIntegrityError` for anything but an absolute-position
        GELU BERT."""
        try:
            raw: dict[str, Any] = json.loads(path.read_text(encoding="utf-8"))
            if raw.get("hidden_act", "gelu") != "gelu":
                raise ModelIntegrityError(f"{path}: unsupported hidden_act {raw.get('hidden_act')!r}")
            if raw.get("position_embedding_type", "absolute") != "absolute":
                raise ModelIntegrityError(f"{path}: only absolute position embeddings are supported")
            config = cls(
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
        if config.hidden_size % config.num_heads:
            raise ModelIntegrityError(f"{path}: hidden_size is not divisible by num_attention_heads")
        return config


class _Builder:
    """Accumulates nodes and initializers; names are generated so the graph reads top to bottom."""

    def __init__(self, tensors: Mapping[str, npt.NDArray[Any]]) -> None:
        import onnx

        self.onnx = onnx
        self.tensors = tensors
        self.prefix = "bert." if "bert.embeddings.word_embeddings.weight" in tensors else ""
        self.nodes: list[onnx.NodeProto] = []
        self.inits: list[onnx.TensorProto] = []
        self._n = 0

    def weight(self, name: str, shape: tuple[int, ...]) -> npt.NDArray[np.float32]:
        key = self.prefix + name
        if key not in self.tensors:
            raise ModelIntegrityError(f"model weights lack tensor {key!r}")
        arr = self.tensors[key]
        if tuple(arr.shape) != shape:
            raise ModelIntegrityError(f"tensor {key!r} has shape {arr.shape}, expected {shape}")
        return np.ascontiguousarray(arr, dtype=np.float32)

    def const(self, name: str, value: npt.NDArray[Any]) -> str:
        self.inits.append(self.onnx.numpy_helper.from_array(np.ascontiguousarray(value), name))
        return name

    def op(self, op_type: str, inputs: list[str], **attrs: Any) -> str:
        self._n += 1
        out = f"{op_type.lower()}_{self._n}"
        self.nodes.append(self.onnx.helper.make_node(op_type, inputs, [out], **attrs))
        return out

    def linear(self, x: str, name: str, w: npt.NDArray[np.float32], b: npt.NDArray[np.float32]) -> str:
        """``x @ w.T + b`` for ``w`` in PyTorch (out, in) layout."""
        wt = self.const(f"{name}.weight_t", np.ascontiguousarray(w.T))
        return self.op("Add", [self.op("MatMul", [x, wt]), self.const(f"{name}.bias", b)])

    def layer_norm(self, x: str, name: str, hidden: int, eps: float) -> str:
        g = self.const(f"{name}.weight", self.weight(f"{name}.weight", (hidden,)))
        b = self.const(f"{name}.bias", self.weight(f"{name}.bias", (hidden,)))
        return self.op("LayerNormalization", [x, g, b], axis=-1, epsilon=eps)


def _attention(bld: _Builder, x: str, p: str, cfg: BertConfig, key_bias: str) -> str:
    h, nh = cfg.hidden_size, cfg.num_heads
    hd = h // nh
    scale = np.float32(1.0 / math.sqrt(hd))
    heads = bld.const(f"{p}heads_shape", np.array([0, 0, nh, hd], dtype=np.int64))
    merged = bld.const(f"{p}merged_shape", np.array([0, 0, h], dtype=np.int64))

    def proj(kind: str, factor: np.float32) -> str:
        w = bld.weight(f"{p}attention.self.{kind}.weight", (h, h)) * factor
        b = bld.weight(f"{p}attention.self.{kind}.bias", (h,)) * factor
        return bld.op("Reshape", [bld.linear(x, f"{p}{kind}", w, b), heads])

    q = bld.op("Transpose", [proj("query", scale)], perm=[0, 2, 1, 3])  # (b, nh, s, hd), pre-scaled
    k = bld.op("Transpose", [proj("key", np.float32(1.0))], perm=[0, 2, 3, 1])  # (b, nh, hd, s)
    v = bld.op("Transpose", [proj("value", np.float32(1.0))], perm=[0, 2, 1, 3])
    scores = bld.op("Add", [bld.op("MatMul", [q, k]), key_bias])
    probs = bld.op("Softmax", [scores], axis=-1)
    ctx = bld.op("Transpose", [bld.op("MatMul", [probs, v])], perm=[0, 2, 1, 3])
    ctx = bld.op("Reshape", [ctx, merged])
    out = bld.linear(
        ctx,
        f"{p}attention.output.dense",
        bld.weight(f"{p}attention.output.dense.weight", (h, h)),
        bld.weight(f"{p}attention.output.dense.bias", (h,)),
    )
    return bld.layer_norm(bld.op("Add", [out, x]), f"{p}attention.output.LayerNorm", h, cfg.layer_norm_eps)


def _feed_forward(bld: _Builder, x: str, p: str, cfg: BertConfig) -> str:
    h, i_size = cfg.hidden_size, cfg.intermediate_size
    inter = bld.linear(
        x,
        f"{p}intermediate.dense",
        bld.weight(f"{p}intermediate.dense.weight", (i_size, h)),
        bld.weight(f"{p}intermediate.dense.bias", (i_size,)),
    )
    # exact GELU: 0.5 * x * (1 + erf(x / sqrt(2))), the pattern onnxruntime fuses into one Gelu node
    erf = bld.op("Erf", [bld.op("Div", [inter, "sqrt2"])])
    gelu = bld.op("Mul", [bld.op("Mul", [inter, bld.op("Add", [erf, "one"])]), "half"])
    out = bld.linear(
        gelu,
        f"{p}output.dense",
        bld.weight(f"{p}output.dense.weight", (h, i_size)),
        bld.weight(f"{p}output.dense.bias", (h,)),
    )
    return bld.layer_norm(bld.op("Add", [out, x]), f"{p}output.LayerNorm", h, cfg.layer_norm_eps)


def build_encoder_graph(config: BertConfig, tensors: Mapping[str, npt.NDArray[Any]]) -> onnx.ModelProto:
    """The sentence-encoder graph (see the module docstring) with the weights as initializers.

    Raises :class:`ModelIntegrityError` when a tensor is missing or has the wrong shape.
    """
    import onnx
    from onnx import TensorProto, helper

    bld = _Builder(tensors)
    h = config.hidden_size
    for name, value in (("sqrt2", math.sqrt(2.0)), ("one", 1.0), ("half", 0.5), ("neg", _NEG)):
        bld.const(name, np.array(value, dtype=np.float32))
    bld.const("tiny_count", np.array(1e-9, dtype=np.float32))
    bld.const("tiny_norm", np.array(1e-12, dtype=np.float32))
    bld.const("axis1", np.array([1], dtype=np.int64))
    bld.const("axes12", np.array([1, 2], dtype=np.int64))
    bld.const("zero1", np.array([0], dtype=np.int64))

    word = bld.const(
        "embeddings.word_embeddings.weight",
        bld.weight("embeddings.word_embeddings.weight", (config.vocab_size, h)),
    )
    # token type is always 0 for single sentences: fold its row into the position table
    pos_type = (
        bld.weight("embeddings.position_embeddings.weight", (config.max_position_embeddings, h))
        + bld.weight("embeddings.token_type_embeddings.weight", (config.type_vocab_size, h))[0]
    )
    pos = bld.const("embeddings.position_plus_type", pos_type)
    seq_len = bld.op("Slice", [bld.op("Shape", ["input_ids"]), "axis1", bld.const("two1", np.array([2]))])
    positions = bld.op("Slice", [pos, "zero1", seq_len, "zero1"])  # (seq, hidden)
    x = bld.op("Add", [bld.op("Gather", [word, "input_ids"], axis=0), positions])
    x = bld.layer_norm(x, "embeddings.LayerNorm", h, config.layer_norm_eps)

    maskf = bld.op("Cast", ["attention_mask"], to=TensorProto.FLOAT)  # (b, s)
    key_bias = bld.op("Mul", [bld.op("Sub", ["one", maskf]), "neg"])
    key_bias = bld.op("Unsqueeze", [key_bias, "axes12"])  # (b, 1, 1, s)
    for n in range(config.num_layers):
        p = f"encoder.layer.{n}."
        x = _attention(bld, x, p, config, key_bias)
        x = _feed_forward(bld, x, p, config)

    mask3 = bld.op("Unsqueeze", [maskf, bld.const("axis2", np.array([2], dtype=np.int64))])  # (b, s, 1)
    summed = bld.op("ReduceSum", [bld.op("Mul", [x, mask3]), "axis1"], keepdims=0)  # (b, h)
    count = bld.op("Max", [bld.op("ReduceSum", [mask3, "axis1"], keepdims=0), "tiny_count"])  # (b, 1)
    pooled = bld.op("Div", [summed, count])
    norm = bld.op("Sqrt", [bld.op("ReduceSum", [bld.op("Mul", [pooled, pooled]), "axis1"], keepdims=1)])
    bld.nodes.append(helper.make_node("Div", [pooled, bld.op("Max", [norm, "tiny_norm"])], ["embedding"]))
    graph = helper.make_graph(
        bld.nodes,
        "all-MiniLM-L6-v2 sentence encoder",
        [
            helper.make_tensor_value_info("input_ids", TensorProto.INT64, ["batch", "seq"]),
            helper.make_tensor_value_info("attention_mask", TensorProto.INT64, ["batch", "seq"]),
        ],
        [helper.make_tensor_value_info("embedding", TensorProto.FLOAT, ["batch", h])],
        bld.inits,
    )
    model = helper.make_model(graph, opset_imports=[helper.make_opsetid("", OPSET)], producer_name="netnav")
    model.ir_version = 8  # readable by every onnxruntime since 1.10
    onnx.checker.check_model(model)
    return model

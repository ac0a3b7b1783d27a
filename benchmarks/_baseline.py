"""Code paths this work replaced, loaded from git history so a benchmark can time old and new side by side.

``BASELINE_REV`` is the main-branch commit before the onnxruntime encoder and the convex fusion landed.
Nothing here is imported by netnav; the old modules are read with ``git show`` into a temporary file.
"""

from __future__ import annotations

import importlib.util
import subprocess
import sys
import tempfile
from pathlib import Path
from types import ModuleType
from typing import Any

import numpy as np
from _common import ROOT

BASELINE_REV = "cc015c1"


def old_module(path: str, name: str, rev: str = BASELINE_REV) -> ModuleType:
    """Import ``path`` as it was at ``rev`` under the module name ``name``."""
    source = subprocess.run(
        ["git", "-C", str(ROOT), "show", f"{rev}:{path}"], check=True, capture_output=True, text=True
    ).stdout
    tmp = Path(tempfile.mkdtemp(prefix="netnav-baseline-")) / f"{name}.py"
    tmp.write_text(source, encoding="utf-8")
    spec = importlib.util.spec_from_file_location(name, tmp)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[name] = module
    spec.loader.exec_module(module)
    return module


class NumpyEncoder:
    """The removed hand-written NumPy BERT forward pass (mean pooling + L2), same tokenizer as today."""

    def __init__(self, model_dir: Path, tokenizer: Any) -> None:
        from safetensors.numpy import load_file

        bert = old_module("src/netnav/embed/_bert.py", "netnav_old_bert")
        self.encoder = bert.BertEncoder(
            bert.BertConfig.from_file(model_dir / "config.json"),
            load_file(str(model_dir / "model.safetensors")),
        )
        self.tokenizer = tokenizer

    def embed(self, texts: list[str]) -> np.ndarray[Any, np.dtype[np.float32]]:
        encs = self.tokenizer.encode_batch(texts)
        lengths = np.array([len(e.ids) for e in encs])
        seq = int(lengths.max())
        ids = np.zeros((len(encs), seq), dtype=np.int64)
        for row, enc in enumerate(encs):
            ids[row, : len(enc.ids)] = enc.ids
        mask = np.arange(seq)[None, :] < lengths[:, None]
        hidden = self.encoder.forward(ids, mask)
        maskf = mask.astype(np.float32)
        pooled = np.einsum("bsh,bs->bh", hidden, maskf) / maskf.sum(axis=1)[:, None]
        out: np.ndarray[Any, np.dtype[np.float32]] = pooled / np.linalg.norm(pooled, axis=1, keepdims=True)
        return out.astype(np.float32)

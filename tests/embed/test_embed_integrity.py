"""SHA-256 verification of the weights and clear errors for damaged or missing model files."""

from __future__ import annotations

import hashlib
import shutil
from pathlib import Path

import numpy as np
import pytest

from netnav.embed import MODEL_SHA256, Embedder, _integrity, default_model_dir, verify_model_dir
from netnav.errors import ModelIntegrityError

_SMALL_FILES = ("config.json", "tokenizer.json", "sentence_bert_config.json")


def _copy_model(dst: Path, *, weights: bytes | None = None) -> Path:
    src = default_model_dir()
    dst.mkdir()
    for name in _SMALL_FILES:
        shutil.copy2(src / name, dst / name)
    if weights is None:
        shutil.copy2(src / "model.safetensors", dst / "model.safetensors")
    else:
        (dst / "model.safetensors").write_bytes(weights)
    return dst


def test_bundled_model_verifies() -> None:
    assert verify_model_dir(default_model_dir()) == MODEL_SHA256


def test_corrupted_weights_raise(tmp_path: Path) -> None:
    data = bytearray((default_model_dir() / "model.safetensors").read_bytes())
    data[len(data) // 2] ^= 0x01  # one flipped bit, same size
    bad = _copy_model(tmp_path / "bad", weights=bytes(data))
    emb = Embedder(model_dir=bad)  # construction does not touch the files
    with pytest.raises(ModelIntegrityError, match="checksum mismatch"):
        emb.embed(["hello"])
    with pytest.raises(ModelIntegrityError, match="checksum mismatch"):
        _ = emb.model_id


def test_truncated_weights_raise(tmp_path: Path) -> None:
    bad = _copy_model(tmp_path / "short", weights=b"\x00" * 1024)
    with pytest.raises(ModelIntegrityError, match=str(bad / "model.safetensors")):
        Embedder(model_dir=bad).load()


@pytest.mark.parametrize("missing", ["model.safetensors", "tokenizer.json", "config.json"])
def test_missing_file_raises(tmp_path: Path, missing: str) -> None:
    src = default_model_dir()
    d = tmp_path / "m"
    d.mkdir()
    for name in (*_SMALL_FILES, "model.safetensors"):
        if name != missing:
            (d / name).symlink_to(src / name)
    with pytest.raises(ModelIntegrityError, match=missing):
        Embedder(model_dir=d).embed(["x"])


def test_missing_directory_raises(tmp_path: Path) -> None:
    with pytest.raises(ModelIntegrityError, match="not found"):
        Embedder(model_dir=tmp_path / "nope").load()


def test_valid_copy_elsewhere_loads_and_matches(tmp_path: Path, embedder: Embedder) -> None:
    good = _copy_model(tmp_path / "good")
    other = Embedder(model_dir=good)
    assert other.model_id == embedder.model_id
    np.testing.assert_array_equal(other.embed(["same result"]), embedder.embed(["same result"]))


def test_hash_computed_once_per_file(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    f = tmp_path / "w.bin"
    f.write_bytes(b"abc" * 1000)
    calls = []
    real_sha256 = hashlib.sha256

    def counting_sha256() -> object:
        calls.append(1)
        return real_sha256()

    monkeypatch.setattr(hashlib, "sha256", counting_sha256)
    first = _integrity.file_sha256(f)
    assert _integrity.file_sha256(f) == first
    assert len(calls) == 1
    f.write_bytes(b"abd" * 1001)  # changed file (size differs): hashed again
    assert _integrity.file_sha256(f) != first
    assert len(calls) == 2

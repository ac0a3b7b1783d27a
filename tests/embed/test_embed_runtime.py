"""The onnxruntime encoder: graph cache with its stamp, weights hash stamp, fallbacks."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pytest

from netnav.embed import Embedder, _integrity, default_model_dir
from netnav.embed import _runtime as runtime
from netnav.embed._graph import BertConfig


def _count_hashes(monkeypatch: pytest.MonkeyPatch) -> list[Path]:
    calls: list[Path] = []
    real = _integrity.hash_file

    def counting(path: Path) -> str:
        calls.append(path)
        return real(path)

    monkeypatch.setattr(_integrity, "hash_file", counting)
    monkeypatch.setattr(runtime, "hash_file", counting)
    return calls


def test_weights_stamp_spares_rehash_in_a_new_process(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("NETNAV_MODEL_CACHE", str(tmp_path / "cache"))
    f = tmp_path / "w.bin"
    f.write_bytes(b"abc" * 1000)
    calls = _count_hashes(monkeypatch)
    first = _integrity.file_sha256(f)
    _integrity._hash_cache.clear()  # as if a new process started
    assert _integrity.file_sha256(f) == first
    assert len(calls) == 1
    stamps = json.loads((tmp_path / "cache" / "weights-stamps.json").read_text())
    assert stamps[str(f.resolve())]["sha256"] == first
    f.write_bytes(b"abd" * 1000)  # same size, new content: the stat changed, so hashed again
    _integrity._hash_cache.clear()
    assert _integrity.file_sha256(f) != first
    assert len(calls) == 2


def test_forged_stamp_for_another_stat_is_ignored(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("NETNAV_MODEL_CACHE", str(tmp_path / "cache"))
    f = tmp_path / "w.bin"
    f.write_bytes(b"xyz")
    (tmp_path / "cache").mkdir()
    stamp = {str(f.resolve()): {"stat": [3, 0, 0, 0], "sha256": "0" * 64}}
    (tmp_path / "cache" / "weights-stamps.json").write_text(json.dumps(stamp))
    _integrity._hash_cache.clear()
    assert _integrity.file_sha256(f) == _integrity.hash_file(f)


def _config() -> BertConfig:
    return BertConfig.from_file(default_model_dir() / "config.json")


@pytest.mark.slow
def test_graph_cache_reused_then_rebuilt_when_damaged(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("NETNAV_MODEL_CACHE", str(tmp_path))
    sha = _integrity.MODEL_SHA256
    built: list[int] = []
    real = runtime._graph_bytes

    def counting(model_dir: Path, config: BertConfig) -> bytes:
        built.append(1)
        return real(model_dir, config)

    monkeypatch.setattr(runtime, "_graph_bytes", counting)
    path = Path(str(runtime.encoder_model(default_model_dir(), _config(), sha)))
    assert path.is_file() and path.name.startswith(f"minilm-{sha[:16]}-g")
    calls = _count_hashes(monkeypatch)
    assert runtime.encoder_model(default_model_dir(), _config(), sha) == str(path)
    assert built == [1] and calls == []  # size + mtime matched the stamp: neither rebuilt nor re-hashed
    data = bytearray(path.read_bytes())
    data[len(data) // 2] ^= 0xFF
    path.write_bytes(bytes(data))
    assert runtime.encoder_model(default_model_dir(), _config(), sha) == str(path)
    assert built == [1, 1]  # damaged file detected by its hash and rebuilt
    stamp = json.loads(path.with_suffix(".stamp.json").read_text())
    assert stamp["sha256"] == _integrity.hash_file(path)


@pytest.mark.slow
def test_unwritable_cache_builds_in_memory(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, embedder: Embedder
) -> None:
    blocker = tmp_path / "file"
    blocker.write_text("not a directory")
    monkeypatch.setenv("NETNAV_MODEL_CACHE", str(blocker / "models"))
    model = runtime.encoder_model(default_model_dir(), _config(), _integrity.MODEL_SHA256)
    assert isinstance(model, bytes)
    session = runtime.make_session(model)
    ids = np.array([[101, 7592, 2088, 102]], dtype=np.int64)
    vec = runtime.run_encoder(session, ids, np.ones_like(ids))
    np.testing.assert_allclose(vec, embedder.embed(["hello world"]), atol=1e-6)


def test_runtime_writes_no_telemetry(tmp_path: Path) -> None:
    """onnxruntime's usage telemetry stays off: nothing appears under the user's cache or home."""
    import os
    import subprocess
    import sys

    code = "from netnav.embed import Embedder; Embedder().embed(['hello'])"
    env = {**os.environ, "HOME": str(tmp_path), "XDG_CACHE_HOME": str(tmp_path / ".cache")}
    env.setdefault("NETNAV_MODEL_CACHE", str(_integrity.model_cache_dir()))
    env.pop("ORT_DISABLE_TELEMETRY", None)
    subprocess.run([sys.executable, "-c", code], env=env, check=True, timeout=300)
    assert not (tmp_path / ".cache" / "Microsoft").exists()


@pytest.mark.slow
def test_optimised_graph_cached_and_rebuilt_when_damaged(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, embedder: Embedder
) -> None:
    monkeypatch.setenv("NETNAV_MODEL_CACHE", str(tmp_path))
    path = runtime.encoder_model(default_model_dir(), _config(), _integrity.MODEL_SHA256)
    assert isinstance(path, str)
    ids = np.array([[101, 7592, 2088, 102]], dtype=np.int64)
    first = runtime.run_encoder(runtime.make_session(path), ids, np.ones_like(ids))
    (opt,) = tmp_path.glob("*.opt.onnx")
    opt.write_bytes(b"garbage")  # damaged: unreadable, and its stamp no longer matches
    again = runtime.run_encoder(runtime.make_session(path), ids, np.ones_like(ids))
    np.testing.assert_allclose(again, first, atol=1e-6)
    stamp = json.loads(opt.with_name(opt.name + ".stamp.json").read_text())
    assert stamp["sha256"] == _integrity.hash_file(opt)
    np.testing.assert_allclose(first, embedder.embed(["hello world"]), atol=1e-6)


@pytest.mark.slow
def test_optimised_graph_weights_are_mapped_and_rebuilt_when_damaged(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, embedder: Embedder
) -> None:
    """The cached optimised graph keeps its weights in a separate, stamped file (memory-mapped by
    onnxruntime); a damaged weights file is rebuilt, never used."""
    monkeypatch.setenv("NETNAV_MODEL_CACHE", str(tmp_path))
    path = runtime.encoder_model(default_model_dir(), _config(), _integrity.MODEL_SHA256)
    assert isinstance(path, str)
    ids = np.array([[101, 7592, 2088, 102]], dtype=np.int64)
    first = runtime.run_encoder(runtime.make_session(path), ids, np.ones_like(ids))
    (weights,) = tmp_path.glob("*.opt.onnx.weights")
    (opt,) = tmp_path.glob("*.opt.onnx")
    assert weights.stat().st_size > 80_000_000 > opt.stat().st_size  # the graph file holds no weights
    data = bytearray(weights.read_bytes())
    data[len(data) // 2 : len(data) // 2 + 4096] = bytes(4096)  # same size, zeroed page
    weights.write_bytes(bytes(data))
    again = runtime.run_encoder(runtime.make_session(path), ids, np.ones_like(ids))
    np.testing.assert_array_equal(again, first)
    stamp = json.loads(weights.with_name(weights.name + ".stamp.json").read_text())
    assert stamp["sha256"] == _integrity.hash_file(weights)
    np.testing.assert_allclose(first, embedder.embed(["hello world"]), atol=1e-6)

"""The index manifest is checked by stamp at load: no re-hashing of an unchanged index (O(index size) at
every start), full re-hashing whenever any file's stamp changed, including a same-size garbage write
whose mtime was set back (its ctime still moves)."""

from __future__ import annotations

import os
import random
from pathlib import Path

import pytest

from netnav.engine import Engine
from netnav.store import SearchIndex
from netnav.store import manifest as manifest_mod
from netnav.store.manifest import VERIFIED, IndexIntegrityError
from netnav.testing import HashEmbedder, write_tiny_corpus


@pytest.fixture
def index_dir(tmp_path: Path) -> Path:
    engine = Engine(tmp_path / "home", embedder=HashEmbedder())
    engine.ingest(write_tiny_corpus(tmp_path / "corpus"))
    engine.close()
    return tmp_path / "home" / "index"


def _count_hashing(monkeypatch: pytest.MonkeyPatch) -> list[Path]:
    hashed: list[Path] = []
    real = manifest_mod.file_sha256

    def counting(path: Path) -> str:
        hashed.append(path)
        return real(path)

    monkeypatch.setattr(manifest_mod, "file_sha256", counting)
    return hashed


def test_unchanged_index_loads_without_hashing(index_dir: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    assert (index_dir / VERIFIED).is_file(), "saving records the stamps of what it wrote"
    hashed = _count_hashing(monkeypatch)
    for _ in range(3):
        assert len(SearchIndex.load(index_dir)) > 0
    assert hashed == []


def test_copied_index_is_hashed_once(
    index_dir: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import shutil

    copy = tmp_path / "copy" / "index"
    shutil.copytree(index_dir, copy)  # copy2 keeps mtimes; inodes and ctimes are new
    hashed = _count_hashing(monkeypatch)
    SearchIndex.load(copy)
    first = len(hashed)
    SearchIndex.load(copy)
    assert first > 0 and len(hashed) == first


@pytest.mark.parametrize("name", ["meta.json", "vectors.npy", "bm25/vocab.index.json"])
def test_same_size_same_mtime_garbage_is_caught(index_dir: Path, name: str) -> None:
    SearchIndex.load(index_dir)  # verified and stamped
    path = index_dir / name
    before = path.stat()
    path.write_bytes(random.Random(7).randbytes(before.st_size))
    os.utime(path, ns=(before.st_atime_ns, before.st_mtime_ns))  # mtime set back, size unchanged
    after = path.stat()
    assert (after.st_size, after.st_mtime_ns) == (before.st_size, before.st_mtime_ns)
    with pytest.raises(IndexIntegrityError):
        SearchIndex.load(index_dir)


def test_forged_verification_record_of_another_manifest_is_ignored(index_dir: Path) -> None:
    """A stale record (from before the manifest changed) does not vouch for the new files."""
    SearchIndex.load(index_dir)
    record = (index_dir / VERIFIED).read_text(encoding="utf-8")
    meta = index_dir / "meta.json"
    meta.write_text(meta.read_text(encoding="utf-8").replace('"ids": [', '"ids": [ '), encoding="utf-8")
    (index_dir / VERIFIED).write_text(record, encoding="utf-8")
    with pytest.raises(IndexIntegrityError):
        SearchIndex.load(index_dir)

"""Finding 5: after a disk-full ingest every ask failed with a cryptic OSError; a read-only home could not
answer. Now: one clear StoreError for the write, and answering keeps working from the previous index.

Needs a small tmpfs (mount), i.e. root on Linux; skipped otherwise."""

from __future__ import annotations

import shutil
import subprocess
from collections.abc import Iterator
from pathlib import Path

import pytest

from netnav.engine import Engine
from netnav.errors import StoreError
from netnav.testing import HashEmbedder, write_tiny_corpus

QUESTION = "What is lanreotide used for?"


def _mount(target: Path, size: str) -> None:
    target.mkdir(parents=True)
    done = subprocess.run(
        ["mount", "-t", "tmpfs", "-o", f"size={size}", "tmpfs", str(target)], capture_output=True
    )
    if done.returncode != 0:
        pytest.skip(f"cannot mount a tmpfs here (needs root): {done.stderr.decode(errors='replace')[:120]}")


def _umount(target: Path) -> None:
    subprocess.run(["umount", "-l", str(target)], capture_output=True)


@pytest.fixture()
def small_disk(tmp_path: Path) -> Iterator[Path]:
    home = tmp_path / "build"
    engine = Engine(home, embedder=HashEmbedder())
    engine.ingest(write_tiny_corpus(tmp_path / "corpus"))
    engine.close()
    mount = tmp_path / "disk"
    _mount(mount, "16m")
    try:
        shutil.copytree(home, mount / "home")
        yield mount
    finally:
        _umount(mount)


def _key(engine: Engine) -> list[str]:
    return [c.title for c in engine.ask(QUESTION, "clinician").citations]


def _baseline(home: Path) -> list[str]:
    engine = Engine(home, embedder=HashEmbedder())
    try:
        return _key(engine)
    finally:
        engine.close()


def test_disk_full_ingest_is_one_clear_error_and_asking_still_works(small_disk: Path, tmp_path: Path) -> None:
    home = small_disk / "home"
    baseline = _baseline(home)
    filler = small_disk / "filler"
    subprocess.run(["dd", "if=/dev/zero", f"of={filler}", "bs=1M", "count=64"], capture_output=True)
    big = tmp_path / "big.md"
    big.write_text(
        "# Octreotide notes\n\n" + "\n\n".join(f"Octreotide paragraph {i}. " * 40 for i in range(300))
    )
    engine = Engine(home, embedder=HashEmbedder())
    try:
        with pytest.raises(StoreError, match="disk is full"):
            engine.ingest([big])
        assert _key(engine) == baseline, "asking must keep working, from the previous index"
    finally:
        engine.close()
    again = Engine(home, embedder=HashEmbedder())
    try:
        assert again.ask(QUESTION, "clinician").citations, "a later ask must still answer"
    finally:
        again.close()
    assert not list(home.glob(".index-*")), "no half-written index folder may stay behind"


def test_read_only_home_answers_and_refuses_writes_clearly(small_disk: Path, tmp_path: Path) -> None:
    home = small_disk / "home"
    baseline = _baseline(home)
    remount = subprocess.run(["mount", "-o", "remount,ro", str(small_disk)], capture_output=True)
    if remount.returncode != 0:
        pytest.skip("cannot remount read-only")
    engine = Engine(home, embedder=HashEmbedder())
    try:
        assert _key(engine) == baseline
        doc = write_tiny_corpus(tmp_path / "more")[0]
        with pytest.raises(StoreError, match="read-only"):
            engine.ingest([doc])
    finally:
        engine.close()

"""Shared fixtures. `shared_dir` is the `shared` folder beside the project root (absent outside the team)."""

from __future__ import annotations

import os
import shutil
import sqlite3
import tempfile
from collections.abc import Iterator
from pathlib import Path

import pytest

SHARED = Path(__file__).resolve().parents[1].parent / "shared"
# Vectors of the built-in cards, kept between test sessions on this machine (keyed by model id and text
# hash, so a stale entry is never used). A clean checkout (CI) starts without it and embeds everything;
# NETNAV_TEST_CACHE="" turns it off.
_CACHE_DIR = os.environ.get("NETNAV_TEST_CACHE", str(Path.home() / ".cache" / "netnav-tests"))


def shared_dir() -> Path:
    if not SHARED.is_dir():
        pytest.skip(
            f"shared material not found at {SHARED} (it sits beside the project root in the team setup)"
        )
    return SHARED


@pytest.fixture(scope="session")
def built_home(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A data home with the built-in knowledge indexed once per test session."""
    from netnav.engine import Engine

    home = tmp_path_factory.mktemp("netnav-home")
    kept = Path(_CACHE_DIR) / "embeddings.sqlite3" if _CACHE_DIR else None
    if kept is not None and kept.is_file():
        _restore(kept, home / "embeddings.sqlite3")
    engine = Engine(home)
    engine.ensure_index()
    engine.close()
    if kept is not None:
        _keep(home / "embeddings.sqlite3", kept)
    return home


def _restore(kept: Path, cache: Path) -> None:
    """Start the home's embedding cache from `kept`, unless that copy is unreadable."""
    shutil.copy(kept, cache)
    try:
        con = sqlite3.connect(str(cache))
        ok = con.execute("PRAGMA quick_check").fetchone()[0] == "ok"
        con.close()
    except sqlite3.Error:
        ok = False
    if not ok:
        cache.unlink()


def _keep(cache: Path, kept: Path) -> None:
    """Copy the home's embedding cache to `kept` atomically (another session may be reading it)."""
    if not cache.is_file():
        return
    con = sqlite3.connect(str(cache))
    con.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    con.close()
    kept.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=".tmp-", dir=str(kept.parent))
    os.close(fd)
    shutil.copy(cache, tmp)
    os.replace(tmp, kept)


@pytest.fixture()
def engine(built_home: Path) -> Iterator[object]:
    from netnav.engine import Engine

    eng = Engine(built_home)
    yield eng
    eng.close()


@pytest.fixture(autouse=True)
def _tempfile_default_restored() -> Iterator[None]:
    """Put tempfile's default folder back after each test: starting a NETNAV server in-process makes it a
    private folder (netnav.guard.sessions.private_tempdir) that the test then deletes, and later users of
    tempfile in this process (an embedded PostgreSQL stopping at exit, for one) would write into nothing."""
    before = tempfile.tempdir
    yield
    tempfile.tempdir = before

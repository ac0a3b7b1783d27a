"""Shared fixtures. `shared_dir` is the `shared` folder beside the project root (absent outside the team)."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

SHARED = Path(__file__).resolve().parents[1].parent / "shared"


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
    engine = Engine(home)
    engine.ensure_index()
    engine.close()
    return home


@pytest.fixture()
def engine(built_home: Path) -> Iterator[object]:
    from netnav.engine import Engine

    eng = Engine(built_home)
    yield eng
    eng.close()

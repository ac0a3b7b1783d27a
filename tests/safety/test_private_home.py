"""A second local user: the data home (saved cases and private uploads live in netnav.sqlite3) is
readable by its owner only once the server has started; session key and case folders already were."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

from fastapi.testclient import TestClient


def test_server_start_makes_the_home_private(built_home: Path, tmp_path: Path) -> None:
    from netnav.app import create_app

    home = tmp_path / "home"
    shutil.copytree(built_home, home)
    os.chmod(home, 0o755)
    os.chmod(home / "netnav.sqlite3", 0o644)
    with TestClient(create_app(home)) as client:
        assert client.get("/api/health").status_code == 200
    assert home.stat().st_mode & 0o777 == 0o700
    for path in home.iterdir():
        if path.is_file() and ".sqlite3" in path.name:
            assert path.stat().st_mode & 0o077 == 0, path.name

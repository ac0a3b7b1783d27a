from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from tests.api.helpers import copy_home
from tests.csrf import CsrfClient


@pytest.fixture(scope="module")
def api_home(built_home: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    return copy_home(built_home, tmp_path_factory.mktemp("safety") / "home")


@pytest.fixture(scope="module")
def client(api_home: Path) -> Iterator[TestClient]:
    from netnav.app import create_app

    with CsrfClient(create_app(api_home)) as c:
        yield c

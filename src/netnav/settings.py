"""Runtime settings: data home and limits."""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

import platformdirs

MAX_FILE_BYTES = 50 * 1024 * 1024 - 1  # a 50 MB file is refused
MAX_QUESTION_CHARS = 2000
DISCLAIMER = (
    "This is general information, not medical advice. It does not replace your care team, "
    "who know your full history. Always discuss decisions about tests and treatment with them."
)


@dataclass(frozen=True)
class Settings:
    home: Path

    @property
    def db_path(self) -> Path:
        return self.home / "netnav.sqlite3"

    @property
    def index_dir(self) -> Path:
        return self.home / "index"

    @property
    def cases_dir(self) -> Path:
        return self.home / "cases"


def resolve_home(explicit: str | os.PathLike[str] | None = None) -> Path:
    if explicit:
        return Path(explicit).expanduser().resolve()
    env = os.environ.get("NETNAV_HOME")
    if env:
        return Path(env).expanduser().resolve()
    return Path(platformdirs.user_data_dir("netnav", appauthor=False))


def get_settings(home: str | os.PathLike[str] | None = None) -> Settings:
    return Settings(home=resolve_home(home))

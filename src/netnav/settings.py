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
    """`home`: the data home (files, uploads, caches; always local). `database_url`: a
    ``postgresql://`` URL selecting the PostgreSQL backend for documents, passages, vectors and the
    lexical index; None = the embedded SQLite store in the home (the default)."""

    home: Path
    database_url: str | None = None

    @property
    def backend(self) -> str:
        """``"postgresql"`` or ``"sqlite"``."""
        return "postgresql" if self.database_url else "sqlite"

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


#: URL schemes that select the PostgreSQL backend (netnav.store.base.open_backend checks it).
DATABASE_SCHEMES = ("postgresql://", "postgres://")


def resolve_database_url(explicit: str | None = None) -> str | None:
    """`explicit`, else ``$NETNAV_DATABASE_URL``; None (or an empty value) = embedded SQLite."""
    return explicit or os.environ.get("NETNAV_DATABASE_URL") or None


def get_settings(home: str | os.PathLike[str] | None = None, database_url: str | None = None) -> Settings:
    """Settings for `home` (see resolve_home) and the database (see resolve_database_url)."""
    return Settings(home=resolve_home(home), database_url=resolve_database_url(database_url))

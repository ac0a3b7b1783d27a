"""Server-issued session ids and the process's private temporary folder.

Session cookie = "<id>.<mac>": `id` is 32 random hex characters (netnav.cases.new_session_id), `mac` the
first 32 hex characters of HMAC-SHA256(server key, id). A cookie whose mac does not verify (an id made
up by a client or planted by another site) is replaced by a fresh server-issued session, so a session
cannot be fixed from outside. The key is 32 random bytes in <home>/session.key (mode 0600), created on
first use; deleting it ends every session. On disk, sessions appear only as digests (netnav.cases).

`private_tempdir(home)`: a 0700 folder <home>/tmp/<pid>-<random> that `netnav serve` makes the process's
temporary folder (uploads being parsed, multipart spools), removed at exit; folders of processes that
no longer run are removed at start-up (a crash can leave report text there).

`private_home(home)`: the data home 0700 and its SQLite stores 0600 (the server calls it at start-up).
"""

from __future__ import annotations

import atexit
import hashlib
import hmac
import os
import secrets
import shutil
import tempfile
from pathlib import Path

from netnav.cases import is_session_id, new_session_id

KEY_FILE = "session.key"


def _load_key(home: Path) -> bytes:
    path = home / KEY_FILE
    try:
        key = path.read_bytes()
        if len(key) >= 32:
            return key
    except FileNotFoundError:
        pass
    home.mkdir(parents=True, exist_ok=True)
    key = secrets.token_bytes(32)
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(fd, "wb") as handle:
        handle.write(key)
    return key


class SessionSigner:
    def __init__(self, key: bytes) -> None:
        self._key = key

    @classmethod
    def for_home(cls, home: Path) -> SessionSigner:
        try:
            return cls(_load_key(home))
        except OSError:  # a read-only home: sessions last as long as this process
            return cls(secrets.token_bytes(32))

    def _mac(self, session: str) -> str:
        return hmac.new(self._key, session.encode("ascii"), hashlib.sha256).hexdigest()[:32]

    def issue(self) -> tuple[str, str]:
        """(session id, cookie value)."""
        session = new_session_id()
        return session, f"{session}.{self._mac(session)}"

    def csrf_token(self, session: str) -> str:
        """The session's anti-forgery token (netnav.api.csrf): HMAC-SHA256(server key, "csrf:" + id),
        32 hex characters. Bound to the session and the server key; nothing to store."""
        return hmac.new(self._key, ("csrf:" + session).encode("ascii"), hashlib.sha256).hexdigest()[:32]

    def verify(self, cookie: str | None) -> str | None:
        """The session id of a cookie this server issued, else None."""
        session, _, mac = (cookie or "").partition(".")
        if not is_session_id(session) or len(mac) != 32:
            return None
        return session if hmac.compare_digest(mac, self._mac(session)) else None


def private_home(home: Path) -> None:
    """Make the data home readable by its owner only: the folder 0700 and the stores in it 0600 (saved
    cases, private uploads and their passages live in netnav.sqlite3; another local user must not read
    them). Only what this user owns is changed; errors (a read-only home) are ignored."""
    try:
        if not home.is_dir() or home.stat().st_uid != os.getuid():
            return
        os.chmod(home, 0o700)
        for path in home.iterdir():
            if path.is_file() and path.stat().st_uid == os.getuid() and path.name.endswith(_PRIVATE_FILES):
                os.chmod(path, 0o600)
    except OSError:
        return


_PRIVATE_FILES = (".sqlite3", ".sqlite3-wal", ".sqlite3-shm", ".key", ".lock")


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def private_tempdir(home: Path) -> Path:
    """Create this process's private temporary folder, clean up dead processes' ones, make it the
    default for `tempfile`, and remove it at exit."""
    root = home / "tmp"
    root.mkdir(mode=0o700, parents=True, exist_ok=True)
    os.chmod(root, 0o700)
    for old in root.iterdir():
        pid = old.name.split("-", 1)[0]
        if pid.isdigit() and not _alive(int(pid)):
            shutil.rmtree(old, ignore_errors=True)
    mine = Path(tempfile.mkdtemp(prefix=f"{os.getpid()}-", dir=root))  # mkdtemp: mode 0700
    tempfile.tempdir = str(mine)
    atexit.register(shutil.rmtree, mine, True)
    return mine

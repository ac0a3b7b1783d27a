"""Finding 5 (silent wrong answers from damaged files): the damaged-file matrix.

Every file NETNav keeps in its data home x {truncate, garbage, shuffle, remove}. Each cell asks the same
question of a fresh engine on a damaged copy of one home and classifies what happened:

- "same+warned": the answer equals the undamaged one and a warning said what was repaired;
- "same":        the answer equals the undamaged one (the damage did not matter, nothing to say);
- "error":       a typed NetNavError with a message (exit 1/2 at the CLI, a clear message in the web);
- "changed+warned": the answer differs because data is really gone, and a warning says so;
- anything else ("changed" silently, or an untyped exception) fails the test.

"shuffle" means well-formed but inconsistent content: ids or rows permuted, checksums swapped between
files, records swapped between files, database pages swapped. Tests use the hash embedder, so the
matrix runs in seconds; the trial-record row probes the registry instead of an answer.
"""

from __future__ import annotations

import json
import logging
import random
import shutil
from collections.abc import Callable
from pathlib import Path

import numpy as np
import pytest

from netnav.engine import Engine
from netnav.errors import NetNavError
from netnav.testing import HashEmbedder, write_tiny_corpus

QUESTION = "What is lanreotide used for?"
CABO = (
    "# Cabozantinib after progression\n\nCabozantinib is a tyrosine kinase inhibitor studied after "
    "progression on everolimus in pancreatic and extrapancreatic neuroendocrine tumors.\n"
)
DAMAGES = ("truncate", "garbage", "shuffle", "remove")


def _answer_key(home: Path) -> tuple[str, ...]:
    engine = Engine(home, embedder=HashEmbedder())
    try:
        answer = engine.ask(QUESTION, "clinician")
    finally:
        engine.close()
    return (str(answer.abstained), *[c.title for c in answer.citations], *[s.text for s in answer.summary])


@pytest.fixture(scope="module")
def base_home(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, tuple[str, ...]]:
    root = tmp_path_factory.mktemp("damage")
    corpus = write_tiny_corpus(root / "corpus")
    (root / "corpus" / "cabozantinib.md").write_text(CABO, encoding="utf-8")
    home = root / "home"
    engine = Engine(home, embedder=HashEmbedder())
    engine.ingest([*corpus, root / "corpus" / "cabozantinib.md"])
    engine.close()
    return home, _answer_key(home)


def _truncate(path: Path) -> None:
    data = path.read_bytes()
    path.write_bytes(data[: len(data) // 2])


def _garbage(path: Path) -> None:
    path.write_bytes(random.Random(1).randbytes(max(64, path.stat().st_size)))


def _shuffle_json_list(path: Path, key: str) -> None:
    body = json.loads(path.read_text(encoding="utf-8"))
    random.Random(2).shuffle(body[key])
    path.write_text(json.dumps(body), encoding="utf-8")


def _shuffle(path: Path) -> None:
    """Well-formed but inconsistent content, per file kind."""
    if path.name == "meta.json":
        _shuffle_json_list(path, "ids")
    elif path.suffix == ".npy":
        arr = np.load(path)
        np.save(path, arr[np.random.default_rng(3).permutation(len(arr))])
    elif path.name == "vocab.index.json":
        vocab = json.loads(path.read_text(encoding="utf-8"))
        values = list(vocab.values())
        random.Random(4).shuffle(values)
        path.write_text(json.dumps(dict(zip(vocab, values, strict=True))), encoding="utf-8")
    elif path.name == "manifest.json":
        body = json.loads(path.read_text(encoding="utf-8"))
        names, sums = list(body["files"]), list(body["files"].values())
        body["files"] = dict(zip(names, sums[1:] + sums[:1], strict=True))
        path.write_text(json.dumps(body), encoding="utf-8")
    elif path.suffix == ".sqlite3":
        data = bytearray(path.read_bytes())
        page = 4096
        pages = len(data) // page
        a, b = 2, pages - 1  # swap two b-tree pages (a misdirected write)
        data[a * page : (a + 1) * page], data[b * page : (b + 1) * page] = (
            data[b * page : (b + 1) * page],
            data[a * page : (a + 1) * page],
        )
        path.write_bytes(bytes(data))
    else:
        raise AssertionError(f"no shuffle for {path}")


ACTIONS: dict[str, Callable[[Path], None]] = {
    "truncate": _truncate,
    "garbage": _garbage,
    "shuffle": _shuffle,
    "remove": lambda p: p.unlink(),
}
INDEX_FILES = ["index/meta.json", "index/vectors.npy", "index/bm25/vocab.index.json", "index/manifest.json"]


def _classify(home: Path, baseline: tuple[str, ...], caplog: pytest.LogCaptureFixture) -> str:
    caplog.clear()
    with caplog.at_level(logging.WARNING, logger="netnav"):
        try:
            key = _answer_key(home)
        except NetNavError as exc:
            assert str(exc).strip(), "a typed error must carry a message"
            return "error"
    warned = any(r.levelno >= logging.WARNING for r in caplog.records)
    return ("same" if key == baseline else "changed") + ("+warned" if warned else "")


@pytest.mark.parametrize("damage", DAMAGES)
@pytest.mark.parametrize("name", INDEX_FILES)
def test_index_files(
    name: str,
    damage: str,
    base_home: tuple[Path, tuple[str, ...]],
    tmp_path: Path,
    caplog: pytest.LogCaptureFixture,
) -> None:
    """Any damage to any index file: rebuilt from the store, same answer, one warning."""
    home = tmp_path / "home"
    shutil.copytree(base_home[0], home)
    ACTIONS[damage](home / name)
    assert _classify(home, base_home[1], caplog) == "same+warned"
    assert SearchIndexOk(home)


def SearchIndexOk(home: Path) -> bool:  # noqa: N802 - reads as a predicate in the assert above
    from netnav.store import SearchIndex

    return len(SearchIndex.load(home / "index")) > 0


@pytest.mark.parametrize("damage", DAMAGES)
def test_embedding_cache(
    damage: str, base_home: tuple[Path, tuple[str, ...]], tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    """The cache only matters when the index is rebuilt: remove the index too, so it is used. Damaged
    caches are moved aside and recomputed (same answer, one warning); a removed cache is recomputed."""
    home = tmp_path / "home"
    shutil.copytree(base_home[0], home)
    cache = home / "embeddings.sqlite3"
    if damage == "shuffle":
        _shuffle_cache_vectors(cache)
    else:
        ACTIONS[damage](cache)
    shutil.rmtree(home / "index")
    outcome = _classify(home, base_home[1], caplog)
    assert outcome == ("same" if damage == "remove" else "same+warned")


def _shuffle_cache_vectors(cache: Path) -> None:
    import sqlite3

    con = sqlite3.connect(str(cache))
    rows = con.execute("SELECT text_hash, vector FROM embeddings ORDER BY text_hash").fetchall()
    vectors = [r[1] for r in rows]
    con.executemany(
        "UPDATE embeddings SET vector=? WHERE text_hash=?",
        [(v, r[0]) for r, v in zip(rows, vectors[1:] + vectors[:1], strict=True)],
    )
    con.commit()
    con.close()


@pytest.mark.parametrize("damage", DAMAGES)
def test_document_store(
    damage: str, base_home: tuple[Path, tuple[str, ...]], tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    """The store is the source of truth: damage to it is an error with a message (or, when removed, a new
    empty store whose answers warn that documents are missing) — never a quiet different answer."""
    home = tmp_path / "home"
    shutil.copytree(base_home[0], home)
    ACTIONS[damage](home / "netnav.sqlite3")
    outcome = _classify(home, base_home[1], caplog)
    assert outcome in {"error", "same+warned", "changed+warned"}, outcome


def test_lost_write_ahead_log_is_detected(tmp_path: Path, caplog: pytest.LogCaptureFixture) -> None:
    """Committed documents that lived only in netnav.sqlite3-wal vanish when that file is deleted: the
    next run says so (the store is older than its index) instead of answering as if nothing happened."""
    corpus = write_tiny_corpus(tmp_path / "corpus")
    home = tmp_path / "home"
    engine = Engine(home, embedder=HashEmbedder())
    engine.ingest(corpus[:1])
    engine.close()  # a clean close: everything is in the main file
    engine = Engine(home, embedder=HashEmbedder())
    engine.ingest(corpus[1:])  # committed, index rebuilt; the WAL still holds these pages
    copy = tmp_path / "copy"
    shutil.copytree(home, copy, ignore=shutil.ignore_patterns("*-wal", "*-shm"))  # the WAL is lost
    engine.close()
    caplog.clear()
    with caplog.at_level(logging.WARNING, logger="netnav"):
        Engine(copy, embedder=HashEmbedder()).ensure_index()
    assert any("older than its search index" in r.getMessage() for r in caplog.records)


@pytest.mark.parametrize("damage", DAMAGES)
def test_trial_record(damage: str, tmp_path: Path, caplog: pytest.LogCaptureFixture) -> None:
    """A damaged ingested trial record is quarantined with a warning; the rest of the registry works.
    A removed record is simply not there (as before it was ingested); the built-in trials remain."""
    from netnav.trials import TrialRegistry
    from netnav.types.trials import Trial

    registry = TrialRegistry(tmp_path)
    trials = [Trial(nct_id=f"NCT0999998{i}", title=f"Trial {i}", inclusion=["ECOG 0-1"]) for i in (1, 2)]
    registry.add(trials)
    target = tmp_path / "trials" / "NCT09999981.json"
    if damage == "shuffle":  # the other trial's record under this trial's name
        target.write_text((tmp_path / "trials" / "NCT09999982.json").read_text(encoding="utf-8"))
    else:
        ACTIONS[damage](target)
    caplog.clear()
    with caplog.at_level(logging.WARNING, logger="netnav"):
        ids = [t.nct_id for t in TrialRegistry(tmp_path).all()]
    assert ids.count("NCT09999982") == 1 and "NCT09999981" not in ids
    warned = any("NCT09999981.json" in r.getMessage() for r in caplog.records)
    assert warned is (damage != "remove")

"""`netnav export DIR` / `netnav import DIR`: a whole library between backends, checked.

Copied: documents with their passages (ids are content hashes; owner, built-in flag and time added
kept), one vector per passage (as produced by the embedding model; never recomputed), saved cases with
their reports and corrections, the session cases of the web/API, and the ingested trial records.
Not copied: conversation memory (follow-ups of the last hour; it starts afresh), running jobs, the
original uploaded files (their text is in the documents) and caches.

Import is resumable: everything is keyed by its id and what is already in the target is left as it is,
so running the same import again after an interruption completes it (and changes nothing when it was
complete). Before writing, every file's checksum and every vector's key (the passage it belongs to and
the hash of the text embedded) are checked, so a damaged dump writes nothing. Afterwards the import
checks that every document and case of the dump is in the target, and compares a sample of vectors.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import numpy as np

from netnav.engine import Engine
from netnav.settings import Settings
from netnav.store.cases import now_iso
from netnav.transfer import library
from netnav.transfer.dumpfile import (
    DumpError,
    Manifest,
    finish,
    open_dump,
    read_lines,
    staging_dir,
    write_lines,
)
from netnav.transfer.tables import Tables, count_file_session_cases, file_session_cases, put_file_session_case
from netnav.types.trials import Trial

Progress = Callable[[str, int, int], None]
VECTOR_SAMPLE = 64  # vectors compared after an import
VECTOR_TOLERANCE = 2e-3  # max abs difference (the embedded index may hold float16 above its ANN threshold)


def _quiet(stage: str, done: int, total: int) -> None:
    return None


def tables_of(engine: Engine) -> Tables:
    url = engine.settings.database_url
    if url:
        from netnav.store.postgres.access import transaction
        from netnav.store.postgres.shared import pool_for

        pool = pool_for(url)
        return Tables(lambda: transaction(pool), "%s")
    return Tables(engine.store.transaction, "?")  # type: ignore[attr-defined]


def export_home(settings: Settings, target: Path, progress: Progress = _quiet) -> Manifest:
    """Write a dump of the library `settings` select into the new folder `target` (see the module
    docstring). Raises DumpError when `target` exists and is not empty, StoreError when the source fails."""
    engine = Engine(settings=settings)
    staging = staging_dir(target)
    try:
        counts = library.export_library(engine, staging, progress)
        tables = tables_of(engine)
        reports = fixes = 0

        def cases() -> Any:
            nonlocal reports, fixes
            for row in tables.saved_cases():
                reports += len(row["reports"])
                fixes += len(row["corrections"])
                yield row

        counts["saved_cases"] = write_lines(staging / "saved_cases.jsonl", cases())
        counts["case_reports"], counts["case_corrections"] = reports, fixes
        sessions = tables.session_cases() if settings.database_url else file_session_cases(settings.cases_dir)
        counts["session_cases"] = write_lines(staging / "session_cases.jsonl", sessions)
        trials = [t.model_dump(mode="json") for t in engine.registry.ingested()]
        counts["trials"] = write_lines(staging / "trials.jsonl", trials)
        manifest = Manifest(
            created_at=now_iso(),
            source_backend=settings.backend,
            model_id=engine.embedder.model_id if counts["vectors"] else None,
            dim=engine.embedder.dim if counts["vectors"] else None,
            counts=counts,
        )
        finish(staging, target, manifest)
    finally:
        engine.close()
        if staging.exists():
            import shutil

            shutil.rmtree(staging, ignore_errors=True)
    return open_dump(target)


def check_vectors(folder: Path, manifest: Manifest) -> None:
    """Every vector row belongs to the passage in the same position and matches its text (DumpError)."""
    matrix = np.load(folder / "vectors.npy", mmap_mode="r", allow_pickle=False)
    passages = manifest.counts.get("passages", 0)
    if matrix.shape[0] != passages or (passages and matrix.shape[1] != manifest.dim):
        raise DumpError("the dump's vectors do not match its passages; nothing was imported")
    keys = read_lines(folder / "vector_keys.jsonl")
    from netnav.embed.cache import text_hash
    from netnav.store.index import embed_text
    from netnav.types.documents import Document, Passage

    for row in read_lines(folder / "documents.jsonl"):
        doc = Document.model_validate(row["document"])
        for raw in row["passages"]:
            p = Passage.model_validate(raw)
            key = next(keys, None)
            if key is None or key[0] != p.id or key[1] != text_hash(embed_text(p, doc)):
                raise DumpError(
                    f"the dump's vector for passage {p.id} does not match it; nothing was imported"
                )


def import_dump(settings: Settings, source: Path, progress: Progress = _quiet) -> dict[str, Any]:
    """Load the dump in `source` into the library `settings` select and check it (module docstring).
    Returns {"written": {...}, "skipped": {...}, "verified": {...}, "seconds": float}. Raises DumpError
    for a damaged or foreign dump (nothing written), StoreError when the target fails."""
    started = time.perf_counter()
    manifest = open_dump(source)
    check_vectors(source, manifest)
    engine = Engine(settings=settings)
    try:
        lib = library.import_library(engine, source, manifest.model_id, progress)
        tables = tables_of(engine)
        cases = [tables.put_saved_case(row) for row in read_lines(source / "saved_cases.jsonl")]
        tables.after_reports()
        if settings.database_url:
            sessions = [tables.put_session_case(r) for r in read_lines(source / "session_cases.jsonl")]
        else:
            sessions = [
                put_file_session_case(settings.cases_dir, r)
                for r in read_lines(source / "session_cases.jsonl")
            ]
        trials = engine.registry.add(Trial.model_validate(t) for t in read_lines(source / "trials.jsonl"))
        engine.ensure_index(progress)  # vectors from the embedding cache, nothing re-embedded
        verified = verify(engine, source, manifest, tables)
    finally:
        engine.close()
    return {
        "written": {
            "documents": lib["added"],
            "saved_cases": sum(cases),
            "session_cases": sum(sessions),
            "trials": trials,
            "vectors": lib["vectors"],
        },
        "skipped": {
            "documents": lib["unchanged"],
            "saved_cases": len(cases) - sum(cases),
            "session_cases": len(sessions) - sum(sessions),
        },
        "verified": verified,
        "seconds": round(time.perf_counter() - started, 2),
    }


def verify(engine: Engine, source: Path, manifest: Manifest, tables: Tables) -> dict[str, Any]:
    """Every document and saved case of the dump is in the target; counts; a sample of vectors equal.
    Raises DumpError naming what is missing or different."""
    rows = engine.store.query("SELECT id FROM documents")  # type: ignore[attr-defined]
    have = {str(r[0]) for r in rows}
    wanted = [str(r["document"]["id"]) for r in read_lines(source / "documents.jsonl")]
    missing = [d for d in wanted if d not in have]
    if missing:
        raise DumpError(f"{len(missing)} document(s) of the dump are not in the target, e.g. {missing[0]}")
    docs, passages = engine.store.count()
    case_ids = {str(r["case"][0]) for r in read_lines(source / "saved_cases.jsonl")}
    with tables.transaction() as conn:
        present = {str(r[0]) for r in conn.execute("SELECT id FROM saved_cases").fetchall()}
    if not case_ids <= present:
        raise DumpError(f"{len(case_ids - present)} saved case(s) of the dump are not in the target")
    sessions = (
        tables.count("session_cases")
        if engine.settings.database_url
        else count_file_session_cases(engine.settings.cases_dir)
    )
    compared, worst = _compare_vectors(engine, source, manifest)
    return {
        "documents": {"dump": manifest.counts.get("documents", 0), "target": docs},
        "passages": {"dump": manifest.counts.get("passages", 0), "target": passages},
        "saved_cases": {"dump": manifest.counts.get("saved_cases", 0), "target": len(present)},
        "case_reports": {
            "dump": manifest.counts.get("case_reports", 0),
            "target": tables.count("case_reports"),
        },
        "session_cases": {"dump": manifest.counts.get("session_cases", 0), "target": sessions},
        "vectors_compared": compared,
        "vector_max_abs_diff": worst,
    }


def _compare_vectors(engine: Engine, source: Path, manifest: Manifest) -> tuple[int, float]:
    total = manifest.counts.get("passages", 0)
    if not total or not manifest.model_id:
        return 0, 0.0
    picks = sorted({int(i) for i in np.linspace(0, total - 1, num=min(VECTOR_SAMPLE, total))})
    ids = [str(k[0]) for k in read_lines(source / "vector_keys.jsonl")]
    matrix = np.load(source / "vectors.npy", mmap_mode="r", allow_pickle=False)
    target = _target_vectors(engine, [ids[i] for i in picks])
    worst = 0.0
    for i in picks:
        got = target.get(ids[i])
        if got is None:
            raise DumpError(f"the target has no vector for passage {ids[i]}")
        worst = max(worst, float(np.max(np.abs(library.as_array(got) - matrix[i]))))
    if worst > VECTOR_TOLERANCE:
        raise DumpError(f"a vector differs after import (max abs difference {worst:.2e})")
    return len(picks), worst


def _target_vectors(engine: Engine, ids: list[str]) -> dict[str, Any]:
    if engine.settings.database_url:
        rows = engine.store.query(  # type: ignore[attr-defined]
            "SELECT p.id, v.embedding FROM passages p JOIN passage_vectors v ON v.row_id = p.row_id"
            " WHERE p.id = ANY(%s)",
            (ids,),
        )
        return {str(r[0]): r[1] for r in rows}
    index = engine.ensure_index()
    position = {pid: n for n, pid in enumerate(index.ids)}  # type: ignore[attr-defined]
    vectors = index.vectors  # type: ignore[attr-defined]
    return {pid: vectors[position[pid]] for pid in ids if pid in position}

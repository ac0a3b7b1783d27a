"""Trial records uploaded through the web belong to the uploading session (like documents): matched for
that session's cases only, never written into the shared registry; the CLI operator path stays shared."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from netnav.engine import Engine
from netnav.errors import BadInputError
from netnav.testing import HashEmbedder

RECORD = Path(__file__).resolve().parents[1] / "ingest" / "fixtures" / "trial_v2.json"
NCT = "NCT09999991"
ALICE, BOB = "a" * 32, "b" * 32
REPORT = (
    "SURGICAL PATHOLOGY REPORT\nDiagnosis: Well-differentiated neuroendocrine tumor of the pancreas, "
    "WHO grade 2.\nKi-67 proliferation index: 8%.\nMetastatic to liver.\n"
)


@pytest.fixture
def engine(tmp_path: Path) -> Engine:
    return Engine(tmp_path / "home", embedder=HashEmbedder())


def _ids(engine: Engine, owner: str | None, tmp_path: Path) -> set[str]:
    report = tmp_path / "report.txt"
    report.write_text(REPORT, encoding="utf-8")
    case = engine.extract([report])
    return {m.nct_id for m in engine.trials(case, "all", owner=owner)}


def test_web_upload_is_private_to_its_session(engine: Engine, tmp_path: Path) -> None:
    upload = tmp_path / "upload" / RECORD.name
    upload.parent.mkdir()
    shutil.copy(RECORD, upload)
    report = engine.ingest([upload], owner=ALICE, index=False)
    assert report.added == 1 and report.items[0].trials == 1
    assert NCT in {t.nct_id for t in engine.trial_registry(ALICE).all()}
    assert NCT not in {t.nct_id for t in engine.trial_registry(BOB).all()}
    assert NCT not in {t.nct_id for t in engine.registry.all()}, "a web upload reached the shared registry"
    assert not list((engine.settings.home / "trials").glob("NCT*.json"))
    private = engine.settings.home / "trials" / "private"
    assert (private.stat().st_mode & 0o777) == 0o700 and ((private / ALICE).stat().st_mode & 0o777) == 0o700
    assert NCT in _ids(engine, ALICE, tmp_path)
    assert NCT not in _ids(engine, BOB, tmp_path) and NCT not in _ids(engine, None, tmp_path)


def test_operator_ingest_stays_shared(engine: Engine, tmp_path: Path) -> None:
    engine.ingest([RECORD], index=False)
    for owner in (None, ALICE, BOB):
        assert NCT in {t.nct_id for t in engine.trial_registry(owner).all()}


def test_owner_key_cannot_walk_out_of_the_folder(engine: Engine) -> None:
    for bad in ("../../etc", "a/b", "", "x" * 100):
        with pytest.raises(BadInputError):
            engine.trial_registry(bad)


def test_deleting_the_upload_removes_its_private_records(engine: Engine) -> None:
    upload = engine.settings.home / "uploads" / f"{ALICE}-x" / RECORD.name
    upload.parent.mkdir(parents=True)
    shutil.copy(RECORD, upload)
    engine.ingest([RECORD], index=False)  # the operator's shared copy must survive
    report = engine.ingest([upload], owner=ALICE, index=False)
    doc_id = report.items[0].doc_id
    assert (
        doc_id is not None and (engine.settings.home / "trials" / "private" / ALICE / f"{NCT}.json").is_file()
    )
    assert engine.delete_document(doc_id, ALICE)
    assert not (engine.settings.home / "trials" / "private" / ALICE / f"{NCT}.json").exists()
    assert NCT in {t.nct_id for t in engine.registry.all()}

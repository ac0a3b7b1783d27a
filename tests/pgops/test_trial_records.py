"""The trial registry on PostgreSQL: two servers (two Engines with their own data homes, as on two
machines) on one database see each other's trial updates and uploaded trial records at once; a session's
uploaded records stay that session's; a `trials update` run is applied as one transaction (others see the
whole run or nothing); a write the database refuses leaves the registry as it was."""

from __future__ import annotations

import json
import shutil
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest
import respx

import netnav.trials.update as upd
from netnav.engine import Engine
from netnav.errors import RegistryFetchError, StoreError
from netnav.settings import get_settings
from netnav.testing import HashEmbedder
from netnav.types.trials import Trial
from tests.trials.test_update import CONDS, NOW, Sleeps, full_script, polite, responder

RECORD = Path(__file__).resolve().parents[1] / "ingest" / "fixtures" / "trial_v2.json"
NCT = "NCT09999991"
ALICE, BOB = "a" * 32, "b" * 32


@pytest.fixture
def servers(tmp_path: Path, migrated_database: str) -> Iterator[tuple[Engine, Engine]]:
    from netnav.store.postgres.shared import close_pools

    engines = [
        Engine(
            settings=get_settings(tmp_path / name, database_url=migrated_database), embedder=HashEmbedder()
        )
        for name in ("one", "two")
    ]
    yield engines[0], engines[1]
    for engine in engines:
        engine.close()
    close_pools()


def _trial(nct: str, title: str, last_update: str | None = "2026-01-05") -> Trial:
    return Trial(
        nct_id=nct,
        title=title,
        overall_status="Recruiting",
        last_update=last_update,
        conditions=["Neuroendocrine Tumors"],
        inclusion=["Ki-67 of 20% or less"],
        source="record.json",
    )


def _ids(engine: Engine, owner: str | None = None) -> set[str]:
    return {t.nct_id for t in engine.trial_registry(owner).ingested()}


def test_a_trial_record_written_by_one_server_is_read_by_the_other(servers: tuple[Engine, Engine]) -> None:
    one, two = servers
    assert one.registry.add([_trial("NCT09999970", "First copy")]) == 1
    seen = {t.nct_id: t for t in two.registry.all()}
    assert seen["NCT09999970"].title == "First copy"
    assert seen["NCT09999970"].snapshot_date  # the check date travels with the record
    two.registry.add([_trial("NCT09999970", "Second copy", "2026-02-01")])
    again = {t.nct_id: t for t in one.registry.ingested()}
    assert again["NCT09999970"].title == "Second copy" and again["NCT09999970"].last_update == "2026-02-01"
    assert not list((one.settings.home / "trials").glob("**/NCT*.json")), "records on a machine's disk"
    snapshot = two.registry.snapshot()
    assert snapshot.ingested_count == 1 and snapshot.ingested_updated == ("2026-02-01", "2026-02-01")


def test_an_uploaded_trial_is_its_sessions_on_every_server(
    servers: tuple[Engine, Engine], tmp_path: Path
) -> None:
    one, two = servers
    upload = tmp_path / "upload" / RECORD.name
    upload.parent.mkdir()
    shutil.copy(RECORD, upload)
    report = one.ingest([upload], owner=ALICE, index=False)
    doc_id = report.items[0].doc_id
    assert report.added == 1 and report.items[0].trials == 1 and doc_id is not None
    assert NCT in _ids(two, ALICE)
    assert NCT not in _ids(two, BOB) and NCT not in _ids(two), "an upload reached another session"
    two.ingest([RECORD], index=False)  # the operator's shared copy, through the other server
    upload.unlink()  # the uploaded file is gone (another machine, or removed after its job)
    assert two.delete_document(doc_id, ALICE)
    records = one.trial_registry(ALICE).records
    assert records is not None and NCT not in {t.nct_id for t in records.records(ALICE)}
    assert NCT in _ids(one) and NCT in _ids(one, ALICE)  # the shared record stays


def test_a_write_the_database_refuses_changes_nothing(servers: tuple[Engine, Engine]) -> None:
    one, two = servers
    one.registry.add([_trial("NCT09999971", "Kept")])
    bad = _trial("NCT09999972", "Nul \x00 in a title")  # PostgreSQL's jsonb refuses NUL characters
    with pytest.raises(StoreError):
        two.registry.add([_trial("NCT09999971", "Changed"), bad])
    assert {t.nct_id: t.title for t in one.registry.ingested()} == {"NCT09999971": "Kept"}


def test_an_update_run_is_applied_as_one_transaction(servers: tuple[Engine, Engine]) -> None:
    one, two = servers
    failing = full_script()
    failing[(CONDS[0], "NF0g5JKLnvQ")] = [httpx.Response(503)]
    with pytest.raises(RegistryFetchError):
        _update(one, failing, retries=1)
    assert _ids(two) == set(), "the other server saw half an update"
    report = _update(one, full_script(), retries=3)
    assert report.resumed and report.written == 2
    assert _ids(two) == {"NCT04919226", "NCT05882058", "NCT02683941", "NCT03712605"}
    fetched = {t.fetched_at for t in two.registry.ingested()}
    assert fetched == {NOW}
    home = one.settings.home / "trials"
    assert not (home / upd.STATE_FILE).exists() and not (home / ".staged").exists()


def _update(
    engine: Engine, script: dict[tuple[str, str | None], list[httpx.Response]], retries: int
) -> upd.UpdateReport:
    with respx.mock(assert_all_mocked=True) as mock, httpx.Client() as client:
        mock.get(upd.API_URL).mock(side_effect=responder(script))
        return upd.update_registry(
            engine.registry,
            client=client,
            conditions=CONDS,
            now=lambda: NOW,
            polite=polite(Sleeps(), retries),
        )


def test_an_uploads_file_is_removed_when_its_ingest_job_ends(
    servers: tuple[Engine, Engine], monkeypatch: pytest.MonkeyPatch
) -> None:
    from netnav.jobs.tasks import ingest_task
    from netnav.jobs.worker import JobContext
    from netnav.types.jobs import JobLimits

    one, two = servers
    assert one.settings.database_url is not None
    monkeypatch.setenv("NETNAV_DATABASE_URL", one.settings.database_url)
    upload = one.settings.home / "uploads" / f"{ALICE[:16]}-0123" / RECORD.name
    upload.parent.mkdir(parents=True)
    shutil.copy(RECORD, upload)
    payload: dict[str, object] = {
        "home": str(one.settings.home),
        "paths": [str(upload)],
        "kind": None,
        "names": {},
        "owner": ALICE,
    }
    result = ingest_task(JobContext(None, JobLimits()), payload)
    assert json.loads(result)["added"] == 1
    assert not upload.exists() and not upload.parent.exists(), "the uploaded file outlived its job"
    assert [row.doc.title for row in two.owned_documents(ALICE)], "the document is in the database"
    assert NCT in _ids(two, ALICE)

"""The CaseRepository contract on both backends (SQLite in the home, PostgreSQL), owner isolation
included; PostgreSQL-only: concurrent creates of one name, two pools on one database."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from netnav.errors import BadInputError, CaseNameTakenError, SavedCaseNotFoundError
from netnav.store.cases import CaseRepository, SqliteCaseRepository
from netnav.store.db import Store
from netnav.types.case import CaseProfile, FieldValue, UserValue
from netnav.types.casebook import NewReport


def report(name: str, ki67: float, date: str | None = "2025-03-01") -> NewReport:
    field = FieldValue(value=ki67, unit="%", text=f"Ki-67 {ki67}% — naïve résumé", source=name, line=3)
    profile = CaseProfile(case_id=name, fields={"ki67_percent": field})
    return NewReport(
        name=name, report_date=date, profile=profile, lines=["Ki-67", "ünïcode ✓"], meta={"ocr": 91.5}
    )


@pytest.fixture(params=["sqlite", "postgresql"])
def repo(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[CaseRepository]:
    if request.param == "sqlite":
        store = Store(tmp_path / "netnav.sqlite3")
        yield SqliteCaseRepository(store)
        store.close()
        return
    from netnav.store.postgres.cases import PostgresCaseRepository

    yield PostgresCaseRepository(request.getfixturevalue("pg_pool"))


def test_create_find_rename_delete(repo: CaseRepository) -> None:
    made = repo.create("alice", "  Dad –   pancreatic NET ")
    assert made.name == "Dad – pancreatic NET" and made.id.startswith("sc-")
    assert repo.find("alice", "dad – PANCREATIC net").id == made.id
    assert repo.find("alice", made.id).name == made.name
    with pytest.raises(CaseNameTakenError):
        repo.create("alice", "DAD – pancreatic net")
    renamed = repo.rename("alice", made.id, "Dad")
    assert renamed.name == "Dad"
    assert [c.name for c in repo.list_cases("alice")] == ["Dad"]
    repo.delete("alice", made.id)
    assert repo.list_cases("alice") == []
    with pytest.raises(SavedCaseNotFoundError):
        repo.delete("alice", made.id)


@pytest.mark.parametrize("name", ["", "   ", "x" * 121, "bad\x00name"])
def test_bad_names_refused(repo: CaseRepository, name: str) -> None:
    with pytest.raises(BadInputError):
        repo.create("alice", name)


def test_reports_and_corrections_round_trip(repo: CaseRepository) -> None:
    case = repo.create("alice", "Mum")
    repo.add_reports("alice", case.id, [report("path.txt", 12.0), report("mol.txt", 3.0, None)])
    fix = UserValue(value=15, action="corrected", at="2026-11-29T20:00:00Z", by="alice")
    repo.set_correction("alice", case.id, "ki67_percent", fix)
    repo.set_correction("alice", case.id, "grade", UserValue(value="G2", action="confirmed", at="x", by=None))
    saved = repo.load("alice", case.id)
    assert saved.summary.reports == 2
    assert [r.name for r in saved.reports] == ["path.txt", "mol.txt"]
    first = saved.reports[0]
    assert first.profile == report("path.txt", 12.0).profile, "the profile comes back unchanged"
    assert first.lines == ["Ki-67", "ünïcode ✓"] and first.meta == {"ocr": 91.5}
    assert saved.reports[1].report_date is None
    assert saved.corrections["ki67_percent"] == fix
    assert saved.corrections["grade"].by is None
    repo.set_correction("alice", case.id, "ki67_percent", fix.model_copy(update={"value": 20}))
    assert repo.load("alice", case.id).corrections["ki67_percent"].value == 20, "a second correction replaces"
    assert repo.remove_correction("alice", case.id, "ki67_percent")
    assert not repo.remove_correction("alice", case.id, "ki67_percent")
    assert set(repo.load("alice", case.id).corrections) == {"grade"}


def test_owners_are_isolated(repo: CaseRepository) -> None:
    mine = repo.create("alice", "Dad")
    theirs = repo.create("bob", "Dad")  # the same name under another owner is fine
    repo.add_reports("bob", theirs.id, [report("b.txt", 40.0)])
    assert [c.id for c in repo.list_cases("alice")] == [mine.id]
    for attempt in (
        lambda: repo.find("alice", theirs.id),
        lambda: repo.load("alice", theirs.id),
        lambda: repo.rename("alice", theirs.id, "Mine now"),
        lambda: repo.delete("alice", theirs.id),
        lambda: repo.add_reports("alice", theirs.id, [report("x.txt", 1.0)]),
        lambda: repo.set_correction(
            "alice", theirs.id, "grade", UserValue(value="G1", action="corrected", at="t", by="alice")
        ),
        lambda: repo.remove_correction("alice", theirs.id, "grade"),
    ):
        with pytest.raises(SavedCaseNotFoundError):
            attempt()
    assert repo.delete_owner("alice") == 1
    bob = repo.load("bob", theirs.id)
    assert bob.summary.name == "Dad" and bob.summary.reports == 1, "another owner's data is untouched"


def test_postgres_concurrent_creates_of_one_name_give_one_case(pg_pool: Any) -> None:
    from netnav.store.postgres.cases import PostgresCaseRepository

    repo = PostgresCaseRepository(pg_pool)
    outcomes: list[str] = []
    barrier = threading.Barrier(4)

    def create(name: str) -> None:
        barrier.wait()
        try:
            repo.create("alice", name)
            outcomes.append("made")
        except CaseNameTakenError:
            outcomes.append("taken")

    threads = [threading.Thread(target=create, args=(n,)) for n in ("Dad", "dad", "DAD", "Dad ")]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert sorted(outcomes) == ["made", "taken", "taken", "taken"]
    assert len(repo.list_cases("alice")) == 1


def test_postgres_two_pools_see_each_others_writes(migrated_database: str) -> None:
    """Two server processes = two pools on one database: a write by one is read by the other."""
    from psycopg_pool import ConnectionPool

    from netnav.store.postgres.cases import PostgresCaseRepository

    with (
        ConnectionPool(migrated_database, min_size=1, max_size=2, kwargs={"autocommit": True}) as one,
        ConnectionPool(migrated_database, min_size=1, max_size=2, kwargs={"autocommit": True}) as two,
    ):
        a, b = PostgresCaseRepository(one), PostgresCaseRepository(two)
        made = a.create("alice", "Dad")
        b.add_reports("alice", made.id, [report("r.txt", 7.0)])
        assert a.load("alice", made.id).summary.reports == 1
        b.delete("alice", made.id)
        assert a.list_cases("alice") == []

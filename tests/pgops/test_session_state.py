"""Per-session cases and follow-up memory: the files/in-process versions and the PostgreSQL ones behave
alike, and on PostgreSQL two server processes (two pools) share them."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from netnav.cases import CaseStore, SessionCases, new_session_id
from netnav.conversation import ConversationMemory, Conversations
from netnav.errors import BadInputError, CaseNotFoundError
from netnav.types.case import CaseProfile


@pytest.fixture(params=["files", "postgresql"])
def cases(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[SessionCases]:
    if request.param == "files":
        yield CaseStore(tmp_path / "cases")
        return
    from netnav.store.postgres.sessions import PostgresSessionCases

    yield PostgresSessionCases(request.getfixturevalue("pg_pool"))


@pytest.fixture(params=["memory", "postgresql"])
def memory(request: pytest.FixtureRequest) -> ConversationMemory:
    if request.param == "memory":
        return Conversations()
    from netnav.conversation import PostgresConversations

    return PostgresConversations(request.getfixturevalue("pg_pool"))


def test_session_cases_save_load_isolated(cases: SessionCases) -> None:
    me, other = new_session_id(), new_session_id()
    cases.save(me, CaseProfile(case_id="c1", warnings=["résumé"]))
    cases.save(me, CaseProfile(case_id="c2"))
    cases.save(me, CaseProfile(case_id="c1", warnings=["replaced"]))
    assert cases.load(me, "c1").warnings == ["replaced"]
    assert sorted(cases.list_ids(me)) == ["c1", "c2"]
    assert cases.list_ids(other) == []
    with pytest.raises(CaseNotFoundError):
        cases.load(other, "c1")
    assert not cases.delete(other, "c1")
    with pytest.raises(CaseNotFoundError):
        cases.load(me, "../c1")
    with pytest.raises(BadInputError):
        cases.list_ids("not-a-session")
    assert cases.delete(me, "c2") and not cases.delete(me, "c2")
    assert cases.delete_all(me) == 1 and cases.list_ids(me) == []


def test_session_cases_expire_only_stale_sessions(cases: SessionCases) -> None:
    old, fresh = new_session_id(), new_session_id()
    cases.save(old, CaseProfile(case_id="a"))
    cases.save(fresh, CaseProfile(case_id="b"))
    assert cases.expire(max_age_days=30, now=None) == 0
    import time

    assert cases.expire(max_age_days=1, now=time.time() + 2 * 86400) == 2
    assert cases.list_ids(old) == [] and cases.list_ids(fresh) == []


def test_follow_ups_chain_and_stay_per_session(memory: ConversationMemory) -> None:
    me, other = new_session_id(), new_session_id()
    first = memory.resolve(me, "c1", "What does a Ki-67 of 15% mean for a pancreatic NET?")
    assert first == "What does a Ki-67 of 15% mean for a pancreatic NET?"
    second = memory.resolve(me, "c1", "what about for NEC?")
    assert second != "what about for NEC?" and "Ki-67" in second
    assert memory.resolve(other, "c1", "what about for NEC?") == "what about for NEC?"
    assert memory.resolve(me, None, "what about for NEC?") == "what about for NEC?"
    assert memory.history(me) == [("c1", [first, second])]
    memory.forget_session(me)
    assert memory.history(me) == []
    assert memory.resolve(me, "c1", "what about for NEC?") == "what about for NEC?"
    with pytest.raises(BadInputError):
        memory.resolve(me, "bad id!", "x")


def test_two_processes_share_conversations_and_cases(migrated_database: str) -> None:
    """A follow-up answered by another worker process still finds its previous question."""
    from psycopg_pool import ConnectionPool

    from netnav.conversation import PostgresConversations
    from netnav.store.postgres.sessions import PostgresSessionCases

    me = new_session_id()
    with (
        ConnectionPool(migrated_database, min_size=1, max_size=2, kwargs={"autocommit": True}) as one,
        ConnectionPool(migrated_database, min_size=1, max_size=2, kwargs={"autocommit": True}) as two,
    ):
        PostgresConversations(one).resolve(me, "c", "Is lanreotide used for pancreatic NET?")
        follow = PostgresConversations(two).resolve(me, "c", "what about its side effects?")
        assert "lanreotide" in follow.lower()
        PostgresSessionCases(one).save(me, CaseProfile(case_id="k"))
        assert PostgresSessionCases(two).list_ids(me) == ["k"]


def test_concurrent_turns_of_one_conversation_are_all_kept(pg_pool: Any) -> None:
    from netnav.conversation import PostgresConversations

    memory = PostgresConversations(pg_pool)
    me = new_session_id()
    questions = [f"What is the role of everolimus in trial {i} for pancreatic NET?" for i in range(8)]
    threads = [threading.Thread(target=memory.resolve, args=(me, "c", q)) for q in questions]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    [(_, asked)] = memory.history(me)
    assert sorted(asked) == sorted(questions), "no turn lost to a concurrent update"

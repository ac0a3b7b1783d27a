"""The web's answers kept by id, on PostgreSQL: per session, bounded, forgotten with the session's data,
and seen by every server process (the answering POST and the GET it redirects to may differ)."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from netnav.cases import new_session_id


@pytest.fixture
def url(migrated_database: str) -> Iterator[str]:
    from netnav.store.postgres.shared import close_pools

    yield migrated_database
    close_pools()


def test_entries_per_session_bounded_and_forgotten(url: str) -> None:
    from netnav.store.postgres.asked import PostgresAnswerRecords

    one, two = PostgresAnswerRecords(url), PostgresAnswerRecords(url)  # two server processes
    me, other = new_session_id(), new_session_id()
    for i in range(5):
        one.put(me, f"id{i}", f'{{"n": {i}, "text": "naïve ✓"}}', per_session=3)
    assert two.get(me, "id4") == '{"n": 4, "text": "naïve ✓"}'
    assert two.get(me, "id0") is None, "the oldest went beyond the bound"
    assert [p[6] for p in two.list(me)] == ["2", "3", "4"]
    assert two.get(other, "id4") is None and two.list(other) == []
    two.forget(me)
    assert one.list(me) == [] and one.get(me, "id3") is None


def test_expired_with_the_sessions_other_data(url: str, pg_pool: object) -> None:
    import time

    from netnav.store.postgres.asked import PostgresAnswerRecords
    from netnav.store.postgres.sessions import PostgresSessionCases

    records = PostgresAnswerRecords(url)
    me = new_session_id()
    records.put(me, "a", "{}", per_session=10)
    PostgresSessionCases(pg_pool).expire(max_age_days=1, now=time.time() + 2 * 86400)  # type: ignore[arg-type]
    assert records.list(me) == []

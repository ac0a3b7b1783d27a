"""The web's answers kept by id, on PostgreSQL: per session, bounded, forgotten with the session's data,
and seen by every server process (the answering POST and the GET it redirects to may differ)."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

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


def test_expired_with_the_sessions_other_data(url: str, pg_pool: Any) -> None:
    import time

    from netnav.store.postgres.asked import PostgresAnswerRecords
    from netnav.store.postgres.sessions import PostgresSessionCases

    records = PostgresAnswerRecords(url)
    me = new_session_id()
    records.put(me, "a", "{}", per_session=10)
    PostgresSessionCases(pg_pool).expire(max_age_days=1, now=time.time() + 2 * 86400)
    assert records.list(me) == []


def test_web_answers_by_id_shared_between_processes(url: str) -> None:
    """What the web keeps on POST /ask in one worker is found by GET /answers/{id} in another."""
    from netnav.api.asked import SharedAskedAnswers
    from netnav.store.postgres.asked import PostgresAnswerRecords
    from netnav.types.answer import Answer

    one = SharedAskedAnswers(PostgresAnswerRecords(url))
    two = SharedAskedAnswers(PostgresAnswerRecords(url))
    me = new_session_id()
    answer = Answer(
        question="What does a Ki-67 of 15% mean for a pancreatic NEC?",
        audience="patient",
        abstained=False,
        questions_to_ask=["Is it G2 or G3?"],
        disclaimer="Information, not medical advice.",
        rewritten_from="what about for NEC?",
    )
    first = one.remember(me, answer, "what about for NEC?", "patient", "", "c1")
    second = one.remember(
        me, answer.model_copy(update={"question": "Is lanreotide used?"}), "x", "clinician", "k", "c2"
    )
    got = two.get(me, first.id)
    assert got == first, "the whole entry, answer included, comes back unchanged"
    assert two.get(new_session_id(), first.id) is None, "another session never sees it"
    assert [(c, [e.id for e in es]) for c, es in two.history(me)] == [("c2", [second.id]), ("c1", [first.id])]
    two.forget_session(me)
    assert one.get(me, first.id) is None and one.history(me) == []

"""POST /api/ask: answers with resolvable citations, follow-ups, bad input."""

from __future__ import annotations

import pytest
from fastapi.testclient import TestClient

from netnav.conversation import Conversations, combine, is_follow_up, split_focus
from tests.api.helpers import QUESTION


def test_ask_returns_cited_answer(client: TestClient) -> None:
    r = client.post("/api/ask", json={"question": QUESTION, "audience": "clinician"})
    assert r.status_code == 200
    body = r.json()
    assert body["audience"] == "clinician" and not body["abstained"]
    numbers = {c["n"] for c in body["citations"]}
    sentences = body["summary"] + [s for sec in body["sections"] for s in sec["sentences"]]
    assert sentences
    assert all(s["citations"] and set(s["citations"]) <= numbers for s in sentences)
    assert body["disclaimer"]


def test_follow_up_is_combined_with_previous_question(client: TestClient) -> None:
    first = client.post("/api/ask", json={"question": QUESTION, "conversation_id": "conv-1"})
    assert first.json()["question"] == QUESTION
    second = client.post("/api/ask", json={"question": "what about for NEC?", "conversation_id": "conv-1"})
    assert second.status_code == 200
    assert second.headers["X-Conversation-Id"] == "conv-1"
    assert second.json()["question"] == "What does a Ki-67 of 15% mean for a pancreatic NEC?"


def test_follow_up_without_conversation_is_taken_literally(client: TestClient) -> None:
    r = client.post("/api/ask", json={"question": "what about for NEC?"})
    assert r.json()["question"] == "what about for NEC?"


def test_conversations_are_private_to_a_session() -> None:
    memory = Conversations()
    memory.resolve("a" * 32, "c", QUESTION)
    assert memory.resolve("b" * 32, "c", "and for lung?") == "and for lung?"
    assert memory.resolve("a" * 32, "c", "and for lung?") == "What does a Ki-67 of 15% mean for a lung NET?"


@pytest.mark.parametrize(
    ("previous", "message", "expected"),
    [
        (QUESTION, "what about for NEC?", "What does a Ki-67 of 15% mean for a pancreatic NEC?"),
        (
            "What is the first-line treatment for small intestine NET?",
            "and for lung?",
            "What is the first-line treatment for lung NET?",
        ),
        (
            QUESTION,
            "how about in children?",
            "What does a Ki-67 of 15% mean for a pancreatic NET in children?",
        ),
        ("Is PRRT used for midgut NET?", "what about everolimus?", "Is everolimus used for midgut NET?"),
    ],
)
def test_combine_rule(previous: str, message: str, expected: str) -> None:
    assert combine(previous, message) == expected


def test_follow_up_detection() -> None:
    assert is_follow_up("what about for NEC?")
    assert is_follow_up("and for lung?")
    assert not is_follow_up("What are the side effects of lanreotide injections in adults?")
    assert split_focus("how about in children?") == ("in", "children")


def test_long_new_question_starts_over() -> None:
    memory = Conversations()
    memory.resolve("a" * 32, "c", QUESTION)
    new = "What are the side effects of lanreotide injections in adults?"
    assert memory.resolve("a" * 32, "c", new) == new


@pytest.mark.parametrize(
    "body",
    [
        {"question": QUESTION, "audience": "doctor"},
        {"question": ""},
        {"question": QUESTION, "conversation_id": "../etc"},
        {"question": "x" * 2001},
    ],
)
def test_bad_ask_input_is_422(client: TestClient, body: dict[str, str]) -> None:
    r = client.post("/api/ask", json=body)
    assert r.status_code == 422
    assert "detail" in r.json()


def test_ask_with_unknown_case_is_404(client: TestClient) -> None:
    r = client.post("/api/ask", json={"question": QUESTION, "case_id": "case-0000000000000000"})
    assert r.status_code == 404


def test_health_and_openapi(client: TestClient) -> None:
    health = client.get("/api/health").json()
    assert {k: health[k] for k in ("status", "ready", "version", "backend")} == {
        "status": "ok",
        "ready": True,
        "version": "0.1.0",
        "backend": "sqlite",
    }
    assert health["schema_version"] >= 4 and health["detail"] is None
    paths = client.get("/openapi.json").json()["paths"]
    for path in (
        "/api/ask",
        "/api/cases",
        "/api/cases/{case_id}",
        "/api/cases/{case_id}/assessment",
        "/api/cases/{case_id}/trials",
        "/api/sources",
        "/api/documents",
        "/api/health",
    ):
        assert path in paths
    assert client.get("/docs").status_code == 200

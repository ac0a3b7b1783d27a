"""The spelling corrector: (1) another session's private upload never changes what this session's
question is read as (a word known only from that upload must not stop a correction, nor reveal that the
word exists); (2) ordinary English words are never "corrected" into other words (face -> fiance,
breast -> breath), while real misspellings still are."""

from __future__ import annotations

from pathlib import Path

import pytest

from netnav.engine import Engine
from netnav.retrieve.analyze import analyze
from netnav.retrieve.spelling import speller
from netnav.testing import HashEmbedder, write_tiny_corpus

PRIVATE_WORD = "lanreotidum"  # one letter from a drug name; known only from session A's upload
QUESTION = f"Is {PRIVATE_WORD} used for carcinoid syndrome flushing?"


@pytest.fixture
def engine(tmp_path: Path) -> Engine:
    engine = Engine(tmp_path / "home", embedder=HashEmbedder())
    engine.ingest(write_tiny_corpus(tmp_path / "corpus"))
    return engine


def _key(engine: Engine, owner: str | None) -> tuple[object, ...]:
    answer = engine.ask(QUESTION, "patient", owner=owner)
    return (answer.abstained, answer.abstain_reason, tuple(c.title for c in answer.citations))


def test_private_words_do_not_reach_other_sessions(engine: Engine, tmp_path: Path) -> None:
    before = {who: _key(engine, who) for who in ("B", None)}
    note = tmp_path / "my-notes.md"
    note.write_text(
        f"# My notes\n\nMy oncologist wrote {PRIVATE_WORD} on the letter; my name is Jane Example.\n",
        encoding="utf-8",
    )
    assert engine.ingest([note], owner="A").added == 1
    stem = PRIVATE_WORD  # Snowball leaves this made-up word as it is
    assert stem in engine.known_words("A")
    assert stem not in engine.known_words("B") and stem not in engine.known_words(None)
    assert analyze(QUESTION, engine.known_words("B")).corrections == {PRIVATE_WORD: "lanreotide"}
    assert analyze(QUESTION, engine.known_words("A")).corrections == {}
    after = {who: _key(engine, who) for who in ("B", None)}
    assert after == before, "another session's upload changed this session's answer"
    engine.close()


@pytest.mark.parametrize(
    "word",
    [
        "face",
        "breast",
        "shoulder",
        "itching",
        "married",
        "daughter",
        "holiday",
        "bread",
        "swimming",
        "garden",
        "kidneys",
        "worried",
    ],
)
def test_ordinary_words_are_left_alone(word: str) -> None:
    assert speller().correct_word(word) is None
    assert word in analyze(f"my {word} and my NET").question.lower()


@pytest.mark.parametrize(
    ("typed", "meant"),
    [
        ("diffrence", "difference"),
        ("tierd", "tired"),
        ("everolimous", "everolimus"),
        ("lutathra", "lutathera"),
        ("octreotid", "octreotide"),
        ("carcinod", "carcinoid"),
        ("cabozantanib", "cabozantinib"),
        ("insulinomma", "insulinoma"),
    ],
)
def test_misspellings_are_still_corrected(typed: str, meant: str) -> None:
    assert speller().correct_word(typed) == meant

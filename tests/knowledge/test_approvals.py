"""The approvals table is valid, cited by cards, and the consistency check finds contradictions (and none today)."""

from __future__ import annotations

from pathlib import Path

import pytest

from netnav.errors import KnowledgeError
from netnav.knowledge.approvals import check, cross_card, load_approvals, mentions
from netnav.knowledge.loader import load_cards

ROWS = load_approvals()
CARDS = load_cards()
FIXTURE = Path(__file__).parent / "fixtures" / "contradictory"


def test_table_rows_are_complete_and_sourced() -> None:
    assert len(ROWS) >= 20
    for row in ROWS:
        assert row.source and row.drug and row.indication
        if row.status in ("withdrawn", "converted"):
            assert row.status_date and row.status_date >= row.date, row.id
        if row.status == "converted":
            assert row.type == "accelerated", row.id


def test_every_row_is_cited_by_a_card() -> None:
    cited = {a for c in CARDS for a in c.approvals}
    assert {r.id for r in ROWS} - cited == set()


def test_cards_agree_with_the_table_and_with_each_other() -> None:
    assert sum(len(mentions(c, ROWS)) for c in CARDS) >= 40  # the check really reads the cards
    assert check(CARDS, ROWS) == []
    assert cross_card(CARDS, ROWS) == []


def test_the_check_flags_a_deliberately_contradictory_set() -> None:
    cards = load_cards(FIXTURE)
    problems = {(p.card_id, p.problem.split(":")[0]) for p in check(cards, ROWS)}
    flagged = {card for card, _ in problems}
    assert "x-avelumab-wrong-year" in flagged  # wrong date
    assert "x-lutathera-accelerated" in flagged  # regular approval called accelerated
    assert "x-nivolumab-sclc-current" in flagged  # withdrawn indication stated as current
    assert "x-tarlatamab-regular" not in flagged  # May 2024 is a real (accelerated) row: no date problem
    (pair,) = cross_card(cards, ROWS)
    assert "x-tarlatamab-regular" in pair.card_id and "x-tarlatamab-accelerated" in pair.card_id


def test_a_card_citing_an_unknown_row_is_rejected(tmp_path: Path) -> None:
    text = (FIXTURE / "cards.yaml").read_text().replace("nivolumab-sclc-3l", "no-such-approval")
    (tmp_path / "cards.yaml").write_text(text)
    with pytest.raises(KnowledgeError, match="not in the approvals table"):
        load_cards(tmp_path)

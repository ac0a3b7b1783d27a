"""Every built-in card is valid, dated, sourced, written twice (clinician and patient), in our own words."""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path

import pytest
import yaml

from netnav.errors import KnowledgeError
from netnav.knowledge.loader import cards_dir, load_card_file, load_cards
from netnav.knowledge.readability import fk_grade, mean_grade
from netnav.knowledge.schema import Card, CardSource
from tests.conftest import shared_dir

TODAY = dt.date(2026, 12, 31)
CARDS = load_cards()


def test_there_are_at_least_400_valid_cards() -> None:
    assert len(CARDS) >= 400


def test_every_file_validates_on_its_own() -> None:
    for path in sorted(cards_dir().glob("*.yaml")):
        assert load_card_file(path).cards, path.name


@pytest.mark.parametrize("card", CARDS, ids=lambda c: c.id)
def test_card_is_complete(card: Card) -> None:
    assert card.claim.strip() != card.plain.strip(), "patient wording must differ from clinician wording"
    assert card.reviewed <= TODAY
    for source in card.sources:
        assert source.identifiers(), f"{source.title}: no identifier"
        if source.fda_approval_date:
            assert dt.date(1990, 1, 1) <= source.fda_approval_date <= TODAY
        if source.year:
            assert 1900 <= source.year <= TODAY.year


def test_superseded_and_withdrawn_cards_are_dated_and_point_at_current_ones() -> None:
    by_id = {c.id: c for c in CARDS}
    stale = [c for c in CARDS if c.status != "current"]
    assert any(c.status == "superseded" for c in stale) and any(c.status == "withdrawn" for c in stale)
    for card in stale:
        assert card.status_date is not None and card.status_date <= TODAY
        if card.superseded_by:
            assert by_id[card.superseded_by].status == "current", card.id


def test_withdrawn_indications_say_so_in_both_wordings() -> None:
    for card in (c for c in CARDS if c.status == "withdrawn"):
        assert re.search(r"withdr|no longer|stopped|discontinu", card.claim, re.IGNORECASE), card.id
        assert re.search(r"withdr|no longer|stopped|discontinu|taken off", card.plain, re.IGNORECASE), card.id


def test_schema_rejects_bad_identifiers_and_missing_fields() -> None:
    with pytest.raises(ValueError):
        CardSource(title="A study", pmid="0123")
    with pytest.raises(ValueError):
        CardSource(title="A study", nct="NCT123")
    with pytest.raises(ValueError):
        CardSource(title="A study", doi="not-a-doi")
    with pytest.raises(ValueError):
        CardSource(title="A study with no identifier at all")
    assert CardSource(
        title="NCCN Guidelines", guideline="Neuroendocrine and Adrenal Tumors", version="2.2025"
    )


def test_loader_rejects_duplicate_ids(tmp_path: Path) -> None:
    card = CARDS[0].model_dump(mode="json")
    (tmp_path / "x.yaml").write_text(yaml.safe_dump({"topic": "t", "cards": [card, card]}), encoding="utf-8")
    with pytest.raises(KnowledgeError, match="duplicate"):
        load_cards(tmp_path)


def test_loader_rejects_a_card_without_patient_wording(tmp_path: Path) -> None:
    card = CARDS[0].model_dump(mode="json")
    del card["plain"]
    (tmp_path / "x.yaml").write_text(yaml.safe_dump({"topic": "t", "cards": [card]}), encoding="utf-8")
    with pytest.raises(KnowledgeError):
        load_cards(tmp_path)


def test_patient_wording_reads_at_secondary_school_level() -> None:
    plain = mean_grade(c.plain for c in CARDS)
    claim = mean_grade(c.claim for c in CARDS)
    assert plain <= 11.0, f"patient wording Flesch-Kincaid grade {plain:.1f}"
    assert plain < claim - 5


def test_readability_formula_orders_simple_and_dense_text() -> None:
    assert fk_grade("The cat sat on the mat. It was warm.") < fk_grade(
        "Immunohistochemical characterization demonstrated heterogeneous somatostatin receptor expression."
    )


def _shingles(text: str, n: int) -> set[str]:
    words = re.findall(r"[a-z0-9]+", text.lower())
    return {" ".join(words[i : i + n]) for i in range(len(words) - n + 1)}


def test_cards_do_not_copy_sentences_from_the_shared_sources() -> None:
    """Facts carry over, sentences do not: no 12-word run of a card may appear verbatim in a source text."""
    data = shared_dir() / "data"
    corpus: set[str] = set()
    for path in data.rglob("*"):
        if path.suffix in {".md", ".jsonl", ".json"} and path.name != "PROVENANCE.md":
            corpus |= _shingles(path.read_text(encoding="utf-8", errors="ignore"), 12)
    copied = [
        (c.id, s) for c in CARDS for field in (c.claim, c.plain) for s in _shingles(field, 12) if s in corpus
    ]
    assert not copied, copied[:5]

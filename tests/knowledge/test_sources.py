"""Source types are validated, sections follow the first source, no card cites a mirror or preview."""

from __future__ import annotations

import re

import pytest
from pydantic import ValidationError

from netnav.knowledge.loader import load_cards
from netnav.knowledge.schema import Card, CardSource
from netnav.knowledge.sources import PRIMARY_TYPES, infer_source_type, is_mirror

CARDS = load_cards()
_APPROVAL = re.compile(r"\bFDA\b[^.]*\b(approv|grant)", re.IGNORECASE)


def _source(**kw: object) -> CardSource:
    return CardSource.model_validate({"title": "A source title", **kw})


def _card(kind: str, sources: list[dict[str, object]]) -> Card:
    return Card.model_validate(
        {
            "id": "x-test",
            "kind": kind,
            "claim": "A claim long enough to pass validation.",
            "plain": "A plain wording long enough to pass.",
            "topics": ["t"],
            "sources": sources,
            "reviewed": "2026-11-29",
        }
    )


@pytest.mark.parametrize(
    ("kw", "expected"),
    [
        ({"setid": "72d1a024-00b7-418a-b36e-b2cb48f2ab55"}, "label"),
        ({"url": "https://dailymed.nlm.nih.gov/dailymed/drugInfo.cfm?setid=x"}, "label"),
        ({"url": "https://www.fda.gov/drugs/resources-information-approved-drugs/x"}, "fda_notice"),
        ({"url": "https://www.cancer.gov/types/x/hp/y-pdq"}, "official_summary"),
        ({"pmid": "28076709"}, "journal"),
        ({"nct": "NCT03972488"}, "registry"),
        ({"url": "https://clinicaltrials.gov/study/NCT03972488"}, "registry"),
        ({"url": "https://www.onclive.com/view/x", "nct": "NCT03972488"}, "press"),
        ({"url": "https://maestrodatabase.com/blog/x"}, "other"),
        ({"guideline": "NCCN Neuroendocrine and Adrenal Tumors", "version": "2.2021"}, "guideline"),
    ],
)
def test_source_type_is_inferred_from_identifiers(kw: dict[str, object], expected: str) -> None:
    assert _source(**kw).kind == expected


def test_a_stated_source_type_must_fit_the_identifiers() -> None:
    with pytest.raises(ValidationError, match="not supported"):
        _source(url="https://www.cancer.gov/about-cancer/treatment/drugs/x", source_type="label")
    with pytest.raises(ValidationError, match="not supported"):
        _source(url="https://xagena.net/article/x", source_type="journal")
    with pytest.raises(ValidationError, match="not supported"):
        _source(url="https://www.onclive.com/view/x", nct="NCT03972488", source_type="registry")
    with pytest.raises(ValidationError, match="not a valid|invalid DailyMed"):
        _source(setid="not-a-uuid")
    assert _source(pmid="123", source_type="guideline").kind == "guideline"


def test_a_label_card_needs_a_label_document_first() -> None:
    nci_page: dict[str, object] = {
        "title": "Drug page",
        "url": "https://www.cancer.gov/about-cancer/treatment/drugs/x",
    }
    with pytest.raises(ValidationError, match="cannot rest on"):
        _card("label", [nci_page])
    with pytest.raises(ValidationError, match="cannot rest on"):
        _card("research", [{"title": "News", "url": "https://www.onclive.com/view/x"}])
    with pytest.raises(ValidationError, match="cannot rest on"):
        _card("guideline", [{"title": "An article", "pmid": "123"}])
    ok = _card("label", [{"title": "Label", "setid": "72d1a024-00b7-418a-b36e-b2cb48f2ab55"}, nci_page])
    assert ok.sources[0].kind == "label"


def test_no_card_cites_a_mirror_or_preview_copy() -> None:
    mirrors = [(c.id, s.url) for c in CARDS for s in c.sources if is_mirror(s.url)]
    assert mirrors == []
    assert is_mirror("https://wwwonclivecom-b2oh4h7sc-mjhls.vercel.app/view/x")
    assert is_mirror("http://preview-www.nature.com/articles/s41416-025-03054-w")
    assert not is_mirror("https://www.nature.com/articles/s41416-025-03054-w")


def test_every_card_opens_with_a_primary_source() -> None:
    secondary_first = [
        c.id for c in CARDS if c.kind != "education" and c.sources[0].kind not in PRIMARY_TYPES
    ]
    assert secondary_first == []
    share = sum(c.sources[0].kind in PRIMARY_TYPES for c in CARDS) / len(CARDS)
    assert share >= 0.95


def test_label_cards_rest_on_label_documents_or_fda_notices() -> None:
    for card in (c for c in CARDS if c.kind == "label"):
        assert card.sources[0].kind in ("label", "fda_notice"), card.id


def test_approval_claims_cite_the_label_or_fda_notice_first() -> None:
    offenders = [
        c.id
        for c in CARDS
        if c.kind == "label"
        and _APPROVAL.search(c.claim)
        and c.sources[0].kind not in ("label", "fda_notice")
    ]
    assert offenders == []


def test_one_source_has_one_type_across_cards() -> None:
    types: dict[str, set[str]] = {}
    for card in CARDS:
        for s in card.sources:
            key = s.setid or s.doi or s.pmid or s.url or s.nct or s.title
            types.setdefault(key, set()).add(s.kind)
    assert {k: v for k, v in types.items() if len(v) > 1} == {}


def test_inference_never_calls_a_review_a_guideline() -> None:
    review = infer_source_type(
        title="Neuroendocrine tumours: a review",
        url=None,
        pmid="1",
        doi=None,
        nct=None,
        setid=None,
        guideline=None,
    )
    assert review == "journal"

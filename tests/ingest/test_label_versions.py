"""Versions of one FDA label: the newest is current, older ones superseded, removed indications withdrawn."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from netnav.ingest.api import parse_file
from netnav.store.db import Store
from netnav.store.versions import LabelVersion, reconcile, still_listed

FIXTURES = Path(__file__).parent / "fixtures" / "spl_versions"
SCLC = "metastatic small cell lung cancer whose disease progressed after platinum-based chemotherapy"
PNET = "indicated for the treatment of adult patients with unresectable well-differentiated pancreatic NETs"


def test_reconcile_newest_version_is_current_and_removed_indication_is_withdrawn() -> None:
    old = LabelVersion("old", 3, "20190610", (PNET, SCLC))
    new = LabelVersion("new", 5, "20210301", (PNET,))
    result = reconcile([new, old])
    assert result["new"].status == "current" and result["new"].withdrawn_indications == (SCLC,)
    assert result["old"].status == "withdrawn" and result["old"].superseded_by == "new"


def test_reconcile_same_indications_only_supersede() -> None:
    result = reconcile(
        [LabelVersion("a", 1, "2019", (PNET,)), LabelVersion("b", 2, "2020", (PNET + " (reworded)",))]
    )
    assert result["a"].status == "superseded" and result["b"].status == "current"


def test_reconcile_breaks_version_ties_by_effective_date() -> None:
    result = reconcile([LabelVersion("a", 4, "20200101", ()), LabelVersion("b", 4, "20220101", ())])
    assert result["b"].status == "current" and result["a"].status == "superseded"


def test_still_listed_needs_most_content_words() -> None:
    assert still_listed(PNET, (PNET.upper(),))
    assert not still_listed(SCLC, (PNET,))


@pytest.mark.parametrize("order", [("label_v1.xml", "label_v2.xml"), ("label_v2.xml", "label_v1.xml")])
def test_store_marks_older_label_version_whatever_the_ingest_order(
    tmp_path: Path, order: tuple[str, str]
) -> None:
    store = Store(tmp_path / "store.db")
    ids = {}
    for name in order:
        parsed = parse_file(FIXTURES / name)
        ids[name] = parsed.document.id
        store.add_document(parsed.document, parsed.passages)
    docs = {d.id: d for d in store.documents()}
    old, new = docs[ids["label_v1.xml"]], docs[ids["label_v2.xml"]]
    assert new.status == "current" and new.version == "5"
    assert old.status == "withdrawn" and old.meta["superseded_by"] == new.id
    withdrawn = json.loads(new.meta["withdrawn_indications"])
    assert len(withdrawn) == 1 and "small cell lung cancer" in withdrawn[0]
    store.close()


def test_spl_indications_are_read_from_the_indications_section() -> None:
    doc = parse_file(FIXTURES / "label_v1.xml").document
    indications = json.loads(doc.meta["indications"])
    assert len(indications) == 2 and "pancreatic" in indications[0]
    assert doc.meta["source_type"] == "label"

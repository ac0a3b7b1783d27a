"""Document status and source types end to end: ingest, then ask.

Shared real-world cases 23 (PubMed book chapter) and 24 (retracted record), a label ingested in two versions,
an NCI drug page (an official summary, never a label) and real label indications text from
../shared/data/fda_label_indications wrapped as a minimal SPL document (a label)."""

from __future__ import annotations

import json
import re
import shutil
from pathlib import Path
from xml.sax.saxutils import escape

import pytest
from typer.testing import CliRunner

from netnav.cli.app import app
from netnav.engine import Engine
from tests.conftest import shared_dir

runner = CliRunner()
SHARED = shared_dir()
REAL_WORLD = SHARED / "eval" / "real-world"
FIXTURES = Path(__file__).resolve().parents[1] / "ingest" / "fixtures"
pytestmark = [
    pytest.mark.slow,
    pytest.mark.skipif(not REAL_WORLD.is_dir(), reason="shared folder ../shared is absent"),
]


def _spl(product: str, indication: str) -> str:
    return f"""<?xml version="1.0" encoding="UTF-8"?>
<document xmlns="urn:hl7-org:v3">
  <code code="34391-3" codeSystem="2.16.840.1.113883.6.1" displayName="HUMAN PRESCRIPTION DRUG LABEL"/>
  <title>{escape(product)} prescribing information (indications excerpt)</title>
  <component><structuredBody><component><section>
    <code code="34067-9" codeSystem="2.16.840.1.113883.6.1" displayName="INDICATIONS &amp; USAGE SECTION"/>
    <title>1 INDICATIONS AND USAGE</title>
    <text><paragraph>{escape(indication)}</paragraph></text>
  </section></component></structuredBody></component>
</document>
"""


@pytest.fixture(scope="module")
def home(built_home: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    home = tmp_path_factory.mktemp("evidence-home")
    shutil.copytree(built_home, home, dirs_exist_ok=True)
    inbox = tmp_path_factory.mktemp("evidence-inbox")
    shutil.copy(REAL_WORLD / "23-pubmed-book-article.xml", inbox / "hunt-23.xml")
    shutil.copy(REAL_WORLD / "24-pubmed-retracted.xml", inbox / "hunt-24.xml")
    for name in ("label_v1.xml", "label_v2.xml"):
        shutil.copy(FIXTURES / "spl_versions" / name, inbox / name)
    shutil.copy(SHARED / "data" / "nci_drug_info" / "lutetiumlu177-dotatate.md", inbox / "nci-lutathera.md")
    for line in (SHARED / "data" / "fda_label_indications" / "spl_indications_net_related.jsonl").open():
        entry = json.loads(line)
        if entry["product_names"].startswith("Xermelo"):
            text = entry["indications_text"].split("\n", 1)[1].strip()
            (inbox / "xermelo-indications.xml").write_text(_spl("XERMELO (telotristat ethyl)", text))
    result = runner.invoke(app, ["ingest", str(inbox), "--json", "--home", str(home)])
    assert result.exit_code == 0, result.output
    assert json.loads(result.stdout)["failed"] == 0
    return home


def _docs(home: Path) -> list:  # type: ignore[type-arg]
    engine = Engine(home)
    docs = [d for d in engine.store.documents() if not d.is_card]
    engine.close()
    return docs


def test_case_23_book_chapter_and_article_are_both_stored(home: Path) -> None:
    pmids = {d.identifiers.get("pmid"): d for d in _docs(home)}
    assert {"90000001", "90000002"} <= set(pmids)
    assert pmids["90000001"].title == "Multiple Endocrine Neoplasia Type 1 (illustrative chapter)"


def test_case_24_retracted_record_never_supports_an_answer(home: Path) -> None:
    (retracted,) = [d for d in _docs(home) if d.identifiers.get("pmid") == "90000003"]
    assert retracted.status == "retracted" and retracted.meta["retraction_notice_pmid"] == "90000004"
    engine = Engine(home)
    q = "What is the response rate to pembrolizumab in grade 1 pancreatic neuroendocrine tumours?"
    answer = engine.ask(q, "clinician")
    engine.close()
    text = " ".join(s.text for sec in answer.sections for s in sec.sentences) + " ".join(
        s.text for s in answer.summary
    )
    assert not re.search(r"\b62\s?%", text)
    for c in answer.citations:
        if c.identifiers.get("pmid") == "90000003":
            assert c.status == "retracted"


def test_older_label_version_is_not_cited_as_current(home: Path) -> None:
    versions = {
        d.version: d
        for d in _docs(home)
        if d.identifiers.get("setid") == "abcdef01-2345-6789-abcd-ef0123456789"
    }
    assert versions["5"].status == "current" and versions["3"].status == "withdrawn"
    engine = Engine(home)
    answer = engine.ask("Is inventumab indicated for small cell lung cancer?", "clinician")
    engine.close()
    for c in answer.citations:
        if c.identifiers.get("setid") == "abcdef01-2345-6789-abcd-ef0123456789":
            assert c.version == "5" and c.status == "current"


def test_nci_drug_page_is_an_official_summary_and_label_text_is_a_label(home: Path) -> None:
    engine = Engine(home)
    nci = engine.ask(
        "What is lutetium Lu 177-dotatate approved to treat?", "clinician", kinds=["document", "guideline"]
    )
    xermelo = engine.ask("What is Xermelo indicated for?", "clinician")
    engine.close()
    for c in nci.citations:
        if "cancer.gov/about-cancer/treatment/drugs" in c.identifiers.get("url", ""):
            assert c.source_type == "official_summary" and c.kind != "label"
    label = [c for c in xermelo.citations if "indications excerpt" in c.title]
    assert label and all(
        c.kind == "label" and c.source_type == "label" and c.quote_is_verbatim for c in label
    )

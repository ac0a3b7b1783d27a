"""`netnav ingest` end to end: real PDQ corpus, idempotency, and a folder mixing good and broken files."""

from __future__ import annotations

import json
import shutil
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

from netnav.cli.app import app
from netnav.engine import Engine
from tests.conftest import shared_dir

runner = CliRunner()


@pytest.fixture(scope="module")
def pdq_home(built_home: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A copy of the built-in home with the NCI PDQ summaries ingested as guidelines."""
    pdq = shared_dir() / "data" / "nci_pdq"
    home = tmp_path_factory.mktemp("pdq-home")
    shutil.copytree(built_home, home, dirs_exist_ok=True)
    result = runner.invoke(app, ["ingest", str(pdq), "--kind", "guideline", "--json", "--home", str(home)])
    assert result.exit_code == 0, result.output
    report = json.loads(result.stdout)
    assert report["failed"] == 0 and report["added"] >= 16
    return home


@pytest.mark.slow  # ingests the real PDQ summaries with real embeddings
def test_pdq_questions_cite_pdq_passages(pdq_home: Path) -> None:
    engine = Engine(pdq_home)
    answer = engine.ask(
        "What are the treatment options for recurrent pheochromocytoma or paraganglioma?",
        "clinician",
        kinds=["guideline"],
    )
    assert not answer.abstained
    pdq = [c for c in answer.citations if "cancer.gov" in c.identifiers.get("url", "")]
    assert pdq, [c.title for c in answer.citations]
    store_ids = {p.id for p, _ in engine.store.iter_passages()}
    assert all(c.passage_id in store_ids for c in pdq)
    engine.close()


@pytest.mark.slow  # ingests the real PDQ summaries with real embeddings
def test_reingesting_the_same_files_changes_nothing(pdq_home: Path) -> None:
    before = Engine(pdq_home).store.fingerprint()
    result = runner.invoke(
        app, ["ingest", str(shared_dir() / "data" / "nci_pdq"), "--json", "--home", str(pdq_home)]
    )
    assert result.exit_code == 0
    report = json.loads(result.stdout)
    assert report["added"] == 0 and report["unchanged"] >= 16
    assert Engine(pdq_home).store.fingerprint() == before


def _bad_folder(root: Path) -> Path:
    folder = root / "mixed"
    folder.mkdir()
    (folder / "good.md").write_text(
        "# Somatostatin analogues\n\nLanreotide and octreotide slow the growth of "
        "well-differentiated neuroendocrine tumours in our own test document.\n",
        encoding="utf-8",
    )
    (folder / "empty.txt").write_bytes(b"")
    (folder / "binary.txt").write_bytes(bytes(range(256)) * 20)
    (folder / "truncated.pdf").write_bytes(b"%PDF-1.4\n1 0 obj\n<< /Type /Catalog /Pages 2 0 R")
    (folder / "latin1.txt").write_bytes("Tumeur neuroendocrine bien différenciée, grade 2.".encode("cp1252"))
    return folder


def test_broken_files_are_reported_by_path_and_the_rest_go_in(built_home: Path, tmp_path: Path) -> None:
    home = tmp_path / "home"
    shutil.copytree(built_home, home)
    result = runner.invoke(app, ["ingest", str(_bad_folder(tmp_path)), "--json", "--home", str(home)])
    assert result.exit_code == 0, result.output
    report = json.loads(result.stdout)
    failed = {Path(i["path"]).name: i["reason"] for i in report["items"] if i["outcome"] == "failed"}
    assert set(failed) == {"empty.txt", "binary.txt", "truncated.pdf"}
    assert all(failed.values())
    added = {Path(i["path"]).name for i in report["items"] if i["outcome"] == "added"}
    assert added == {"good.md", "latin1.txt"}


def test_only_bad_input_exits_2(built_home: Path, tmp_path: Path) -> None:
    home = tmp_path / "home"
    shutil.copytree(built_home, home)
    empty = tmp_path / "empty.txt"
    empty.write_bytes(b"")
    result = runner.invoke(app, ["ingest", str(empty), "--home", str(home)])
    assert result.exit_code == 2
    missing = runner.invoke(app, ["ingest", str(tmp_path / "nope.pdf"), "--home", str(home)])
    assert missing.exit_code == 2


def test_ingested_document_answers_with_your_documents_section(built_home: Path, tmp_path: Path) -> None:
    home = tmp_path / "home"
    shutil.copytree(built_home, home)
    doc = tmp_path / "clinic-notes.md"
    doc.write_text(
        "# Octreotide injections\n\nOur clinic gives octreotide LAR injections on the first Monday of "
        "each month, and patients should bring their injection diary to every visit.\n",
        encoding="utf-8",
    )
    assert runner.invoke(app, ["ingest", str(doc), "--home", str(home)]).exit_code == 0
    engine: Any = Engine(home)
    answer = engine.ask("When does the clinic give octreotide injections?", "patient", kinds=["document"])
    assert [s.title for s in answer.sections] == ["Your documents"] or answer.summary
    assert any("first Monday" in c.quote for c in answer.citations)


def test_patient_answers_explain_jargon_from_documents(built_home: Path, tmp_path: Path) -> None:
    home = tmp_path / "home"
    shutil.copytree(built_home, home)
    doc = tmp_path / "tumour-board.md"
    doc.write_text(
        "# Tumour board summary\n\nThe board discussed a MiNEN of the colon and advised surgery first, "
        "then chemotherapy chosen by the more aggressive component.\n",
        encoding="utf-8",
    )
    assert runner.invoke(app, ["ingest", str(doc), "--home", str(home)]).exit_code == 0
    engine: Any = Engine(home)
    patient = engine.ask("What did the tumour board advise for the MiNEN?", "patient", kinds=["document"])
    background = [s for s in patient.sections if s.kind == "education"]
    assert background and any("MiNEN" in s.text for s in background[0].sentences)
    cited = {c.n: c for c in patient.citations}
    assert all(cited[n].kind == "education" for s in background[0].sentences for n in s.citations)
    clinician = engine.ask("What did the tumour board advise for the MiNEN?", "clinician", kinds=["document"])
    assert not [s for s in clinician.sections if s.kind == "education"]

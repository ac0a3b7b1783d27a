"""Every job through the Engine, on a home indexed with the hash embedder (no model: fast).

The Engine parses enumerated inputs once on the way in and owns one trial registry under its home."""

from __future__ import annotations

import shutil
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from netnav.engine import Engine
from netnav.errors import BadInputError, CaseFileError
from netnav.testing import TINY_CORPUS, HashEmbedder, write_tiny_corpus
from netnav.types.documents import SourceRow

FIXTURES = Path(__file__).resolve().parents[1]
TRIAL_RECORD = FIXTURES / "ingest" / "fixtures" / "trial_v2.json"
REPORT = FIXTURES / "records" / "fixtures" / "f04-molecular.txt"


@pytest.fixture(scope="module")
def engine(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Engine]:
    root = tmp_path_factory.mktemp("jobs")
    eng = Engine(root / "home", embedder=HashEmbedder())
    report = eng.ingest(write_tiny_corpus(root / "corpus"))
    assert report.added == len(TINY_CORPUS), report.items
    shutil.copy(TRIAL_RECORD, root / "trial.json")
    assert eng.ingest([root / "trial.json"]).items[0].trials == 1
    yield eng
    eng.close()


def test_sources_list_cards_and_your_documents_without_paths(engine: Engine) -> None:
    rows = engine.sources()
    assert all(isinstance(r, SourceRow) for r in rows)
    yours = [r for r in rows if not r.builtin]
    assert len(yours) == len(TINY_CORPUS) + 1
    assert sum(r.builtin for r in rows) > 50
    assert "source_path" not in SourceRow.model_fields
    stored = {r.doc.id: r for r in engine.documents()}
    assert {r.id for r in rows} == set(stored)
    assert all(stored[r.id].doc.is_card == r.builtin for r in rows)


def test_ask_answers_from_the_index_built_with_the_given_embedder(engine: Engine) -> None:
    answer = engine.ask("What is lanreotide used for?", "clinician")
    assert not answer.abstained and answer.citations
    assert engine.embedder.model_id == HashEmbedder.model_id


def test_the_trial_ingested_through_the_engine_is_in_its_registry(engine: Engine) -> None:
    case = engine.extract([REPORT])
    matched = {m.nct_id for m in engine.trials(case, "all")}
    assert "NCT09999991" in matched
    assert {t.nct_id for t in engine.registry.ingested()} == {"NCT09999991"}


def test_assess_and_case_from(engine: Engine, tmp_path: Path) -> None:
    case = engine.case_from([REPORT], None)
    assessment = engine.assess(case, "patient")
    assert assessment.case == case and assessment.findings
    saved = tmp_path / "case.json"
    saved.write_text(case.model_dump_json(), encoding="utf-8")
    assert engine.case_from([], saved) == case
    with pytest.raises(BadInputError, match="not both"):
        engine.case_from([REPORT], saved)
    with pytest.raises(BadInputError, match="at least one"):
        engine.case_from([], None)
    with pytest.raises(CaseFileError):
        engine.load_case(tmp_path / "missing.json")


@pytest.mark.parametrize(
    ("job", "message"),
    [
        (lambda e: e.ask("What is a NET?", "doctor"), "audience must be one of patient, clinician"),
        (lambda e: e.ask("What is a NET?", kinds=["blog"]), "unknown evidence kind 'blog'"),
        (lambda e: e.ingest([], "blog"), "unknown evidence kind 'blog'"),
        (lambda e: e.assess(e.extract([REPORT]), "Patient"), "audience must be one of"),
        (lambda e: e.trials(e.extract([REPORT]), "open"), "'recruiting' or 'all', not 'open'"),
    ],
)
def test_enumerated_inputs_are_refused_on_the_way_in(
    engine: Engine, job: Callable[[Engine], object], message: str
) -> None:
    with pytest.raises(BadInputError, match=message):
        job(engine)

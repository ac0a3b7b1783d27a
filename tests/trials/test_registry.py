"""Built-in registry schema and the ingested-trial store."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
import yaml

from netnav.errors import KnowledgeError, StoreError
from netnav.trials.registry import TrialRegistry
from netnav.trials.schema import data_path, load_builtin
from netnav.types.trials import Trial


def test_builtin_file_validates_and_has_core_trials() -> None:
    data = load_builtin()
    ids = {t.nct_id for t in data.trials}
    assert {
        "NCT02834013",
        "NCT03591731",
        "NCT02628067",
        "NCT02054806",
        "NCT03043664",
        "NCT02955069",
        "NCT03074513",
        "NCT02923934",
        "NCT03352934",
        "NCT03980925",
        "NCT05882058",
        "NCT06893783",
    } <= ids
    assert data.snapshot_date == "2026-11-23" and data.version
    for t in data.trials:
        assert t.status_source and t.populations and t.criteria
        assert all(c.rules for c in t.criteria), t.nct_id


def test_builtin_schema_rejects_bad_ids(tmp_path: Path) -> None:
    raw = yaml.safe_load(data_path("builtin_trials.yaml").read_text(encoding="utf-8"))
    raw["trials"][0]["nct_id"] = "NCT123"
    bad = tmp_path / "bad.yaml"
    bad.write_text(yaml.safe_dump(raw), encoding="utf-8")
    with pytest.raises(KnowledgeError):
        load_builtin(str(bad))


def _trial(nct: str, last_update: str | None, title: str = "Ingested") -> Trial:
    return Trial(
        nct_id=nct,
        title=title,
        overall_status="Recruiting",
        last_update=last_update,
        inclusion=["ECOG 0-1"],
        source="record.json",
    )


def test_add_writes_atomically_and_all_merges(tmp_path: Path) -> None:
    registry = TrialRegistry(tmp_path)
    assert registry.add([_trial("NCT09999980", "2025-01-01")]) == 1
    files = sorted(p.name for p in (tmp_path / "trials").iterdir())
    assert files == ["NCT09999980.json"]  # no temp files left behind
    stored = json.loads((tmp_path / "trials" / "NCT09999980.json").read_text(encoding="utf-8"))
    assert stored["snapshot_date"]  # stamped at ingestion
    ids = [t.nct_id for t in registry.all()]
    assert "NCT09999980" in ids and "NCT03591731" in ids
    assert ids == sorted(ids)


def test_newer_ingested_record_wins_over_builtin(tmp_path: Path) -> None:
    registry = TrialRegistry(tmp_path)
    registry.add([_trial("NCT05882058", "2026-01-01", title="Fresh DAREON-5 record")])
    merged = {t.nct_id: t for t in registry.all()}
    assert merged["NCT05882058"].title == "Fresh DAREON-5 record"
    registry.add([_trial("NCT05882058", "2020-01-01", title="Stale record")])
    merged = {t.nct_id: t for t in registry.all()}
    assert merged["NCT05882058"].source == "builtin"


def test_snapshot_info(tmp_path: Path) -> None:
    registry = TrialRegistry(tmp_path)
    info = registry.snapshot()
    assert info.ingested_count == 0 and info.builtin_count == len(load_builtin().trials)
    assert "2026-11-23" in info.describe()
    registry.add([_trial("NCT09999980", None)])
    assert registry.snapshot().ingested_count == 1


def test_damaged_record_is_a_store_error(tmp_path: Path) -> None:
    (tmp_path / "trials").mkdir()
    (tmp_path / "trials" / "NCT09999980.json").write_text("{broken", encoding="utf-8")
    with pytest.raises(StoreError):
        TrialRegistry(tmp_path).all()

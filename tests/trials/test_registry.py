"""Built-in registry schema and the ingested-trial store."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
import yaml

from netnav.errors import KnowledgeError
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


def test_damaged_record_is_quarantined_not_fatal(tmp_path: Path, caplog: pytest.LogCaptureFixture) -> None:
    """One truncated record used to make every trial list (and every case page) fail; now it is moved
    aside with one warning and the other trials stay usable."""
    registry = TrialRegistry(tmp_path)
    registry.add([_trial("NCT09999980", None), _trial("NCT09999981", None)])
    damaged = tmp_path / "trials" / "NCT09999980.json"
    damaged.write_text(damaged.read_text(encoding="utf-8")[:40], encoding="utf-8")
    with caplog.at_level("WARNING", logger="netnav.trials"):
        ids = {t.nct_id for t in TrialRegistry(tmp_path).all()}
    assert "NCT09999981" in ids and "NCT09999980" not in ids
    assert not damaged.exists() and list((tmp_path / "trials" / "damaged").glob("NCT09999980.json.*"))
    assert any("NCT09999980.json is damaged" in r.getMessage() for r in caplog.records)
    assert {t.nct_id for t in TrialRegistry(tmp_path).all()} == ids  # healed: no second warning needed

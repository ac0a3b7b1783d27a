"""Built-in registry schema and the ingested-trial store."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
import yaml

from netnav.errors import KnowledgeError
from netnav.trials.registry import TrialRegistry, date_span
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


def test_every_builtin_trial_is_dated_or_counted_undated() -> None:
    """The summary covers every built-in trial: the span of their records' own last-update dates, how many
    have none, and the span of days their statuses were checked (not one date for trials added later)."""
    data = load_builtin()
    info = TrialRegistry().snapshot()
    dates = sorted(t.status_as_of for t in data.trials if t.status_as_of)
    undated = [t.nct_id for t in data.trials if not t.status_as_of]
    assert info.builtin_count == len(data.trials) == len(dates) + len(undated)
    assert info.builtin_updated == (dates[0], dates[-1]) and info.builtin_undated == len(undated)
    text = info.describe()
    assert f"last updated {dates[0]} to {dates[-1]}" in text
    assert f"{len(dates)} with a known record date, {len(undated)} without one" in text
    checked = sorted(t.checked_on or data.snapshot_date for t in data.trials)
    assert f"statuses checked {checked[0]} to {checked[-1]}" in text
    assert checked[-1] > data.snapshot_date  # trials added after the first snapshot say so


def test_an_undated_builtin_trial_says_why_its_date_is_unknown() -> None:
    """No built-in trial lacks a record date silently: its source says the copies were undated or the current
    record date could not be confirmed (and, where copies disagree, what each showed)."""
    why = ("undated", "could not be confirmed", "not verified")
    for t in load_builtin().trials:
        if not t.status_as_of:
            assert any(w in t.status_source for w in why), (t.nct_id, t.status_source)
    avenec = next(t for t in load_builtin().trials if t.nct_id == "NCT03352934")
    assert "disagree" in avenec.status_source and "2019-08-28" in avenec.status_source


@pytest.mark.parametrize(
    ("dates", "span"),
    [
        ([], None),
        ([None, None], None),
        (["2025-01-13"], ("2025-01-13", "2025-01-13")),
        (["2026-06", "2021-04-12", None, "2026-06-02"], ("2021-04-12", "2026-06-02")),
        (["2024", "2023-10-30"], ("2023-10-30", "2024")),
    ],
)
def test_date_span(dates: list[str | None], span: tuple[str, str] | None) -> None:
    assert date_span(dates) == span


def test_ingested_records_report_their_own_dates(tmp_path: Path) -> None:
    registry = TrialRegistry(tmp_path)
    registry.add([_trial("NCT09999980", "2024-02-01"), _trial("NCT09999981", "2026-03-04")])
    info = registry.snapshot()
    assert info.ingested_updated == ("2024-02-01", "2026-03-04")
    assert "records last updated 2024-02-01 to 2026-03-04" in info.describe()


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

"""`netnav trials update` end to end on recorded ClinicalTrials.gov API v2 pages (never the network):
pagination, 429/503 retries, a malformed study reported and skipped, resume after a failure, atomic replace."""

from __future__ import annotations

import json
import os
from pathlib import Path
from typing import Any

import httpx
import pytest
import respx

import netnav.trials.update as upd
from netnav.errors import RegistryFetchError, StoreError
from netnav.trials.registry import TrialRegistry

FIX = Path(__file__).parent / "fixtures" / "ctgov_v2"
CONDS = ("pancreatic neuroendocrine tumor", "merkel cell carcinoma")
NOW = "2026-11-29T12:00:00Z"
Script = dict[tuple[str, str | None], list[httpx.Response]]


def page(name: str) -> dict[str, Any]:
    loaded: dict[str, Any] = json.loads((FIX / name).read_text(encoding="utf-8"))
    return loaded


class Sleeps:
    def __init__(self) -> None:
        self.calls: list[float] = []

    def __call__(self, seconds: float) -> None:
        self.calls.append(seconds)


def polite(sleeps: Sleeps, retries: int = 3) -> upd.Polite:
    return upd.Polite(min_interval=0.5, retries=retries, backoff=2.0, sleep=sleeps, clock=lambda: 0.0)


def responder(script: dict[tuple[str, str | None], list[httpx.Response]]) -> Any:
    """Answer by (condition, pageToken); each key pops its scripted responses in order."""

    def answer(request: httpx.Request) -> httpx.Response:
        key = (request.url.params.get("query.cond", ""), request.url.params.get("pageToken"))
        queue = script[key]
        return queue.pop(0) if len(queue) > 1 else queue[0]

    return answer


def ok(name: str) -> httpx.Response:
    return httpx.Response(200, json=page(name))


def run(tmp_path: Path, script: dict[tuple[str, str | None], list[httpx.Response]], **kw: Any) -> Any:
    registry = TrialRegistry(tmp_path)
    with respx.mock(assert_all_mocked=True) as mock:
        route = mock.get(upd.API_URL).mock(side_effect=responder(script))
        with httpx.Client() as client:
            report = upd.update_registry(registry, client=client, conditions=CONDS, now=lambda: NOW, **kw)
    return registry, report, route


def full_script() -> dict[tuple[str, str | None], list[httpx.Response]]:
    return {
        (CONDS[0], None): [httpx.Response(429, headers={"Retry-After": "7"}), ok("pnet-page1.json")],
        (CONDS[0], "NF0g5JKLnvQ"): [httpx.Response(503), ok("pnet-page2.json")],
        (CONDS[1], None): [ok("merkel-page1.json")],
    }


def test_pages_retries_and_malformed_record(tmp_path: Path) -> None:
    sleeps = Sleeps()
    registry, report, route = run(tmp_path, full_script(), polite=polite(sleeps))
    assert report.pages == 3 and report.written == 4
    assert route.call_count == 5  # 3 pages + one 429 and one 503 retried
    assert 7.0 in sleeps.calls  # Retry-After honoured
    assert 2.0 in sleeps.calls  # exponential backoff after the 503
    assert len(report.skipped) == 1 and "no valid NCT id" in report.skipped[0]
    params = route.calls[1].request.url.params
    assert params["pageSize"] == "100" and params["query.cond"] == CONDS[0]
    assert route.calls[3].request.url.params["pageToken"] == "NF0g5JKLnvQ"
    stored = {t.nct_id: t for t in registry.ingested()}
    assert set(stored) == {"NCT04919226", "NCT05882058", "NCT02683941", "NCT03712605"}
    compose = stored["NCT04919226"]
    assert compose.last_update == "2023-09-13"  # the record's own date ...
    assert compose.fetched_at == NOW  # ... and, separately, when we fetched it
    assert compose.overall_status == "Recruiting" and compose.phase and "3" in compose.phase
    assert compose.sites[0].facility == "Dana-Farber Cancer Institute" and compose.sites[0].city == "Boston"
    assert stored["NCT03712605"].last_update is None  # no record date given: none invented
    assert stored["NCT02683941"].overall_status == "Active, not recruiting"
    dareon = stored["NCT05882058"]
    assert not any("\\" in c for c in [*dareon.inclusion, *dareon.exclusion])  # Markdown escapes removed
    assert registry.dir is not None and not (registry.dir / upd.STATE_FILE).exists()


def test_gives_up_after_retries_then_resumes_where_it_stopped(tmp_path: Path) -> None:
    failing = full_script()
    failing[(CONDS[0], "NF0g5JKLnvQ")] = [httpx.Response(503)]
    with pytest.raises(RegistryFetchError, match="HTTP 503"):
        run(tmp_path, failing, polite=polite(Sleeps(), retries=2))
    state = json.loads((tmp_path / "trials" / upd.STATE_FILE).read_text())
    assert state["token"] == "NF0g5JKLnvQ" and state["fetched_at"] == NOW
    assert TrialRegistry(tmp_path).ingested() == []  # an unfinished run changes nothing others read
    staged = tmp_path / "trials" / ".staged"
    assert {p.stem for p in staged.glob("NCT*.json")} == {"NCT04919226", "NCT02683941"}  # kept for the resume

    registry, report, route = run(tmp_path, full_script(), polite=polite(Sleeps()))
    assert report.resumed and report.fetched_at == NOW
    first = route.calls[0].request.url.params
    assert first.get("pageToken") == "NF0g5JKLnvQ"  # page 1 is not fetched again
    assert len(registry.ingested()) == 4
    assert not staged.exists()


def test_client_error_is_not_retried(tmp_path: Path) -> None:
    script: Script = {(CONDS[0], None): [httpx.Response(400, text="bad query")]}
    with pytest.raises(RegistryFetchError, match="HTTP 400"):
        _, _, _ = run(tmp_path, script, polite=polite(Sleeps()))


def test_page_that_is_not_json_is_an_error(tmp_path: Path) -> None:
    script: Script = {(CONDS[0], None): [httpx.Response(200, text="<html>maintenance</html>")]}
    with pytest.raises(RegistryFetchError, match="not JSON"):
        run(tmp_path, script, polite=polite(Sleeps()))


def test_requests_are_paced(tmp_path: Path) -> None:
    sleeps = Sleeps()
    times = iter([0.0, 0.0, 0.1, 0.1, 0.2, 0.2, 5.0, 5.0, 5.1, 5.1])
    pacing = upd.Polite(min_interval=1.0, retries=0, sleep=sleeps, clock=lambda: next(times))
    script = {
        (CONDS[0], None): [ok("pnet-page1.json")],
        (CONDS[0], "NF0g5JKLnvQ"): [ok("pnet-page2.json")],
        (CONDS[1], None): [ok("empty.json")],
    }
    run(tmp_path, script, polite=pacing)
    assert sleeps.calls and all(s > 0.7 for s in sleeps.calls)


def test_replace_is_atomic(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    registry, _, _ = run(tmp_path, full_script(), polite=polite(Sleeps()))
    assert registry.dir is not None
    target = registry.dir / "NCT04919226.json"
    before = target.read_text(encoding="utf-8")

    def broken_replace(src: str, dst: str) -> None:
        raise OSError("disk full")

    monkeypatch.setattr(os, "replace", broken_replace)
    with pytest.raises(StoreError):
        run(tmp_path, full_script(), polite=polite(Sleeps()))
    assert target.read_text(encoding="utf-8") == before
    assert registry.dir is not None
    assert not [p for p in registry.dir.iterdir() if p.name.startswith(".tmp")]

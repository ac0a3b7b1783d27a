"""`netnav trials update`: refresh the trial registry from the ClinicalTrials.gov API v2.

Queries each NEN condition (`CONDITIONS`), pages through the results with `pageToken`, reads every study
with the same parser as `ingest` (ctgov.py), stamps it with the fetch time (keeping the record's own
`lastUpdatePostDate` as `last_update`) and keeps it with the run's other pages (TrialRegistry.stage); when
every condition is read, the whole run is applied to the registry at once (TrialRegistry.commit_staged:
one transaction on PostgreSQL, so every server sees the whole update or none of it). Progress is saved
after every page in `<home>/trials/.update-state.json`, so an interrupted run resumes where it stopped.

Politeness: at most one request per `min_interval` seconds (default 1 s), a timeout per request, and
up to `retries` retries with exponential backoff (honouring `Retry-After`) on 429, 5xx and transport
errors. A study that cannot be read is reported and skipped; it never stops the run. Never used in tests
against the network: tests give a client whose transport replays recorded v2 responses.
"""

from __future__ import annotations

import datetime as dt
import json
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import httpx

from netnav.errors import BadInputError, RegistryFetchError
from netnav.fileio import atomic_write
from netnav.trials.ctgov import parse_ctgov_bytes
from netnav.trials.registry import TrialRegistry
from netnav.types.trials import Trial

API_URL = "https://clinicaltrials.gov/api/v2/studies"
CONDITIONS: tuple[str, ...] = (
    "neuroendocrine tumor",
    "neuroendocrine carcinoma",
    "neuroendocrine neoplasm",
    "carcinoid",
    "pancreatic neuroendocrine tumor",
    "small cell lung cancer",
    "merkel cell carcinoma",
    "pheochromocytoma",
    "paraganglioma",
    "medullary thyroid cancer",
)
RETRY_STATUS = frozenset({429, 500, 502, 503, 504})
STATE_FILE = ".update-state.json"


@dataclass
class UpdateReport:
    """What a run did: studies written, studies skipped (with why), pages read, and the fetch time."""

    fetched_at: str
    written: int = 0
    pages: int = 0
    skipped: list[str] = field(default_factory=list)
    conditions_done: list[str] = field(default_factory=list)
    resumed: bool = False

    def as_dict(self) -> dict[str, object]:
        return {
            "fetched_at": self.fetched_at,
            "written": self.written,
            "pages": self.pages,
            "skipped": self.skipped,
            "conditions_done": self.conditions_done,
            "resumed": self.resumed,
        }


@dataclass
class Polite:
    """Request pacing and retry policy (seconds)."""

    min_interval: float = 1.0
    timeout: float = 30.0
    retries: int = 4
    backoff: float = 2.0
    sleep: Callable[[float], None] = time.sleep
    clock: Callable[[], float] = time.monotonic
    _last: float | None = None

    def wait_turn(self) -> None:
        now = self.clock()
        if self._last is not None and now - self._last < self.min_interval:
            self.sleep(self.min_interval - (now - self._last))
        self._last = self.clock()

    def delay(self, attempt: int, response: httpx.Response | None) -> float:
        after = response.headers.get("Retry-After") if response is not None else None
        if after and after.strip().isdigit():
            return min(float(after), 120.0)
        return float(self.backoff * (2**attempt))


def _get_page(client: httpx.Client, params: dict[str, str], polite: Polite) -> dict[str, Any]:
    """One page of results as JSON; retries 429/5xx and transport errors, then raises RegistryFetchError."""
    problem = ""
    for attempt in range(polite.retries + 1):
        polite.wait_turn()
        response: httpx.Response | None = None
        try:
            response = client.get(API_URL, params=params, timeout=polite.timeout)
        except httpx.TransportError as exc:
            problem = f"{type(exc).__name__}: {exc}"
        else:
            if response.status_code == 200:
                return _json(response)
            problem = f"HTTP {response.status_code}"
            if response.status_code not in RETRY_STATUS:
                break
        if attempt < polite.retries:
            polite.sleep(polite.delay(attempt, response))
    raise RegistryFetchError(f"ClinicalTrials.gov request failed ({problem}); progress is saved, run again")


def _json(response: httpx.Response) -> dict[str, Any]:
    try:
        payload = response.json()
    except ValueError as exc:
        raise RegistryFetchError(f"ClinicalTrials.gov sent a page that is not JSON: {exc}") from exc
    if not isinstance(payload, dict) or not isinstance(payload.get("studies", []), list):
        raise RegistryFetchError("ClinicalTrials.gov sent a page without a study list")
    return payload


def read_studies(studies: Sequence[Any], fetched_at: str) -> tuple[list[Trial], list[str]]:
    """Parse each study of a page; a study that cannot be read is reported (not raised) and skipped."""
    trials: list[Trial] = []
    skipped: list[str] = []
    for n, study in enumerate(studies, 1):
        nct = _nct_of(study)
        try:
            [trial] = parse_ctgov_bytes(json.dumps(study).encode("utf-8"), "ctgov-api")
        except (BadInputError, ValueError) as exc:
            skipped.append(f"study {n} ({nct or 'no NCT id'}): {exc}")
            continue
        trials.append(trial.model_copy(update={"fetched_at": fetched_at, "snapshot_date": fetched_at[:10]}))
    return trials, skipped


def _nct_of(study: Any) -> str | None:
    try:
        nct = study["protocolSection"]["identificationModule"]["nctId"]
    except (KeyError, TypeError):
        return None
    return nct if isinstance(nct, str) else None


def _state_path(registry: TrialRegistry) -> Path:
    if registry.dir is None:
        raise BadInputError("trials update needs a data home to keep the registry in")
    return registry.dir / STATE_FILE


def _load_state(registry: TrialRegistry) -> dict[str, Any] | None:
    path = _state_path(registry)
    try:
        state = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    return state if isinstance(state, dict) and isinstance(state.get("fetched_at"), str) else None


def _save_state(registry: TrialRegistry, state: dict[str, Any]) -> None:
    atomic_write(_state_path(registry), json.dumps(state, indent=2))


def _now() -> str:
    return dt.datetime.now(dt.UTC).replace(microsecond=0).isoformat().replace("+00:00", "Z")


def update_registry(
    registry: TrialRegistry,
    client: httpx.Client | None = None,
    conditions: Sequence[str] = CONDITIONS,
    page_size: int = 100,
    max_pages: int | None = None,
    polite: Polite | None = None,
    now: Callable[[], str] = _now,
) -> UpdateReport:
    """Download the NEN studies into `registry`; resumes an interrupted run. Raises RegistryFetchError
    (after saving progress) when the API keeps failing."""
    polite = polite or Polite()
    state = _load_state(registry)
    resumed = state is not None and state.get("conditions") == list(conditions)
    if not resumed:
        registry.discard_staged()  # pages of a run that will not be resumed
        state = {"fetched_at": now(), "conditions": list(conditions), "done": [], "token": None, "pages": 0}
    assert state is not None
    report = UpdateReport(
        fetched_at=state["fetched_at"], resumed=resumed, conditions_done=list(state["done"])
    )
    own_client = client is None
    http = client or httpx.Client(
        headers={"User-Agent": "NETNav trial registry update"}, follow_redirects=True
    )
    try:
        for condition in conditions:
            if condition in state["done"]:
                continue
            _one_condition(http, registry, condition, state, report, page_size, max_pages, polite)
    finally:
        if own_client:
            http.close()
    registry.commit_staged()
    _state_path(registry).unlink(missing_ok=True)
    return report


def _one_condition(
    http: httpx.Client,
    registry: TrialRegistry,
    condition: str,
    state: dict[str, Any],
    report: UpdateReport,
    page_size: int,
    max_pages: int | None,
    polite: Polite,
) -> None:
    pages = 0
    while max_pages is None or pages < max_pages:
        params = {"query.cond": condition, "pageSize": str(page_size), "format": "json"}
        if state.get("token"):
            params["pageToken"] = str(state["token"])
        payload = _get_page(http, params, polite)
        trials, skipped = read_studies(payload.get("studies") or [], state["fetched_at"])
        report.written += registry.stage(trials)
        report.skipped.extend(f"{condition}: {s}" for s in skipped)
        report.pages += 1
        pages += 1
        token = payload.get("nextPageToken")
        state["token"] = token if isinstance(token, str) and token else None
        if state["token"] is None:
            break
        _save_state(registry, state)
    state["done"].append(condition)
    state["token"] = None
    report.conditions_done.append(condition)
    _save_state(registry, state)

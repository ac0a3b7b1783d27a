"""A cold `netnav ask` loads only what answering needs: the case, trial, rule, ingest and casebook
packages and rich load when those jobs run, not at start-up (they cost about a quarter of a cold ask)."""

from __future__ import annotations

import json
import subprocess
import sys

from netnav.engine import LOCAL_OWNER
from netnav.types.casebook import LOCAL_OWNER as CASEBOOK_LOCAL_OWNER

DEFERRED = (
    "netnav.records",
    "netnav.trials",
    "netnav.rules",
    "netnav.casebook",
    "netnav.cases",
    "netnav.ingest",
    "netnav.ingest_service",
    "netnav.personal",
    "rich",
)

_PROBE = """
import json, sys
from netnav.cli.app import build_app
build_app()
import netnav.answer.render, netnav.engine
{extra}
print(json.dumps(sorted(sys.modules)))
"""


def _loaded(extra: str = "") -> set[str]:
    out = subprocess.run(
        [sys.executable, "-c", _PROBE.format(extra=extra)], capture_output=True, text=True, check=True
    )
    return set(json.loads(out.stdout.strip().splitlines()[-1]))


def _deferred_in(modules: set[str]) -> list[str]:
    return sorted(m for m in modules if any(m == d or m.startswith(d + ".") for d in DEFERRED))


def test_the_cli_and_engine_load_without_the_case_trial_and_ingest_packages() -> None:
    assert _deferred_in(_loaded()) == []


def test_deferred_packages_still_load_when_their_job_runs() -> None:
    loaded = _loaded("from netnav.engine import CaseBook, CaseView\nassert CaseBook and CaseView")
    assert "netnav.casebook" in loaded


def test_local_owner_is_the_casebook_one() -> None:
    assert LOCAL_OWNER == CASEBOOK_LOCAL_OWNER

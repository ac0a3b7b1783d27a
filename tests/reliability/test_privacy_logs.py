"""Report text never reaches the logs: extraction, assessment, personalised answers and the CLI's stderr."""

from __future__ import annotations

import logging
import os
import subprocess
import warnings
from collections.abc import Iterator
from pathlib import Path

import pytest

from netnav.engine import Engine
from netnav.records import extract_text
from netnav.rules import assess
from netnav.testing import netnav_command

MARKER = "Qzvx7Marker"
REPORT = f"""PATIENT: {MARKER} Doe   MRN {MARKER}-00912
SURGICAL PATHOLOGY REPORT ({MARKER})
Diagnosis: well-differentiated neuroendocrine tumor of the pancreas ({MARKER} specimen), grade 2.
Ki-67 proliferation index: 15% ({MARKER}).
Mitotic count: 3 per 2 mm2.
Tumor size: 2.4 cm. No lymphovascular invasion. {MARKER}
Margins negative. Lymph nodes: 1 of 12 positive.
Liver: metastasis suspected, {MARKER}.
TMB 12 mut/Mb; MSI-H; {MARKER}
ECOG 1. Age 63. {MARKER}
"""


class _Collect(logging.Handler):
    def __init__(self) -> None:
        super().__init__(level=logging.NOTSET)
        self.messages: list[str] = []

    def emit(self, record: logging.LogRecord) -> None:
        try:
            self.messages.append(record.getMessage())
        except Exception:  # noqa: BLE001 - a malformed record still counts as logged text
            self.messages.append(f"{record.msg!r} {record.args!r}")
        if record.exc_info:
            self.messages.append(logging.Formatter().formatException(record.exc_info))


@pytest.fixture()
def all_logs() -> Iterator[_Collect]:
    """Every logger at DEBUG, propagating to one collecting handler; warnings routed to logging too."""
    handler = _Collect()
    root = logging.getLogger()
    saved = {
        name: (lg.level, lg.propagate, lg.disabled)
        for name, lg in logging.root.manager.loggerDict.items()
        if isinstance(lg, logging.Logger)
    }
    old_root = root.level
    root.addHandler(handler)
    root.setLevel(logging.DEBUG)
    for name in saved:
        lg = logging.getLogger(name)
        lg.setLevel(logging.DEBUG)
        lg.propagate = True
        lg.disabled = False
    logging.captureWarnings(True)
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("always")
            yield handler
    finally:
        logging.captureWarnings(False)
        root.removeHandler(handler)
        root.setLevel(old_root)
        for name, (level, propagate, disabled) in saved.items():
            lg = logging.getLogger(name)
            lg.setLevel(level)
            lg.propagate = propagate
            lg.disabled = disabled


def test_logging_capture_works(all_logs: _Collect) -> None:
    """Guard against a vacuous pass: a message logged anywhere is seen."""
    logging.getLogger("netnav.rules.engine").debug("probe %s", "visible")
    assert any("probe visible" in m for m in all_logs.messages)


def test_report_text_never_logged_in_extract_assess_and_ask(all_logs: _Collect, built_home: Path) -> None:
    profile = extract_text(REPORT, f"{MARKER}.txt")
    assert profile.fields.get("ki67_percent") is not None, "the report must really be extracted"
    assessment = assess(profile, "clinician")
    assert assessment.findings
    engine = Engine(built_home)
    try:
        answer = engine.ask("What do my Ki-67 and grade mean for treatment?", "patient", case=profile)
        assert not answer.abstained
    finally:
        engine.close()
    leaked = [m for m in all_logs.messages if MARKER in m or "MRN" in m]
    assert leaked == [], f"report text reached the logs: {leaked[:3]}"


@pytest.mark.slow  # runs the command line in subprocesses
def test_cli_extract_and_assess_keep_report_text_off_stderr(tmp_path: Path, built_home: Path) -> None:
    report = tmp_path / "report.txt"
    report.write_text(REPORT, encoding="utf-8")
    netnav = netnav_command()
    for argv in (["extract", str(report), "--json"], ["assess", str(report), "--json"]):
        proc = subprocess.run(
            [*netnav, *argv],
            capture_output=True,
            text=True,
            timeout=300,
            check=False,
            env={**os.environ, "NETNAV_HOME": str(built_home)},
        )
        assert proc.returncode == 0, proc.stderr[-500:]
        assert MARKER not in proc.stderr
        assert "15" in proc.stdout  # the output itself is the user's own result and may quote the report
    bad = tmp_path / "broken.pdf"
    bad.write_bytes(b"%PDF-1.7\n" + MARKER.encode() + b"\n%%EOF")
    proc = subprocess.run(
        [*netnav, "extract", str(bad), "--json"], capture_output=True, text=True, timeout=300, check=False
    )
    assert proc.returncode == 2
    assert MARKER not in proc.stderr, "an error message must not quote the report's content"


def test_api_upload_path_keeps_report_text_out_of_logs(
    all_logs: _Collect, built_home: Path, tmp_path: Path
) -> None:
    import shutil

    from netnav.app import create_app
    from tests.csrf import CsrfClient

    home = tmp_path / "home"
    shutil.copytree(built_home, home, ignore=shutil.ignore_patterns("cases", "uploads"))
    with CsrfClient(create_app(home)) as client:
        r = client.post("/api/cases", files=[("files", (f"{MARKER}.txt", REPORT.encode(), "text/plain"))])
        assert r.status_code == 201, r.text[:300]
        case_id = r.json()["case_id"]
        assert client.get(f"/api/cases/{case_id}/assessment").status_code == 200
        assert client.get(f"/api/cases/{case_id}/trials").status_code == 200
        assert client.get(f"/cases/{case_id}").status_code == 200
        answer = client.post("/api/ask", json={"question": "What does my Ki-67 mean?", "case_id": case_id})
        assert answer.status_code == 200
        bad = client.post(
            "/api/cases",
            files=[("files", ("r.pdf", b"%PDF-1.7\n" + MARKER.encode() + b"\n%%EOF", "application/pdf"))],
        )
        assert 400 <= bad.status_code < 500
    leaked = [m for m in all_logs.messages if MARKER in m or "MRN" in m]
    assert leaked == [], f"report text reached the logs: {leaked[:3]}"

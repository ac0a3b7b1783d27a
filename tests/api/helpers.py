"""Shared test data and helpers for the API and web tests."""

from __future__ import annotations

import shutil
from pathlib import Path

from fastapi.testclient import TestClient

from tests.csrf import CsrfClient

MARKER = "MARKER-ZX81Q7-ROE"
XSS = "<script>alert(1)</script>"
REPORT = f"""SURGICAL PATHOLOGY REPORT
Patient note: {MARKER}
Specimen: pancreas, distal pancreatectomy
Diagnosis: Well-differentiated neuroendocrine tumor, grade 2
Ki-67 proliferation index: 12%
Mitotic count: 3 per 2 mm2
Tumor size: 2.5 cm
Lymphovascular invasion: not identified
"""
XSS_REPORT = f"""SURGICAL PATHOLOGY REPORT
Specimen: pancreas, distal pancreatectomy
Ki-67 proliferation index: 12% {XSS}
"""
QUESTION = "What does a Ki-67 of 15% mean for a pancreatic NET?"
WITHDRAWN_QUESTION = "Is nivolumab still approved for third-line small cell lung cancer?"


def copy_home(built_home: Path, target: Path) -> Path:
    """A private copy of the built index, so tests that write (ingest, cases) leave the shared one alone."""
    shutil.copytree(built_home, target, ignore=shutil.ignore_patterns("cases", "uploads"))
    return target


def make_client(home: Path, token: str | None = None) -> TestClient:
    """A client with its own cookie jar (= its own session); use it as a context manager."""
    from netnav.app import create_app

    return CsrfClient(create_app(home, token))

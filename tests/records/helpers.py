"""Shared helpers for the records tests (paths to shared data, fixture pairs, a tiny PDF writer)."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

SHARED = Path(__file__).resolve().parents[3] / "shared"
EVAL_REPORTS = SHARED / "eval" / "reports"
DIAGNOSES = SHARED / "data" / "pathology_reports" / "reg2025_net_nec_sclc_diagnoses.jsonl"
FIXTURES = Path(__file__).resolve().parent / "fixtures"


def need(path: Path) -> Path:
    if not path.exists():
        pytest.skip(f"shared data not available: {path}")
    return path


def eval_pairs() -> list[tuple[Path, dict[str, Any]]]:
    folder = need(EVAL_REPORTS)
    out = []
    for report in sorted(folder.glob("*.txt")):
        expected = report.with_name(report.stem + ".expected.json")
        if expected.exists():
            out.append((report, json.loads(expected.read_text(encoding="utf-8"))))
    if not out:
        pytest.skip("no evaluation reports found")
    return out


def eval_reports() -> list[Path]:
    """Report paths for parametrize (empty when the shared folder is absent; no skip at collection)."""
    return sorted(EVAL_REPORTS.glob("*.txt")) if EVAL_REPORTS.exists() else []


def fixture_pairs() -> list[tuple[Path, dict[str, Any]]]:
    out = []
    for expected in sorted(FIXTURES.glob("*.expected.json")):
        stem = expected.name.removesuffix(".expected.json")
        report = next(p for p in FIXTURES.iterdir() if p.name.startswith(stem + ".") and p != expected)
        out.append((report, json.loads(expected.read_text(encoding="utf-8"))))
    return out


def make_pdf(path: Path, lines: list[str]) -> Path:
    """Write a one-page PDF; with no lines the page has no text layer (like a scan)."""
    ops = ["BT", "/F1 11 Tf", "72 720 Td", "14 TL"]
    for text in lines:
        safe = text.replace("\\", "\\\\").replace("(", "\\(").replace(")", "\\)")
        ops.append(f"({safe}) Tj T*")
    ops.append("ET")
    stream = "\n".join(ops).encode("latin-1") if lines else b""
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        (
            b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Contents 4 0 R "
            b"/Resources << /Font << /F1 5 0 R >> >> >>"
        ),
        b"<< /Length " + str(len(stream)).encode() + b" >>\nstream\n" + stream + b"\nendstream",
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
    ]
    out = bytearray(b"%PDF-1.4\n")
    offsets = []
    for i, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += f"{i} 0 obj\n".encode() + body + b"\nendobj\n"
    xref = len(out)
    out += f"xref\n0 {len(objects) + 1}\n0000000000 65535 f \n".encode()
    for off in offsets:
        out += f"{off:010d} 00000 n \n".encode()
    out += f"trailer\n<< /Size {len(objects) + 1} /Root 1 0 R >>\nstartxref\n{xref}\n%%EOF\n".encode()
    path.write_bytes(bytes(out))
    return path

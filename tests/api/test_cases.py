"""Case upload, retrieval, assessment, trials and "delete my data" through the API."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient

from netnav import settings
from netnav.cases import session_digest
from tests.api.helpers import REPORT, make_client


def _upload(
    client: TestClient, name: str = "report.txt", data: bytes | str = REPORT, mime: str = "text/plain"
) -> Any:
    payload = data.encode() if isinstance(data, str) else data
    return client.post("/api/cases", files=[("files", (name, payload, mime))])


def test_upload_txt_report_returns_profile(client: TestClient) -> None:
    r = _upload(client)
    assert r.status_code == 201
    body = r.json()
    assert body["case_id"].startswith("case-")
    ki67 = body["fields"]["ki67_percent"]
    assert ki67["value"] == 12 and ki67["source"] == "report.txt" and ki67["line"] == 5
    assert "Ki-67 proliferation index: 12%" in ki67["text"]
    assert body["fields"]["lymphovascular_invasion"]["value"] is False


def test_get_case_assessment_and_trials(client: TestClient) -> None:
    case_id = _upload(client).json()["case_id"]
    got = client.get(f"/api/cases/{case_id}")
    assert got.status_code == 200 and got.json()["fields"]["grade"]["value"] == "G2"
    assessment = client.get(f"/api/cases/{case_id}/assessment", params={"audience": "clinician"}).json()
    assert assessment["case"]["case_id"] == case_id
    grade = [f for f in assessment["findings"] if f["kind"] == "grade"]
    assert grade and grade[0]["status"] in ("met", "not_met", "unknown")
    numbers = {c["n"] for c in assessment["citations"]}
    assert all(set(f["citations"]) <= numbers for f in assessment["findings"])
    trials = client.get(f"/api/cases/{case_id}/trials", params={"status": "all"})
    assert trials.status_code == 200
    matches = trials.json()
    assert matches and all(m["nct_id"].startswith("NCT") for m in matches)
    labels = {c["label"] for m in matches for c in m["criteria"]}
    assert labels <= {"met", "not_met", "not_applicable", "insufficient_info"}
    assert client.get(f"/api/cases/{case_id}/trials", params={"status": "bogus"}).status_code == 422


def test_cases_are_per_session(api_home: Path, client: TestClient) -> None:
    case_id = _upload(client).json()["case_id"]
    with make_client(api_home) as other:
        assert other.get(f"/api/cases/{case_id}").status_code == 404
        assert other.get(f"/api/cases/{case_id}/assessment").status_code == 404


def test_delete_my_data(api_home: Path) -> None:
    with make_client(api_home) as c:
        case_id = _upload(c).json()["case_id"]
        cookie = c.cookies.get("netnav_session")
        assert cookie
        folder = api_home / "cases" / session_digest(cookie.split(".")[0])
        assert (folder / f"{case_id}.json").is_file()
        assert c.delete("/api/cases").json() == {"deleted_cases": 1}
        assert c.get(f"/api/cases/{case_id}").status_code == 404
        assert not folder.exists()


def test_upload_size_limit_is_413(client: TestClient, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(settings, "MAX_FILE_BYTES", 200)
    r = _upload(client, data="Ki-67 12%\n" * 50)
    assert r.status_code == 413
    assert "too large" in r.json()["detail"]


@pytest.mark.parametrize(
    ("name", "data"),
    [
        ("report.exe", b"MZ\x90\x00binary"),
        ("report.docx", b"PK\x03\x04zip"),
        ("report", b"Ki-67 12%"),
        ("report.txt", b"%PDF-1.7 pretending to be text"),
        ("report.pdf", b"Ki-67 12% but not a PDF"),
    ],
)
def test_unsupported_type_is_415(client: TestClient, name: str, data: bytes) -> None:
    r = _upload(client, name=name, data=data, mime="application/octet-stream")
    assert r.status_code == 415
    assert r.json()["detail"]


def test_binary_in_txt_is_422_and_empty_is_400(client: TestClient) -> None:
    assert _upload(client, data=b"\x00\x01\x02" * 100).status_code == 422
    assert _upload(client, data=b"   \n").status_code == 400
    assert client.post("/api/cases").status_code == 422


@pytest.mark.parametrize(
    "name", ["../../../../tmp/evil.txt", "..\\..\\windows\\evil.txt", "/etc/evil.txt", "a/../../evil.txt"]
)
def test_path_traversal_names_are_neutralised(api_home: Path, client: TestClient, name: str) -> None:
    r = _upload(client, name=name)
    assert r.status_code == 201
    body = r.json()
    assert body["sources"] == ["evil.txt"]
    assert body["fields"]["ki67_percent"]["source"] == "evil.txt"
    assert not Path("/tmp/evil.txt").exists() and not (api_home.parent / "evil.txt").exists()


def test_fhir_json_report(client: TestClient) -> None:
    bundle = {
        "resourceType": "Bundle",
        "type": "collection",
        "entry": [
            {
                "resource": {
                    "resourceType": "Observation",
                    "status": "final",
                    "code": {
                        "coding": [
                            {"system": "http://loinc.org", "code": "85319-2", "display": "Ki-67 index"}
                        ],
                        "text": "Ki-67 index",
                    },
                    "valueQuantity": {"value": 22, "unit": "%"},
                }
            }
        ],
    }
    r = _upload(client, name="fhir.json", data=json.dumps(bundle), mime="application/json")
    assert r.status_code == 201
    assert r.json()["fields"]["ki67_percent"]["value"] == 22


def test_bad_case_id_is_404(client: TestClient) -> None:
    assert client.get("/api/cases/..%2F..%2Fetc").status_code == 404
    assert client.get("/api/cases/not a case").status_code == 404


def test_oversized_request_refused_before_parsing(
    client: TestClient, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(settings, "MAX_FILE_BYTES", 10)
    files = [("files", (f"r{i}.txt", b"Ki-67 12%\n" * 2000, "text/plain")) for i in range(2)]
    monkeypatch.setattr("netnav.api.uploads.MAX_FILES", 1)
    r = client.post("/api/cases", files=files)
    assert r.status_code == 413 and "request too large" in r.json()["detail"]


def test_ask_about_my_case_is_personalised(client: TestClient) -> None:
    case_id = _upload(client).json()["case_id"]
    plain = client.post("/api/ask", json={"question": "What does my Ki-67 mean?"}).json()
    mine = client.post("/api/ask", json={"question": "What does my Ki-67 mean?", "case_id": case_id}).json()
    assert plain["personal"] == []
    assert mine["personal"] and any("12%" in s["text"] for s in mine["personal"])
    numbers = {c["n"] for c in mine["citations"]}
    assert all(set(s["citations"]) <= numbers for s in mine["personal"])

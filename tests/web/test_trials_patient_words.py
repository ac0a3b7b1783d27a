"""The trials section in the patient view: no matcher reasons or case field names, and an exclusion that
applies is said to rule the person out (never "your records fit this requirement")."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from netnav.trials.render import blocks, plain_reason
from netnav.types.trials import Criterion, TrialMatch
from tests.api.helpers import copy_home
from tests.csrf import CsrfClient

MERKEL = (
    "Dermatology oncology review, 2 November 2025\n"
    "77-year-old woman with Merkel cell carcinoma of the skin of the forearm, stage IV, liver metastases.\n"
    "Avelumab from February 2025 to August 2025, then progression.\nECOG 2.\n"
)
MACHINE = ("case tumour:", "required:", "condition mismatch", "fails:", "excluded by:")


@pytest.fixture(scope="module")
def web(built_home: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[TestClient]:
    from netnav.app import create_app

    home = copy_home(built_home, tmp_path_factory.mktemp("patient-trials") / "home")
    with CsrfClient(create_app(home)) as c:
        yield c


def _trials_section(html: str) -> str:
    start = html.index('id="trials-h"')
    return html[start : html.index("</section>", start)]


def test_patient_trials_section_has_plain_words_only(web: TestClient) -> None:
    files = [("files", ("merkel.txt", MERKEL.encode(), "text/plain"))]
    url = web.post("/upload", files=files, follow_redirects=False).headers["location"]
    patient = _trials_section(web.get(url).text)
    clinician = _trials_section(web.get(url, params={"audience": "clinician"}).text)
    assert "<details" in patient  # trials are listed
    for machine in MACHINE:
        assert machine not in patient
    assert any(machine in clinician for machine in MACHINE)  # the clinician view keeps the reasons
    assert "Your records do not fit:" in patient
    # DART's exclusion of Merkel cell carcinoma applies: said to rule her out, not that her records "fit" it
    row = patient[patient.index("<td>Merkel cell carcinoma is not eligible") :].split("</tr>", 1)[0]
    assert "this rules you out of the trial" in row and "fit this requirement" not in row


def test_patient_markdown_download_has_the_patient_words(web: TestClient) -> None:
    files = [("files", ("merkel2.txt", MERKEL.encode(), "text/plain"))]
    url = web.post("/upload", files=files, follow_redirects=False).headers["location"]
    patient = web.get(url, params={"format": "md"}).text
    clinician = web.get(url, params={"format": "md", "audience": "clinician"}).text
    for machine in (*MACHINE, "(inputs:", "metastatic_sites", "not met]"):
        assert machine not in patient, machine
    assert "this rules you out of the trial" in patient and "Your records do not fit:" in patient
    assert "[applies to you]" in patient or "[reassuring]" in patient
    assert "(inputs:" in clinician and any(machine in clinician for machine in MACHINE)


def _c(kind: str, label: str, text: str) -> Criterion:
    return Criterion(text=text, kind=kind, label=label, reason="case tumour: x; required: y")


@pytest.mark.parametrize(
    ("kind", "label", "blocking"),
    [
        ("inclusion", "not_met", True),
        ("exclusion", "met", True),
        ("inclusion", "met", False),
        ("exclusion", "not_met", False),
        ("exclusion", "insufficient_info", False),
        ("inclusion", "not_applicable", False),
    ],
)
def test_blocks(kind: str, label: str, blocking: bool) -> None:
    assert blocks(_c(kind, label, "t")) is blocking


def test_plain_reason_names_blocking_requirements_or_counts_unknowns() -> None:
    crits = [_c("inclusion", "not_met", f"Need {i}") for i in range(5)] + [
        _c("exclusion", "met", "Merkel excluded")
    ]
    out = plain_reason(TrialMatch(nct_id="N", title="t", status="ineligible", score=0, criteria=crits))
    assert out == "Your records do not fit: Need 0; Need 1; Need 2 (and 3 more)."
    unknown = [_c("inclusion", "met", "a"), _c("exclusion", "insufficient_info", "b")]
    out = plain_reason(
        TrialMatch(nct_id="N", title="t", status="possibly_eligible", score=0.5, criteria=unknown)
    )
    assert (
        out is not None and out.startswith("1 of 2 requirements cannot be checked") and "required" not in out
    )
    clear = TrialMatch(
        nct_id="N", title="t", status="eligible", score=1, criteria=[_c("inclusion", "met", "a")]
    )
    assert plain_reason(clear) is None

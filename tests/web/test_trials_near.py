"""The trials section's "near a place" search on the case pages and the API (offline place look-up)."""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from netnav.trials.ctgov import parse_ctgov_bytes
from netnav.trials.registry import TrialRegistry
from tests.api.helpers import REPORT, copy_home
from tests.csrf import CsrfClient

FIX = Path(__file__).parents[1] / "trials" / "fixtures" / "ctgov_v2"


@pytest.fixture(scope="module")
def web(built_home: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[TestClient]:
    from netnav.app import create_app

    home = copy_home(built_home, tmp_path_factory.mktemp("near") / "home")
    TrialRegistry(home).add(parse_ctgov_bytes((FIX / "pnet-page1.json").read_bytes(), "pnet-page1.json"))
    with CsrfClient(create_app(home)) as c:
        yield c


@pytest.fixture(scope="module")
def case_url(web: TestClient) -> str:
    files = [("files", ("path-report.txt", REPORT.encode(), "text/plain"))]
    r = web.post("/upload", files=files, follow_redirects=False)
    assert r.status_code == 303
    return str(r.headers["location"])


def _trials_section(html: str) -> str:
    start = html.index('id="trials-h"')
    return html[start : html.index("</section>", start)]


def test_case_page_has_a_near_form(web: TestClient, case_url: str) -> None:
    section = _trials_section(web.get(case_url).text)
    assert 'name="near"' in section and 'name="within"' in section
    assert '<label for="near">' in section and '<label for="within">' in section


@pytest.mark.parametrize("place", ["Cambridge, USA", "cambridge, united states", "42.37,-71.11"])
def test_near_lists_sites_nearest_first_with_distances(web: TestClient, case_url: str, place: str) -> None:
    section = _trials_section(web.get(case_url, params={"near": place, "within": "200km"}).text)
    distances = [float(d) for d in re.findall(r'<span class="distance">([\d.]+) km</span>', section)]
    assert distances and distances == sorted(distances) and distances[0] < 10 and max(distances) <= 200
    assert "Aurora" not in section  # beyond 200 km
    assert "Dana-Farber Cancer Institute" in section


def test_all_sites_nearest_first_without_a_radius(web: TestClient, case_url: str) -> None:
    section = _trials_section(web.get(case_url, params={"near": "Denver, USA"}).text)
    first = section.index("University of Colorado Anschutz Medical Campus")
    assert first < section.index("Dana-Farber Cancer Institute")  # Aurora (13 km) before Boston (2,800 km)


def test_within_in_miles_and_no_site_in_reach(web: TestClient, case_url: str) -> None:
    section = _trials_section(web.get(case_url, params={"near": "Sydney, Australia", "within": "50mi"}).text)
    assert "No open trial in NETNav&#39;s registry has a site in reach of Sydney" in section or (
        "No open trial in NETNav's registry has a site in reach of Sydney" in section
    )


@pytest.mark.parametrize(
    ("near", "within", "words"),
    [
        ("Xqzzyville", "", "place not found in the offline city list"),
        ("Boston, Narnia", "", "unknown country"),
        ("Boston, USA", "far away", "give a distance such as 200km"),
        ("", "200km", "needs a place"),
    ],
)
def test_bad_place_or_distance_is_a_message_not_an_error(
    web: TestClient, case_url: str, near: str, within: str, words: str
) -> None:
    r = web.get(case_url, params={"near": near, "within": within})
    assert r.status_code == 200
    section = _trials_section(r.text)
    alert = re.search(r'<p class="near-error" role="alert">(.*?)</p>', section, re.S)
    assert alert is not None and words in alert.group(1)
    assert "--near" not in alert.group(1) and "--within" not in alert.group(1)
    assert 'class="distance"' not in section  # listed without distances


def test_api_trials_near(web: TestClient, case_url: str) -> None:
    case_id = case_url.rsplit("/", 1)[-1]
    got = web.get(f"/api/cases/{case_id}/trials", params={"near": "Denver, USA", "within": "100km"})
    assert got.status_code == 200, got.text
    with_sites = [m for m in got.json() if m["sites"]]
    assert with_sites and with_sites[0]["sites"][0]["city"] == "Aurora"
    assert with_sites[0]["sites"][0]["distance_km"] < 20
    bad = web.get(f"/api/cases/{case_id}/trials", params={"near": "Xqzzyville"})
    assert bad.status_code == 400 and "Xqzzyville" in bad.text


PATHWAY_REPORT = (
    "PANCREAS, DISTAL PANCREATECTOMY:\nWell-differentiated neuroendocrine tumor, grade 2, Ki-67 8%.\n"
    "Ga-68 DOTATATE PET: SSTR positive liver metastases.\n"
    "Clinic letter: the tumour progressed on lanreotide. Everolimus was offered; she declined it.\n"
)


def test_case_page_lists_guideline_ordered_options(web: TestClient) -> None:
    files = [("files", ("letter.txt", PATHWAY_REPORT.encode(), "text/plain"))]
    url = web.post("/upload", files=files, follow_redirects=False).headers["location"]
    html = web.get(url).text
    start = html.index('id="pathway-h"')
    section = html[start : html.index("</section>", start)]
    assert "Step 1" in section and "Step 2" in section and "where your reports point" in section
    assert "already tried: the tumour grew on it" in section and "offered before and declined" in section
    assert "without a fixed order" in section  # the unranked step says so
    assert "<ol" in section and "<ul" in section  # ranked step numbered, unranked step not
    clinician = web.get(url, params={"audience": "clinician"}).text
    assert "Documented progression on lanreotide" in clinician


def test_case_markdown_has_the_pathway(web: TestClient) -> None:
    files = [("files", ("letter2.txt", PATHWAY_REPORT.encode(), "text/plain"))]
    url = web.post("/upload", files=files, follow_redirects=False).headers["location"]
    md = web.get(url, params={"format": "md"}).text
    assert "## Treatment options for this situation" in md and "### Step 2" in md
    assert (
        "1. **Somatostatin analogue" in md
        and "[tried]" in md
        and "- **PRRT (Lu-177 DOTATATE)** [option]" in md
    )

"""Server-rendered pages through the test client: structure, accessibility hooks, citations, case view."""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from netnav.settings import DISCLAIMER
from netnav.types.case import FieldValue
from netnav.web.view import highlight, identifier_links
from tests.api.helpers import QUESTION, REPORT, WITHDRAWN_QUESTION, copy_home
from tests.csrf import CsrfClient


@pytest.fixture(scope="module")
def web(built_home: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[TestClient]:
    from netnav.app import create_app

    home = copy_home(built_home, tmp_path_factory.mktemp("web") / "home")
    with CsrfClient(create_app(home)) as c:
        yield c


def _upload(web: TestClient) -> str:
    r = web.post(
        "/upload",
        files=[("files", ("path-report.txt", REPORT.encode(), "text/plain"))],
        follow_redirects=False,
    )
    assert r.status_code == 303
    location = r.headers["location"]
    assert re.fullmatch(r"/cases/case-[0-9a-f]{16}", location)
    return location


@pytest.mark.parametrize(
    "path", ["/", "/upload", "/sources", "/delete", "/login", "/ask?q=What+is+a+NET%3F", "/answers/unknown"]
)
def test_every_page_has_disclaimer_and_landmarks(web: TestClient, path: str) -> None:
    html = web.get(path).text
    assert DISCLAIMER in html
    for landmark in ("<header", '<nav aria-label="Main"', '<main id="main"', "<footer"):
        assert landmark in html
    assert 'href="#main"' in html and '<html lang="en">' in html and 'name="viewport"' in html


def test_ask_form_is_labelled(web: TestClient) -> None:
    html = web.get("/").text
    assert '<label for="q">' in html and 'id="q"' in html
    assert "<legend>Write the answer for</legend>" in html
    assert html.count('type="radio" name="audience"') == 2


def test_answer_citations_resolve_to_sources(web: TestClient) -> None:
    html = web.post("/ask", data={"q": QUESTION}).text
    cited = set(re.findall(r'class="cite" href="#src-(\d+)"', html))
    listed = set(re.findall(r'<li id="src-(\d+)"', html))
    assert cited and cited <= listed
    assert "Questions to ask your care team" in html
    assert '<blockquote class="quote' in html and 'id="cite-dialog"' in html
    # a card's wording is our summary, never shown as the source's own words
    assert "NETNav summary of this source" in html
    assert "Patient view" in html and "Switch to clinician view" in html


def test_withdrawn_citation_is_tagged(web: TestClient) -> None:
    html = web.post("/ask", data={"q": WITHDRAWN_QUESTION, "audience": "clinician"}).text
    assert 'class="tag tag-withdrawn">WITHDRAWN<' in html
    assert "Clinician view" in html


def test_follow_up_keeps_context(web: TestClient) -> None:
    first = web.post("/ask", data={"q": QUESTION, "conversation": "webconv1"}).text
    assert 'name="conversation" value="webconv1"' in first
    second = web.post("/ask", data={"q": "what about for NEC?", "conversation": "webconv1"}).text
    assert "was read as" in second and "pancreatic NEC" in second


def test_answer_markdown_download(web: TestClient) -> None:
    page = web.post("/ask", data={"q": QUESTION})
    link = re.search(r'href="(/answers/[0-9a-f]{16}\?audience=patient&amp;format=md)"', page.text)
    assert link is not None
    r = web.get(link.group(1).replace("&amp;", "&"))
    assert r.headers["content-type"].startswith("text/markdown")
    assert "attachment" in r.headers["content-disposition"]
    assert r.text.startswith(f"# {QUESTION}") and "## Sources" in r.text


def test_case_page_shows_values_with_highlighted_lines(web: TestClient) -> None:
    html = web.get(_upload(web)).text
    row = html[html.index('id="field-ki67_percent"') :]
    row = row[: row.index("</tr>")]
    assert "path-report.txt, line 5" in row
    assert '<mark class="line">Ki-67 proliferation index: <strong class="hit">12</strong>%</mark>' in row
    for heading in ("Values read from your reports", "What the values mean", "Clinical trials that may fit"):
        assert heading in html
    # patient view: plain labels (reassuring / applies to you / ...), never rule ids
    assert re.search(r'class="status label-(reassuring|applies|does_not_apply|unknown)"', html)
    assert "· rule " not in html
    assert re.search(r'class="label label-(met|not_met|not_applicable|insufficient_info)"', html)


def test_case_page_shows_negatives_and_earlier_values(web: TestClient) -> None:
    report = (
        "PANCREAS, RESECTION:\nWell-differentiated neuroendocrine tumor, WHO grade 1, Ki-67 2%.\n"
        "Negative for: RET fusion.\n\nADDENDUM:\nKi-67 repeated on block A2: 9%.\n"
    )
    r = web.post(
        "/upload", files=[("files", ("amended.txt", report.encode(), "text/plain"))], follow_redirects=False
    )
    html = web.get(r.headers["location"]).text
    row = html[html.index('id="field-ki67_percent"') :]
    row = row[: row.index("</tr>")]
    assert "Earlier values (1)" in row and "<s>2</s>" in row and "amended.txt, line 2" in row
    negatives = html[html.index('class="negatives"') :]
    assert "RET" in negatives[: negatives.index("</ul>")]


def test_case_markdown_download(web: TestClient) -> None:
    r = web.get(_upload(web), params={"format": "md"})
    assert r.headers["content-type"].startswith("text/markdown")
    assert "Ki-67 index**: 12%" in r.text and "## Assessment" in r.text and "## Trials" in r.text


def test_delete_my_data_page(web: TestClient) -> None:
    location = _upload(web)
    assert "Delete my data now" in web.get("/delete").text
    done = web.post("/delete").text
    assert "Done:" in done
    assert web.get(location).status_code == 404


def test_upload_errors_render_a_page(web: TestClient) -> None:
    r = web.post("/upload", files=[("files", ("x.exe", b"MZ", "application/octet-stream"))])
    assert r.status_code == 415 and "unsupported file type" in r.text and DISCLAIMER in r.text


def test_print_stylesheet_and_phone_layout() -> None:
    from netnav.web import STATIC_DIR

    css = (STATIC_DIR / "style.css").read_text()
    assert "@media print" in css and "@media (max-width" in css and ":focus-visible" in css


def test_identifier_links() -> None:
    links = {
        link.label: link
        for link in identifier_links(
            {
                "pmid": "27959613",
                "doi": "10.1056/NEJMoa1607427",
                "nct": "NCT01578239",
                "url": "javascript:alert(1)",
            }
        )
    }
    assert links["PMID"].url == "https://pubmed.ncbi.nlm.nih.gov/27959613/"
    assert links["DOI"].url == "https://doi.org/10.1056/NEJMoa1607427"
    assert links["NCT"].url == "https://clinicaltrials.gov/study/NCT01578239"
    assert links["Web"].url is None


@pytest.mark.parametrize(
    ("value", "text", "hit"),
    [
        (7.0, "Mitotic Rate 3 mitoses/2 mm2 Ki-67 Labeling Index 7 %", "7"),
        ("G2", "Histologic Type Well-differentiated neuroendocrine tumor, grade 2", "grade 2"),
        ("pancreas", "Tumor Site Pancreatic head", "Pancreatic"),
        (2.4, "Tumor Size 2.4 x 1.9 x 1.5 cm", "2.4"),
    ],
)
def test_highlight_finds_the_value(value: float | str, text: str, hit: str) -> None:
    fv = FieldValue(value=value, text=text, source="r.txt", line=1)
    before, span, after = highlight(fv)
    assert span == hit and before + span + after == text


def test_sources_page_links_identifiers_and_tags_withdrawn(web: TestClient) -> None:
    html = web.get("/sources").text
    assert "Built-in knowledge" in html and "Documents you added" in html
    assert re.search(r'href="https://pubmed\.ncbi\.nlm\.nih\.gov/\d+/"', html)
    assert re.search(r'href="https://doi\.org/10\.', html)
    assert 'class="tag tag-withdrawn">WITHDRAWN<' in html


def test_unknown_page_is_a_readable_404(web: TestClient) -> None:
    page = web.get("/no-such-page")
    assert page.status_code == 404 and "page not found" in page.text and DISCLAIMER in page.text
    api = web.get("/api/no-such-thing")
    assert api.status_code == 404 and api.json() == {"detail": "page not found"}

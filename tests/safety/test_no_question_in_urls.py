"""Finding 4 (questions travel in GET /ask?q= URLs): no page links, redirects or submits a question in a
URL. Answers live under opaque per-session ids: reload, back/forward and bookmarks work without the
question ever reaching the address bar, history, logs or a Referer."""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from tests.csrf import CsrfClient

QUESTION = "Is lanreotide used for carcinoid syndrome diarrhoea?"
WORDS = ("lanreotide", "carcinoid", "diarrhoea")


@pytest.fixture(scope="module")
def browser(api_home: Path) -> Iterator[TestClient]:
    from netnav.app import create_app

    with CsrfClient(create_app(api_home)) as c:
        yield c


def _urls(html: str) -> list[str]:
    return re.findall(r'(?:href|src|action)="([^"]*)"', html)


def _assert_no_question(urls: list[str]) -> None:
    for url in urls:
        low = url.lower()
        assert "q=" not in low and not any(w in low for w in WORDS), url


def _ask(client: TestClient, **extra: str) -> tuple[str, str]:
    r = client.post("/ask", data={"q": QUESTION, **extra}, follow_redirects=False)
    assert r.status_code == 303
    location = r.headers["location"]
    assert re.fullmatch(r"/answers/[0-9a-f]{16}", location), location
    page = client.get(location)
    assert page.status_code == 200
    return location, page.text


def test_answer_page_is_reached_by_an_opaque_id(browser: TestClient) -> None:
    location, html = _ask(browser)
    assert "lanreotide" in html.lower() and "Patient view" in html
    _assert_no_question(_urls(html))
    assert browser.get(location).text.count('<h2 id="answer-title">') == 1  # reload: same answer, no re-post


def test_switch_download_and_history_use_the_id(browser: TestClient) -> None:
    location, html = _ask(browser, audience="patient")
    switch = re.search(r'href="(/answers/[0-9a-f]{16}\?audience=clinician)"', html)
    assert switch is not None and switch.group(1).startswith(location)
    other = browser.get(switch.group(1)).text
    assert "Clinician view" in other and "Switch to patient view" in other
    _assert_no_question(_urls(other))
    md = browser.get(location + "?format=md")
    assert md.headers["content-type"].startswith("text/markdown") and "lanreotide" in md.text.lower()
    home = browser.get("/").text
    assert f'href="{location}"' in home  # the session's history links to the answer, not to a query
    _assert_no_question(_urls(home))


def test_follow_up_keeps_its_conversation(browser: TestClient) -> None:
    _, html = _ask(browser)
    conversation = re.search(r'name="conversation" value="([0-9a-f]+)"', html)
    assert conversation is not None
    r = browser.post("/ask", data={"q": "what about for octreotide?", "conversation": conversation.group(1)})
    assert "was read as" in r.text
    assert re.fullmatch(r".*/answers/[0-9a-f]{16}", str(r.url))


def test_another_session_cannot_open_the_answer(browser: TestClient, api_home: Path) -> None:
    from netnav.app import create_app

    location, _ = _ask(browser)
    with CsrfClient(create_app(api_home)) as stranger:
        r = stranger.get(location)
        assert r.status_code == 404 and "no longer kept" in r.text
        assert not any(w in r.text.lower() for w in WORDS)


def test_old_query_links_are_not_answered_and_not_echoed(browser: TestClient) -> None:
    r = browser.get("/ask", params={"q": "secretword about lanreotide"}, follow_redirects=False)
    assert r.status_code == 303 and "secretword" not in r.headers["location"]
    assert "secretword" not in browser.get(r.headers["location"]).text


def test_delete_my_data_forgets_the_answers(api_home: Path) -> None:
    from netnav.app import create_app

    with CsrfClient(create_app(api_home)) as c:
        location, _ = _ask(c)
        assert c.post("/delete").status_code == 200
        assert c.get(location).status_code == 404
        assert 'id="history"' not in c.get("/").text

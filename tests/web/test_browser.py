"""Drive the real pages in headless Chromium (Debian's /usr/bin/chromium) against a live uvicorn server."""

from __future__ import annotations

import socket
import threading
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from tests.api.helpers import QUESTION, REPORT, XSS_REPORT, copy_home

CHROMIUM = Path("/usr/bin/chromium")
ARTIFACTS = Path(__file__).resolve().parents[2] / "test-artifacts"
pytestmark = [
    pytest.mark.browser,
    pytest.mark.skipif(
        not CHROMIUM.exists(),
        reason="Debian chromium not installed at /usr/bin/chromium (run `make browser-deps` as root)",
    ),
]


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port: int = s.getsockname()[1]
        return port


@pytest.fixture(scope="module")
def base_url(built_home: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    import uvicorn

    from netnav.app import create_app

    home = copy_home(built_home, tmp_path_factory.mktemp("browser") / "home")
    port = _free_port()
    config = uvicorn.Config(
        create_app(home), host="127.0.0.1", port=port, log_level="warning", access_log=False
    )
    server = uvicorn.Server(config)
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    for _ in range(600):  # wait for startup (index load), at most ~60 s
        if server.started or not thread.is_alive():
            break
        time.sleep(0.1)
    assert server.started, "uvicorn did not start"
    try:
        yield f"http://127.0.0.1:{port}"
    finally:
        server.should_exit = True
        thread.join(timeout=30)


@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    sync_api = pytest.importorskip("playwright.sync_api")
    with sync_api.sync_playwright() as p:
        b = p.chromium.launch(
            executable_path=str(CHROMIUM),
            args=["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking"],
        )
        try:
            yield b
        finally:
            b.close()


@pytest.fixture()
def page(browser: Any) -> Iterator[Any]:
    context = browser.new_context(viewport={"width": 1100, "height": 900})
    pg = context.new_page()
    dialogs: list[str] = []

    def on_dialog(d: Any) -> None:
        dialogs.append(d.message)
        d.dismiss()

    pg.on("dialog", on_dialog)
    pg.js_dialogs = dialogs
    yield pg
    context.close()


def _shot(page: Any, name: str, full_page: bool = True) -> None:
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / name), full_page=full_page)


def _ask(page: Any, base_url: str, question: str, audience: str = "patient") -> None:
    page.goto(base_url + "/")
    page.fill("#q", question)
    page.check(f"input[name=audience][value={audience}]")
    page.click("form.ask-form button[type=submit]")
    page.wait_for_selector("article.answer")


def test_ask_and_open_a_citation(page: Any, base_url: str) -> None:
    _ask(page, base_url, QUESTION)
    assert page.inner_text("#answer-title") == QUESTION
    assert page.inner_text(".audience-badge") == "Patient view"
    assert page.is_visible("text=Questions to ask your care team")
    _shot(page, "ask-answer-patient.png")
    link = page.locator("a.cite").first
    n = link.get_attribute("data-n")
    expected_quotes = page.locator(f"#src-{n} blockquote.quote").all_inner_texts()  # one per cited passage
    assert expected_quotes
    link.click()
    dialog = page.locator("#cite-dialog")
    dialog.wait_for(state="visible")
    assert dialog.locator("blockquote.quote").all_inner_texts() == expected_quotes
    assert page.inner_text("#cite-dialog-title") == f"Source {n}"
    _shot(page, "citation-dialog.png", full_page=False)
    page.keyboard.press("Escape")
    dialog.wait_for(state="hidden")
    assert page.evaluate("document.activeElement.classList.contains('cite')")


def test_keyboard_opens_citation_and_print_layout(page: Any, base_url: str) -> None:
    _ask(page, base_url, QUESTION)
    page.focus("a.cite")
    page.keyboard.press("Enter")
    page.locator("#cite-dialog").wait_for(state="visible")
    page.keyboard.press("Escape")
    page.locator("#cite-dialog").wait_for(state="hidden")
    page.emulate_media(media="print")
    assert not page.is_visible("form.follow-up") and not page.is_visible("nav")
    assert page.is_visible("article.answer") and page.is_visible("blockquote.quote")
    _shot(page, "answer-print.png")


def test_citation_works_without_javascript(browser: Any, base_url: str) -> None:
    context = browser.new_context(java_script_enabled=False)
    pg = context.new_page()
    try:
        _ask(pg, base_url, QUESTION)  # the form posts; the answer comes back under /answers/<id>
        assert "/answers/" in pg.url and "q=" not in pg.url
        link = pg.locator("a.cite").first
        n = link.get_attribute("data-n")
        link.click()
        assert pg.url.endswith(f"#src-{n}")
        assert pg.is_visible(f"#src-{n} blockquote.quote")
        assert not pg.is_visible("#cite-dialog")
    finally:
        context.close()


def test_switch_audience_and_follow_up(page: Any, base_url: str) -> None:
    _ask(page, base_url, QUESTION, audience="clinician")
    assert page.inner_text(".audience-badge") == "Clinician view"
    _shot(page, "ask-answer-clinician.png")
    page.click("text=Switch to patient view")
    page.wait_for_selector("article.answer")
    assert page.inner_text(".audience-badge") == "Patient view"
    page.fill("#follow", "what about for NEC?")
    page.click("form.follow-up button[type=submit]")
    page.wait_for_selector("article.answer")
    assert "pancreatic NEC" in page.inner_text("#answer-title")
    assert "was read as" in page.inner_text(".rewritten")
    _shot(page, "follow-up.png")


def test_upload_report_and_see_highlighted_value(page: Any, base_url: str) -> None:
    page.goto(base_url + "/upload")
    page.set_input_files(
        "#files", files=[{"name": "path-report.txt", "mimeType": "text/plain", "buffer": REPORT.encode()}]
    )
    page.click("form.upload-form button[type=submit]")
    page.wait_for_selector("#values-h")
    row = page.locator("#field-ki67_percent")
    assert row.locator("td.value").inner_text().strip() == "12%"
    assert row.locator("mark.line").inner_text() == "Ki-67 proliferation index: 12%"
    assert row.locator("mark.line strong.hit").inner_text() == "12"
    assert "path-report.txt, line 5" in row.locator(".where").inner_text()
    assert page.locator(".finding").count() > 0
    assert page.locator("details.trial").count() > 0
    _shot(page, "case-view.png")
    _shot(page, "case-view-top.png", full_page=False)
    page.locator("#trials-h").scroll_into_view_if_needed()
    _shot(page, "case-trials.png", full_page=False)


def test_hostile_report_stays_inert(page: Any, base_url: str) -> None:
    page.goto(base_url + "/upload")
    page.set_input_files(
        "#files", files=[{"name": "hostile.txt", "mimeType": "text/plain", "buffer": XSS_REPORT.encode()}]
    )
    page.click("form.upload-form button[type=submit]")
    page.wait_for_selector("#values-h")
    assert "<script>alert(1)</script>" in page.locator("#field-ki67_percent mark.line").inner_text()
    assert page.js_dialogs == []


def test_sources_and_phone_layout(browser: Any, base_url: str) -> None:
    context = browser.new_context(viewport={"width": 390, "height": 844}, is_mobile=True)
    pg = context.new_page()
    try:
        pg.goto(base_url + "/sources")
        assert pg.is_visible("h1:has-text('Sources')")
        _shot(pg, "sources-phone.png")
        _ask(pg, base_url, QUESTION)
        width = pg.evaluate("document.documentElement.scrollWidth")
        assert width <= 390, f"page scrolls sideways on a phone ({width}px)"
        _shot(pg, "ask-answer-phone.png")
    finally:
        context.close()

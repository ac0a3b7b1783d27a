"""Saved cases in headless Chromium against live uvicorn servers on one data home: create and name a case,
reopen it after a server restart, add a second report, correct a value, see the timeline plot, download
the visit summary PDF, and use the case page at phone width."""

from __future__ import annotations

import io
import socket
import threading
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from tests.api.helpers import copy_home
from tests.casebook.reports import FIRST, SECOND

CHROMIUM = Path("/usr/bin/chromium")
ARTIFACTS = Path(__file__).resolve().parents[2] / "test-artifacts"
NAME = "Dad – pancreatic NET"
pytestmark = [
    pytest.mark.browser,
    pytest.mark.skipif(
        not CHROMIUM.exists(),
        reason="Debian chromium not installed at /usr/bin/chromium (run `make browser-deps` as root)",
    ),
]


class Server:
    """One uvicorn server in a thread; stop() and start again on the same home = a restart."""

    def __init__(self, home: Path) -> None:
        self.home = home
        with socket.socket() as s:
            s.bind(("127.0.0.1", 0))
            self.port: int = s.getsockname()[1]
        self.url = f"http://127.0.0.1:{self.port}"
        self._server: Any = None
        self._thread: threading.Thread | None = None

    def start(self) -> None:
        import uvicorn

        from netnav.app import create_app

        config = uvicorn.Config(
            create_app(self.home), host="127.0.0.1", port=self.port, log_level="warning", access_log=False
        )
        self._server = uvicorn.Server(config)
        self._thread = threading.Thread(target=self._server.run, daemon=True)
        self._thread.start()
        for _ in range(900):
            if self._server.started or not self._thread.is_alive():
                break
            time.sleep(0.1)
        assert self._server.started, "uvicorn did not start"

    def stop(self) -> None:
        self._server.should_exit = True
        assert self._thread is not None
        self._thread.join(timeout=30)


@pytest.fixture(scope="module")
def server(built_home: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Server]:
    srv = Server(copy_home(built_home, tmp_path_factory.mktemp("browser-cases") / "home"))
    srv.start()
    yield srv
    srv.stop()


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


def _shot(page: Any, name: str, full_page: bool = True) -> None:
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / name), full_page=full_page)


def _report(name: str, text: str) -> dict[str, object]:
    return {"name": name, "mimeType": "text/plain", "buffer": text.encode()}


def test_case_over_time_in_the_browser(browser: Any, server: Server) -> None:
    context = browser.new_context(viewport={"width": 1100, "height": 900}, accept_downloads=True)
    page = context.new_page()
    try:
        page.goto(server.url + "/my-cases")
        page.fill("#case-name", NAME)
        page.set_input_files("#case-files", files=[_report("path-2024.txt", FIRST)])
        with page.expect_navigation(timeout=120_000):
            page.click("form.new-case-form button[type=submit]")
        page.wait_for_selector("#values-h")
        assert page.inner_text("#case-title") == NAME
        case_url = page.url.split("#")[0].split("?")[0]
        assert page.locator("#field-ki67_percent td.value").inner_text().strip().startswith("12%")

        server.stop()  # restart the server: the case must still be there
        server.start()
        page.goto(server.url + "/my-cases")
        page.click(f"text={NAME}")
        page.wait_for_selector("#values-h")
        assert page.url.split("#")[0].split("?")[0] == case_url

        page.set_input_files("#add-files", files=[_report("liver-2025.txt", SECOND)])
        start = time.perf_counter()
        with page.expect_navigation(timeout=120_000):  # read as a job: progress shown, then the case reloads
            page.click("form.add-report-form button[type=submit]")
            page.locator(".add-report-form .job").wait_for(state="visible", timeout=5_000)
            shown = time.perf_counter() - start
            assert shown < 5, f"no progress shown after {shown:.1f} s"
        page.wait_for_selector("#values-h")
        row = page.locator("#field-ki67_percent")
        assert row.locator("td.value").inner_text().strip().startswith("25%")
        assert "Earlier values (1)" in row.inner_text()

        page.fill("#fix-ki67_percent", "22")
        row.locator("form.correct-form button").click()
        page.wait_for_selector("#values-h")
        row = page.locator("#field-ki67_percent")
        assert "22%" in row.locator("td.value").inner_text() and "corrected by you" in row.inner_text()
        assert row.locator("mark.line").inner_text() == "Ki-67 index: 25%"  # the original line, beside it

        plot = page.locator("#timeline-plot")
        plot.scroll_into_view_if_needed()
        for _ in range(100):  # the CSP forbids wait_for_function's eval; poll instead
            if page.evaluate("document.getElementById('timeline-plot').naturalWidth") > 0:
                break
            page.wait_for_timeout(100)
        assert page.evaluate("document.getElementById('timeline-plot').naturalWidth") > 0
        assert page.locator(".timeline-table tbody tr").count() >= 4
        _shot(page, "saved-case.png")
        page.locator("#timeline").screenshot(path=str(ARTIFACTS / "saved-case-timeline.png"))

        with page.expect_download() as info:
            page.click("#summary-pdf")
        pdf_path = info.value.path()
        from pypdf import PdfReader

        reader = PdfReader(io.BytesIO(Path(pdf_path).read_bytes()))
        text = " ".join(reader.pages[0].extract_text().split())
        assert len(reader.pages) == 1
        assert f"Visit summary: {NAME}" in text and "22%" in text and "liver-2025.txt" in text
        page.goto(case_url + "/summary")
        page.emulate_media(media="print")
        assert not page.is_visible("nav")
        _shot(page, "visit-summary-print.png")
    finally:
        context.close()


def test_case_page_on_a_phone(browser: Any, server: Server) -> None:
    context = browser.new_context(viewport={"width": 390, "height": 844}, is_mobile=True)
    page = context.new_page()
    try:
        page.goto(server.url + "/my-cases")
        page.fill("#case-name", "Phone case")
        page.set_input_files("#case-files", files=[_report("r.txt", FIRST)])
        with page.expect_navigation(timeout=120_000):
            page.click("form.new-case-form button[type=submit]")
        page.wait_for_selector("#values-h")
        width = page.evaluate("document.documentElement.scrollWidth")
        assert width <= 390, f"case page scrolls sideways on a phone ({width}px)"
        page.click("#values > summary")  # sections open and close
        assert not page.is_visible("#field-ki67_percent")
        page.click("#values > summary")
        assert page.is_visible("#field-ki67_percent")
        _shot(page, "saved-case-phone.png")
        page.goto(server.url + "/")
        page.fill("#q", "What does a Ki-67 of 15% mean for a pancreatic NET?")
        page.click("form.ask-form button[type=submit]")
        page.wait_for_selector("article.answer")
        page.locator("a.cite").first.click()
        dialog = page.locator("#cite-dialog")
        dialog.wait_for(state="visible")
        box = dialog.bounding_box()
        assert box is not None and box["x"] >= 0 and box["x"] + box["width"] <= 390, box
        assert box["y"] >= 0 and box["y"] + box["height"] <= 844, box
        _shot(page, "citation-dialog-phone.png", full_page=False)
    finally:
        context.close()

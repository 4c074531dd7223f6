"""Browser mode, in a real browser: `connector-inbox serve`, driven by Playwright on Debian's Chromium.

The page draws the terminal into a canvas, so what the app shows is read from the
frames on the page's websocket; that the app really ran is read from the
simulator's request log. `.ci/run` installs Chromium when it is missing.
"""

from __future__ import annotations

import http.server
import os
import re
import shutil
import threading
import time
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from playwright.sync_api import Page, sync_playwright

from inbox_tui.simulator.app import DEMO_ACCESS_TOKEN, DEMO_CLIENT_TOKEN
from tests.conftest import ServedSimulator
from tests.serving import Serving, start_serve, stop

CHROMIUM_FLAGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
ANSI = re.compile(r"\x1b\[[0-9;?]*[A-Za-z]|\x1b\][^\x07]*\x07")


CHROMIUM = shutil.which("chromium")
# CI installs Chromium and sets this, so that there the test can never be skipped.
REQUIRED = os.environ.get("REQUIRE_BROWSER_TEST") == "1"
pytestmark = pytest.mark.skipif(
    CHROMIUM is None and not REQUIRED,
    reason="no Chromium here (apt-get install chromium; .ci/run installs it and requires this test)",
)


@pytest.fixture
def serving(served: ServedSimulator, tmp_path: Path) -> Iterator[Serving]:
    started = start_serve(
        tmp_path,
        "--platform-url", served.url,
        "--client-token", DEMO_CLIENT_TOKEN,
        "--access-token", DEMO_ACCESS_TOKEN,
    )  # fmt: skip
    yield started
    stop(started)


@pytest.fixture
def foreign_site(serving: Serving) -> Iterator[str]:
    """Another local web site, on a port of its own, whose page tries the inbox's websocket."""
    page = f"""<!doctype html><script>
      window.seen = [];
      const socket = new WebSocket("ws://127.0.0.1:{serving.port}/ws?width=80&height=24");
      socket.onopen = () => window.seen.push("open");
      socket.onmessage = () => window.seen.push("frame");
      socket.onerror = () => window.seen.push("error");
      socket.onclose = () => window.seen.push("closed");
    </script>"""

    class Handler(http.server.BaseHTTPRequestHandler):
        def do_GET(self) -> None:
            self.send_response(200)
            self.send_header("Content-Type", "text/html")
            self.end_headers()
            self.wfile.write(page.encode())

        def log_message(self, *args: object) -> None:
            pass

    site = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=site.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{site.server_address[1]}/"
    site.shutdown()


def wait_for(page: Page, condition: Callable[[], bool], what: str, timeout: float = 45) -> None:
    # Waiting through Playwright, which is what lets the page's events (the frames) in.
    deadline = time.monotonic() + timeout
    while not condition():
        if time.monotonic() > deadline:
            raise AssertionError(f"timed out waiting for {what}")
        page.wait_for_timeout(100)


def quiet_count(page: Page, count: Callable[[], int], quiet: float = 1.5, timeout: float = 30) -> int:
    """`count()` once it has not changed for `quiet` seconds."""
    deadline = time.monotonic() + timeout
    last, since = count(), time.monotonic()
    while time.monotonic() - since < quiet:
        if time.monotonic() > deadline:
            raise AssertionError("the inbox kept asking the platform")
        page.wait_for_timeout(100)
        if count() != last:
            last, since = count(), time.monotonic()
    return last


def test_the_inbox_runs_in_a_browser_tab_and_takes_keys_and_no_other_site_reaches_it(
    served: ServedSimulator, serving: Serving, foreign_site: str
) -> None:
    assert CHROMIUM, "Debian's chromium package is needed: apt-get install chromium (.ci/run does it)"
    newest = served.simulator.store.all_newest_first()[0].subject
    frames: list[str] = []

    def screen_text() -> str:
        return ANSI.sub("", "".join(frames))

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_FLAGS)
        try:
            context = browser.new_context(viewport={"width": 1400, "height": 900})
            page = context.new_page()
            page.on(
                "websocket",
                lambda socket_: socket_.on(
                    "framereceived",
                    lambda payload: frames.append(
                        payload.decode("utf-8", "replace") if isinstance(payload, bytes) else payload
                    ),
                ),
            )
            page.goto(serving.url, wait_until="commit")
            wait_for(page, lambda: newest[:18] in screen_text(), f"the newest subject {newest!r}")
            assert served.simulator.requests_to("getAll"), "the inbox in the page asked the platform"
            frames.clear()
            page.mouse.click(700, 450)  # the terminal takes the focus, as a reader's first click does
            page.keyboard.press("n")
            wait_for(page, lambda: "New thread" in screen_text() and "Sender" in screen_text(), "the form")
            assert "token=" not in page.url

            # In the same browser, which holds the inbox's cookie: another site's page. Counted once
            # the inbox's own page has stopped asking (its first page may have come from its head
            # start, before it connected and confirmed it).
            asked = quiet_count(page, lambda: len(served.simulator.requests_to("getAll")))
            other = context.new_page()
            other.goto(foreign_site)
            wait_for(other, lambda: "closed" in other.evaluate("window.seen"), "the foreign socket to end")
            assert other.evaluate("window.seen") == ["error", "closed"]
            # Each socket served is an inbox of its own, which would ask for its threads: none was
            # started for the other site. (The inbox's own page keeps drawing, its cursor blinks.)
            other.wait_for_timeout(1500)
            assert len(served.simulator.requests_to("getAll")) == asked
        finally:
            browser.close()

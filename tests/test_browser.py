"""Browser mode, in a real browser: `connector-inbox serve`, driven by Playwright on Debian's Chromium.

The page draws the terminal into a canvas, so what the app shows is read from the
frames on the page's websocket; that the app really ran is read from the
simulator's request log. `.ci/run` installs Chromium when it is missing.
"""

from __future__ import annotations

import os
import re
import shutil
import socket
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from playwright.sync_api import Page, sync_playwright

from inbox_tui.simulator.app import DEMO_ACCESS_TOKEN, DEMO_CLIENT_TOKEN
from tests.conftest import ServedSimulator

ROOT = Path(__file__).resolve().parent.parent
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


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


@pytest.fixture
def serving(served: ServedSimulator, tmp_path: Path) -> Iterator[str]:
    port = free_port()
    environment = {
        name: value for name, value in os.environ.items() if not name.startswith("CONNECTOR_INBOX_")
    }
    for folder in ("XDG_CONFIG_HOME", "XDG_STATE_HOME", "XDG_CACHE_HOME"):
        environment[folder] = str(tmp_path / folder)
    command = [
        sys.executable, "-m", "inbox_tui", "serve", "--port", str(port), "--no-cache",
        "--platform-url", served.url,
        "--client-token", DEMO_CLIENT_TOKEN,
        "--access-token", DEMO_ACCESS_TOKEN,
    ]  # fmt: skip
    server = subprocess.Popen(
        command, cwd=ROOT, env=environment, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE
    )
    try:
        deadline = time.monotonic() + 60
        while True:
            try:
                socket.create_connection(("127.0.0.1", port), timeout=0.2).close()
                break
            except OSError:
                if time.monotonic() > deadline or server.poll() is not None:
                    raise RuntimeError("connector-inbox serve did not start") from None
                time.sleep(0.1)
        yield f"http://127.0.0.1:{port}/"
    finally:
        server.terminate()
        server.wait(10)


def wait_for(page: Page, condition: Callable[[], bool], what: str, timeout: float = 45) -> None:
    # Waiting through Playwright, which is what lets the page's events (the frames) in.
    deadline = time.monotonic() + timeout
    while not condition():
        if time.monotonic() > deadline:
            raise AssertionError(f"timed out waiting for {what}")
        page.wait_for_timeout(100)


def test_the_inbox_runs_in_a_browser_tab_and_takes_keys(served: ServedSimulator, serving: str) -> None:
    chromium = shutil.which("chromium")
    assert chromium, "Debian's chromium package is needed: apt-get install chromium (.ci/run does it)"
    newest = served.simulator.store.all_newest_first()[0].subject
    frames: list[str] = []

    def screen_text() -> str:
        return ANSI.sub("", "".join(frames))

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=chromium, args=CHROMIUM_FLAGS)
        try:
            page = browser.new_page(viewport={"width": 1400, "height": 900})
            page.on(
                "websocket",
                lambda socket_: socket_.on(
                    "framereceived",
                    lambda payload: frames.append(
                        payload.decode("utf-8", "replace") if isinstance(payload, bytes) else payload
                    ),
                ),
            )
            page.goto(serving, wait_until="commit")
            wait_for(page, lambda: newest[:18] in screen_text(), f"the newest subject {newest!r}")
            assert served.simulator.requests_to("getAll"), "the inbox in the page asked the platform"
            frames.clear()
            page.mouse.click(700, 450)  # the terminal takes the focus, as a reader's first click does
            page.keyboard.press("n")
            wait_for(page, lambda: "New thread" in screen_text() and "Sender" in screen_text(), "the form")
        finally:
            browser.close()

"""`connector-inbox serve` lets in the holder of its secret, from its own page only.

Against a real `serve` process on loopback (demo mode): requests without the secret,
with a foreign Host or a foreign Origin get no frame of the app; the printed URL
sets the cookie that lets the page's websocket in; the tabs are bounded and a closed
tab leaves no inbox process behind; the secret is printed once and on no command line.
"""

from __future__ import annotations

import asyncio
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import aiohttp
import pytest

from tests.serving import ROOT, Serving, descendants, start_serve, stop

pytestmark = pytest.mark.skipif(sys.platform != "linux", reason="reads /proc for the processes")


@pytest.fixture
def serving(tmp_path: Path) -> Iterator[Serving]:
    started = start_serve(tmp_path, "--demo", "--max-sessions", "2")
    yield started
    stop(started)


async def open_app(
    serving: Serving,
    *,
    origin: str | None = None,
    cookies: dict[str, str] | None = None,
    until: str | None = "connector-inbox",
) -> str:
    """Open the page's websocket as a browser would; what the app drew, or 'refused STATUS'."""
    headers = {"Origin": origin if origin is not None else serving.origin}
    async with aiohttp.ClientSession(cookies=cookies if cookies is not None else serving.cookie) as session:
        try:
            async with session.ws_connect(f"{serving.origin}/ws?width=100&height=30", headers=headers) as ws:
                return await drawn_until(ws, until)
        except aiohttp.WSServerHandshakeError as refused:
            return f"refused {refused.status}"


async def drawn_until(ws: aiohttp.ClientWebSocketResponse, until: str | None) -> str:
    """What the app drew until `until` showed (nothing awaited when None) or the socket closed."""
    drawn = ""
    deadline = time.monotonic() + 60
    while until is not None and until not in drawn:
        message = await asyncio.wait_for(ws.receive(), max(0.1, deadline - time.monotonic()))
        if message.type == aiohttp.WSMsgType.BINARY:
            drawn += message.data.decode("utf-8", "replace")
        elif message.type != aiohttp.WSMsgType.TEXT:
            break
    return drawn


async def inbox_processes_after_they_quit(serving: Serving) -> list[int]:
    """The processes left below `serve` once a closed tab's inbox had time to quit (seconds)."""
    deadline = time.monotonic() + 30
    while descendants(serving.process.pid) and time.monotonic() < deadline:
        await asyncio.sleep(0.1)
    return descendants(serving.process.pid)


async def fetch(serving: Serving, path: str, **options: object) -> aiohttp.ClientResponse:
    async with (
        aiohttp.ClientSession() as session,
        session.get(f"{serving.origin}{path}", allow_redirects=False, **options) as response,  # type: ignore[arg-type]
    ):
        await response.read()
        return response


async def test_the_printed_url_sets_the_cookie_that_lets_the_page_and_its_websocket_in(
    serving: Serving,
) -> None:
    opened = await fetch(serving, serving.url.removeprefix(serving.origin) + "&fontsize=14")
    assert opened.status == 302
    assert opened.headers["Location"] == "/?fontsize=14"  # the token leaves the address bar
    cookie = opened.cookies[f"connector-inbox-{serving.port}"]
    assert cookie.value == serving.secret
    assert cookie["httponly"] and cookie["samesite"] == "Strict" and cookie["path"] == "/"
    page = await fetch(serving, "/", cookies=serving.cookie)
    assert page.status == 200
    assert "connector-inbox" in await open_app(serving)


async def test_without_the_secret_nothing_but_the_static_files_is_served(serving: Serving) -> None:
    assert (await fetch(serving, "/")).status == 403
    assert (await fetch(serving, "/?token=not-the-secret")).status == 403
    assert (await fetch(serving, "/", cookies={f"connector-inbox-{serving.port}": "guess"})).status == 403
    assert await open_app(serving, cookies={}) == "refused 403"
    assert (await fetch(serving, "/static/css/xterm.css")).status == 200


async def test_a_foreign_origin_gets_no_frame_even_with_the_cookie(serving: Serving) -> None:
    assert await open_app(serving, origin="https://evil.example") == "refused 403"
    assert await open_app(serving, origin=f"http://localhost:{serving.port + 1}") == "refused 403"
    assert await open_app(serving, origin="null") == "refused 403"


async def test_a_foreign_host_is_refused_as_dns_rebinding_would_send_it(serving: Serving) -> None:
    rebinding = {"Host": f"evil.example:{serving.port}"}
    assert (await fetch(serving, f"/?token={serving.secret}", headers=rebinding)).status == 421
    assert (await fetch(serving, "/", headers=rebinding, cookies=serving.cookie)).status == 421
    local = {"Host": f"localhost:{serving.port}"}
    assert (await fetch(serving, "/", headers=local, cookies=serving.cookie)).status == 200


async def test_tabs_beyond_the_limit_get_a_page_saying_so_and_closed_tabs_free_their_process(
    serving: Serving,
) -> None:
    async def hold(until_closed: asyncio.Event) -> None:
        async with (
            aiohttp.ClientSession(cookies=serving.cookie) as session,
            session.ws_connect(f"{serving.origin}/ws", headers={"Origin": serving.origin}) as ws,
        ):
            await ws.receive()  # the app is running
            await until_closed.wait()

    close = asyncio.Event()
    tabs = [asyncio.create_task(hold(close)) for _ in range(2)]
    deadline = time.monotonic() + 60
    while len(descendants(serving.process.pid)) < 2:
        assert time.monotonic() < deadline, "the two tabs' inboxes never started"
        await asyncio.sleep(0.05)
    await asyncio.sleep(0.5)
    full = await fetch(serving, "/", cookies=serving.cookie)
    assert full.status == 503
    assert await open_app(serving) == "refused 503"
    close.set()
    await asyncio.gather(*tabs)
    deadline = time.monotonic() + 30  # the closed tabs' inboxes quit, then their places are free
    while (await fetch(serving, "/", cookies=serving.cookie)).status == 503 and time.monotonic() < deadline:
        await asyncio.sleep(0.1)
    assert (await fetch(serving, "/", cookies=serving.cookie)).status == 200
    assert await inbox_processes_after_they_quit(serving) == []


async def test_fifty_tabs_opened_and_closed_leave_no_inbox_process(serving: Serving) -> None:
    for cycle in range(50):
        # Every tenth tab waits for the app to draw; the others close while it starts.
        await open_app(serving, until="connector-inbox" if cycle % 10 == 0 else None)
    assert await inbox_processes_after_they_quit(serving) == []


async def test_the_secret_is_printed_once_and_on_no_command_line_or_inbox_environment(
    serving: Serving,
) -> None:
    async with (
        aiohttp.ClientSession(cookies=serving.cookie) as session,
        session.ws_connect(f"{serving.origin}/ws", headers={"Origin": serving.origin}) as ws,
    ):
        # The tab stays open while /proc is read: a closed tab's inbox may be gone mid-read.
        assert "connector-inbox" in await drawn_until(ws, "connector-inbox")
        inboxes = descendants(serving.process.pid)
        assert inboxes
        for pid in [serving.process.pid, *inboxes]:
            assert serving.secret not in Path(f"/proc/{pid}/cmdline").read_text()
        for pid in inboxes:
            assert serving.secret not in Path(f"/proc/{pid}/environ").read_bytes().decode(errors="replace")
    assert serving.stderr().count(serving.secret) == 1


def test_a_chosen_secret_comes_from_a_file_or_the_environment(tmp_path: Path) -> None:
    chosen = "a-chosen-secret-of-enough-length-1234"
    (tmp_path / "secret").write_text(chosen + "\n")
    from_file = start_serve(tmp_path, "--demo", "--token-file", str(tmp_path / "secret"))
    stop(from_file)
    assert from_file.secret == chosen
    from_environment = start_serve(tmp_path, "--demo", environment={"CONNECTOR_INBOX_SERVE_TOKEN": chosen})
    stop(from_environment)
    assert from_environment.secret == chosen


def test_a_short_chosen_secret_is_refused(tmp_path: Path) -> None:
    (tmp_path / "secret").write_text("short")
    refused = subprocess.run(
        [sys.executable, "-m", "inbox_tui", "serve", "--demo", "--token-file", str(tmp_path / "secret")],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert refused.returncode == 2
    assert "at least 22 printable ASCII characters" in refused.stderr


def test_a_host_other_than_loopback_needs_allow_remote(capsys: pytest.CaptureFixture[str]) -> None:
    from inbox_tui.__main__ import main

    assert main(["serve", "--demo", "--host", "0.0.0.0"]) == 2
    assert "--allow-remote" in capsys.readouterr().err

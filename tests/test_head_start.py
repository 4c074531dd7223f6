"""The head start: a cold start's first page, fetched by a second process while Textual starts.

The fork is tested in a process of its own (a test process has threads, and the head
start never forks beside one); the inbox's side is driven with a page in hand.
"""

from __future__ import annotations

import json
import subprocess
import sys
from concurrent.futures import Future
from datetime import UTC, datetime
from pathlib import Path

import pytest

from inbox_tui.api.walk import WalkSettings
from inbox_tui.cli import build_parser
from inbox_tui.cli.session import cache_file_exists, connect, invocation, open_cache
from inbox_tui.inbox.rows import CachedThread, is_cached
from inbox_tui.inbox.views import Walks
from inbox_tui.simulator.app import Simulator
from inbox_tui.tui.widgets.status_bar import StatusBar
from inbox_tui.tui.widgets.thread_list import ThreadList
from tests.conftest import ServedSimulator, make_app, make_client, platform_flags, settle

ANCHOR = datetime(2026, 11, 30, 12, 0, tzinfo=UTC)
SIZE = (120, 30)


def head_start_in_a_process(*flags: str) -> list[list[object]]:
    """What `first_page_of` hands over, run where it forks: the main thread of a new process."""
    script = f"""
import json
from datetime import datetime
from inbox_tui.cli import build_parser
from inbox_tui.cli.head_start import first_page_of
from inbox_tui.cli.session import invocation

found = invocation(build_parser().parse_args({list(flags)!r}), tighten_folders=False)
rows = first_page_of(found, datetime.fromisoformat({ANCHOR.isoformat()!r}))
assert rows is not None, "no fork"
print(json.dumps([[row.Id, row.Subject, row.CreatedUtc.isoformat()] for row in rows.result(timeout=30)]))
"""
    done = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, timeout=60)
    assert done.returncode == 0, done.stderr
    return json.loads(done.stdout)  # type: ignore[no-any-return]


async def first_page(client_settings: list[str]) -> list[list[object]]:
    """The first page the inbox itself asks for, with the same settings and demo history."""
    found = invocation(build_parser().parse_args(client_settings), tighten_folders=False)
    settings = found.settings()
    async with connect(settings, demo_anchor=ANCHOR) as client:
        walk = WalkSettings(page_size=settings.page_size)
        page = await Walks(client, walk).history().next_page()
    return [[thread.Id, thread.Subject, thread.CreatedUtc.isoformat()] for thread in page]


async def test_in_demo_mode_the_head_start_fetches_the_page_the_inbox_would(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    """Two simulators seeded with the same end of history hold the same threads, so the rows
    the child painted are the ones the inbox's own simulator then confirms."""
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path))
    flags = ["--demo", "--no-cache", "--page-size", "40"]
    fetched = head_start_in_a_process(*flags)
    assert len(fetched) == 40
    assert fetched == await first_page(flags)


def test_against_a_platform_the_head_start_fetches_its_first_page(
    served: ServedSimulator, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path))
    fetched = head_start_in_a_process(*platform_flags(served), "--no-cache", "--page-size", "25")
    newest = served.simulator.store.all_newest_first()[:25]
    assert [row[0] for row in fetched] == [thread.id for thread in newest]
    assert len(served.simulator.requests_to("getAll")) == 1


def test_a_head_start_that_fails_hands_over_nothing_and_says_nothing(
    served: ServedSimulator, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    """Refused credentials: the inbox's own connection will say so; the child's stderr would
    land on the inbox's screen."""
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path))
    flags = [*platform_flags(served), "--no-cache"]
    flags[flags.index("--access-token") + 1] = "WRONG-TOKEN"
    assert head_start_in_a_process(*flags) == []


@pytest.mark.parametrize("handed_over", [True, False], ids=["page", "nothing"])
async def test_the_inbox_paints_the_head_starts_rows_before_connecting_then_confirms_them(
    simulator: Simulator, handed_over: bool
) -> None:
    async with make_client(simulator) as client:
        page = await Walks(client, WalkSettings(page_size=50)).history().next_page()
    rows = [CachedThread(t.Id, t.OriginalSender, t.Subject, t.CreatedUtc, t.UpdatedUtc) for t in page]
    fetched: Future[list[CachedThread]] = Future()
    fetched.set_result(rows if handed_over else [])
    app = make_app(simulator, first_page=fetched)
    connect, shown_when_connecting = app._connect, []

    def connect_and_note() -> object:
        shown_when_connecting.append(len(app.screen.query_one(ThreadList).threads))
        return connect()

    app._connect = connect_and_note  # type: ignore[method-assign]
    simulator.log.clear()
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        threads = app.screen.query_one(ThreadList).threads
        assert shown_when_connecting == [50 if handed_over else 0]
        ids = [thread.Id for thread in threads]
        assert len(ids) == len(set(ids)) >= 50
        assert ids[:50] == [row.Id for row in rows]
        assert not any(is_cached(thread) for thread in threads)  # the platform confirmed each
        assert "fetched while starting" not in str(app.screen.query_one(StatusBar).render())


def test_a_first_run_has_no_cache_file_yet_so_its_start_gets_a_head_start(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Looked up before the cache is opened: opening a new cache starts its writer thread, and
    the head start never forks beside a thread."""
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path / "config"))
    early = invocation(build_parser().parse_args(["--demo"]), tighten_folders=False).early
    assert not cache_file_exists(early)
    open_cache(early).close()
    assert cache_file_exists(early)

"""The real InboxApp, headless, on an empty simulator, ready to be filled with threads."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

from textual.pilot import Pilot

from bench._common import NOW
from inbox_tui.__main__ import simulator_client
from inbox_tui.api.client import ConnectorClient
from inbox_tui.api.pager import ThreadPager
from inbox_tui.simulator.app import Simulator
from inbox_tui.tui.app import InboxApp
from inbox_tui.tui.widgets.thread_list import ThreadList

SIZE = (120, 40)


def client_for(simulator: Simulator) -> ConnectorClient:
    return simulator_client(simulator, "bench")


def app_for(simulator: Simulator, page_size: int = 100) -> InboxApp:
    client = client_for(simulator)
    return InboxApp(
        client,
        lambda: ThreadPager(client, page_size=page_size, now=lambda: NOW),
        environment="bench",
        page_size=page_size,
        now=lambda: NOW,
    )


@asynccontextmanager
async def empty_inbox() -> AsyncIterator[tuple[Pilot[None], ThreadList]]:
    """An inbox whose history is empty (and exhausted), so only what the bench adds is shown."""
    app = app_for(Simulator.seeded(threads=0, now=NOW))
    async with app.run_test(size=SIZE) as pilot:
        for _ in range(3):
            await pilot.pause()
            await app.workers.wait_for_complete()
        yield pilot, app.screen.query_one(ThreadList)

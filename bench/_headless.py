"""The real InboxApp, headless, on an empty simulator, ready to be filled with threads."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

from textual.pilot import Pilot

from bench._common import NOW
from inbox_tui.simulator.app import Simulator
from inbox_tui.testing import frozen_inbox, settle
from inbox_tui.tui.widgets.thread_list import ThreadList

SIZE = (120, 40)


@asynccontextmanager
async def empty_inbox() -> AsyncIterator[tuple[Pilot[None], ThreadList]]:
    """An inbox whose history is empty (and exhausted), so only what the bench adds is shown."""
    app = frozen_inbox(Simulator.seeded(threads=0, now=NOW), now=NOW, environment="bench")
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        yield pilot, app.screen.query_one(ThreadList)

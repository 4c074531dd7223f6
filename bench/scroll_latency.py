"""Holding `down` at 20 rows per second while the simulator answers after 200 ms.

    uv run python bench/scroll_latency.py

Counts the time the highlight sat on the last loaded row waiting for a page.
Goal: 0 (the inbox prefetches ahead of the reader).
"""

from __future__ import annotations

import asyncio
import time

from _common import NOW, verdict

from bench._headless import SIZE
from inbox_tui.simulator.app import Simulator
from inbox_tui.testing import frozen_inbox
from inbox_tui.tui.widgets.thread_list import ThreadList

ROWS_PER_SECOND = 20
PRESSES = 400
LATENCY = 0.2
PAGE_SIZE = 50


async def main() -> None:
    simulator = Simulator.seeded(threads=3000, seed=7, now=NOW)
    simulator.faults.latency = LATENCY
    app = frozen_inbox(simulator, page_size=PAGE_SIZE, now=NOW)
    waiting = 0.0
    async with app.run_test(size=SIZE):
        while not app.screen.query(ThreadList) or not app.screen.query_one(ThreadList).threads:
            await asyncio.sleep(0.01)
        thread_list = app.screen.query_one(ThreadList)
        interval = 1 / ROWS_PER_SECOND
        started = time.perf_counter()
        for press in range(PRESSES):
            await asyncio.sleep(max(0.0, started + press * interval - time.perf_counter()))
            stuck_since = time.perf_counter()
            while thread_list.cursor >= len(thread_list.threads) - 1:
                await asyncio.sleep(0.005)  # the reader is at the loaded end, waiting
            if time.perf_counter() - stuck_since > 0.005:
                waiting += time.perf_counter() - stuck_since
            thread_list.action_cursor_down()
        loaded = len(thread_list.threads)
    requests = len(simulator.requests_to("getAll"))
    print(
        f"{PRESSES} rows at {ROWS_PER_SECOND}/s, answers after {LATENCY * 1000:.0f} ms, pages of {PAGE_SIZE}"
    )
    print(f"loaded {loaded:,} threads in {requests} requests")
    print(f"time the highlight waited on a page: {waiting * 1000:.0f} ms (goal 0, {verdict(waiting, 0)})")


if __name__ == "__main__":
    asyncio.run(main())

"""Requests per cursor while scrolling, refreshing and exporting.

    uv run python bench/requests.py

A "cursor" here is one (time window, Cursor) pair: asking for it twice means a
page was fetched twice. Goal: exactly 1 request per cursor in every flow.
"""

from __future__ import annotations

import asyncio
import io
import json

from _common import NOW, verdict

from bench._headless import SIZE
from inbox_tui.api.pager import ThreadPager
from inbox_tui.api.walk import WalkSettings
from inbox_tui.cli.session import simulator_client
from inbox_tui.export import export_threads
from inbox_tui.simulator.app import Simulator
from inbox_tui.testing import frozen_inbox, settle
from inbox_tui.tui.widgets.thread_list import ThreadList


def per_cursor(simulator: Simulator, since: int = 0) -> tuple[int, float]:
    keys = [
        json.dumps([entry.body.get("CreatedUtc"), entry.body["Limitation"].get("Cursor")])
        for entry in simulator.requests_to("getAll")[since:]
    ]
    return len(keys), len(keys) / len(set(keys))


async def scroll_and_refresh() -> tuple[tuple[int, float], tuple[int, float], tuple[int, float]]:
    simulator = Simulator.seeded(threads=2000, seed=7, now=NOW)
    app = frozen_inbox(simulator, page_size=50, now=NOW)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        thread_list = app.screen.query_one(ThreadList)
        for _ in range(60):
            await pilot.press("pagedown", "pagedown", "end", "down")
            await settle(pilot)
        assert len(thread_list.threads) == 2000, len(thread_list.threads)
        scrolled = per_cursor(simulator)
        before_refresh = len(simulator.requests_to("getAll"))
        await pilot.press("r")  # the highlight is on the last of the 2,000 rows
        await settle(pilot)
        refreshed_deep = per_cursor(simulator, since=before_refresh)
        before_refresh = len(simulator.requests_to("getAll"))
        await pilot.press("home", *["down"] * 30, "r")
        await settle(pilot)
        refreshed = per_cursor(simulator, since=before_refresh)
    return scrolled, refreshed_deep, refreshed


async def export() -> tuple[int, float]:
    simulator = Simulator.seeded(threads=5000, seed=7, now=NOW)
    async with simulator_client(simulator, "bench") as client:
        await export_threads(
            ThreadPager(client, WalkSettings(page_size=1000, now=lambda: NOW)), io.StringIO()
        )
    return per_cursor(simulator)


async def polls() -> tuple[int, float, float]:
    """Requests of the activity walk's first look (it also reads the messages of threads written
    in the overlap before it began, to remember them), then per poll: when nothing changed, and
    when a thread did."""
    from datetime import timedelta

    from inbox_tui.inbox.activity import ActivityState, ActivityWalk
    from inbox_tui.simulator.conversations import STAFF

    simulator = Simulator.seeded(threads=3000, seed=7, now=NOW)
    clock = [NOW]
    simulator.clock = lambda: clock[0]
    old = simulator.store.all_newest_first()[-1]  # two years old
    async with simulator_client(simulator, "bench") as client:
        walk = ActivityWalk(client, ActivityState(NOW), lambda: clock[0])
        await walk.poll()
        first_look = len(simulator.log)
        quiet = changed = 0
        for poll in range(40):
            clock[0] += timedelta(minutes=1)
            if poll % 2:
                simulator.messages.add(old, f"news {poll}", clock[0], sender=STAFF)
            before = len(simulator.log)
            await walk.poll()
            if poll % 2:
                changed += len(simulator.log) - before
            else:
                quiet += len(simulator.log) - before
    return first_look, quiet / 20, changed / 20


async def main() -> None:
    first_look, quiet, changed = await polls()
    print(f"the activity walk's first look: {first_look} requests")
    print(f"requests per poll: {quiet:.2f} if nothing changed (goal 1), {changed:.2f} if one did (goal 2)")
    scrolled, refreshed_deep, refreshed = await scroll_and_refresh()
    exported = await export()
    worst = 1.0
    for flow, (requests, ratio) in (
        ("scroll through 2,000 threads, pages of 50", scrolled),
        ("refresh keeping the highlight on row 2,000 (pages double)", refreshed_deep),
        ("refresh keeping the highlight on row 30", refreshed),
        ("export 5,000 threads over two years, pages of 1000", exported),
    ):
        print(f"{flow}: {requests} requests, {ratio:.2f} per cursor")
        worst = max(worst, ratio)
    print(f"requests per cursor, worst flow: {worst:.2f} (goal exactly 1, {verdict(worst, 1)})")


if __name__ == "__main__":
    asyncio.run(main())

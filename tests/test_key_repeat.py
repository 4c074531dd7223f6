"""Holding `down`: the highlight keeps up with a key repeat of 30 keys a second."""

from __future__ import annotations

import asyncio
import time

from textual import events

from inbox_tui.simulator.app import Simulator
from inbox_tui.tui.widgets.thread_list import ThreadList
from tests.conftest import FROZEN_NOW, make_app, settle

KEYS_A_SECOND = 30
HELD_FOR = 5.0
CAUGHT_UP_WITHIN = 0.5


async def test_holding_down_for_five_seconds_leaves_no_backlog_of_keys() -> None:
    """How it is measured: 150 `down` key events are posted to the app 33 ms apart, as a
    terminal's key repeat sends them, without waiting for any to be handled (Pilot's
    `press` would wait). Once the last one is posted, the highlight must reach row 150
    within half a second: a backlog would take longer to drain."""
    app = make_app(Simulator.seeded(threads=600, seed=2, now=FROZEN_NOW), page_size=100)
    async with app.run_test(size=(120, 30)) as pilot:
        await settle(pilot)
        thread_list = app.screen.query_one(ThreadList)
        keys = int(KEYS_A_SECOND * HELD_FOR)
        for _ in range(keys):
            app.post_message(events.Key("down", None))
            await asyncio.sleep(1 / KEYS_A_SECOND)
        released = time.monotonic()
        while thread_list.cursor < keys and time.monotonic() - released < 5:
            await asyncio.sleep(0.005)
        caught_up_after = time.monotonic() - released
        assert thread_list.cursor == keys
        assert caught_up_after < CAUGHT_UP_WITHIN

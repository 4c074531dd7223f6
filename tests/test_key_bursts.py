"""Random bursts of keys, delivered as a terminal delivers keys typed fast, never break the app.

Sending such bursts to the inbox in tmux found three crashes the flow tests had not: keys typed
with `q` acting on a screen being taken down, `enter` twice in the palette, and a page key
with `ctrl+p` (the last two in Textual's palette). Each burst is posted at once, as the driver
posts what one read of the terminal holds, so keys reach screens that are opening or closing.
"""

from __future__ import annotations

import asyncio
from pathlib import Path

import pytest
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st
from textual import events

from inbox_tui.inbox.thread_cache import ThreadCache
from inbox_tui.simulator.app import Simulator
from tests.conftest import FROZEN_NOW, make_app, settle

TYPED = {"slash": "/", "question_mark": "?", "space": " ", **{key: key for key in "nRrfovuUmMsyaxd7"}}
"""Keys that type a character (every binding of the list among them), and what they type."""
PRESSED = ["tab", "shift+tab", "escape", "enter", "ctrl+s", "ctrl+l", "ctrl+p", "down", "up", "pageup"]
PRESSED += ["pagedown", "home", "end", "backspace"]
KEYS = [*TYPED, *PRESSED]

bursts = st.lists(
    st.tuples(st.lists(st.sampled_from(KEYS), min_size=1, max_size=6), st.sampled_from([0, 0.02, 0.1])),
    min_size=4,
    max_size=16,
)


@settings(max_examples=8, deadline=None, derandomize=True, suppress_health_check=[HealthCheck.too_slow])
@given(bursts=bursts)
@example(bursts=[(["q", "u", "e", "s"], 0)])  # the crashes the bursts in tmux found, kept
@example(bursts=[(["ctrl+p", "down", "pageup"], 0)])
@example(bursts=[(["ctrl+p"], 0.1), (["enter", "enter"], 0)])
def test_random_bursts_of_keys_leave_the_app_running(
    tmp_path_factory: pytest.TempPathFactory, bursts: list[tuple[list[str], float]]
) -> None:
    asyncio.run(_press(tmp_path_factory.mktemp("bursts"), bursts))


async def _press(folder: Path, bursts: list[tuple[list[str], float]]) -> None:
    app = make_app(
        Simulator.seeded(threads=40, now=FROZEN_NOW), cache=ThreadCache.open(folder, "http://t", "t")
    )
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        for keys, pause in bursts:
            for key in keys:
                app.post_message(events.Key(key, TYPED.get(key)))
            await pilot.pause(pause)
            if app.return_code is not None:  # the palette's Quit, chosen by chance
                break
        await settle(pilot)  # the keys still queued are the running app's, not its shutdown's
    assert app.return_code in (None, 0)

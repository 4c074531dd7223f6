"""Conversations: requests while reading down the list, highlight-to-messages time, cache memory.

    uv run python bench/conversations.py

1. Requests per 100 rows: `down` 100 times, stopping on each row longer than the
   debounce (reading), then the same rows with `down` held at 25 rows/s.
2. Highlight to messages painted, the simulator answering after 200 ms: a jump to
   a thread nobody asked for (floor: the debounce + one round trip) and a step to
   a neighbour (goal: no wait, it was prefetched).
3. Memory per 10,000 messages held in the conversation cache, parsed from JSON
   pages exactly as the client parses them.
"""

from __future__ import annotations

import asyncio
import gc
import json
import time
import tracemalloc

from _common import NOW, median, verdict

from bench._headless import SIZE
from inbox_tui.api.models import GetMessagesResponse
from inbox_tui.inbox.conversations import Conversation, ConversationCache
from inbox_tui.simulator.app import Simulator
from inbox_tui.testing import frozen_inbox, settle
from inbox_tui.tui.app import InboxApp
from inbox_tui.tui.screens.main import MainScreen
from inbox_tui.tui.widgets.conversation_view import ConversationView
from inbox_tui.tui.widgets.thread_detail import ThreadDetail
from inbox_tui.tui.widgets.thread_list import ThreadList

LATENCY = 0.2
ROWS = 100


def message_requests(simulator: Simulator) -> int:
    return len(simulator.requests_to("messages-getAll"))


async def requests_per_100_rows(*, reading: bool) -> int:
    simulator = Simulator.seeded(threads=3000, seed=7, now=NOW)
    app = frozen_inbox(simulator, now=NOW)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        before = message_requests(simulator)
        for _ in range(ROWS):
            await pilot.press("down")
            await asyncio.sleep(MainScreen.HIGHLIGHT_SETTLES_AFTER * 1.5 if reading else 0.04)
            if reading:
                await settle(pilot)
        await settle(pilot)
        return message_requests(simulator) - before


async def time_to_messages(app: InboxApp) -> float:
    # The key's action directly: Pilot.press waits for the app to be idle, requests included.
    detail = app.screen.query_one(ThreadDetail)
    view = app.screen.query_one(ConversationView)
    thread_list = app.screen.query_one(ThreadList)
    started = time.perf_counter()
    thread_list.action_cursor_down()
    target = thread_list.highlighted.Id  # type: ignore[union-attr]
    while not (detail.thread_id == target and view.transcript and target in app.conversations.cache):
        await asyncio.sleep(0.002)
    return time.perf_counter() - started


async def highlight_to_messages() -> tuple[list[float], list[float]]:
    simulator = Simulator.seeded(threads=3000, seed=7, now=NOW)
    simulator.faults.latency = LATENCY
    app = frozen_inbox(simulator, now=NOW, page_size=1000)
    jumps, steps = [], []
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        thread_list = app.screen.query_one(ThreadList)
        for round_ in range(6):
            thread_list.cursor = 150 * (round_ + 1) - 1
            jumps.append(await time_to_messages(app))
            await settle(pilot)
            for _ in range(3):
                steps.append(await time_to_messages(app))
                await settle(pilot)
    return jumps, steps


def memory_per_10000_messages() -> float:
    pages = []
    for thread in range(200):
        messages = [
            {
                "Id": f"{thread:08x}-4e5f-4a6b-8c7d-{index:012x}",
                "MessageThreadId": f"{thread:08x}-0000-4000-8000-000000000000",
                "Text": f"Good morning! Your room will be ready from 14:00. Message {index} of the thread.",
                "Sender": {"Discriminator": "Enterprise" if index % 2 else "Application"},
                "CreatedUtc": "2026-11-20T10:15:30.1234567Z",
            }
            for index in range(50)
        ]
        pages.append(json.dumps({"Messages": messages, "Cursor": messages[-1]["Id"]}).encode())
    gc.collect()
    tracemalloc.start()
    cache = ConversationCache()
    for page in pages:
        response = GetMessagesResponse.model_validate_json(page)
        conversation = Conversation(response.Messages[0].MessageThreadId)
        conversation.add_older(response.Messages, is_complete=True)
        cache.put(conversation)
    gc.collect()
    size, _ = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    assert cache.message_count == 10_000
    return size / 1e6


async def main() -> None:
    reading = await requests_per_100_rows(reading=True)
    held = await requests_per_100_rows(reading=False)
    print(f"messages/getAll requests per {ROWS} rows: {reading} reading row by row, {held} holding down")
    jumps, steps = await highlight_to_messages()
    floor = MainScreen.HIGHLIGHT_SETTLES_AFTER + LATENCY
    jump, step = median(jumps), median(steps)
    print(
        f"highlight to messages painted, answers after {LATENCY * 1000:.0f} ms: "
        f"uncached {jump * 1000:.0f} ms (floor: debounce + one round trip = {floor * 1000:.0f} ms, "
        f"{jump / floor:.2f}x), neighbour {step * 1000:.0f} ms"
    )
    print(f"uncached within one round trip of the debounce: {verdict(jump, floor + LATENCY)}")
    print(f"neighbour shown without waiting for the platform: {verdict(step, LATENCY / 2)}")
    print(f"memory per 10,000 cached messages: {memory_per_10000_messages():.1f} MB")


if __name__ == "__main__":
    asyncio.run(main())

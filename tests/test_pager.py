"""ThreadPager walks the whole history newest first, each thread once, each request once."""

from __future__ import annotations

import asyncio
import json
from datetime import datetime, timedelta

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from inbox_tui.api.errors import ServerError
from inbox_tui.api.pager import CLOCK_SKEW, WINDOW, ThreadPager
from inbox_tui.api.walk import WalkSettings
from inbox_tui.simulator.app import Simulator
from inbox_tui.simulator.data import SimThread
from inbox_tui.simulator.store import ThreadStore
from tests.conftest import FROZEN_NOW, make_client

EDGE = FROZEN_NOW + CLOCK_SKEW  # the newest end of the first window


async def walk(
    simulator: Simulator, page_size: int, **options: object
) -> tuple[list[list[str]], ThreadPager]:
    async with make_client(simulator) as client:
        settings = WalkSettings(page_size=page_size, now=lambda: FROZEN_NOW, **options)  # type: ignore[arg-type]
        pager = ThreadPager(client, settings)
        pages = [[thread.Id for thread in page] async for page in pager]
    return pages, pager


def request_keys(simulator: Simulator) -> list[str]:
    return [json.dumps(entry.body, sort_keys=True) for entry in simulator.requests_to("getAll")]


async def test_a_traversal_returns_every_thread_once_newest_first_in_full_pages(simulator: Simulator) -> None:
    pages, pager = await walk(simulator, page_size=50)
    expected = [thread.id for thread in simulator.store.all_newest_first()]
    assert [thread_id for page in pages for thread_id in page] == expected
    assert all(len(page) == 50 for page in pages[:-1])
    assert pager.is_exhausted


async def test_no_request_is_ever_made_twice(simulator: Simulator) -> None:
    _, pager = await walk(simulator, page_size=37)
    keys = request_keys(simulator)
    assert len(keys) == pager.requests_made > len(simulator.store) / 37  # the whole walk was made
    assert len(keys) == len(set(keys))


async def test_a_page_is_filled_across_a_window_edge(simulator: Simulator) -> None:
    pages, _ = await walk(simulator, page_size=200)
    first_window = [t for t in simulator.store.all_newest_first() if t.created >= EDGE - WINDOW]
    assert len(first_window) % 200 != 0
    assert len(pages[len(first_window) // 200]) == 200


async def test_a_quiet_season_does_not_end_the_history() -> None:
    old = [_thread(i, FROZEN_NOW - timedelta(days=400 + i)) for i in range(5)]
    new = [_thread(100 + i, FROZEN_NOW - timedelta(days=i)) for i in range(5)]
    simulator = Simulator(store=ThreadStore(old + new), clock=lambda: FROZEN_NOW)
    pages, _ = await walk(simulator, page_size=100)
    assert len(pages[0]) == 10


async def test_the_walk_ends_after_the_configured_run_of_empty_windows() -> None:
    simulator = Simulator(
        store=ThreadStore([_thread(1, FROZEN_NOW - timedelta(days=1))]), clock=lambda: FROZEN_NOW
    )
    pages, pager = await walk(simulator, page_size=10, max_empty_windows=3)
    assert pages == [[_thread(1, FROZEN_NOW).id]]
    assert pager.is_exhausted and pager.requests_made == 4


async def test_the_walk_ends_at_the_history_start() -> None:
    simulator = Simulator(store=ThreadStore([]), clock=lambda: FROZEN_NOW)
    _, pager = await walk(simulator, page_size=10, history_start=FROZEN_NOW - timedelta(days=100))
    assert pager.is_exhausted and pager.requests_made == 2
    first_start = simulator.requests_to("getAll")[-1].body["CreatedUtc"]["StartUtc"]
    assert first_start.startswith((FROZEN_NOW - timedelta(days=100)).strftime("%Y-%m-%d"))


async def test_a_failed_page_loses_nothing_and_repeats_no_request(simulator: Simulator) -> None:
    async with make_client(simulator, max_attempts=1) as client:
        pager = ThreadPager(client, WalkSettings(page_size=300, now=lambda: FROZEN_NOW))
        first = await pager.next_page()
        simulator.faults.push("500")
        with pytest.raises(ServerError):
            await pager.next_page()
        rest = [thread for page in [p async for p in pager] for thread in page]
    expected = [thread.id for thread in simulator.store.all_newest_first()]
    assert [thread.Id for thread in first + rest] == expected


def _thread(number: int, created: datetime) -> SimThread:
    return SimThread(
        f"{number:08d}-0000-4000-8000-000000000000", f"Guest {number}", "Hello", created, created
    )


window_edges = st.integers(min_value=0, max_value=9).map(lambda k: EDGE - k * WINDOW)
any_time = st.integers(min_value=0, max_value=800 * 86400).map(lambda s: FROZEN_NOW - timedelta(seconds=s))
burst = st.tuples(any_time, st.integers(min_value=2, max_value=30))
histories = st.lists(
    st.one_of(
        any_time.map(lambda t: [t]), window_edges.map(lambda t: [t]), burst.map(lambda b: [b[0]] * b[1])
    ),
    max_size=40,
).map(lambda groups: [t for group in groups for t in group])


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(times=histories, page_size=st.integers(min_value=1, max_value=40), empty_quarters=st.booleans())
def test_any_history_is_returned_whole_once_and_in_order(
    times: list[datetime], page_size: int, empty_quarters: bool
) -> None:
    if empty_quarters:  # leave a gap of a year with nothing in it
        times = [
            t for t in times if not FROZEN_NOW - timedelta(days=500) < t < FROZEN_NOW - timedelta(days=135)
        ]
    store = ThreadStore(_thread(index, created) for index, created in enumerate(times))
    simulator = Simulator(store=store, clock=lambda: FROZEN_NOW)
    pages, _ = asyncio.run(walk(simulator, page_size=page_size, max_empty_windows=12))
    assert [thread_id for page in pages for thread_id in page] == [t.id for t in store.all_newest_first()]
    assert all(len(page) == page_size for page in pages[:-1])
    keys = request_keys(simulator)
    assert len(keys) >= 1
    assert len(keys) == len(set(keys))


async def test_pages_may_grow_and_still_hold_every_thread_once(simulator: Simulator) -> None:
    ids: list[str] = []
    async with make_client(simulator) as client:
        pager = ThreadPager(client, WalkSettings(page_size=10, now=lambda: FROZEN_NOW))
        size = 10
        while page := await pager.next_page(size):
            assert len(page) == size or pager.is_exhausted
            ids += [thread.Id for thread in page]
            size = min(1000, size * 2)
        with pytest.raises(ValueError, match="1 to 1000"):
            await pager.next_page(1001)
    assert ids == [thread.id for thread in simulator.store.all_newest_first()]
    keys = request_keys(simulator)
    assert len(keys) == len(set(keys))

"""API filters: parsing what a person types, ranges walked in windows, Id lists, and the form."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime, timedelta

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from textual.widgets import Input, TextArea

from inbox_tui.api.client import ConnectorClient
from inbox_tui.api.pager import WINDOW, ThreadPager
from inbox_tui.api.walk import WalkSettings
from inbox_tui.inbox.api_filters import IdPager, parse_moment, parse_thread_ids
from inbox_tui.simulator.app import Simulator
from inbox_tui.simulator.data import SimThread
from inbox_tui.simulator.store import ThreadStore
from inbox_tui.tui.screens.api_filter import ApiFilterScreen
from inbox_tui.tui.widgets.thread_list import ThreadList
from tests.conftest import FROZEN_NOW, make_app, make_client, settle

SIZE = (120, 34)


def test_ages_and_dates_are_read() -> None:
    assert parse_moment("12h", FROZEN_NOW) == FROZEN_NOW - timedelta(hours=12)  # as `watch --help` offers
    assert parse_moment("7d", FROZEN_NOW) == FROZEN_NOW - timedelta(days=7)
    assert parse_moment("2w", FROZEN_NOW) == FROZEN_NOW - timedelta(weeks=2)
    assert parse_moment("3m", FROZEN_NOW) == datetime(2026, 8, 20, 12, 0, tzinfo=UTC)
    assert parse_moment("1y", FROZEN_NOW) == datetime(2025, 11, 20, 12, 0, tzinfo=UTC)
    assert parse_moment("2026-01-31", FROZEN_NOW) == datetime(2026, 1, 31, tzinfo=UTC)
    with pytest.raises(ValueError, match="not a date"):
        parse_moment("last tuesday", FROZEN_NOW)


def test_thread_ids_are_read_from_spaces_commas_and_lines_once_each() -> None:
    first, second = str(uuid.uuid4()), str(uuid.uuid4())
    assert parse_thread_ids(f"{first}, {second}\n{first.upper()}") == [first, second]
    with pytest.raises(ValueError, match="'nope'"):
        parse_thread_ids(f"{first} nope")


async def test_more_than_1000_ids_are_asked_for_in_batches(
    client: ConnectorClient, simulator: Simulator
) -> None:
    known = [thread.id for thread in simulator.store.all_newest_first()]
    ids = tuple(known[:300] + [str(uuid.uuid4()) for _ in range(1500)])
    pager = IdPager(client, ids, page_size=500)
    found = []
    while not pager.is_exhausted:
        found += [thread.Id for thread in await pager.next_page()]
    assert sorted(found) == sorted(known[:300])
    assert [len(e.body["MessageThreadIds"]) for e in simulator.requests_to("getAll")] == [1000, 800]


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    st.lists(st.integers(min_value=0, max_value=400), min_size=1, max_size=40),
    st.integers(min_value=20, max_value=390),
    st.sampled_from(["CreatedUtc", "UpdatedUtc"]),
)
async def test_a_range_of_any_length_returns_each_thread_in_it_exactly_once(
    days_ago: list[int], span: int, by: str
) -> None:
    # Threads on the window edges too: each window ends where the next begins.
    end = FROZEN_NOW - timedelta(days=5)
    edges = [end - WINDOW * n for n in range(5)]
    moments = [FROZEN_NOW - timedelta(days=d) for d in days_ago] + edges
    threads = [
        SimThread(str(uuid.UUID(int=index + 1, version=4)), "Guest", f"S{index}", moment, moment)
        for index, moment in enumerate(moments)
    ]
    simulator = Simulator(store=ThreadStore(threads))
    start = end - timedelta(days=span)
    async with make_client(simulator) as client:
        settings = WalkSettings(page_size=7, history_start=start, max_empty_windows=10**6)
        pager = ThreadPager(client, settings, by=by, until=end)  # type: ignore[arg-type]
        seen = []
        while not pager.is_exhausted:
            seen += [thread.Id for thread in await pager.next_page()]
    expected = {thread.id for thread in threads if start <= thread.created <= end}
    assert sorted(seen) == sorted(expected)


async def test_the_form_filters_the_list_and_ctrl_l_clears(simulator: Simulator) -> None:
    app = make_app(simulator)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("f")
        await settle(pilot)
        assert isinstance(app.screen, ApiFilterScreen)
        await pilot.press(*"7d", "enter")
        await settle(pilot)
        thread_list = app.screen.query_one(ThreadList)
        week_ago = FROZEN_NOW - timedelta(days=7)
        expected = [t.id for t in simulator.store.all_newest_first() if t.created >= week_ago]
        assert [thread.Id for thread in thread_list.threads] == expected
        assert "filter: created" in app.sub_title
        await pilot.press("ctrl+l")
        await settle(pilot)
        assert "filter" not in app.sub_title and len(thread_list.threads) > len(expected)


async def test_invalid_filters_are_refused_inline_and_nothing_is_sent(simulator: Simulator) -> None:
    app = make_app(simulator)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("f")
        await settle(pilot)
        simulator.log.clear()
        app.screen.query_one("#created-from", Input).value = "someday"
        app.screen.query_one("#thread-ids", TextArea).load_text("not-an-id")
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert isinstance(app.screen, ApiFilterScreen)
        errors = " ".join(str(app.screen.query_one(f"#{n}-error").render()) for n in ("created", "ids"))
        assert "not a date" in errors and "'not-an-id'" in errors
        assert simulator.log == []


async def test_pasted_ids_show_just_those_threads(simulator: Simulator) -> None:
    wanted = [thread.id for thread in simulator.store.all_newest_first()[100:103]]
    app = make_app(simulator)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("f")
        await settle(pilot)
        app.screen.query_one("#thread-ids", TextArea).load_text("\n".join(wanted))
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert {thread.Id for thread in app.screen.query_one(ThreadList).threads} == set(wanted)
        assert "3 thread Ids" in app.sub_title


def test_a_date_as_the_end_of_a_range_means_the_whole_of_that_day() -> None:
    end = parse_moment("2026-11-20", FROZEN_NOW, is_end=True)
    assert end == datetime(2026, 11, 20, 23, 59, 59, 999999, tzinfo=UTC)
    assert parse_moment("2026-11-20", FROZEN_NOW) == datetime(2026, 11, 20, tzinfo=UTC)
    assert parse_moment("2026-11-20T08:00", FROZEN_NOW, is_end=True) == datetime(2026, 11, 20, 8, tzinfo=UTC)


async def test_a_one_day_range_ending_today_holds_the_threads_of_today(simulator: Simulator) -> None:
    app = make_app(simulator)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("f")
        await settle(pilot)
        today = f"{FROZEN_NOW:%Y-%m-%d}"
        app.screen.query_one("#created-from", Input).value = today
        app.screen.query_one("#created-to", Input).value = today
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert not isinstance(app.screen, ApiFilterScreen)
        thread_list = app.screen.query_one(ThreadList)
        midnight = FROZEN_NOW.replace(hour=0, minute=0, second=0, microsecond=0)
        expected = [t.id for t in simulator.store.all_newest_first() if midnight <= t.created <= FROZEN_NOW]
        assert expected  # the seeded simulator has threads from today
        assert [thread.Id for thread in thread_list.threads] == expected


async def test_the_form_opened_again_shows_the_filter_in_force(simulator: Simulator) -> None:
    app = make_app(simulator)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("f")
        await settle(pilot)
        app.screen.query_one("#updated-from", Input).value = "2026-11-01"
        app.screen.query_one("#updated-to", Input).value = "2026-11-15"
        await pilot.press("ctrl+s")
        await settle(pilot)
        await pilot.press("f")
        await settle(pilot)
        assert app.screen.query_one("#updated-from", Input).value == "2026-11-01"
        assert app.screen.query_one("#updated-to", Input).value == "2026-11-15"
        assert app.screen.query_one("#created-from", Input).value == ""

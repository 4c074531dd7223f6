"""ThreadFeed on its own (cache, walk, revalidation, confirmation, poll), then the inbox on top of it."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

import pytest

from inbox_tui.api.client import ConnectorClient
from inbox_tui.api.pager import ThreadPager
from inbox_tui.api.walk import WalkSettings
from inbox_tui.inbox.activity import ActivityState, ActivityWalk
from inbox_tui.inbox.rows import CachedThread, is_cached
from inbox_tui.inbox.thread_cache import ThreadCache
from inbox_tui.inbox.thread_feed import ThreadFeed
from inbox_tui.simulator.app import Simulator
from inbox_tui.simulator.conversations import STAFF
from inbox_tui.tui.screens.new_thread import NewThreadScreen
from inbox_tui.tui.widgets.thread_list import ThreadList
from tests.conftest import FROZEN_NOW, make_app, make_client, settle

SIZE = (120, 30)
URL = "http://simulator.test"


def feed_for(client: ConnectorClient, directory: Path | None, page_size: int = 50) -> ThreadFeed:
    feed = ThreadFeed(ThreadCache.open(directory, URL, "token") if directory is not None else None)
    settings = WalkSettings(page_size=page_size, now=lambda: FROZEN_NOW)
    feed.connect(
        lambda: ThreadPager(client, settings),
        client,
        page_size=page_size,
        resume_pager=lambda resume: ThreadPager(client, settings, resume=resume.walk, seen=resume.seen),
    )
    return feed


def cursors(simulator: Simulator) -> list[tuple[object, object]]:
    return [
        (entry.body.get("CreatedUtc", {}).get("EndUtc"), entry.body["Limitation"].get("Cursor"))
        for entry in simulator.requests_to("getAll")
        if "MessageThreadIds" not in entry.body
    ]


async def test_a_second_session_starts_from_the_cache_and_walks_on_where_the_first_stopped(
    client: ConnectorClient, simulator: Simulator, tmp_path: Path
) -> None:
    first = feed_for(client, tmp_path)
    seen = [thread.Id for _ in range(3) for thread in await first.next_page()]
    first.close()
    simulator.log.clear()

    second = feed_for(client, tmp_path)
    cached = second.cached_rows()
    assert [row.Id for row in cached] == seen and all(is_cached(row) for row in cached)
    assert simulator.log == []
    page = await second.next_page()
    expected = [thread.id for thread in simulator.store.all_newest_first()[150:200]]
    assert [thread.Id for thread in page] == expected
    assert len(simulator.requests_to("getAll")) >= 1
    second.close()

    walked = feed_for(client, None)
    simulator.log.clear()
    for _ in range(4):
        await walked.next_page()
    all_cursors = cursors(simulator)
    assert len(all_cursors) == len(set(all_cursors))


async def test_revalidation_puts_new_threads_on_top_and_replaces_the_cached_ones_it_meets(
    client: ConnectorClient, simulator: Simulator, tmp_path: Path
) -> None:
    first = feed_for(client, tmp_path)
    await first.next_page()
    first.close()
    newer = [
        simulator.add_thread(f"Guest {i}", f"New {i}", FROZEN_NOW + timedelta(minutes=i)) for i in range(3)
    ]

    second = feed_for(client, tmp_path)
    cached = second.cached_rows()
    merge = await second.revalidate()
    assert [thread.Id for thread in merge.on_top] == [thread.id for thread in reversed(newer)]
    assert merge.replaced and merge.replaced[0].Id == cached[0].Id
    assert not is_cached(merge.replaced[0])
    second.close()


async def test_cached_rows_are_confirmed_by_id_in_batches_and_unknown_ones_dropped(
    client: ConnectorClient, simulator: Simulator, tmp_path: Path
) -> None:
    first = feed_for(client, tmp_path)
    await first.next_page()
    first.close()
    stale = CachedThread("not-on-the-platform", "Ghost", "Gone", FROZEN_NOW, FROZEN_NOW)
    cache = ThreadCache.open(tmp_path, URL, "token")
    cache.save_threads([stale])
    cache.close()

    second = feed_for(client, tmp_path)
    cached = second.cached_rows()
    simulator.log.clear()
    merge = await second.confirm_cached()
    assert merge.gone == ["not-on-the-platform"]
    assert {thread.Id for thread in merge.replaced} == {row.Id for row in cached} - {"not-on-the-platform"}
    assert not second.has_unconfirmed
    assert [len(entry.body["MessageThreadIds"]) for entry in simulator.requests_to("getAll")] == [51]
    second.close()


async def test_a_poll_counts_new_threads_and_keeps_them_until_asked(
    client: ConnectorClient, simulator: Simulator
) -> None:
    feed = feed_for(client, None)
    await feed.next_page()
    walk = ActivityWalk(client, ActivityState(FROZEN_NOW), lambda: FROZEN_NOW + timedelta(minutes=2))
    merge, _ = await feed.poll(walk)
    assert not merge and feed.waiting == 0
    simulator.add_thread("Ann", "Fresh", FROZEN_NOW + timedelta(minutes=1))
    await feed.poll(walk)
    await feed.poll(walk)
    assert feed.waiting == 1
    taken = feed.take_waiting()
    assert [thread.Subject for thread in taken] == ["Fresh"] and feed.waiting == 0
    await feed.poll(walk)
    assert feed.waiting == 0


async def test_a_message_in_an_old_thread_replaces_its_row_where_it_is_or_waits_to_go_on_top(
    client: ConnectorClient, simulator: Simulator
) -> None:
    feed = feed_for(client, None)
    rows = await feed.next_page()
    old = simulator.store.get(rows[30].Id)
    assert old is not None
    walk = ActivityWalk(client, ActivityState(FROZEN_NOW), lambda: FROZEN_NOW + timedelta(minutes=2))
    simulator.messages.add(old, "Any news?", FROZEN_NOW + timedelta(minutes=1), sender=STAFF)
    merge, activity = await feed.poll(walk)
    assert [thread.Id for thread in merge.replaced] == [old.id] and feed.waiting == 0
    assert [message.Text for message in activity.messages] == ["Any news?"]

    by_update = feed_for(client, None)
    by_update.moves_changed_to_top = True
    await by_update.next_page()
    simulator.messages.add(old, "Still there?", FROZEN_NOW + timedelta(minutes=1, seconds=30), sender=STAFF)
    merge, _ = await by_update.poll(walk)
    assert not merge and [thread.Id for thread in by_update.take_waiting()] == [old.id]


# The inbox on top of the feed


async def test_a_cache_hit_paints_before_any_request_is_answered(
    simulator: Simulator, tmp_path: Path
) -> None:
    warm_up = make_app(simulator, cache=ThreadCache.open(tmp_path, URL, "token"))
    async with warm_up.run_test(size=SIZE) as pilot:
        await settle(pilot)
    simulator.faults.latency = 0.5
    simulator.log.clear()
    app = make_app(simulator, cache=ThreadCache.open(tmp_path, URL, "token"))
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        thread_list = app.screen.query_one(ThreadList)
        assert len(thread_list.threads) >= 50 and all(is_cached(row) for row in thread_list.threads)
        assert all(entry.status is None for entry in simulator.log)
        assert "cached, checking" in app.sub_title
        simulator.faults.latency = 0
        await settle(pilot)
        assert not any(is_cached(row) for row in thread_list.threads)
        assert "cached" not in app.sub_title


async def test_revalidation_keeps_the_highlight_on_its_thread_and_the_view_in_place(
    simulator: Simulator, tmp_path: Path
) -> None:
    warm_up = make_app(simulator, cache=ThreadCache.open(tmp_path, URL, "token"))
    async with warm_up.run_test(size=SIZE) as pilot:
        await settle(pilot)
    for minute in range(3):
        simulator.add_thread("New guest", f"New {minute}", FROZEN_NOW + timedelta(minutes=minute + 1))
    simulator.faults.latency = 0.5
    app = make_app(simulator, cache=ThreadCache.open(tmp_path, URL, "token"))
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        thread_list = app.screen.query_one(ThreadList)
        for _ in range(5):  # the keys' action: Pilot's press would wait for the answer
            thread_list.action_cursor_down()
        reading = thread_list.highlighted
        assert reading is not None and thread_list.cursor == 5
        simulator.faults.latency = 0
        await settle(pilot)
        assert thread_list.highlighted is not None and thread_list.highlighted.Id == reading.Id
        assert thread_list.cursor == 8
        assert [row.Subject for row in thread_list.threads[:3]] == ["New 2", "New 1", "New 0"]


async def test_new_threads_found_by_the_poll_wait_in_the_header_until_r(simulator: Simulator) -> None:
    app = make_app(simulator, poll_seconds=0.05)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("down", "down")
        thread_list = app.screen.query_one(ThreadList)
        reading = thread_list.highlighted
        simulator.add_thread("Ann", "Arrived meanwhile", FROZEN_NOW + timedelta(minutes=1))
        await pilot.pause(0.3)
        await settle(pilot)
        assert "1 new (r)" in app.sub_title
        assert thread_list.highlighted == reading and thread_list.cursor == 2
        await pilot.press("r")
        await settle(pilot)
        assert thread_list.threads[0].Subject == "Arrived meanwhile"
        assert thread_list.highlighted is not None and thread_list.highlighted.Id == reading.Id  # type: ignore[union-attr]
        assert "new" not in app.sub_title


async def test_the_poll_waits_while_a_form_is_open(simulator: Simulator) -> None:
    app = make_app(simulator, poll_seconds=0.05)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("n")
        await pilot.pause()
        assert isinstance(app.screen, NewThreadScreen)
        simulator.log.clear()
        await pilot.pause(0.4)
        assert simulator.requests_to("getAll") == []


def test_no_cache_neither_reads_nor_writes_a_database(
    isolated_settings: None, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from inbox_tui.__main__ import main
    from inbox_tui.tui.app import InboxApp

    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    monkeypatch.setenv("XDG_STATE_HOME", str(tmp_path / "state"))
    monkeypatch.setattr(InboxApp, "run", lambda self: None)  # everything up to the terminal
    assert main(["--no-cache"]) == 0
    assert not (tmp_path / "cache").exists()
    assert main([]) == 0
    assert list((tmp_path / "cache" / "connector-inbox").glob("inbox-*.sqlite3"))


async def test_a_conversation_read_in_an_earlier_session_is_shown_at_once_then_confirmed(
    simulator: Simulator, tmp_path: Path
) -> None:
    from inbox_tui.tui.widgets.conversation_view import ConversationView

    thread = simulator.add_thread("Olivia", "Remembered", FROZEN_NOW + timedelta(minutes=1))
    simulator.messages.add(thread, "first words", FROZEN_NOW + timedelta(minutes=1))
    first = make_app(simulator, cache=ThreadCache.open(tmp_path, URL, "token"))
    async with first.run_test(size=SIZE) as pilot:
        await settle(pilot)
    simulator.messages.add(thread, "said since", FROZEN_NOW + timedelta(minutes=2))
    simulator.faults.latency = 0.5
    again = make_app(simulator, cache=ThreadCache.open(tmp_path, URL, "token"))
    async with again.run_test(size=SIZE) as pilot:
        view = again.screen.query_one(ConversationView)
        # Read from the disk off the UI thread once the highlight settles, well before the
        # platform's answer (0.5 s away).
        for _ in range(30):
            await pilot.pause(0.01)
            if "first words" in view.transcript:
                break
        assert "first words" in view.transcript and "said since" not in view.transcript
        assert "local cache" in str(again.screen.query_one("#conversation-state").render())
        simulator.faults.latency = 0
        await settle(pilot)
        assert "said since" in view.transcript


async def test_the_update_order_puts_a_thread_with_a_fresh_reply_on_top(simulator: Simulator) -> None:
    old = simulator.store.all_newest_first()[40]
    simulator.messages.add(old, "A fresh reply", FROZEN_NOW + timedelta(minutes=5))
    app = make_app(simulator)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        thread_list = app.screen.query_one(ThreadList)
        assert thread_list.threads[0].Id != old.id
        simulator.log.clear()
        await pilot.press("o")
        await settle(pilot)
        assert thread_list.threads[0].Id == old.id
        assert "by last update" in app.sub_title
        updated = [thread.UpdatedUtc for thread in thread_list.threads]
        assert updated == sorted(updated, reverse=True)
        keys = [
            (entry.body["UpdatedUtc"]["EndUtc"], entry.body["Limitation"].get("Cursor"))
            for entry in simulator.requests_to("getAll")
            if "UpdatedUtc" in entry.body
        ]
        assert keys and len(keys) == len(set(keys))  # one request per cursor in this order too
        await pilot.press("o")
        await settle(pilot)
        assert thread_list.threads[0].Id != old.id and "by last update" not in app.sub_title


async def test_threads_merged_on_top_do_not_hide_cached_rows_further_down(tmp_path: Path) -> None:
    simulator = Simulator.seeded(threads=1300, seed=4, now=FROZEN_NOW)
    async with make_client(simulator) as client:
        first = feed_for(client, tmp_path, page_size=100)
        for _ in range(10):
            await first.next_page()
        first.close()
        for minute in range(3):
            simulator.add_thread("New", f"New {minute}", FROZEN_NOW + timedelta(minutes=minute + 1))
        second = feed_for(client, tmp_path, page_size=100)
        shown = [row.Id for row in second.cached_rows()]
        shown += [thread.Id for thread in (await second.revalidate()).on_top]
        second._cache.flush()  # type: ignore[union-attr]  # noqa: SLF001  (the merge is saved ahead of the rest)
        while len(shown) < 1100:
            shown += [row.Id for row in await second.next_page()]
        second.close()
    expected = [thread.id for thread in simulator.store.all_newest_first()[:1100]]
    assert len(shown) == len(set(shown))
    assert sorted(shown[:1100]) == sorted(expected)

"""Activity and triage in the inbox: unread marks, waiting on us, the keys that find and mark them."""

from __future__ import annotations

import asyncio
from datetime import timedelta
from pathlib import Path

from inbox_tui.inbox.thread_cache import ThreadCache
from inbox_tui.simulator.app import Simulator
from inbox_tui.simulator.conversations import STAFF
from inbox_tui.tui.screens.confirm import ConfirmScreen
from inbox_tui.tui.screens.triage_actions import READ_AFTER
from inbox_tui.tui.widgets.status_bar import StatusBar
from inbox_tui.tui.widgets.thread_list import ThreadList
from tests.conftest import FROZEN_NOW, make_app, settle

SIZE = (120, 30)
URL = "http://simulator.test"


async def until(condition, what: str) -> None:  # type: ignore[no-untyped-def]
    for _ in range(200):
        if condition():
            return
        await asyncio.sleep(0.02)
    raise AssertionError(f"timed out waiting for {what}")


def staff_writes(simulator: Simulator, index: int, text: str, minutes: int = 1) -> str:
    thread = simulator.store.all_newest_first()[index]
    simulator.messages.add(thread, text, FROZEN_NOW + timedelta(minutes=minutes), sender=STAFF)
    return thread.id


async def test_a_staff_message_in_an_old_thread_marks_it_unread_in_place_and_counts_it(
    simulator: Simulator,
) -> None:
    app = make_app(simulator, poll_seconds=0.05)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        thread_list = app.screen.query_one(ThreadList)
        assert app.triage.unread == set() and "unread" not in app.sub_title  # a first start: none
        old = next(
            t for t in simulator.store.all_newest_first() if t.created < FROZEN_NOW - timedelta(days=90)
        )
        simulator.messages.add(
            old, "Is the spa open on Sunday?", FROZEN_NOW + timedelta(minutes=1), sender=STAFF
        )
        await until(lambda: old.id in app.triage.unread, "the unread mark")
        await until(lambda: "1 unread" in app.sub_title, "the header count")
        ids = [row.Id for row in thread_list.threads]
        assert old.id not in ids[:1]  # in creation order it stays where it is
        assert app.triage.marks(old.id).is_waiting  # staff wrote last


async def test_reading_a_thread_for_a_moment_marks_it_read(simulator: Simulator) -> None:
    app = make_app(simulator, poll_seconds=0.05)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        thread_id = staff_writes(simulator, 2, "Could we have late check-out?")
        await until(lambda: thread_id in app.triage.unread, "the unread mark")
        app.poll_seconds = 0
        await pilot.press("u")  # the next unread thread
        await settle(pilot)
        assert app.screen.query_one(ThreadList).highlighted.Id == thread_id  # type: ignore[union-attr]
        await pilot.pause(1.3)
        assert thread_id not in app.triage.unread and "unread" not in app.sub_title


async def test_m_toggles_and_M_marks_all_read_after_asking(simulator: Simulator) -> None:
    app = make_app(simulator)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        thread_list = app.screen.query_one(ThreadList)
        first = thread_list.highlighted.Id  # type: ignore[union-attr]
        await pilot.press("m")
        assert app.triage.unread == {first}
        await pilot.press("down", "m", "down", "m")
        assert len(app.triage.unread) == 3 and "3 unread" in app.sub_title
        await pilot.press("M")
        await settle(pilot)
        assert isinstance(app.screen, ConfirmScreen)
        await pilot.press("n")
        await settle(pilot)
        assert len(app.triage.unread) == 3
        await pilot.press("M", "y")
        await settle(pilot)
        assert app.triage.unread == set()


async def test_v_shows_only_unread_then_only_waiting_then_all(simulator: Simulator) -> None:
    app = make_app(simulator)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        thread_list = app.screen.query_one(ThreadList)
        loaded = len(thread_list.shown)
        await pilot.press("down", "down", "m")
        await pilot.press("v")
        assert [row.Id for row in thread_list.shown] == sorted(
            app.triage.unread
        ) and "only unread" in app.sub_title
        await pilot.press("v")
        assert all(app.triage.is_waiting(row.Id) for row in thread_list.shown)
        await pilot.press("v")
        assert len(thread_list.shown) == loaded and "only" not in app.sub_title


async def test_threads_read_in_the_unread_view_stay_in_it_and_the_highlight_stays_put(
    simulator: Simulator,
) -> None:
    """Being on screen for a moment reads a thread: were it to leave the view, the highlight
    would pass to the next unread thread, read in turn, until the view had emptied itself."""
    app = make_app(simulator)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        thread_list = app.screen.query_one(ThreadList)
        await pilot.press("down", "m", "down", "m", "down", "m", "down")
        marked = sorted(app.triage.unread)
        await pilot.press("v")
        first = thread_list.highlighted
        await until(lambda: len(app.triage.unread) == 2, "the highlighted thread read")
        await asyncio.sleep(READ_AFTER * 2.5)
        assert [row.Id for row in thread_list.shown] == [
            row.Id for row in thread_list.threads if row.Id in marked
        ]
        assert thread_list.highlighted is first and len(app.triage.unread) == 2  # no other read
        await pilot.press("v", "v", "v")  # the unread view chosen again: as the marks are now
        assert len(thread_list.shown) == 2 and first not in thread_list.shown


async def test_an_empty_view_says_in_the_list_why_and_which_key_shows_the_others(
    simulator: Simulator,
) -> None:
    app = make_app(simulator)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        thread_list = app.screen.query_one(ThreadList)
        await pilot.press("v")
        assert thread_list.shown == [] and app.triage.unread == set()  # a first start: none unread
        said = "No loaded thread is unread (v: next view)"
        assert thread_list.render_line(0).text.strip() == said
        loaded = len(thread_list.threads)
        assert str(app.screen.query_one(StatusBar).render()) == f"0 of {loaded:,} loaded threads in view."
        await pilot.press("down", "m")  # nothing to mark: the view stays empty and says so
        assert thread_list.render_line(0).text.strip() == said
        await pilot.press("v", "v")
        await pilot.press("down", "m", "v")  # a thread marked unread: the view shows it instead
        assert [row.Id for row in thread_list.shown] == sorted(app.triage.unread)
        assert said not in thread_list.render_line(1).text
        assert str(app.screen.query_one(StatusBar).render()) == f"1 of {loaded:,} loaded threads in view."


async def test_unread_marks_and_where_the_walk_stopped_survive_a_restart(
    simulator: Simulator, tmp_path: Path
) -> None:
    app = make_app(simulator, poll_seconds=0.05, cache=ThreadCache.open(tmp_path, URL, "token"))
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        thread_id = staff_writes(simulator, 5, "Is parking free?")
        await until(lambda: thread_id in app.triage.unread, "the unread mark")
        app.poll_seconds = 0
        await settle(pilot)
    # While closed: staff writes in another thread.
    other = staff_writes(simulator, 7, "Your taxi is booked.", minutes=3)
    again = make_app(simulator, poll_seconds=0.05, cache=ThreadCache.open(tmp_path, URL, "token"))
    async with again.run_test(size=SIZE) as pilot:
        await settle(pilot)
        assert thread_id in again.triage.unread
        await until(lambda: other in again.triage.unread, "what happened while closed")
        again.poll_seconds = 0
        await settle(pilot)


async def test_a_poll_answered_as_the_app_quits_ends_without_an_error(simulator: Simulator) -> None:
    """The answer lands while the screen's widgets are being removed (a poll in flight on `q`)."""
    from inbox_tui.tui.widgets.thread_detail import ThreadDetail

    app = make_app(simulator, poll_seconds=0.05)
    asked = asyncio.Event()
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        detail = app.screen.query_one(ThreadDetail)
        poll = app.feed.poll

        async def answered_once_the_pane_is_gone(walk):  # type: ignore[no-untyped-def]
            answer = await poll(walk)
            asked.set()
            while detail.is_attached:
                await asyncio.sleep(0.001)
            return answer

        app.feed.poll = answered_once_the_pane_is_gone  # type: ignore[method-assign]
        await asyncio.wait_for(asked.wait(), 5)
    # Leaving `run_test` raised what a worker raised (NoMatches: no ThreadDetail on the screen).


def waiting_by_the_simulator(simulator: Simulator) -> set[str]:
    """The threads whose newest message is from staff, as the platform holds them."""
    conversations = (simulator.messages.conversation(t) for t in simulator.store.all_newest_first())
    return {messages[-1].thread_id for messages in conversations if messages and messages[-1].sender == STAFF}


async def synced(simulator: Simulator, cache: ThreadCache) -> None:
    from inbox_tui.api.walk import WalkSettings
    from inbox_tui.inbox.mirror import mirror
    from tests.conftest import make_client

    async with make_client(simulator) as client:
        await mirror(client, cache, WalkSettings(page_size=100), lambda progress: None, lambda: FROZEN_NOW)
    cache.flush()


async def test_a_sync_tells_which_threads_wait_on_us_until_the_inbox_knows_better(tmp_path: Path) -> None:
    from inbox_tui.inbox.activity import STATE_KEY, ActivityState, inbox_state
    from inbox_tui.inbox.mirror import waiting_in_mirror
    from inbox_tui.inbox.rows import CachedMessage, CachedSender
    from inbox_tui.inbox.triage import Triage

    simulator = Simulator.seeded(threads=40, seed=3, now=FROZEN_NOW)
    cache = ThreadCache.open(tmp_path, URL, "token")
    await synced(simulator, cache)
    expected = waiting_by_the_simulator(simulator)
    assert expected and waiting_in_mirror(cache) == expected
    # The inbox's first start walks on from the sync, so the mirror can still tell.
    state = inbox_state(cache, FROZEN_NOW + timedelta(hours=1))
    assert state.mark == state.watched_since < FROZEN_NOW + timedelta(hours=1)
    cache.save_meta(STATE_KEY, state.to_json())
    cache.flush()
    assert waiting_in_mirror(cache) == expected
    # What the inbox saw itself comes first.
    triage = Triage(cache)
    triage.learn_from_mirror(expected)
    answered = sorted(expected)[0]
    assert triage.is_waiting(answered) and triage.marked()["waiting"] == expected
    reply = CachedMessage("reply", answered, "Done.", CachedSender("Application"), FROZEN_NOW)
    triage.conversation_seen(answered, [reply], is_complete_at_end=True)
    assert not triage.is_waiting(answered) and answered not in triage.marked()["waiting"]
    # An inbox that began watching after the last sync: the mirror may have missed what came
    # between the two, so it does not tell.
    cache.save_meta(STATE_KEY, ActivityState(FROZEN_NOW + timedelta(days=1)).to_json())
    cache.flush()
    assert waiting_in_mirror(cache) is None
    cache.close()


async def test_the_waiting_view_shows_what_the_mirror_tells_before_any_conversation_is_read(
    tmp_path: Path,
) -> None:
    simulator = Simulator.seeded(threads=40, seed=3, now=FROZEN_NOW)
    cache = ThreadCache.open(tmp_path, URL, "token")
    await synced(simulator, cache)
    app = make_app(simulator, cache=cache)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await until(lambda: app.triage.marked()["waiting"], "what the mirror tells")
        await pilot.press("v", "v")
        thread_list = app.screen.query_one(ThreadList)
        assert "only waiting" in app.sub_title
        assert {row.Id for row in thread_list.shown} == waiting_by_the_simulator(simulator)

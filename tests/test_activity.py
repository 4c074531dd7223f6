"""ActivityWalk: new threads and new messages in threads of any age, each seen once, across restarts."""

from __future__ import annotations

import json
from datetime import timedelta

from inbox_tui.inbox.activity import ActivityState, ActivityWalk
from inbox_tui.simulator.app import Simulator
from inbox_tui.simulator.conversations import STAFF
from tests.conftest import FROZEN_NOW, make_client


class Clock:
    def __init__(self) -> None:
        self.now = FROZEN_NOW

    def __call__(self):  # type: ignore[no-untyped-def]
        return self.now


async def test_a_message_in_a_three_month_old_thread_is_found_in_one_poll_of_two_requests(
    simulator: Simulator,
) -> None:
    old = next(t for t in simulator.store.all_newest_first() if t.created < FROZEN_NOW - timedelta(days=90))
    clock = Clock()
    async with make_client(simulator) as client:
        walk = ActivityWalk(client, ActivityState(FROZEN_NOW), clock)
        simulator.clock = clock
        clock.now = FROZEN_NOW + timedelta(minutes=1)
        message = simulator.messages.add(old, "Is the spa open on Sunday?", clock.now, sender=STAFF)
        clock.now += timedelta(seconds=30)
        activity = await walk.poll()
        assert [m.Id for m in activity.messages] == [message.id]
        assert [t.Id for t in activity.changed_threads] == [old.id]
        assert activity.new_threads == []
        assert walk.requests_made == 2  # one messageThreads/getAll, one messages/getAll

        clock.now += timedelta(minutes=1)
        again = await walk.poll()
        assert not again and again.messages == []  # inside the overlap, seen already
        assert walk.requests_made == 3  # nothing changed: no messages asked for


async def test_a_new_thread_is_announced_once_and_the_state_survives_a_restart(simulator: Simulator) -> None:
    clock = Clock()
    simulator.clock = clock
    async with make_client(simulator) as client:
        walk = ActivityWalk(client, ActivityState(FROZEN_NOW), clock)
        clock.now = FROZEN_NOW + timedelta(minutes=2)
        thread = simulator.add_thread("Ines Laurent", "Baby cot for room 4", clock.now)
        first = await walk.poll()
        assert [t.Id for t in first.new_threads] == [thread.id]
        saved = json.dumps(walk.state.to_json())

        restarted = ActivityWalk(client, ActivityState.from_json(json.loads(saved)), clock)
        clock.now += timedelta(minutes=3)
        reply = simulator.messages.add(thread, "We will set one up.", clock.now, sender=STAFF)
        second = await restarted.poll()
        assert second.new_threads == []  # announced before the restart
        assert [m.Id for m in second.messages] == [reply.id]


async def test_more_changed_threads_than_a_page_are_all_read_by_cursor(simulator: Simulator) -> None:
    clock = Clock()
    simulator.clock = clock
    async with make_client(simulator) as client:
        walk = ActivityWalk(client, ActivityState(FROZEN_NOW), clock)
        clock.now = FROZEN_NOW + timedelta(minutes=5)
        arrived = {
            simulator.add_thread("Guest", f"Arrival {n}", clock.now - timedelta(milliseconds=200 * n)).id
            for n in range(1200)
        }
        activity = await walk.poll()
        assert {t.Id for t in activity.new_threads} == arrived
        assert len(activity.new_threads) == len(arrived)


async def test_a_mark_months_old_is_walked_in_windows(simulator: Simulator) -> None:
    clock = Clock()
    simulator.clock = clock
    async with make_client(simulator) as client:
        walk = ActivityWalk(client, ActivityState(FROZEN_NOW - timedelta(days=200)), clock)
        activity = await walk.poll()
        expected = {
            t.id for t in simulator.store.all_newest_first() if t.updated >= FROZEN_NOW - timedelta(days=200)
        }
        assert {t.Id for t in activity.changed_threads} == expected
        assert walk.state.mark >= FROZEN_NOW - timedelta(minutes=10)


async def test_a_poll_slowed_by_retries_misses_no_message_of_a_thread_written_again_meanwhile(
    simulator: Simulator,
) -> None:
    """A listing answered late shows the threads changed up to then, except those changed again since."""
    old = [t for t in simulator.store.all_newest_first() if t.created < FROZEN_NOW - timedelta(days=9)]
    quiet, busy = old[:2]
    clock = Clock()
    simulator.clock = clock

    async def hotel_writes_while_we_wait(seconds: float) -> None:
        clock.now += timedelta(minutes=9, seconds=30)  # a long Retry-After, or a slow platform
        simulator.messages.add(quiet, "Your taxi is booked.", clock.now, sender=STAFF)
        clock.now += timedelta(minutes=30)
        simulator.messages.add(busy, "And breakfast until 11.", clock.now, sender=STAFF)

    async with make_client(simulator, sleep=hotel_writes_while_we_wait) as client:
        walk = ActivityWalk(client, ActivityState(FROZEN_NOW), clock)
        clock.now = FROZEN_NOW + timedelta(minutes=1)
        before_the_poll = simulator.messages.add(busy, "Late checkout is fine.", clock.now, sender=STAFF)
        clock.now += timedelta(minutes=1)
        simulator.faults.push("getAll:503")
        seen = [m.Id for m in (await walk.poll()).messages]
        for _ in range(2):
            clock.now += timedelta(minutes=1)
            seen += [m.Id for m in (await walk.poll()).messages]
    written = {m.id for m in simulator.messages.written_since(FROZEN_NOW)}
    assert before_the_poll.id in seen
    assert sorted(seen) == sorted(written)


async def test_what_was_written_just_before_the_watch_began_is_never_news(simulator: Simulator) -> None:
    """A later poll's overlap reaches back before the start, where a late write may be stamped
    too: the first look remembers what was already written there (found by the activity
    soak's property test, seed 343)."""
    clock = Clock()
    simulator.clock = clock
    thread = simulator.store.all_newest_first()[-1]
    simulator.messages.add(thread, "Written before the watch.", FROZEN_NOW - timedelta(minutes=3))
    async with make_client(simulator) as client:
        walk = ActivityWalk(client, ActivityState(FROZEN_NOW), clock)
        assert not await walk.poll()
        clock.now = FROZEN_NOW + timedelta(minutes=4)
        after = simulator.messages.add(thread, "Written after it began.", clock.now, sender=STAFF)
        activity = await walk.poll()
        assert [m.Id for m in activity.messages] == [after.id]
        restarted = ActivityWalk(client, ActivityState.from_json(walk.state.to_json()), clock)
        clock.now += timedelta(minutes=1)
        later = simulator.messages.add(thread, "And again.", clock.now, sender=STAFF)
        assert [m.Id for m in (await restarted.poll()).messages] == [later.id]

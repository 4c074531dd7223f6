"""1,000 polls of the activity walk with random arrivals, faults and restarts: every event once.

This is what `watch` does between its prints: poll, and on a failure poll again later
from the same state; a restart reads the state back from its JSON. Threads and
messages arrive at random moments (some in threads months old); a fifth of the polls
meet a fault. In the end every thread and message that arrived was reported exactly
once: none lost, none twice.
"""

from __future__ import annotations

import contextlib
import json
import random
from collections import Counter
from datetime import timedelta

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from inbox_tui.api.client import ConnectorClient
from inbox_tui.api.errors import ApiError
from inbox_tui.inbox.activity import ActivityState, ActivityWalk
from inbox_tui.simulator.app import Simulator
from inbox_tui.simulator.conversations import STAFF
from tests.conftest import FROZEN_NOW, make_client

FAULTS = ("500", "503", "html", "truncated", "wrong-shape", "429:retry-after=1", "messages-getAll:500")


class Clock:
    def __init__(self) -> None:
        self.now = FROZEN_NOW

    def __call__(self):  # type: ignore[no-untyped-def]
        return self.now


async def poll_into(walk: ActivityWalk, reported: Counter[str]) -> None:
    activity = await walk.poll()
    reported.update(thread.Id for thread in activity.new_threads)
    reported.update(message.Id for message in activity.messages)


async def watch_step(
    walk: ActivityWalk,
    client: ConnectorClient,
    simulator: Simulator,
    rng: random.Random,
    clock: Clock,
    reported: Counter[str],
) -> ActivityWalk:
    """One poll as watch makes it: a fault now and then, a restart from the saved state now and
    then, a failed poll left for the next one. The walk that goes on."""
    if not simulator.faults.script and rng.random() < 0.2:
        simulator.faults.push(rng.choice(FAULTS))
    if rng.random() < 0.05:
        walk = ActivityWalk(
            client, ActivityState.from_json(json.loads(json.dumps(walk.state.to_json()))), clock
        )
    with contextlib.suppress(ApiError):
        await poll_into(walk, reported)
    return walk


async def soak(seed: int, polls: int) -> tuple[Counter[str], set[str]]:
    rng = random.Random(seed)
    clock = Clock()
    simulator = Simulator.seeded(threads=200, seed=seed, now=FROZEN_NOW)
    simulator.clock = clock
    threads = simulator.store.all_newest_first()
    reported: Counter[str] = Counter()
    arrived: set[str] = set()
    async with make_client(simulator) as client:
        walk = ActivityWalk(client, ActivityState(FROZEN_NOW), clock)
        # Watching starts with a look: what carries an earlier time than that is history, not news.
        await walk.poll()
        for _ in range(polls):
            clock.now += timedelta(seconds=rng.randint(1, 90))
            if rng.random() < 0.15:
                arrived.add(
                    simulator.add_thread(
                        "Guest", "Arrival", clock.now - timedelta(seconds=rng.randint(0, 5))
                    ).id
                )
            if rng.random() < 0.3:
                thread = rng.choice(threads)
                # Written a little before it is seen, as a platform's clock or a slow write may.
                moment = clock.now - timedelta(seconds=rng.randint(0, 120))
                arrived.add(simulator.messages.add(thread, f"m{len(arrived)}", moment, sender=STAFF).id)
                # The write lands now: the platform stamps the thread's update at that moment.
                thread.updated = max(thread.updated, clock.now)
            walk = await watch_step(walk, client, simulator, rng, clock, reported)
        simulator.faults.script.clear()
        clock.now += timedelta(minutes=1)
        await poll_into(walk, reported)
    return reported, arrived


async def test_a_thousand_polls_with_faults_and_restarts_report_everything_exactly_once() -> None:
    reported, arrived = await soak(seed=1, polls=1000)
    assert len(arrived) > 300
    assert set(reported) == arrived
    assert [key for key, count in reported.items() if count > 1] == []


@settings(max_examples=10, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(seed=st.integers(min_value=0, max_value=10**6))
def test_any_run_of_arrivals_faults_and_restarts_reports_each_once(seed: int) -> None:
    import asyncio

    reported, arrived = asyncio.run(soak(seed, polls=80))
    assert set(reported) == arrived
    assert max(reported.values(), default=1) == 1


async def test_a_watch_of_the_living_hotel_with_faults_and_restarts_reports_what_the_simulator_holds() -> (
    None
):
    """The living simulator writes on its own (staff answers, new guest threads); every thread
    and message created after the watch started is reported once, checked against the simulator."""
    rng = random.Random(7)
    clock = Clock()
    simulator = Simulator.seeded(threads=100, seed=7, now=FROZEN_NOW)
    simulator.clock = clock
    start = FROZEN_NOW
    reported: Counter[str] = Counter()
    async with make_client(simulator) as client:
        walk = ActivityWalk(client, ActivityState(start), clock)
        await walk.poll()
        simulator.come_alive(seed=7)
        for _ in range(300):
            clock.now += timedelta(seconds=rng.randint(5, 90))
            walk = await watch_step(walk, client, simulator, rng, clock, reported)
        simulator.faults.script.clear()
        await poll_into(walk, reported)
    threads = {t.id for t in simulator.store.all_newest_first() if t.created > start}
    messages = {m.id for m in simulator.messages._by_id.values() if m.created > start}  # noqa: SLF001
    assert len(threads) > 20 and len(messages) > 20
    assert set(reported) == threads | messages
    assert max(reported.values()) == 1

"""The inbox on a frozen, seeded simulator: for tests, benchmarks and screenshots.

Public like `textual.pilot` or httpx's `MockTransport`: whoever drives the inbox
without a terminal (pytest, `bench/`, `scripts/screenshots.py`) builds it the
same way here, with the clock frozen so that ages, local times and snapshots do
not depend on the day they are taken.
"""

from __future__ import annotations

import asyncio
import contextlib
import os
import time
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import TYPE_CHECKING, Any

from textual.worker import WorkerCancelled

from inbox_tui.api.client import ConnectorClient
from inbox_tui.api.walk import WalkSettings
from inbox_tui.cli.session import simulator_client
from inbox_tui.tui.connection import Connection, Session

if TYPE_CHECKING:
    from textual.app import App
    from textual.pilot import Pilot

    from inbox_tui.simulator.app import Simulator
    from inbox_tui.tui.app import InboxApp

FROZEN_NOW = datetime(2026, 11, 20, 12, 0, tzinfo=UTC)


def frozen_inbox(
    simulator: Simulator | None,
    *,
    client: ConnectorClient | None = None,
    page_size: int = 100,
    now: datetime | Callable[[], datetime] = FROZEN_NOW,
    draft_path: Path | None = None,
    poll_seconds: float = 0,
    **options: Any,
) -> InboxApp:
    """The inbox on `simulator` (or on `client`), with the clock frozen at `now` (or read from it)."""
    from inbox_tui.tui.app import InboxApp

    clock = now if callable(now) else lambda: now

    if client is None:
        assert simulator is not None, "give a simulator or a client"
        client = simulator_client(simulator, "connector-inbox tests")
    connection = Connection(client, WalkSettings(page_size=page_size, now=clock), poll_seconds=poll_seconds)
    session = Session(lambda: connection, options.pop("cache", None), options.pop("environment", "demo"))
    return InboxApp(
        session,
        draft_path=draft_path,
        now=clock,
        **options,
    )


async def settle(pilot: Pilot[Any]) -> None:
    """Let the highlight settle and every worker finish, and their messages be handled.

    A worker cancelled on purpose (a stale load) is part of settling, not a failure.
    """
    for _ in range(3):
        await pilot.pause()
        while _highlight_is_settling(pilot.app):
            await pilot.pause(0.02)
        for worker in list(pilot.app.workers):
            with contextlib.suppress(WorkerCancelled):
                await worker.wait()
    await pilot.pause()


def _highlight_is_settling(app: App[Any]) -> bool:
    from inbox_tui.tui.screens.main import MainScreen

    return any(isinstance(screen, MainScreen) and screen.is_highlight_settling for screen in app.screen_stack)


@dataclass
class SoakReport:
    polls: int
    requests: int
    faults: int
    refused_by_limits: int
    rows: int
    duplicate_rows: int
    rss_growth_mb: float
    simulated_hours: float
    messages_written: int = 0
    """By the living hotel (staff), after the inbox first looked."""
    messages_missed: int = 0
    messages_repeated: int = 0


SOAK_FAULTS = ("500", "503", "429:retry-after=30", "html", "truncated", "wrong-shape", "empty")


async def soak(
    polls: int, *, seed: int = 3, speed: float = 6000, fault_rate: float = 0.2, living: bool = False
) -> SoakReport:
    """The inbox polling a simulator for `polls` polls, `speed` times faster than real time.

    Clocks, sleeps and the documented demo limits (enforced by the simulator, and by
    the client's own limiter) all run on the accelerated clock; a seeded share of the
    requests meets a fault, new threads arrive now and then and `r` takes them in.
    `living`: the simulator's hotel writes too (staff messages, guest threads), on the
    accelerated clock, and every message it writes must reach the inbox once.
    """
    import gc
    import random

    from inbox_tui.api.ratelimit import RateLimiter, RequestLimits
    from inbox_tui.simulator.app import Simulator
    from inbox_tui.tui.widgets.thread_list import ThreadList

    rng = random.Random(seed)
    started = time.monotonic()

    def clock() -> float:
        return started + (time.monotonic() - started) * speed

    async def sleep(seconds: float) -> None:
        await asyncio.sleep(seconds / speed)

    def now() -> datetime:
        return FROZEN_NOW + timedelta(seconds=clock() - started) if living else FROZEN_NOW

    simulator = Simulator.seeded(threads=300, seed=seed, now=FROZEN_NOW)
    simulator.clock = now
    simulator.enforce_limits("demo", clock=clock)
    if living:
        simulator.come_alive(seed)
    limiter = RateLimiter(RequestLimits.demo(), clock=clock, sleep=sleep)
    client = simulator_client(simulator, "connector-inbox soak", rate_limiter=limiter, sleep=sleep)
    app = frozen_inbox(None, client=client, page_size=50, poll_seconds=60 / speed, now=now)
    done = 0
    real_poll = app.feed.poll
    seen: set[str] = set()
    repeated = 0

    watched_from: list[datetime] = []

    async def counted_poll(walk: Any) -> Any:
        nonlocal done, repeated
        done += 1
        if not watched_from:  # what the hotel wrote before the inbox first looked is not news
            watched_from.append(walk.state.mark)
        merge, activity = await real_poll(walk)
        for message in activity.messages:
            repeated += message.Id in seen
            seen.add(message.Id)
        return merge, activity

    app.feed.poll = counted_poll  # type: ignore[method-assign]
    faults = arrivals = 0
    baseline = None
    simulator.log = _CountingLog()  # counted, not kept: the soak measures the inbox's memory
    async with app.run_test(size=(100, 30)) as pilot:
        thread_list = app.screen.query_one(ThreadList)
        while not thread_list.threads:
            await asyncio.sleep(0.01)
        while done < polls:
            await asyncio.sleep(0.01)
            # One fault waiting at a time: a backlog would fail every poll, and the poll
            # rightly backs off while requests keep failing.
            if not simulator.faults.script and rng.random() < fault_rate:
                simulator.faults.push(f"getAll:{rng.choice(SOAK_FAULTS)}")
                faults += 1
            if rng.random() < 0.05:
                # Within the pager's allowance for a server clock ahead of ours (its clock is frozen).
                arrivals += 1
                arrived = FROZEN_NOW + timedelta(seconds=arrivals)
                simulator.add_thread("Soak guest", f"Arrival {arrivals}", arrived)
            if rng.random() < 0.03:
                # The key's action: Pilot's press waits for an idle app, and a polling app
                # under faults is seldom idle.
                app.screen.action_refresh()  # type: ignore[attr-defined]
            if baseline is None and done >= min(200, polls // 10):
                gc.collect()
                baseline = _rss_mb()
        app.poll_seconds = 0  # the last poll schedules no other
        simulator.faults.script.clear()
        await settle(pilot)
        if living:
            # The hotel falls quiet, and one more poll finds what it wrote during the last one.
            simulator.living = None
            await app.screen._poll(app.screen._loading.generation).wait()  # type: ignore[attr-defined]
        gc.collect()
        growth = _rss_mb() - (baseline or _rss_mb())  # before the harness's own tally below
        written = {m.id for m in simulator.messages.written_since(watched_from[0])} if living else set()
        ids = [row.Id for row in thread_list.threads]
    return SoakReport(
        polls=done,
        requests=simulator.log.count,
        faults=faults,
        refused_by_limits=simulator.limits.refused if simulator.limits else 0,
        rows=len(ids),
        duplicate_rows=len(ids) - len(set(ids)),
        rss_growth_mb=growth,
        simulated_hours=(clock() - started) / 3600,
        messages_written=len(written),
        messages_missed=len(written - seen),
        messages_repeated=repeated,
    )


class _CountingLog(list[Any]):
    count = 0

    def append(self, item: Any) -> None:
        self.count += 1


def _rss_mb() -> float:
    with open("/proc/self/statm") as statm:
        return int(statm.read().split()[1]) * os.sysconf("SC_PAGE_SIZE") / 1e6

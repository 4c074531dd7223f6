"""The soak: the inbox polling a simulated hotel through random faults, in accelerated time.

The hotel (the simulator) runs in a process of its own and is reached over loopback, as a
platform is: the soak measures the inbox's memory, and what the hotel writes and keeps is
the platform's, not the inbox's. The harness drives it through a pipe (a fault for the
next request, a guest's new thread, falling quiet, a count of what it served and wrote),
each command carried out on the hotel's own event loop, between requests.
"""

from __future__ import annotations

import asyncio
import gc
import multiprocessing
import os
import random
import socket
import time
from dataclasses import dataclass
from datetime import datetime, timedelta
from multiprocessing.connection import Connection as Pipe
from typing import Any

from inbox_tui.api.client import ConnectorClient
from inbox_tui.testing import FROZEN_NOW, frozen_inbox, settle

STALLED_SECONDS = 60
SOAK_FAULTS = ("500", "503", "429:retry-after=30", "html", "truncated", "wrong-shape", "empty")


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


@dataclass(frozen=True)
class AcceleratedClock:
    """Time `speed` times faster than real time from `started` (a `time.monotonic()`, which
    every process of this machine reads alike); the platform's "now" moves with it when the
    hotel is living, and stays at FROZEN_NOW otherwise."""

    started: float
    speed: float
    living: bool

    def seconds(self) -> float:
        return self.started + (time.monotonic() - self.started) * self.speed

    def now(self) -> datetime:
        return FROZEN_NOW + timedelta(seconds=self.seconds() - self.started) if self.living else FROZEN_NOW

    async def sleep(self, seconds: float) -> None:
        await asyncio.sleep(seconds / self.speed)


async def soak(
    polls: int, *, seed: int = 3, speed: float = 6000, fault_rate: float = 0.2, living: bool = False
) -> SoakReport:
    """The inbox polling the hotel for `polls` polls, `speed` times faster than real time.

    Clocks, sleeps and the documented demo limits (enforced by the hotel, and by the
    client's own limiter) all run on the accelerated clock. After each poll, drawn with a
    seeded chance: a fault for the next request, a new thread, `r`. `living`: the hotel
    writes too (staff messages, guest threads), and every message it writes must reach
    the inbox once.
    """
    from inbox_tui.api.ratelimit import RateLimiter, RequestLimits

    rng = random.Random(seed)
    clock = AcceleratedClock(time.monotonic(), speed, living)
    with Hotel(seed, clock) as hotel:
        limiter = RateLimiter(RequestLimits.demo(), clock=clock.seconds, sleep=clock.sleep)
        client = hotel.client(rate_limiter=limiter, sleep=clock.sleep)
        app = frozen_inbox(None, client=client, page_size=50, poll_seconds=60 / speed, now=clock.now)
        done = 0
        polled = asyncio.Event()
        real_poll = app.feed.poll
        seen: set[str] = set()
        repeated = 0
        watched_from: list[datetime] = []

        async def counted_poll(walk: Any) -> Any:
            nonlocal done, repeated
            if not watched_from:  # what the hotel wrote before the inbox first looked is not news
                watched_from.append(walk.state.mark)
            try:
                merge, activity = await real_poll(walk)
            finally:
                done += 1
                polled.set()
            for message in activity.messages:
                repeated += message.Id in seen
                seen.add(message.Id)
            return merge, activity

        app.feed.poll = counted_poll  # type: ignore[method-assign]
        faults = arrivals = 0
        baseline = None
        async with app.run_test(size=(100, 30)) as pilot:
            from inbox_tui.tui.widgets.thread_list import ThreadList

            thread_list = app.screen.query_one(ThreadList)
            while done < polls:
                # Between two polls: what happens is drawn per poll, however long a poll takes.
                await asyncio.wait_for(polled.wait(), STALLED_SECONDS)  # or the inbox stopped polling
                polled.clear()
                # One fault waiting at a time: a backlog would fail every poll, and the poll
                # rightly backs off while requests keep failing.
                if rng.random() < fault_rate:
                    faults += await hotel.ask("fault", rng.choice(SOAK_FAULTS))
                if rng.random() < 0.05:
                    # Within the pager's allowance for a server clock ahead of ours (its clock is frozen).
                    arrivals += 1
                    await hotel.ask("arrive", f"Arrival {arrivals}", FROZEN_NOW + timedelta(seconds=arrivals))
                if rng.random() < 0.03:
                    # The key's action: Pilot's press waits for an idle app, and a polling app
                    # under faults is seldom idle.
                    app.screen.action_refresh()  # type: ignore[attr-defined]
                if baseline is None and done >= min(200, polls // 10):
                    gc.collect()
                    baseline = _rss_mb()
            app.poll_seconds = 0  # the last poll schedules no other
            await hotel.ask("no faults")
            await settle(pilot)
            if living:
                # The hotel falls quiet, and one more poll finds what it wrote during the last one.
                await hotel.ask("quiet")
                await app.screen._poll(app.screen._loading.generation).wait()  # type: ignore[attr-defined]
            gc.collect()
            growth = _rss_mb() - (baseline or _rss_mb())  # before the harness's own tally below
            requests, refused, written = await hotel.ask("report", watched_from[0] if living else None)
            ids = [row.Id for row in thread_list.threads]
        await client.aclose()
    return SoakReport(
        polls=done,
        requests=requests,
        faults=faults,
        refused_by_limits=refused,
        rows=len(ids),
        duplicate_rows=len(ids) - len(set(ids)),
        rss_growth_mb=growth,
        simulated_hours=(clock.seconds() - clock.started) / 3600,
        messages_written=len(written),
        messages_missed=len(written - seen),
        messages_repeated=repeated,
    )


class Hotel:
    """The soak's simulator in a process of its own, told what to do through a pipe."""

    def __init__(self, seed: int, clock: AcceleratedClock) -> None:
        context = multiprocessing.get_context("spawn")  # nothing of this process's threads
        self._pipe, theirs = context.Pipe()
        self._process = context.Process(target=_serve_hotel, args=(theirs, seed, clock), daemon=True)

    def __enter__(self) -> Hotel:
        self._process.start()
        try:
            self.url: str = self._pipe.recv()
        except EOFError:
            raise RuntimeError(
                "the soak's hotel did not start (its error is above); a script that runs a soak "
                "needs `if __name__ == '__main__':`, as the hotel's process imports it again"
            ) from None
        return self

    def __exit__(self, *exc: object) -> None:
        self._pipe.send(("stop",))
        self._process.join(10)
        if self._process.is_alive():
            self._process.kill()

    def client(self, **options: Any) -> ConnectorClient:
        from pydantic import SecretStr

        from inbox_tui.simulator.app import DEMO_ACCESS_TOKEN, DEMO_CLIENT_TOKEN

        return ConnectorClient(
            self.url,
            SecretStr(DEMO_CLIENT_TOKEN),
            SecretStr(DEMO_ACCESS_TOKEN),
            "connector-inbox soak",
            **options,
        )

    async def ask(self, *command: Any) -> Any:
        """Carry out `command` in the hotel, without blocking the inbox's event loop meanwhile."""
        self._pipe.send(command)
        return await asyncio.to_thread(self._pipe.recv)


def _serve_hotel(pipe: Pipe, seed: int, clock: AcceleratedClock) -> None:
    asyncio.run(_hotel(pipe, seed, clock))


async def _hotel(pipe: Pipe, seed: int, clock: AcceleratedClock) -> None:
    import uvicorn

    from inbox_tui.simulator.app import Simulator

    simulator = Simulator.seeded(threads=300, seed=seed, now=FROZEN_NOW)
    simulator.clock = clock.now
    simulator.enforce_limits("demo", clock=clock.seconds)
    if clock.living:
        simulator.come_alive(seed)
    simulator.log = _CountingLog()  # counted, not kept
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    server = uvicorn.Server(uvicorn.Config(simulator.app, host="127.0.0.1", port=port, log_level="error"))
    serving = asyncio.create_task(server.serve())
    while not server.started:
        await asyncio.sleep(0.01)
    pipe.send(f"http://127.0.0.1:{port}")
    while True:
        name, *arguments = await asyncio.to_thread(pipe.recv)
        if name == "stop":
            break
        pipe.send(_carry_out(simulator, name, arguments))
    server.should_exit = True
    await serving


def _carry_out(simulator: Any, name: str, arguments: list[Any]) -> Any:
    """A command of the harness, on the hotel's event loop (between two requests)."""
    if name == "fault":  # a fault for the next request, unless one is waiting: how many pushed
        if simulator.faults.script:
            return 0
        simulator.faults.push(f"getAll:{arguments[0]}")
        return 1
    if name == "arrive":
        simulator.add_thread("Soak guest", *arguments)
    elif name == "no faults":
        simulator.faults.script.clear()
    elif name == "quiet":
        simulator.living = None
    elif name == "report":
        (mark,) = arguments
        written = {m.id for m in simulator.messages.written_since(mark)} if mark else set()
        return simulator.log.count, simulator.limits.refused, written
    return None


class _CountingLog(list[Any]):
    count = 0

    def append(self, item: Any) -> None:
        self.count += 1


def _rss_mb() -> float:
    with open("/proc/self/statm") as statm:
        return int(statm.read().split()[1]) * os.sysconf("SC_PAGE_SIZE") / 1e6

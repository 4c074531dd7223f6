"""The client-side limiter keeps a burst under the documented budgets."""

from __future__ import annotations

import pytest

from inbox_tui.api.ratelimit import RateLimiter, RequestLimits


async def acquire(limiter: RateLimiter, endpoint: str, *, paginated: bool) -> None:
    async with limiter.slot(endpoint, paginated=paginated):
        pass


class FakeClock:
    def __init__(self) -> None:
        self.now = 0.0
        self.waits: list[float] = []

    def __call__(self) -> float:
        return self.now

    async def sleep(self, seconds: float) -> None:
        self.waits.append(seconds)
        self.now += seconds


async def test_requests_within_the_budget_never_wait() -> None:
    clock = FakeClock()
    limiter = RateLimiter(RequestLimits(per_token=5, per_endpoint=3), clock=clock, sleep=clock.sleep)
    for _ in range(3):
        await acquire(limiter, "/add", paginated=False)
    assert clock.waits == []


async def test_the_request_over_the_endpoint_budget_waits_for_the_oldest_to_leave_the_window() -> None:
    clock = FakeClock()
    limiter = RateLimiter(
        RequestLimits(per_token=5, per_endpoint=3, window_seconds=100), clock=clock, sleep=clock.sleep
    )
    for second in range(3):
        clock.now = second
        await acquire(limiter, "/add", paginated=False)
    await acquire(limiter, "/add", paginated=False)
    assert clock.waits == [98.0]


async def test_paginated_requests_get_ten_times_the_budget() -> None:
    clock = FakeClock()
    older_statement = RequestLimits(per_token=500, per_endpoint=250, rolling=10**6)
    limiter = RateLimiter(older_statement, clock=clock, sleep=clock.sleep)
    for _ in range(2500):
        await acquire(limiter, "/getAll", paginated=True)
    assert clock.waits == []
    await acquire(limiter, "/getAll", paginated=True)
    assert clock.waits == [900.0]


async def test_every_request_counts_against_200_in_a_rolling_30_seconds() -> None:
    clock = FakeClock()
    limiter = RateLimiter(RequestLimits.production(), clock=clock, sleep=clock.sleep)
    for index in range(200):
        clock.now = index / 10
        await acquire(limiter, "/messages/getAll", paginated=True)
    assert clock.waits == []
    await acquire(limiter, "/messageThreads/getAll", paginated=True)
    assert clock.waits == [pytest.approx(10.1)]  # until the first of the 200 is 30 s old

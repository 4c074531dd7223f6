"""The client-side limiter keeps a burst under the documented budgets."""

from __future__ import annotations

from inbox_tui.api.ratelimit import RateLimiter, RequestLimits


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
        await limiter.acquire("/add", paginated=False)
    assert clock.waits == []


async def test_the_request_over_the_endpoint_budget_waits_for_the_oldest_to_leave_the_window() -> None:
    clock = FakeClock()
    limiter = RateLimiter(
        RequestLimits(per_token=5, per_endpoint=3, window_seconds=100), clock=clock, sleep=clock.sleep
    )
    for second in range(3):
        clock.now = second
        await limiter.acquire("/add", paginated=False)
    await limiter.acquire("/add", paginated=False)
    assert clock.waits == [98.0]


async def test_paginated_requests_get_ten_times_the_budget() -> None:
    clock = FakeClock()
    limiter = RateLimiter(RequestLimits.demo(), clock=clock, sleep=clock.sleep)
    for _ in range(2500):
        await limiter.acquire("/getAll", paginated=True)
    assert clock.waits == []
    await limiter.acquire("/getAll", paginated=True)
    assert clock.waits == [900.0]

"""A client-side sliding-window limiter, so that scrolling fast never meets a 429.

The Connector API counts requests per AccessToken and per endpoint over 15
minutes, with ten times the allowance for paginated requests. We count the same
way and wait for the oldest request to leave the window when a budget is spent.
"""

from __future__ import annotations

import asyncio
import time
from collections import deque
from collections.abc import Awaitable, Callable
from dataclasses import dataclass

WINDOW_SECONDS = 15 * 60
PAGINATION_FACTOR = 10


@dataclass(frozen=True)
class RequestLimits:
    """Budgets per window; `demo` and `production` are the documented ones."""

    per_token: int
    per_endpoint: int
    window_seconds: float = WINDOW_SECONDS

    @classmethod
    def demo(cls) -> RequestLimits:
        return cls(per_token=500, per_endpoint=250)

    @classmethod
    def production(cls) -> RequestLimits:
        return cls(per_token=3000, per_endpoint=1500)


class RateLimiter:
    """Waits (with the injected sleep) until a request fits in every budget it counts against."""

    def __init__(
        self,
        limits: RequestLimits,
        *,
        clock: Callable[[], float] = time.monotonic,
        sleep: Callable[[float], Awaitable[None]] = asyncio.sleep,
    ) -> None:
        self._limits = limits
        self._clock = clock
        self._sleep = sleep
        self._sent: dict[str, deque[float]] = {}
        self._lock = asyncio.Lock()

    async def acquire(self, endpoint: str, *, paginated: bool) -> None:
        factor = PAGINATION_FACTOR if paginated else 1
        budgets = {
            "*" if not paginated else "*paginated": self._limits.per_token * factor,
            endpoint: self._limits.per_endpoint * factor,
        }
        async with self._lock:
            while (wait := self._wait_needed(budgets)) > 0:
                await self._sleep(wait)
            now = self._clock()
            for key in budgets:
                self._sent.setdefault(key, deque()).append(now)

    def _wait_needed(self, budgets: dict[str, int]) -> float:
        now = self._clock()
        horizon = now - self._limits.window_seconds
        wait = 0.0
        for key, budget in budgets.items():
            sent = self._sent.setdefault(key, deque())
            while sent and sent[0] <= horizon:
                sent.popleft()
            if len(sent) >= budget:
                wait = max(wait, sent[0] - horizon)
        return wait

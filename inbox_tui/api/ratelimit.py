"""A client-side sliding-window limiter, so that scrolling fast never meets a 429.

The Connector API's current statement is 200 requests per AccessToken within a
rolling 30-second window, for every request; the older one counts per AccessToken
and per endpoint over 15 minutes, with ten times the allowance for paginated
requests. We keep within both, counting the same way, and wait for the oldest
request to leave a window when its budget is spent.
"""

from __future__ import annotations

import asyncio
import time
from collections import deque
from collections.abc import AsyncIterator, Awaitable, Callable
from contextlib import asynccontextmanager
from dataclasses import dataclass

WINDOW_SECONDS = 15 * 60
PAGINATION_FACTOR = 10


@dataclass(frozen=True)
class RequestLimits:
    """Budgets per window; `demo` and `production` are the documented ones."""

    per_token: int
    per_endpoint: int
    window_seconds: float = WINDOW_SECONDS
    rolling: int = 200
    rolling_seconds: float = 30
    """The current statement: `rolling` requests of any kind per `rolling_seconds`."""

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
        self._sent: dict[str, deque[list[float]]] = {}
        """When each counted request ended (or began, while it runs), oldest first."""
        self._lock = asyncio.Lock()

    @asynccontextmanager
    async def slot(self, endpoint: str, *, paginated: bool) -> AsyncIterator[None]:
        """Held around one request: entered when it fits every budget, and counted from the
        moment it ends, since the platform counts it on arrival, somewhere in between: a
        window reckoned from our send times could let the platform see 201 in 30 s."""
        factor = PAGINATION_FACTOR if paginated else 1
        limits = self._limits
        budgets = {
            ("*" if not paginated else "*paginated"): (limits.per_token * factor, limits.window_seconds),
            endpoint: (limits.per_endpoint * factor, limits.window_seconds),
            "*rolling": (limits.rolling, limits.rolling_seconds),
        }
        async with self._lock:
            while (wait := self._wait_needed(budgets)) > 0:
                await self._sleep(wait)
            moment = [self._clock()]
            for key in budgets:
                self._sent.setdefault(key, deque()).append(moment)
        try:
            yield
        finally:
            moment[0] = max(moment[0], self._clock())

    def _wait_needed(self, budgets: dict[str, tuple[int, float]]) -> float:
        now = self._clock()
        wait = 0.0
        for key, (budget, window_seconds) in budgets.items():
            horizon = now - window_seconds
            sent = self._sent.setdefault(key, deque())
            while sent and sent[0][0] <= horizon:
                sent.popleft()
            if len(sent) >= budget:
                wait = max(wait, sent[0][0] - horizon)
        return wait

"""Optional enforcement of the documented request limits, answered with 429 + Retry-After:
the current statement (200 requests per AccessToken in a rolling 30 seconds) and the older
per-environment one (per AccessToken and per endpoint in 15 minutes)."""

from __future__ import annotations

import math
from collections import deque
from collections.abc import Callable

WINDOW_SECONDS = 15 * 60
ROLLING, ROLLING_SECONDS = 200, 30

# (per AccessToken, per endpoint per AccessToken) in 15 minutes; paginated requests get ten times.
ENVIRONMENT_LIMITS = {"demo": (500, 250), "production": (3000, 1500)}


class RequestLimits:
    def __init__(self, environment: str, clock: Callable[[], float]) -> None:
        self.per_token, self.per_endpoint = ENVIRONMENT_LIMITS[environment]
        self._clock = clock
        self._seen: dict[tuple[str, str], deque[float]] = {}
        self.refused = 0
        """Requests answered 429 because they were over a limit."""

    def check(self, token: str, endpoint: str, paginated: bool) -> int | None:
        """Record the request, or return the seconds to wait if it is over a limit."""
        factor = 10 if paginated else 1
        now = self._clock()
        buckets = [
            ((token, "*paginated" if paginated else "*"), self.per_token * factor, WINDOW_SECONDS),
            ((token, endpoint), self.per_endpoint * factor, WINDOW_SECONDS),
            ((token, "*rolling"), ROLLING, ROLLING_SECONDS),
        ]
        wait = 0.0
        for key, limit, seconds in buckets:
            times = self._seen.setdefault(key, deque())
            while times and times[0] <= now - seconds:
                times.popleft()
            if len(times) >= limit:
                wait = max(wait, times[0] + seconds - now)
        if wait > 0:
            self.refused += 1
            return max(1, math.ceil(wait))
        for key, _, _ in buckets:
            self._seen[key].append(now)
        return None

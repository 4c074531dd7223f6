"""Sending something the platform does not deduplicate, without ever sending it twice.

`messageThreads/add` and `messages/add` are not idempotent. When an attempt fails
in a way that may have happened after the platform acted (the answer was lost,
or a 5xx), what we sent may exist. Before anyone sends the same thing again we
look for it; only when it is not there does the next attempt send.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Hashable
from datetime import UTC, datetime, timedelta
from typing import Generic, TypeVar

from inbox_tui.api.errors import ApiError, NetworkError, ServerError

# Room for a server clock that differs from ours when looking for an earlier attempt.
LOOKUP_MARGIN = timedelta(minutes=5)

Result = TypeVar("Result")


def is_ambiguous(error: ApiError) -> bool:
    """Could the platform have acted on the request although we got an error?"""
    return isinstance(error, NetworkError | ServerError) and error.may_have_reached_server


class SendOnce(Generic[Result]):
    """Remembers, per key (the content sent), the first attempt whose outcome is unknown."""

    def __init__(self, now: Callable[[], datetime] = lambda: datetime.now(UTC)) -> None:
        self._now = now
        self._unresolved: dict[Hashable, datetime] = {}

    @property
    def has_unresolved(self) -> bool:
        return bool(self._unresolved)

    async def send(
        self,
        key: Hashable,
        attempt: Callable[[], Awaitable[Result]],
        find: Callable[[datetime], Awaitable[Result | None]],
    ) -> Result:
        """`attempt()` once, unless `find(since)` shows an earlier ambiguous attempt succeeded.

        `find` gets the time the first unresolved attempt with this key started.
        """
        earlier = self._unresolved.get(key)
        if earlier is not None:
            found = await find(earlier)
            if found is not None:
                del self._unresolved[key]
                return found
        started = earlier or self._now()
        try:
            result = await attempt()
        except ApiError as error:
            if not is_ambiguous(error):
                raise
            self._unresolved[key] = started
            try:
                found = await find(started)
            except ApiError:
                raise error from None
            if found is None:
                # Not there yet; the platform may still be working on it, so the
                # next attempt with the same content looks again before it sends.
                raise
            result = found
        self._unresolved.pop(key, None)
        return result

"""ThreadPager: the whole history as one newest-first stream of equal pages.

getAll needs a time filter of at most three months, so "every thread" is a walk
back through consecutive windows, following the Cursor inside each one. The
pager hides the walk: each `next_page()` returns `page_size` threads (fewer only
at the very end), filling a page across window edges.
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Iterable
from datetime import datetime, timedelta
from typing import TYPE_CHECKING, Literal

from inbox_tui.api.errors import ProtocolError
from inbox_tui.api.models import MAX_COUNT, MessageThread, TimeInterval
from inbox_tui.api.walk import (
    DEFAULT_HISTORY_START,
    DEFAULT_MAX_EMPTY_WINDOWS,
    WalkSettings,
    WalkState,
)

if TYPE_CHECKING:
    from inbox_tui.api.client import ConnectorClient

# 89 days is the shortest three calendar months (February to April), so every
# reading of "at most 3 months" accepts these windows.
WINDOW = timedelta(days=89)
# Threads created "now" on a server whose clock runs ahead must still be found.
CLOCK_SKEW = timedelta(minutes=10)
__all__ = [
    "DEFAULT_HISTORY_START",
    "DEFAULT_MAX_EMPTY_WINDOWS",
    "ThreadPager",
    "UpdateOrderPager",
    "WalkSettings",
]

TimeFilter = Literal["CreatedUtc", "UpdatedUtc"]
UPDATE_ORDER_WINDOW = timedelta(days=7)
"""Windows read whole for the update order: short, so the first screen comes quickly."""


def _checked_size(size: int) -> int:
    if not 1 <= size <= MAX_COUNT:
        raise ValueError(f"a page holds 1 to {MAX_COUNT} threads, not {size}")
    return size


class ThreadPager:
    """Pages of threads, newest first, each thread exactly once, each request once."""

    def __init__(
        self,
        client: ConnectorClient,
        settings: WalkSettings = WalkSettings(),  # noqa: B008 (frozen)
        *,
        window: timedelta = WINDOW,
        resume: WalkState | None = None,
        seen: Iterable[str] = (),
        by: TimeFilter = "CreatedUtc",
        until: datetime | None = None,
    ) -> None:
        """`resume` continues a walk where `walk_state()` left it, skipping the `seen` threads."""
        self._client = client
        self._by = by
        self.page_size = _checked_size(settings.page_size)
        self._history_start = settings.history_start
        self._max_empty_windows = settings.max_empty_windows
        self._window = window
        # `until` ends a range of the user's choosing; otherwise the walk starts at "now".
        self._window_end = until if until is not None else settings.now() + CLOCK_SKEW
        self._cursor: str | None = None
        self._window_had_threads = False
        self._empty_windows = 0
        self._seen: set[str] = set(seen)
        # Threads gathered for a page whose filling failed half-way: kept for the retry.
        self._pending: list[MessageThread] = []
        self.is_exhausted = False
        self.requests_made = 0
        if resume is not None:
            self._window_end = resume.window_end
            self._cursor = resume.cursor
            self._window_had_threads = resume.window_had_threads
            self._empty_windows = resume.empty_windows
            self.is_exhausted = resume.is_exhausted

    def walk_state(self) -> WalkState:
        """Where the walk stands after the threads returned so far."""
        return WalkState(
            window_end=self._window_end,
            cursor=self._cursor,
            window_had_threads=self._window_had_threads,
            empty_windows=self._empty_windows,
            is_exhausted=self.is_exhausted and not self._pending,
        )

    @property
    def has_pending(self) -> bool:
        """Threads already fetched but not yet returned in a page."""
        return bool(self._pending)

    @property
    def reach(self) -> str:
        return f"back to {self._window_end:%Y-%m-%d}"

    async def next_page(self, size: int | None = None) -> list[MessageThread]:
        """The next `size` (by default `page_size`) older threads; an empty list once `is_exhausted`."""
        size = self.page_size if size is None else _checked_size(size)
        while len(self._pending) < size and not self.is_exhausted:
            await self._fetch(size - len(self._pending))
        page, self._pending = self._pending[:size], self._pending[size:]
        return page

    async def next_window(self) -> list[MessageThread]:
        """Every thread of the current window, all its pages, then the walk moves on."""
        window_end = self._window_end
        while not self.is_exhausted and self._window_end == window_end:
            await self._fetch(MAX_COUNT)
        threads, self._pending = self._pending, []
        return threads

    async def __aiter__(self) -> AsyncIterator[list[MessageThread]]:
        while not self.is_exhausted or self._pending:
            page = await self.next_page()
            if page:
                yield page

    async def _fetch(self, wanted: int) -> None:
        start = max(self._window_end - self._window, self._history_start)
        interval = TimeInterval(StartUtc=start, EndUtc=self._window_end)
        if self._by == "UpdatedUtc":
            response = await self._client.get_all(updated=interval, cursor=self._cursor, count=wanted)
        else:
            response = await self._client.get_all(created=interval, cursor=self._cursor, count=wanted)
        self.requests_made += 1
        threads = response.MessageThreads
        for thread in threads:
            if thread.Id not in self._seen:
                self._seen.add(thread.Id)
                self._pending.append(thread)
        if threads:
            self._window_had_threads = True
        if len(threads) < wanted:
            self._close_window(start)
            return
        cursor = response.Cursor or threads[-1].Id
        if cursor == self._cursor:
            raise ProtocolError("The platform returned the same page twice (its Cursor did not move).")
        self._cursor = cursor

    def _close_window(self, start: datetime) -> None:
        self._empty_windows = 0 if self._window_had_threads else self._empty_windows + 1
        self._window_end = start
        self._cursor = None
        self._window_had_threads = False
        if start <= self._history_start or self._empty_windows >= self._max_empty_windows:
            self.is_exhausted = True


class UpdateOrderPager:
    """Threads by their last update, newest first, for the view sorted by UpdatedUtc.

    The API filters by UpdatedUtc but returns threads newest-created first, so each
    window of the UpdatedUtc walk is read whole and sorted before it is handed out.
    Each request is still made once per cursor.
    """

    def __init__(self, pager: ThreadPager) -> None:
        self._pager = pager
        self.page_size = pager.page_size
        self._ready: list[MessageThread] = []

    @property
    def is_exhausted(self) -> bool:
        return self._pager.is_exhausted and not self._ready

    @property
    def requests_made(self) -> int:
        return self._pager.requests_made

    @property
    def reach(self) -> str:
        return self._pager.reach

    def walk_state(self) -> None:
        """The update order is not cached: it changes with every reply."""
        return None

    async def next_page(self, size: int | None = None) -> list[MessageThread]:
        size = self.page_size if size is None else _checked_size(size)
        while len(self._ready) < size and not self._pager.is_exhausted:
            window = await self._pager.next_window()
            self._ready.extend(
                sorted(window, key=lambda thread: (thread.UpdatedUtc, thread.Id), reverse=True)
            )
        page, self._ready = self._ready[:size], self._ready[size:]
        return page

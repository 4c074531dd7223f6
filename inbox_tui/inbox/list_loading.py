"""ListLoading: the loading, retry, refresh and poll state of the thread list, with no Textual.

The main screen runs the workers and draws; this object decides. One page load
is in flight at a time (so no Cursor is asked for twice); every new list (a
refresh, another order, another profile) takes a new `generation`, and an answer
of an older generation is dropped. `r` means one of three things, decided in
`refresh`: take the new threads the poll found, retry what failed, or reload.
"""

from __future__ import annotations

import math
import random
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Literal

FAST_READER_ROWS_PER_SECOND = 40  # holding down, with key repeat
MAX_POLL_BACKOFF = 15 * 60.0  # seconds between polls while they keep failing: one rate-limit window
WAITING_NOTICE_AFTER = 2.0
"""Seconds a load may take before the status line counts the wait."""

RefreshStep = Literal["take new", "retry", "reload"]


@dataclass
class ListLoading:
    """Where loading the list stands, kept apart from the screen so tests can drive it directly."""

    clock: Callable[[], float] = time.monotonic
    generation: int = 0
    is_loading: bool = False
    is_retry_pending: bool = False
    """A page failed or was cancelled: `r` retries it instead of reloading."""
    is_checking_cache: bool = False
    """The rows came from the cache and the platform has not confirmed them yet."""
    is_head_start: bool = False
    """Those rows were fetched while the app started (nothing was cached), not read from the cache."""
    poll_failures: int = 0
    _loading_since: float = 0.0
    _slowest_load: float = field(default=0.0, repr=False)

    def restart(self) -> None:
        """Another profile or order: whatever was on its way belongs to the old list."""
        self.generation += 1
        self.is_loading = self.is_retry_pending = self.is_checking_cache = self.is_head_start = False
        self.poll_failures = 0

    def start(self) -> None:
        self.is_loading = True
        self._loading_since = self.clock()

    def can_load_more(self, *, is_connected: bool, is_exhausted: bool) -> bool:
        return is_connected and not (self.is_loading or self.is_retry_pending or is_exhausted)

    def is_current(self, generation: int) -> bool:
        return generation == self.generation

    def page_arrived(self) -> None:
        self.is_loading = False
        self._slowest_load = max(self._slowest_load, self.clock() - self._loading_since)

    def prefetch_rows(self, page_size: int) -> int:
        """Rows to keep loaded ahead: at least what a fast reader covers while the slowest
        page so far loads."""
        return max(page_size, math.ceil(self._slowest_load * FAST_READER_ROWS_PER_SECOND))

    def list_replaced(self) -> None:
        self.is_loading = self.is_checking_cache = False

    def failed(self, *, was_refresh: bool) -> None:
        self.is_loading = False
        if not was_refresh:
            self.is_retry_pending = True

    def cancel(self) -> None:
        self.generation += 1  # whatever was on its way is no longer wanted
        self.is_loading = False
        self.is_retry_pending = True

    def refresh(self, *, new_waiting: int) -> RefreshStep:
        """What `r` does now; for a reload, a new generation has begun."""
        if new_waiting:
            return "take new"
        if self.is_retry_pending:
            self.is_retry_pending = False
            return "retry"
        self.generation += 1
        return "reload"

    def waited(self) -> float | None:
        """Seconds the load in flight has taken, once that is worth saying."""
        waited = self.clock() - self._loading_since
        return waited if self.is_loading and waited >= WAITING_NOTICE_AFTER else None

    def may_poll(self, *, is_in_front: bool) -> bool:
        """Not behind a form or help, nor while a load is failing: the next poll will."""
        return is_in_front and not self.is_retry_pending

    def next_poll(self, poll_seconds: float, *, failed: bool = False) -> float:
        """Seconds to the next poll, jittered so that inboxes started together do not ask together;
        doubling while polls fail, up to a rate-limit window."""
        self.poll_failures = self.poll_failures + 1 if failed else 0
        delay = min(MAX_POLL_BACKOFF, poll_seconds * 2**self.poll_failures) if failed else poll_seconds
        return delay * random.uniform(0.9, 1.1)

    def title(
        self, environment: str, count: int, view: str, new_waiting: int, refresh_key: str, unread: int = 0
    ) -> str:
        """The header: where, how many, which view, what is unread, and what is waiting."""
        title = f"{environment} · {count:,} threads · {view}"
        if unread:
            title += f" · {unread:,} unread"
        if self.is_checking_cache:
            title += " · checking…" if self.is_head_start else " · cached, checking…"
        if new_waiting:
            title += f" · {new_waiting:,} new ({refresh_key})"
        return title

    def progress(self, count: int, *, is_exhausted: bool) -> str:
        """The status line once nothing is on its way."""
        if self.is_checking_cache:
            source = "fetched while starting" if self.is_head_start else "from the local cache"
            return f"{count:,} threads {source} (shown dimmed); checking with the platform…"
        if is_exhausted:
            return f"{count:,} threads: the whole history is loaded."
        return f"{count:,} threads loaded; scroll for older ones."

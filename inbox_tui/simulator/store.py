"""The simulator's thread store and the getAll query semantics.

Threads are ordered newest first by (CreatedUtc, Id). Time filters include both
ends. A Cursor is the Id of a thread; the answer holds the threads that come
after it in that order, so pages neither overlap nor skip.
"""

from __future__ import annotations

import bisect
import random
from collections.abc import Iterable
from datetime import datetime

from inbox_tui.simulator.data import SimThread, uuid4_text


class UnknownCursor(LookupError):
    """The Cursor names no thread: the request is invalid."""


class ThreadStore:
    def __init__(self, threads: Iterable[SimThread] = (), seed: int | None = None) -> None:
        """`seed` makes the Ids of added threads repeatable (tests, screenshots)."""
        self._rng = random.Random(seed)
        self._threads: list[SimThread] = sorted(threads, key=_key)
        self._keys = [_key(thread) for thread in self._threads]
        self._by_id = {thread.id: thread for thread in self._threads}

    def __len__(self) -> int:
        return len(self._threads)

    def get(self, thread_id: str) -> SimThread | None:
        return self._by_id.get(thread_id)

    def all_newest_first(self) -> list[SimThread]:
        return self._threads[::-1]

    def add(self, sender: str, subject: str, now: datetime) -> SimThread:
        thread_id = uuid4_text(self._rng.getrandbits(128))
        while thread_id in self._by_id:  # seeded generators may repeat an Id: a platform never does
            thread_id = uuid4_text(self._rng.getrandbits(128))
        thread = SimThread(thread_id, sender, subject, now, now, is_resolved=False)
        index = bisect.bisect(self._keys, _key(thread))
        self._keys.insert(index, _key(thread))
        self._threads.insert(index, thread)
        self._by_id[thread.id] = thread
        return thread

    def query(
        self,
        *,
        ids: list[str] | None,
        created: tuple[datetime, datetime] | None,
        updated: tuple[datetime, datetime] | None,
        cursor: str | None,
        count: int,
    ) -> list[SimThread]:
        low, high = 0, len(self._keys)
        if created is not None:
            low = bisect.bisect_left(self._keys, (created[0],))
            high = bisect.bisect_right(self._keys, (created[1], "\U0010ffff"))
        if cursor is not None:
            anchor = self._by_id.get(cursor)
            if anchor is None:
                raise UnknownCursor(cursor)
            high = min(high, bisect.bisect_left(self._keys, _key(anchor)))
        wanted_ids = set(ids) if ids else None
        found: list[SimThread] = []
        for index in range(high - 1, low - 1, -1):
            thread = self._threads[index]
            if wanted_ids is not None and thread.id not in wanted_ids:
                continue
            if updated is not None and not updated[0] <= thread.updated <= updated[1]:
                continue
            found.append(thread)
            if len(found) == count:
                break
        return found


def _key(thread: SimThread) -> tuple[datetime, str]:
    return (thread.created, thread.id)

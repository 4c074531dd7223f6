"""ThreadFeed: where the rows of the thread list come from, and in what order.

No Textual here: the main screen asks and applies the answers to the list.
Rows come first from the local cache (at once, marked), then from the history
walk, which continues where the cached rows end, so that exactly one request is
made per cursor. The newest threads are revalidated against the cache (new ones
go on top, changed ones are replaced in place), cached rows are confirmed by
their Ids in batches, and a poll counts the threads that arrived meanwhile
without moving anything until the reader asks for them.
"""

from __future__ import annotations

import asyncio
from collections.abc import Sequence
from dataclasses import dataclass, field
from itertools import islice
from typing import TYPE_CHECKING

from inbox_tui.api.limits import MAX_COUNT, MAX_THREAD_IDS
from inbox_tui.inbox.rows import ThreadRow

if TYPE_CHECKING:
    from inbox_tui.api.client import ConnectorClient
    from inbox_tui.api.models import MessageThread
    from inbox_tui.api.walk import NewPager, Pager, ResumePager
    from inbox_tui.inbox.activity import Activity, ActivityWalk
    from inbox_tui.inbox.thread_cache import ThreadCache

CACHED_CHUNK = 500
"""Cached rows read per step: the first screenful and some, so the first frame is quick."""


@dataclass
class Merge:
    """What an answer changes in the list: rows to put on top, rows to replace, rows to drop."""

    on_top: list[MessageThread] = field(default_factory=list)
    replaced: list[MessageThread] = field(default_factory=list)
    gone: list[str] = field(default_factory=list)

    def __bool__(self) -> bool:
        return bool(self.on_top or self.replaced or self.gone)


class ThreadFeed:
    def __init__(self, cache: ThreadCache | None = None) -> None:
        """The cached rows can be read at once; everything else waits for `connect`."""
        self._cache = cache
        self._page_size = 100
        self._known: dict[str, ThreadRow] = {}
        self._cached_offset = 0
        self._has_more_cached = cache is not None
        self._pager: Pager | None = None
        self._unconfirmed: dict[str, None] = {}  # in list order
        self._waiting: list[MessageThread] = []
        self.moves_changed_to_top = False
        """The update order: a thread with new activity goes to the top (when `r` takes it)."""

    def connect(
        self,
        new_pager: NewPager,
        client: ConnectorClient,
        *,
        page_size: int = 100,
        resume_pager: ResumePager | None = None,
    ) -> None:
        """`resume_pager` goes on with the walk the cache remembers; without it (a view that is
        not cached) every walk starts from the newest thread."""
        self._new_pager = new_pager
        self._resume_pager = resume_pager
        self._client = client
        self._page_size = page_size

    # The first rows

    def cached_rows(self) -> list[ThreadRow]:
        """The first rows to paint, straight from the cache, before any request."""
        return self._read_cached()

    def _read_cached(self) -> list[ThreadRow]:
        if self._cache is None or not self._has_more_cached:
            return []
        chunk = self._cache.read_threads(self._cached_offset, CACHED_CHUNK)
        self._cached_offset += CACHED_CHUNK
        # A full chunk means there may be more, even when some of it is already shown (threads
        # merged on top since the start are saved ahead of the cached ones and shift them down).
        self._has_more_cached = len(chunk) == CACHED_CHUNK
        rows: list[ThreadRow] = [row for row in chunk if row.Id not in self._known]
        self.adopt(rows)
        return rows

    def adopt(self, rows: Sequence[ThreadRow]) -> None:
        """Rows shown before the platform confirmed them: read from the cache, or fetched before
        the connection was made (`cli/head_start.py`)."""
        for row in rows:
            self._known[row.Id] = row
            self._unconfirmed[row.Id] = None

    # The history walk

    @property
    def is_exhausted(self) -> bool:
        return not self._has_more_cached and self._pager is not None and self._pager.is_exhausted

    async def next_page(self) -> list[ThreadRow]:
        """The next older rows: cached ones while there are any (read off the UI thread: a key
        that scrolls near the end asks for them), then the platform's."""
        cached = await asyncio.to_thread(self._read_cached) if self._has_more_cached else []
        if cached:
            return cached
        pager = self._continuation()
        page = await pager.next_page()
        fresh = [thread for thread in page if thread.Id not in self._known]
        for thread in fresh:
            self._known[thread.Id] = thread
        if self._cache is not None:
            self._cache.save_page(fresh, pager.walk_state())
        return fresh

    def _continuation(self) -> Pager:
        if self._pager is None:
            walk = self._cache.walk_state() if self._cache is not None and self._known else None
            if walk is not None and self._resume_pager is not None:
                from inbox_tui.api.walk import Resume  # with the pagers, once connected

                self._pager = self._resume_pager(Resume(walk, self._known.keys()))
            else:
                self._pager = self._new_pager()
        return self._pager

    async def reload(self, highlight_id: str | None, loaded: int) -> list[MessageThread]:
        """A fresh walk from the newest thread, far enough to reach `highlight_id` or `loaded` rows."""
        pager = self._new_pager()
        threads: list[MessageThread] = []
        size = pager.page_size
        while not pager.is_exhausted:
            page = await pager.next_page(size)
            threads.extend(page)
            if len(threads) >= loaded or any(thread.Id == highlight_id for thread in page):
                break
            # A highlight far down the list is reached in few requests: each page
            # asks for twice as many threads, up to what the API allows.
            size = min(MAX_COUNT, size * 2)
        self._pager = pager
        self._has_more_cached = False
        self._known = {thread.Id: thread for thread in threads}
        self._unconfirmed.clear()
        self._waiting.clear()
        if self._cache is not None:
            self._cache.replace_all(threads, pager.walk_state())
        return threads

    # Keeping the rows current

    async def revalidate(self) -> Merge:
        """The newest threads since the cached ones: new on top, changed replaced."""
        pager = self._new_pager()
        merge = Merge()
        size = self._page_size
        while not pager.is_exhausted:
            page = await pager.next_page(size)
            reached_known = self._sort_into(page, merge)
            if reached_known:
                break
            size = min(MAX_COUNT, size * 2)
        self._accept(merge)
        return merge

    async def confirm_cached(self) -> Merge:
        """Up to 1,000 cached rows asked for by Id: confirmed, or dropped if the platform has them no more."""
        batch = list(islice(self._unconfirmed, MAX_THREAD_IDS))
        if not batch:
            return Merge()
        response = await self._client.get_all(thread_ids=batch, count=len(batch))
        returned = {thread.Id: thread for thread in response.MessageThreads}
        merge = Merge(
            replaced=[returned[thread_id] for thread_id in batch if thread_id in returned],
            gone=[thread_id for thread_id in batch if thread_id not in returned and thread_id in self._known],
        )
        self._accept(merge)
        return merge

    @property
    def has_unconfirmed(self) -> bool:
        return bool(self._unconfirmed)

    async def poll(self, walk: ActivityWalk) -> tuple[Merge, Activity]:
        """What happened since the last poll (threads updated, by `UpdatedUtc`): changed rows to
        replace now, new threads kept until `take_waiting`. In the update order a changed thread
        waits too, to move to the top."""
        activity = await walk.poll()
        changed = [thread for thread in activity.changed_threads if thread.Id in self._known]
        arrived = [thread for thread in activity.new_threads if thread.Id not in self._known]
        waiting = [*changed, *arrived] if self.moves_changed_to_top else arrived
        ids = {thread.Id for thread in waiting}
        newest_first = sorted(waiting, key=lambda thread: (thread.UpdatedUtc, thread.Id), reverse=True)
        self._waiting = newest_first + [thread for thread in self._waiting if thread.Id not in ids]
        merge = Merge() if self.moves_changed_to_top else Merge(replaced=changed)
        self._accept(merge)
        if self._cache is not None:  # the mirror kept current: search finds what just arrived
            self._cache.add_messages([m for m in activity.messages if m.MessageThreadId in self._known])
        return merge, activity

    @property
    def waiting(self) -> int:
        """New threads the poll has seen and the list does not show yet."""
        return len(self._waiting)

    def take_waiting(self) -> list[MessageThread]:
        """The new (or, in the update order, changed) threads, newest first, now on top of the list."""
        taken, self._waiting = self._waiting, []
        self._accept(Merge(on_top=taken))
        return taken

    def record(self, thread: MessageThread) -> None:
        """A thread this inbox created or replied to, already in the list."""
        self._accept(Merge(replaced=[thread]) if thread.Id in self._known else Merge(on_top=[thread]))

    def _sort_into(self, page: Sequence[MessageThread], merge: Merge) -> bool:
        """New and changed threads of a newest-first page; True once a known thread is reached."""
        reached_known = False
        for thread in page:
            known = self._known.get(thread.Id)
            if known is None:
                if not reached_known:
                    merge.on_top.append(thread)
            else:
                reached_known = True
                if known != thread or type(known) is not type(thread):
                    merge.replaced.append(thread)
        return reached_known

    def _accept(self, merge: Merge) -> None:
        for thread in (*merge.on_top, *merge.replaced):
            self._known[thread.Id] = thread
            self._unconfirmed.pop(thread.Id, None)
        for thread_id in merge.gone:
            self._known.pop(thread_id, None)
            self._unconfirmed.pop(thread_id, None)
        if self._cache is not None:
            if merge.on_top or merge.replaced:
                self._cache.save_threads([*merge.on_top, *merge.replaced])
            if merge.gone:
                self._cache.forget_threads(merge.gone)

    def close(self) -> None:
        if self._cache is not None:
            self._cache.close()

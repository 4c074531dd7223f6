"""Mirror: every thread of the history and every message of each, in the local cache, for search.

Three steps, each resumable because what is done is in the cache itself: the history
walk goes on where the cache's walk stopped (one request per cursor); the activity
walk (`UpdatedUtc`) brings what changed since the last run (or since the first began):
the threads updated and their new messages; then the threads whose conversation is
not complete in the cache are asked for 1,000 Ids at a time, in cursor pages of 1,000
messages. Killed at any moment, the next run asks only for what is missing. What waits
for the disk runs on a thread, so the inbox runs a sync and stays usable. No Textual.
"""

from __future__ import annotations

import asyncio
import sqlite3
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import TYPE_CHECKING

from inbox_tui.api.limits import MAX_THREAD_IDS
from inbox_tui.api.walk import WalkSettings
from inbox_tui.inbox.activity import STATE_KEY, SYNC_KEY, ActivityState, ActivityWalk, saved_state
from inbox_tui.inbox.conversations import message_pages

if TYPE_CHECKING:
    from inbox_tui.api.client import ConnectorClient
    from inbox_tui.inbox.thread_cache import ThreadCache


@dataclass
class Progress:
    threads: int = 0
    conversations: int = 0
    messages: int = 0
    conversations_total: int = 0
    has_walked: bool = False
    """The history is walked and the conversations to read are counted."""
    requests: int = 0
    changed_threads: int = 0
    new_messages: int = 0
    """Threads changed since the last run and their new messages, found by the activity walk."""


Report = Callable[[Progress], None]


BATCH_KEY = "sync_batch"
"""The threads whose conversations are being read, and the cursor after the last page kept."""


async def mirror(
    client: ConnectorClient,
    cache: ThreadCache,
    settings: WalkSettings,
    report: Report,
    now: Callable[[], datetime] = lambda: datetime.now(UTC),
) -> Progress:
    from inbox_tui.api.pager import ThreadPager

    progress = Progress()
    changes = saved_state(cache, now(), SYNC_KEY)
    if cache.meta(SYNC_KEY) is None:
        # The first run looks for changes from where the inbox's own walk stands (the cache holds
        # what it saw), else from before the history is walked: what changes meanwhile is found.
        changes = ActivityState(saved_state(cache, changes.mark, STATE_KEY).mark)
        cache.save_meta(SYNC_KEY, changes.to_json())
    walk = cache.walk_state()
    if walk is None or not walk.is_exhausted:
        # Goes on where the cache's walk stopped, kept window by window: one request per cursor,
        # across runs, even where a window holds few threads.
        known = {thread.Id for thread in await asyncio.to_thread(cache.read_threads)}
        pager = ThreadPager(client, settings, resume=walk, seen=known)
        while not pager.is_exhausted:
            page = await pager.next_window()
            cache.save_page(page, pager.walk_state())
            progress.threads += len(page)
            progress.requests = pager.requests_made
            report(progress)
        await asyncio.to_thread(cache.flush)
    await _bring_changes(client, cache, changes, progress, now)
    await _read_conversations(client, cache, progress, report)
    return progress


async def _bring_changes(
    client: ConnectorClient,
    cache: ThreadCache,
    changes: ActivityState,
    progress: Progress,
    now: Callable[[], datetime],
) -> None:
    """Threads updated since the last run and their new messages; the conversation of a thread new
    to the cache is asked for whole by the step that follows."""
    walk = ActivityWalk(client, changes, now)
    activity = await walk.poll()
    cache.save_threads(activity.changed_threads)
    cache.add_messages(activity.messages)
    cache.save_meta(SYNC_KEY, changes.to_json())
    await asyncio.to_thread(cache.flush)
    progress.requests += walk.requests_made
    progress.changed_threads = len(activity.changed_threads)
    progress.new_messages = len(activity.messages)


async def _read_conversations(
    client: ConnectorClient, cache: ThreadCache, progress: Progress, report: Report
) -> None:
    """The conversations the cache does not hold whole, 1,000 threads a request, each page kept
    with the cursor after it: a run killed mid-batch goes on from the last page kept."""
    started = cache.meta(BATCH_KEY)
    begun: list[str] = list(started["ids"]) if started else []
    cursor: str | None = started["cursor"] if started else None
    missing = await asyncio.to_thread(_incomplete_conversations, cache)
    begun_ids = set(begun)
    rest = [thread_id for thread_id in missing if thread_id not in begun_ids]
    batches = [begun] if begun else []
    batches += [rest[first : first + MAX_THREAD_IDS] for first in range(0, len(rest), MAX_THREAD_IDS)]
    progress.conversations_total = len(begun) + len(rest)
    progress.has_walked = True
    report(progress)
    for batch in batches:
        async for page, following in message_pages(client, batch, cursor=cursor):
            progress.requests += 1
            progress.messages += len(page)
            cache.add_messages(page)
            if following is not None:
                cache.save_meta(BATCH_KEY, {"ids": batch, "cursor": following})
                report(progress)
        cache.mark_complete(batch)
        cache.save_meta(BATCH_KEY, None)
        await asyncio.to_thread(cache.flush)
        cursor = None
        progress.conversations += len(batch)
        report(progress)


_UNSYNCED = "FROM threads WHERE id NOT IN (SELECT thread_id FROM conversations WHERE is_complete)"


def _incomplete_conversations(cache: ThreadCache) -> list[str]:
    """Threads whose whole conversation the cache does not hold yet, newest first (found first)."""
    with cache.reading() as connection:
        rows = connection.execute(f"SELECT id {_UNSYNCED} ORDER BY created_utc DESC").fetchall()
    return [row[0] for row in rows]


def unsynced_threads(connection: sqlite3.Connection) -> int:
    """How many cached threads' conversations search cannot see whole: the mirror is partial."""
    return int(connection.execute(f"SELECT count(*) {_UNSYNCED}").fetchone()[0])


WAITING_CHUNK = 5_000
"""Conversations looked at per query: the reader is shared, and a conversation shown meanwhile
should not wait for a whole mirror's."""
# The newest message of each conversation the cache holds whole, found by the index of a thread's
# messages by time (then key: the order of messages written in the same moment).
_NEWEST_SENDERS = (
    "SELECT c.thread_id, (SELECT m.sender FROM messages AS m WHERE m.thread_id = c.thread_id "
    "ORDER BY m.created_utc DESC, m.key DESC LIMIT 1) FROM conversations AS c "
    "WHERE c.is_complete AND c.thread_id > ? ORDER BY c.thread_id LIMIT ?"
)


def waiting_in_mirror(cache: ThreadCache) -> set[str] | None:
    """The threads whose newest message in the mirror is not this integration's (staff wrote
    last), or None when the mirror cannot tell. It can when a sync ran since the inbox's activity
    walk began (or no inbox ever walked here): every message is then in the mirror, or was news
    to the inbox, which knows for itself who wrote last. Only conversations held whole count."""
    synced, watched = cache.meta(SYNC_KEY), cache.meta(STATE_KEY)
    if not isinstance(synced, dict):
        return None
    try:
        since = ActivityState.from_json(watched).watched_since if isinstance(watched, dict) else None
        if since is not None and ActivityState.from_json(synced).mark < since:
            return None
    except (KeyError, TypeError, ValueError):
        return None
    waiting: set[str] = set()
    after = ""
    while True:
        try:
            with cache.reading() as connection:
                rows = connection.execute(_NEWEST_SENDERS, (after, WAITING_CHUNK)).fetchall()
        except sqlite3.Error:  # a cache closed meanwhile, or one to be set aside: nothing told
            return None
        waiting.update(thread_id for thread_id, sender in rows if sender not in (None, "Application"))
        if len(rows) < WAITING_CHUNK:
            return waiting
        after = rows[-1][0]

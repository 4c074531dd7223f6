"""Mirror: every thread of the history and every message of each, in the local cache, for search.

Two steps, each resumable because what is done is in the cache itself: the history
walk goes on where the cache's walk stopped (one request per cursor), then the
threads whose conversation is not complete in the cache are asked for 1,000 Ids at a
time, in cursor pages of 1,000 messages. Killed at any moment, the next run asks
only for what is missing. Kept current afterwards by the activity walk (`UpdatedUtc`).
No Textual.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING

from inbox_tui.api.limits import MAX_COUNT, MAX_THREAD_IDS
from inbox_tui.api.walk import WalkSettings

if TYPE_CHECKING:
    from inbox_tui.api.client import ConnectorClient
    from inbox_tui.inbox.thread_cache import ThreadCache


@dataclass
class Progress:
    threads: int = 0
    conversations: int = 0
    messages: int = 0
    conversations_total: int = 0
    requests: int = 0


Report = Callable[[Progress], None]


async def mirror(
    client: ConnectorClient, cache: ThreadCache, settings: WalkSettings, report: Report
) -> Progress:
    from inbox_tui.api.pager import ThreadPager
    from inbox_tui.inbox.conversations import whole_conversations

    progress = Progress()
    walk = cache.walk_state()
    known = {thread.Id for thread in cache.read_threads()}
    if walk is None or not walk.is_exhausted:
        # Goes on where the cache's walk stopped: one request per cursor, across runs.
        pager = ThreadPager(client, settings, resume=walk, seen=known)
        while not pager.is_exhausted:
            page = await pager.next_page(MAX_COUNT)
            cache.save_page(page, pager.walk_state())
            progress.threads += len(page)
            progress.requests = pager.requests_made
            report(progress)
        cache.flush()
    missing = _incomplete_conversations(cache)
    progress.conversations_total = len(missing)
    report(progress)
    for first in range(0, len(missing), MAX_THREAD_IDS):
        batch = missing[first : first + MAX_THREAD_IDS]
        conversations = await whole_conversations(client, batch)
        for thread_id, messages in conversations.items():
            cache.save_conversation(thread_id, messages, is_complete=True)
            progress.messages += len(messages)
        progress.conversations += len(batch)
        progress.requests += max(1, -(-sum(map(len, conversations.values())) // MAX_COUNT))
        cache.flush()
        report(progress)
    return progress


def _incomplete_conversations(cache: ThreadCache) -> list[str]:
    """Threads whose whole conversation the cache does not hold yet, newest first."""
    with cache.reading() as connection:
        rows = connection.execute(
            "SELECT id FROM threads WHERE id NOT IN (SELECT thread_id FROM conversations WHERE is_complete) "
            "ORDER BY created_utc DESC"
        ).fetchall()
    return [row[0] for row in rows]

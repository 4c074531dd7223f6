"""Conversations: the messages of each thread, loaded page by page and kept for the session.

No Textual here: the detail pane asks, this module decides what to request and
keeps what came back. A conversation is held oldest to newest; older messages
are asked for with the Id of the oldest one held as the Cursor, so a page from
a single-thread load and a page from a many-thread prefetch continue the same way.
"""

from __future__ import annotations

import asyncio
from collections import OrderedDict
from collections.abc import AsyncIterator, Mapping, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from inbox_tui.api.limits import MAX_COUNT, MAX_THREAD_IDS
from inbox_tui.inbox.rows import MessageRow

if TYPE_CHECKING:
    from inbox_tui.api.client import ConnectorClient
    from inbox_tui.api.models import Message, TimeInterval
    from inbox_tui.inbox.thread_cache import ThreadCache

PAGE_SIZE = 50
"""Messages asked for when a thread is opened, and per older page: a few screens."""

CACHED_THREADS = 500
"""Conversations kept for the session; the least recently shown is dropped first."""

PREFETCH_AHEAD = 24
PREFETCH_BEHIND = 8
REFILL_WHEN_FEWER_AHEAD = 8
"""Neighbours are fetched in batches: only when fewer than this many rows ahead are held,
so that reading down the list costs one request per batch, not one per row."""


@dataclass
class Conversation:
    """What is known of one thread's messages; `has_older` until the first one is held."""

    thread_id: str
    messages: list[MessageRow] = field(default_factory=list)
    has_older: bool = True
    is_cached: bool = False
    """From the local cache: shown at once, replaced by the newest page as soon as it comes."""

    @property
    def oldest_id(self) -> str | None:
        return self.messages[0].Id if self.messages else None

    def add_older(self, page: Sequence[MessageRow], is_complete: bool) -> None:
        """Messages older than those held, in any order; duplicates are ignored."""
        held = {message.Id for message in self.messages}
        older = sorted((m for m in page if m.Id not in held), key=_order)
        self.messages[:0] = older
        self.has_older = not is_complete

    def add_newest(self, message: Message) -> None:
        if all(held.Id != message.Id for held in self.messages):
            self.messages.append(message)
            self.messages.sort(key=_order)


def _meet(older: Conversation, newer: Conversation) -> bool:
    held = {message.Id for message in older.messages}
    return any(message.Id in held for message in newer.messages)


def _order(message: MessageRow) -> tuple[object, str]:
    return (message.CreatedUtc, message.Id)


async def message_pages(
    client: ConnectorClient,
    thread_ids: Sequence[str],
    *,
    created: TimeInterval | None = None,
    cursor: str | None = None,
) -> AsyncIterator[tuple[list[Message], str | None]]:
    """Every page of the messages of `thread_ids` (up to 1,000), from `cursor`, each with the
    cursor that follows it (None after the last page): one request per cursor."""
    while True:
        page = await client.get_messages(thread_ids, created=created, cursor=cursor, count=MAX_COUNT)
        cursor = (page.Cursor or page.Messages[-1].Id) if len(page.Messages) == MAX_COUNT else None
        yield page.Messages, cursor
        if cursor is None:
            return


async def whole_conversations(client: ConnectorClient, thread_ids: Sequence[str]) -> dict[str, list[Message]]:
    """Every message of each thread, oldest first: full pages of up to 1,000 threads at a time."""
    conversations: dict[str, list[Message]] = {thread_id: [] for thread_id in thread_ids}
    for start in range(0, len(thread_ids), MAX_THREAD_IDS):
        async for messages, _ in message_pages(client, thread_ids[start : start + MAX_THREAD_IDS]):
            for message in messages:
                conversations.setdefault(message.MessageThreadId, []).append(message)
    for messages in conversations.values():
        messages.sort(key=_order)
    return conversations


class ConversationCache:
    """An LRU over threads, so memory stays bounded however many threads are read."""

    def __init__(self, max_threads: int = CACHED_THREADS) -> None:
        self._max_threads = max_threads
        self._conversations: OrderedDict[str, Conversation] = OrderedDict()

    def __len__(self) -> int:
        return len(self._conversations)

    def __contains__(self, thread_id: str) -> bool:
        return thread_id in self._conversations

    def get(self, thread_id: str) -> Conversation | None:
        conversation = self._conversations.get(thread_id)
        if conversation is not None:
            self._conversations.move_to_end(thread_id)
        return conversation

    def put(self, conversation: Conversation) -> None:
        self._conversations[conversation.thread_id] = conversation
        self._conversations.move_to_end(conversation.thread_id)
        while len(self._conversations) > self._max_threads:
            self._conversations.popitem(last=False)

    def discard(self, thread_id: str) -> None:
        self._conversations.pop(thread_id, None)

    @property
    def message_count(self) -> int:
        return sum(len(conversation.messages) for conversation in self._conversations.values())


class ConversationLoader:
    """Requests for conversations: one thread's newest or older page, and neighbour prefetch."""

    def __init__(
        self,
        client: ConnectorClient | None = None,
        cache: ConversationCache | None = None,
        page_size: int = PAGE_SIZE,
        store: ThreadCache | None = None,
    ) -> None:
        """Held conversations can be shown without a client; loading needs one. `store`
        keeps them across sessions."""
        self.client = client
        self._store = store
        self.cache = cache if cache is not None else ConversationCache()
        self._page_size = page_size
        self._prefetching: set[str] = set()
        self.requests_made = 0

    def _connected(self) -> ConnectorClient:
        assert self.client is not None, "loading conversations needs the platform connection"
        return self.client

    def held(self, thread_id: str) -> Conversation | None:
        """The conversation as held in memory: what a keypress may look at, with no I/O."""
        return self.cache.get(thread_id)

    async def remembered(self, thread_id: str) -> Conversation | None:
        """Held in memory or, failing that, remembered by the local cache, read on a thread of
        its own so that the UI never waits for the disk."""
        conversation = self.cache.get(thread_id)
        if conversation is None and self._store is not None:
            stored = await asyncio.to_thread(self._store.read_conversation, thread_id)
            conversation = self.cache.get(thread_id)  # the platform may have answered meanwhile
            if conversation is None and stored is not None:
                messages, is_complete = stored
                conversation = Conversation(thread_id, list(messages), not is_complete, is_cached=True)
                self.cache.put(conversation)
        return conversation

    def forget_unless_holding(self, found: Mapping[str, str]) -> None:
        """Found by a search (thread Id → message Id): a conversation held without that message is
        older than the cache's (the mirror's), so it is read from the cache again when shown."""
        for thread_id, message_id in found.items():
            held = self.cache.get(thread_id)
            if held is not None and all(message.Id != message_id for message in held.messages):
                self.cache.discard(thread_id)

    def needs_loading(self, thread_id: str) -> bool:
        conversation = self.held(thread_id)
        return conversation is None or conversation.is_cached

    async def open(self, thread_id: str) -> Conversation:
        """The thread's conversation: held, or its newest page from the platform (which also
        replaces one remembered from an earlier session)."""
        held = self.held(thread_id)
        if held is not None and not held.is_cached:
            return held
        conversation = Conversation(thread_id)
        await self._read_older(conversation)
        if held is not None and conversation.has_older and _meet(held, conversation):
            # The newest page reaches what the cache remembered (the mirror's whole conversation,
            # say): the older messages it holds are kept, not asked for again.
            conversation.add_older(held.messages, is_complete=not held.has_older)
        self._keep(conversation)
        return conversation

    def _keep(self, conversation: Conversation) -> None:
        self.cache.put(conversation)
        if self._store is not None:
            self._store.save_conversation(
                conversation.thread_id, conversation.messages, is_complete=not conversation.has_older
            )

    async def load_older(self, thread_id: str) -> Conversation:
        """One more page of older messages of a thread already opened."""
        conversation = self.cache.get(thread_id) or Conversation(thread_id)
        if conversation.has_older:
            await self._read_older(conversation)
        self._keep(conversation)
        return conversation

    async def _read_older(self, conversation: Conversation) -> None:
        self.requests_made += 1
        page = await self._connected().get_messages(
            [conversation.thread_id], cursor=conversation.oldest_id, count=self._page_size
        )
        conversation.add_older(page.Messages, is_complete=len(page.Messages) < self._page_size)

    def neighbours_to_prefetch(self, thread_ids: Sequence[str], index: int) -> list[str]:
        """Rows around `index` (not itself) worth one prefetch request now; none while enough are held."""
        near = [
            *thread_ids[index + 1 : index + 1 + REFILL_WHEN_FEWER_AHEAD],
            *thread_ids[max(0, index - 2) : index],
        ]
        if all(self._is_held_or_coming(thread_id) for thread_id in near):
            return []
        window = thread_ids[max(0, index - PREFETCH_BEHIND) : index + 1 + PREFETCH_AHEAD]
        wanted = [tid for tid in window if tid != thread_ids[index] and not self._is_held_or_coming(tid)]
        return wanted[:MAX_THREAD_IDS]

    def _is_held_or_coming(self, thread_id: str) -> bool:
        return thread_id in self.cache or thread_id in self._prefetching

    async def prefetch(self, thread_ids: Sequence[str]) -> list[str]:
        """The newest messages of several threads in one request; returns the threads now held.

        A page that is not full holds every message of those threads. A full one
        holds the newest of each thread that appears in it, and says nothing of a
        thread that does not: that one is left to be opened on its own.
        """
        if not thread_ids:
            return []
        self._prefetching.update(thread_ids)
        try:
            self.requests_made += 1
            page = await self._connected().get_messages(thread_ids, count=MAX_COUNT)
        finally:
            self._prefetching.difference_update(thread_ids)
        is_complete = len(page.Messages) < MAX_COUNT
        by_thread: dict[str, list[Message]] = {}
        for message in page.Messages:
            by_thread.setdefault(message.MessageThreadId, []).append(message)
        now_held = []
        for thread_id in thread_ids:
            messages = by_thread.get(thread_id)
            earlier = self.cache.get(thread_id)
            if (earlier is not None and not earlier.is_cached) or (messages is None and not is_complete):
                continue
            conversation = Conversation(thread_id)
            conversation.add_older(messages or [], is_complete=is_complete)
            self._keep(conversation)
            now_held.append(thread_id)
        return now_held

    def record_sent(self, message: Message) -> None:
        """A reply the platform confirmed joins the thread's conversation, if it is held."""
        conversation = self.cache.get(message.MessageThreadId)
        if conversation is not None:
            conversation.add_newest(message)
            self._keep(conversation)

"""ActivityWalk: what happened since a moment, from the API's own tool for it, `UpdatedUtc`.

Each poll asks for the threads updated since the mark (less an overlap for clock
skew; walked in 3-month windows and paged by cursor when more changed), so new
threads and new messages in threads of any age are both seen, in one request when
few changed. Their new messages come from one `messages/getAll` per 1,000 threads
(`CreatedUtc` since the mark, in 1-month windows, the operation's cap). Threads and
messages seen inside the overlap are remembered, so nothing is announced twice,
and the state (`ActivityState`) is JSON, so a watch or an inbox goes on where it
stopped across restarts. No Textual.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from typing import TYPE_CHECKING, Any, Protocol

from inbox_tui.api.limits import MAX_COUNT, MAX_THREAD_IDS
from inbox_tui.api.walk import WalkSettings
from inbox_tui.inbox.rows import time_text

if TYPE_CHECKING:
    from inbox_tui.api.client import ConnectorClient
    from inbox_tui.api.models import Message, MessageThread

STATE_KEY = "activity"
"""The cache's meta key for where the inbox's walk stands."""
SYNC_KEY = "sync"
"""The cache's meta key for where the mirror's walk (`sync`) stands."""


class MetaStore(Protocol):
    """Where walk states are kept between sessions: the cache's `meta` (a JSON value by key)."""

    def meta(self, key: str) -> Any: ...

    def save_meta(self, key: str, value: Any) -> None: ...


def saved_state(store: MetaStore | None, now: datetime, key: str = STATE_KEY) -> ActivityState:
    """Where the last session's walk stopped, so what happened meanwhile is found; else from now."""
    saved = store.meta(key) if store is not None else None
    try:
        return ActivityState.from_json(saved) if isinstance(saved, dict) else ActivityState(now)
    except (KeyError, TypeError, ValueError):
        return ActivityState(now)  # a damaged state starts over rather than failing


def inbox_state(store: MetaStore | None, now: datetime) -> ActivityState:
    """The inbox's walk: on from where it stopped; on a first start, from where the last sync
    stopped (what the mirror holds was looked at: what came after it is news), else from now."""
    if store is not None and store.meta(STATE_KEY) is None and isinstance(store.meta(SYNC_KEY), dict):
        return ActivityState(saved_state(store, now, SYNC_KEY).mark)
    return saved_state(store, now)


OVERLAP = timedelta(minutes=10)
"""Asked for again each poll: a server clock behind ours, or a write that lands late, is still seen."""
MESSAGE_WINDOW = timedelta(days=28)
"""The messages operations cap CreatedUtc at one month; 28 days is within every month."""


@dataclass
class ActivityState:
    """Where the walk stands: everything up to `mark` was seen, and the Ids seen since `mark - OVERLAP`."""

    mark: datetime
    threads: dict[str, str] = field(default_factory=dict)
    """Thread Id → the UpdatedUtc last seen, for the threads seen inside the overlap."""
    messages: dict[str, str] = field(default_factory=dict)
    """Message Id → its CreatedUtc, for the messages seen inside the overlap."""
    is_fresh: bool = True
    """Not polled yet: what happened before `mark` is not news, overlap or not."""
    watched_since: datetime | None = None
    """Where the walk began: every message written since has been, or will be, news to it (the
    first mark; a state saved before this was kept counts from its mark)."""

    def __post_init__(self) -> None:
        if self.watched_since is None:
            self.watched_since = self.mark

    def to_json(self) -> dict[str, Any]:
        return {
            "mark": self.mark.isoformat(),
            "threads": self.threads,
            "messages": self.messages,
            "is_fresh": self.is_fresh,
            "watched_since": (self.watched_since or self.mark).isoformat(),
        }

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> ActivityState:
        mark = datetime.fromisoformat(data["mark"])
        since = datetime.fromisoformat(data["watched_since"]) if data.get("watched_since") else mark
        if mark.tzinfo is None or since.tzinfo is None:
            raise ValueError("an activity mark without its time zone")
        threads, messages = dict(data.get("threads") or {}), dict(data.get("messages") or {})
        return cls(mark, threads, messages, is_fresh=bool(data.get("is_fresh", False)), watched_since=since)


@dataclass(frozen=True)
class Activity:
    """One poll's news: threads new since the mark, and new messages, each once, oldest first."""

    new_threads: list[MessageThread]
    changed_threads: list[MessageThread]
    """Every thread updated since the mark (the new ones too), as the API now gives it."""
    messages: list[Message]

    def __bool__(self) -> bool:
        return bool(self.changed_threads or self.messages)


class ActivityWalk:
    def __init__(
        self,
        client: ConnectorClient,
        state: ActivityState,
        now: Callable[[], datetime] = lambda: datetime.now(UTC),
    ) -> None:
        self._client = client
        self.state = state
        self._now = now
        self.requests_made = 0

    def save(self, store: MetaStore, key: str = STATE_KEY) -> None:
        """Where the walk stands, for `saved_state` to go on from in the next session."""
        store.save_meta(key, self.state.to_json())

    async def poll(self) -> Activity:
        """What changed since the mark; the mark moves on only once all of it was read."""
        started = self._now()
        since = self.state.mark - OVERLAP
        changed = await self._changed_threads(since, started)
        news_from = self.state.mark if self.state.is_fresh else since
        seen_threads, seen_messages = self.state.threads, self.state.messages
        # A thread whose UpdatedUtc is the one seen before has no new message to ask for.
        unseen = [t for t in changed if seen_threads.get(t.Id) != time_text(t.UpdatedUtc)]
        fresh_threads = [t for t in unseen if t.UpdatedUtc >= news_from]
        # The first look also reads the messages of the threads written inside the overlap
        # before it began, only to remember them: a later poll's overlap reaches back there,
        # and must tell what was already written from what a late write stamps with that time.
        to_read = unseen if self.state.is_fresh else fresh_threads
        ids = list(dict.fromkeys(thread.Id for thread in to_read))
        messages = await self._new_messages(ids, since, started) if ids else []
        new_threads = [t for t in fresh_threads if t.CreatedUtc >= news_from and t.Id not in seen_threads]
        fresh_messages = [m for m in messages if m.CreatedUtc >= news_from and m.Id not in seen_messages]
        self._remember(changed, messages, started)
        fresh_messages.sort(key=lambda message: (message.CreatedUtc, message.Id))
        new_threads.sort(key=lambda thread: (thread.CreatedUtc, thread.Id))
        return Activity(new_threads, fresh_threads, fresh_messages)

    async def _changed_threads(self, since: datetime, until: datetime) -> list[MessageThread]:
        from inbox_tui.api.pager import CLOCK_SKEW, ThreadPager
        from inbox_tui.inbox.api_filters import WHOLE_RANGE

        settings = WalkSettings(page_size=MAX_COUNT, history_start=since, max_empty_windows=WHOLE_RANGE)
        pager = ThreadPager(self._client, settings, by="UpdatedUtc", until=until + CLOCK_SKEW)
        threads: list[MessageThread] = []
        while not pager.is_exhausted:
            threads.extend(await pager.next_page())
        self.requests_made += pager.requests_made
        return threads

    async def _new_messages(
        self, thread_ids: Sequence[str], since: datetime, until: datetime
    ) -> list[Message]:
        from inbox_tui.api.models import TimeInterval
        from inbox_tui.api.pager import CLOCK_SKEW
        from inbox_tui.inbox.conversations import message_pages

        messages: list[Message] = []
        end = until + CLOCK_SKEW
        for first in range(0, len(thread_ids), MAX_THREAD_IDS):
            batch = list(thread_ids[first : first + MAX_THREAD_IDS])
            window_end = end
            while window_end > since:
                window = TimeInterval(StartUtc=max(since, window_end - MESSAGE_WINDOW), EndUtc=window_end)
                async for page, _ in message_pages(self._client, batch, created=window):
                    self.requests_made += 1
                    messages.extend(page)
                window_end = window.StartUtc
        return messages

    def _remember(
        self, threads: Sequence[MessageThread], messages: Sequence[Message], started: datetime
    ) -> None:
        """Move the mark to what was read, and forget the Ids that fell out of the overlap."""
        from inbox_tui.api.pager import CLOCK_SKEW

        state = self.state
        state.is_fresh = False
        state.threads.update((thread.Id, time_text(thread.UpdatedUtc)) for thread in threads)
        state.messages.update((message.Id, time_text(message.CreatedUtc)) for message in messages)
        # The listing is complete up to when it was asked, by our clock less the skew the
        # platform's may have. A newer time in it proves nothing: a thread written before the
        # listing and again after its end is not in it, and must be asked for next time.
        state.mark = max(state.mark, started - CLOCK_SKEW)
        keep_after = time_text(state.mark - OVERLAP)
        state.threads = {key: moment for key, moment in state.threads.items() if moment >= keep_after}
        state.messages = {key: moment for key, moment in state.messages.items() if moment >= keep_after}

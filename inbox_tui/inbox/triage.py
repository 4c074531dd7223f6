"""Triage: which threads are unread and which wait on us, kept locally (the API has neither).

A thread is unread when staff (`Enterprise`) wrote in it after it was last read
here; our own replies never make it unread, and on a first start nothing is. A
thread waits on us when its newest message is from staff; that is known only for
threads whose newest message has been seen (a conversation read, or a message the
activity walk brought, or the mirror's, when a sync is recent enough to tell), and
said as unknown otherwise. Kept in the cache per platform and token, so both survive
a restart (what the mirror tells is read from it again instead). No Textual.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import TYPE_CHECKING, NamedTuple

if TYPE_CHECKING:
    from inbox_tui.inbox.activity import MetaStore
    from inbox_tui.inbox.rows import MessageRow

STATE_KEY = "triage"


class Marks(NamedTuple):
    """A row's triage marks; part of the key of its drawing, so frozen and hashable."""

    is_unread: bool
    is_waiting: bool | None
    """True: staff wrote last; False: we did; None: not known."""


NO_MARKS = Marks(is_unread=False, is_waiting=None)


class Triage:
    def __init__(self, store: MetaStore | None = None) -> None:
        self._store = store
        saved = store.meta(STATE_KEY) if store is not None else None
        saved = saved if isinstance(saved, dict) else {}
        self.unread: set[str] = set(saved.get("unread") or ())
        self._waiting: dict[str, bool] = {
            key: value for key, value in (saved.get("waiting") or {}).items() if isinstance(value, bool)
        }
        self._waiting_in_mirror: set[str] = set()
        """Threads the mirror shows staff wrote in last, for those this inbox has not seen."""

    def marks(self, thread_id: str) -> Marks:
        return Marks(thread_id in self.unread, self._is_waiting(thread_id))

    def is_waiting(self, thread_id: str) -> bool:
        return bool(self._is_waiting(thread_id))

    def _is_waiting(self, thread_id: str) -> bool | None:
        seen = self._waiting.get(thread_id)
        return True if seen is None and thread_id in self._waiting_in_mirror else seen

    def marked(self) -> dict[str, set[str]]:
        """The threads each mark is on, as search's is:unread and is:waiting ask."""
        waiting = {key for key in self._waiting_in_mirror if key not in self._waiting}
        waiting.update(key for key, value in self._waiting.items() if value)
        return {"unread": set(self.unread), "waiting": waiting}

    def learn_from_mirror(self, waiting: set[str]) -> bool:
        """What the mirror shows waiting on us (`mirror.waiting_in_mirror`); what this inbox saw
        itself comes first. True when it tells something new."""
        is_new = waiting != self._waiting_in_mirror
        self._waiting_in_mirror = waiting
        return is_new

    def messages_arrived(self, messages: Sequence[MessageRow], reading: str | None = None) -> list[str]:
        """New messages, oldest first: the threads they make unread (not the one being read)."""
        newly_unread = []
        for message in messages:
            thread_id = message.MessageThreadId
            is_staff = not message.Sender.is_application
            self._waiting[thread_id] = is_staff
            if is_staff and thread_id != reading and thread_id not in self.unread:
                self.unread.add(thread_id)
                newly_unread.append(thread_id)
        self._save()
        return list(dict.fromkeys(newly_unread))

    def conversation_seen(
        self, thread_id: str, messages: Sequence[MessageRow], *, is_complete_at_end: bool
    ) -> None:
        """The newest messages of a thread are known: whether it waits on us is too."""
        if messages and is_complete_at_end:
            newest = max(messages, key=lambda message: (message.CreatedUtc, message.Id))
            if self._waiting.get(thread_id) != (not newest.Sender.is_application):
                self._waiting[thread_id] = not newest.Sender.is_application
                self._save()

    def mark_read(self, thread_ids: Iterable[str]) -> bool:
        """True when something changed."""
        before = len(self.unread)
        self.unread.difference_update(thread_ids)
        if len(self.unread) != before:
            self._save()
            return True
        return False

    def mark_unread(self, thread_id: str) -> None:
        self.unread.add(thread_id)
        self._save()

    def _save(self) -> None:
        if self._store is not None:
            self._store.save_meta(STATE_KEY, {"unread": sorted(self.unread), "waiting": self._waiting})

"""Messages that workers post back to the main screen.

`generation` ties a result to the list it was asked for: after a refresh, a
late answer for the old list is dropped instead of being appended to the new one.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

from textual.message import Message

from inbox_tui.api.errors import ApiError
from inbox_tui.inbox.rows import ThreadRow
from inbox_tui.inbox.thread_feed import Merge

if TYPE_CHECKING:
    from inbox_tui.api.models import MessageThread
    from inbox_tui.inbox.activity import Activity


class PageLoaded(Message):
    def __init__(self, threads: Sequence[ThreadRow], generation: int) -> None:
        self.threads = threads
        self.generation = generation
        super().__init__()


class ListReloaded(Message):
    def __init__(self, threads: Sequence[MessageThread], highlight_id: str | None, generation: int) -> None:
        self.threads = threads
        self.highlight_id = highlight_id
        self.generation = generation
        super().__init__()


class LoadFailed(Message):
    def __init__(self, error: ApiError, generation: int, *, was_refresh: bool) -> None:
        self.error = error
        self.generation = generation
        self.was_refresh = was_refresh
        super().__init__()


class RowsMerged(Message):
    """New rows for the top, rows to replace and rows to drop; `checked_cache` once the
    newest threads have been compared with the cached ones."""

    def __init__(self, merge: Merge, generation: int, *, checked_cache: bool = False) -> None:
        self.merge = merge
        self.generation = generation
        self.checked_cache = checked_cache
        super().__init__()


class Polled(Message):
    """What a poll saw: rows to merge, and the activity (messages, threads changed) it found."""

    def __init__(self, merge: Merge, activity: Activity, generation: int) -> None:
        self.merge = merge
        self.activity = activity
        self.generation = generation
        super().__init__()

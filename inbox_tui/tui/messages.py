"""Messages that workers post back to the main screen.

`generation` ties a result to the list it was asked for: after a refresh, a
late answer for the old list is dropped instead of being appended to the new one.
"""

from __future__ import annotations

from collections.abc import Sequence

from textual.message import Message

from inbox_tui.api.errors import ApiError
from inbox_tui.api.models import MessageThread
from inbox_tui.api.pager import ThreadPager


class PageLoaded(Message):
    def __init__(self, threads: Sequence[MessageThread], generation: int) -> None:
        self.threads = threads
        self.generation = generation
        super().__init__()


class ListReloaded(Message):
    def __init__(
        self, pager: ThreadPager, threads: Sequence[MessageThread], highlight_id: str | None, generation: int
    ) -> None:
        self.pager = pager
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

"""OlderMessages: a conversation's older pages, loaded as the reader scrolls up past the top.

What is being read stays in place: the older messages grow the pane above it. A
conversation too short to scroll gets them without a gesture. The pane draws;
this decides when to ask, and keeps one request at a time.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from inbox_tui.api.errors import ApiError
from inbox_tui.safe_text import printable
from inbox_tui.tui.widgets.conversation_state import OLDER_LOADING

if TYPE_CHECKING:
    from inbox_tui.inbox.conversations import Conversation
    from inbox_tui.tui.widgets.thread_detail import ThreadDetail


class OlderMessages:
    def __init__(self, detail: ThreadDetail) -> None:
        self._detail = detail
        self.is_loading = False

    def load_if_it_fits(self) -> None:
        """Asked once the layout has settled, so that a long conversation is never taken for a
        short one."""
        if self._detail.max_scroll_y == 0:
            self.load_if_at_top()

    def load_if_at_top(self) -> None:
        detail = self._detail
        conversation = detail.held_conversation
        if conversation is None or not conversation.has_older or self.is_loading or detail.scroll_y > 0:
            return
        self.is_loading = True
        detail.say_older(OLDER_LOADING)
        detail.run_worker(self._load(conversation.thread_id), group="older", exclusive=True)

    async def _load(self, thread_id: str) -> None:
        try:
            conversation = await self._detail.app.conversations.load_older(thread_id)
        except ApiError as error:
            self.is_loading = False
            self._detail.call_later(self._say_failed, thread_id, str(error))
            return
        self.is_loading = False
        self._detail.call_later(self._show, conversation)  # from the pane's queue, as its own loads

    def _say_failed(self, thread_id: str, error: str) -> None:
        if thread_id == self._detail.thread_id:
            self._detail.say_older(f"⚠ Older messages could not be loaded: {printable(error)} (r retries)")

    def _show(self, conversation: Conversation) -> None:
        detail = self._detail
        if conversation.thread_id != detail.thread_id:
            return
        below = detail.max_scroll_y - detail.scroll_y
        detail.release_anchor()
        detail.show_conversation(conversation, scroll_to_newest=False)
        detail.call_after_refresh(lambda: detail.scroll_to(y=detail.max_scroll_y - below, animate=False))

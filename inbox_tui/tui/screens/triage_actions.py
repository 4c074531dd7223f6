"""The triage keys of the main screen: unread and waiting threads, found, shown and marked.

Keys chosen after mutt and aerc's habits: `u` / `U` the next / previous unread
thread, `m` marks the highlighted thread read or unread, `M` marks every thread
read (asking first), `v` shows all threads, then only unread, then only those
waiting on us. A thread is read once its conversation has been on screen for a
moment (`READ_AFTER`), or replied to. Each key is bindable by its id.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from textual.binding import Binding
from textual.timer import Timer

from inbox_tui.tui.widgets.thread_detail import ThreadDetail
from inbox_tui.tui.widgets.thread_list import ThreadList
from inbox_tui.wording import counted

if TYPE_CHECKING:
    from inbox_tui.tui.inbox_services import InboxServices

READ_AFTER = 1.0
"""Seconds a conversation is on screen before its thread counts as read."""
VIEWS = ("all", "unread", "waiting")


class TriageActions:
    """Mixed into MainScreen, whose list it marks and moves; its BINDINGS list these keys."""

    TRIAGE_BINDINGS = [
        Binding("u", "next_unread", "Next unread", show=False, id="next_unread"),
        Binding("U", "previous_unread", "Previous unread", show=False, id="previous_unread"),
        Binding("m", "toggle_read", "Mark read / unread", show=False, id="toggle_read"),
        Binding("M", "all_read", "Mark every thread read", show=False, id="all_read"),
        Binding("v", "next_view", "Show all / unread / waiting on us", show=False, id="view"),
    ]

    app: InboxServices
    thread_list: ThreadList
    _read_timer: Timer | None = None
    _mirror_read_for: object = None
    """The session's triage the mirror was last read for: a new order or filter restarts the
    list, and changes nothing the mirror tells."""

    def read_soon(self, thread_id: str | None) -> None:
        """The highlight settled on `thread_id`: read once it has been on screen a moment."""
        self.stop_reading()
        if thread_id is not None and thread_id in self.app.triage.unread:
            self._read_timer = self.set_timer(READ_AFTER, lambda: self.mark_read(thread_id))  # type: ignore[attr-defined]

    def stop_reading(self) -> None:
        if self._read_timer is not None:
            self._read_timer.stop()
            self._read_timer = None

    def mark_read(self, *thread_ids: str) -> None:
        if self.app.triage.mark_read(thread_ids):
            self.triage_changed()

    def triage_changed(self) -> None:
        """Marks or counts changed: the rows and the header say so."""
        self.thread_list.refresh_rows()
        self._show_list_state()  # type: ignore[attr-defined]

    def learn_from_mirror(self, *, again: bool = False) -> None:
        """What the mirror tells of threads waiting on us, read off the UI thread: once a
        session, when its list is painted, and `again` after each sync."""
        if self.app.cache is not None and (again or self._mirror_read_for is not self.app.triage):
            self._mirror_read_for = self.app.triage
            self.run_worker(self._read_mirror(), group="mirror-triage", exclusive=True)  # type: ignore[attr-defined]

    def sync_note_changed(self, note: str) -> None:
        if not note:  # a sync ended
            self.learn_from_mirror(again=True)

    async def _read_mirror(self) -> None:
        import asyncio

        from inbox_tui.inbox.mirror import waiting_in_mirror

        cache, triage = self.app.cache, self.app.triage
        assert cache is not None
        waiting = await asyncio.to_thread(waiting_in_mirror, cache)
        # Another profile's session may have begun meanwhile: what this cache tells is not its.
        if waiting is not None and triage is self.app.triage and triage.learn_from_mirror(waiting):
            self.triage_changed()

    def on_thread_detail_conversation_shown(self, event: ThreadDetail.ConversationShown) -> None:
        conversation, triage = event.conversation, self.app.triage
        was_waiting = triage.is_waiting(conversation.thread_id)
        triage.conversation_seen(
            conversation.thread_id, conversation.messages, is_complete_at_end=not conversation.is_cached
        )
        # The whole list is drawn again only when its mark (or the waiting view) changes: a
        # conversation is shown at the first key of every burst.
        if triage.is_waiting(conversation.thread_id) != was_waiting:
            self.thread_list.refresh_rows()

    def action_next_unread(self) -> None:
        self._to_unread(step=1)

    def action_previous_unread(self) -> None:
        self._to_unread(step=-1)

    def _to_unread(self, step: int) -> None:
        if not self.thread_list.move_to_next(lambda row: row.Id in self.app.triage.unread, step):
            self.app.notify("No unread thread that way among those loaded.", timeout=3)

    def action_toggle_read(self) -> None:
        thread = self.thread_list.highlighted
        if thread is None:
            return
        if thread.Id in self.app.triage.unread:
            self.mark_read(thread.Id)
        else:
            self.stop_reading()
            self.app.triage.mark_unread(thread.Id)
            self.triage_changed()

    def action_all_read(self) -> None:
        unread = len(self.app.triage.unread)
        if not unread:
            self.app.notify("Nothing is unread.", timeout=3)
            return

        def answered(is_sure: bool | None) -> None:
            if is_sure:
                self.mark_read(*self.app.triage.unread)

        from inbox_tui.tui.screens.confirm import ConfirmScreen  # made on first use

        question = f"Mark {counted(unread, 'unread thread')} read?"
        self.app.push_screen(ConfirmScreen(question, "Mark read"), answered)

    def action_next_view(self) -> None:
        view = VIEWS[(VIEWS.index(self.thread_list.view) + 1) % len(VIEWS)]
        triage = self.app.triage
        if view == "unread":
            self.thread_list.set_view(view, lambda row: row.Id in triage.unread)
        elif view == "waiting":
            self.thread_list.set_view(view, lambda row: triage.is_waiting(row.Id))
        else:
            self.thread_list.set_view(view, None)
        self._show_list_state()  # type: ignore[attr-defined]

"""The copy keys of the main screen: `y` the highlighted thread's Id, `Y` the thread as text.

Copied through the terminal (OSC 52, Textual's `copy_to_clipboard`), so it works
over SSH too.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from textual.binding import Binding

from inbox_tui.tui.widgets.thread_detail import ThreadDetail

if TYPE_CHECKING:
    from collections.abc import Callable

    from inbox_tui.tui.inbox_services import InboxServices
    from inbox_tui.tui.widgets.thread_list import ThreadList


class ClipboardActions:
    """Mixed into MainScreen; its BINDINGS list these keys."""

    CLIPBOARD_BINDINGS = [
        Binding("y", "copy_id", "Copy Id", show=False, id="copy_id"),
        Binding("Y", "copy_thread", "Copy thread", show=False, id="copy_thread"),
    ]

    app: InboxServices
    thread_list: ThreadList
    settle_highlight: Callable[[], None]

    def action_copy_id(self) -> None:
        thread = self.thread_list.highlighted
        if thread is None:
            self.app.notify("Highlight a thread to copy its Id.", timeout=3)
            return
        self.app.copy_to_clipboard(thread.Id)
        self.app.notify(f"Copied the thread's Id: {thread.Id}", title="Copied", timeout=3, markup=False)

    def action_copy_thread(self) -> None:
        thread = self.thread_list.highlighted
        if thread is None:
            self.app.notify("Highlight a thread to copy it.", timeout=3)
            return
        self.settle_highlight()
        text = self.app.screen.query_one(ThreadDetail).as_plain_text()
        self.app.copy_to_clipboard(text)
        lines = text.count("\n") + 1
        self.app.notify(
            f"Copied the thread and its loaded conversation as plain text ({lines} lines).",
            title="Copied",
            timeout=3,
        )

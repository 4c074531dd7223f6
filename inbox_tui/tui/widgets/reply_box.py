"""ReplyBox: the multi-line reply under a conversation.

It only edits and asks: `Send` and `Closed` go to the detail pane, which sends,
keeps the draft and shows what happened. An empty reply is refused here, inline.
"""

from __future__ import annotations

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.containers import Vertical
from textual.message import Message
from textual.widgets import Static, TextArea

from inbox_tui.safe_text import printable
from inbox_tui.tui.inbox_services import InboxServices
from inbox_tui.tui.late_bindings import REPLY_BOX_BINDINGS


class ReplyBox(Vertical):
    BINDINGS = REPLY_BOX_BINDINGS

    app: InboxServices

    class Send(Message):
        def __init__(self, text: str) -> None:
            self.text = text
            super().__init__()

    class Changed(Message):
        def __init__(self, text: str) -> None:
            self.text = text
            super().__init__()

    class Closed(Message):
        """The box was closed with escape; its text is the draft."""

    def compose(self) -> ComposeResult:
        yield TextArea(id="reply-text", soft_wrap=True, show_line_numbers=False, tab_behavior="focus")
        yield Static(self._hint(), id="reply-status")

    def _hint(self) -> str:
        send = self.app.key_for("reply.send")
        keep = self.app.key_for("reply.keep_draft")
        return f"{send} sends · {keep} keeps the draft"

    @property
    def text(self) -> str:
        return self.query_one(TextArea).text

    def open(self, text: str, note: str = "") -> None:
        area = self.query_one(TextArea)
        if area.text != text:
            area.load_text(text)
            area.move_cursor(area.document.end)
        self.say(note or self._hint())
        self.display = True
        area.disabled = False
        area.focus()

    def say(self, text: str, *, is_error: bool = False) -> None:
        status = self.query_one("#reply-status", Static)
        status.set_class(is_error, "-error")
        status.update(Text(printable(text, one_line=False)))

    def set_sending(self, is_sending: bool) -> None:
        self.query_one(TextArea).disabled = is_sending
        if is_sending:
            self.say("Sending…")

    def finish(self) -> None:
        """The reply was sent: empty and hidden, ready for the next one."""
        area = self.query_one(TextArea)
        area.disabled = False
        area.load_text("")
        self.display = False

    @on(TextArea.Changed)
    def _changed(self, event: TextArea.Changed) -> None:
        event.stop()
        self.post_message(self.Changed(event.text_area.text))

    def action_send(self) -> None:
        if self.query_one(TextArea).disabled:
            return
        if not self.text.strip():
            self.say("Write something first: an empty reply is not sent.", is_error=True)
            return
        self.post_message(self.Send(self.text))

    def action_close(self) -> None:
        self.display = False
        self.post_message(self.Closed())

"""StatusBar: one line saying what the inbox is doing or what went wrong."""

from __future__ import annotations

from rich.text import Text
from textual.widgets import Static

from inbox_tui.safe_text import printable


class StatusBar(Static):
    """Shows progress, the end of history, or the last error (with the `-error` class)."""

    def say(self, message: str, *, is_error: bool = False) -> None:
        self.set_class(is_error, "-error")
        # One line high whatever it says (inbox.tcss): a new text is drawn, never laid out,
        # which would lay out the whole screen on every message (each `/` key says one).
        self.update(Text(printable(message)), layout=False)

"""ThreadDetail: every field of the highlighted thread, as plain text, never markup."""

from __future__ import annotations

from rich.text import Text
from textual.widgets import Static

from inbox_tui.api.models import MessageThread
from inbox_tui.safe_text import clipped, printable
from inbox_tui.tui.time_format import local_and_utc

# A 10,000-character subject is a data problem, not something to page through here.
MAX_SHOWN_CHARACTERS = 2000


class ThreadDetail(Static, can_focus=True):
    """The right (or lower) pane."""

    _shown_height = -1

    def show(self, thread: MessageThread | None) -> None:
        text = self._render_thread(thread) if thread else Text("No thread selected.", style="dim")
        # A layout pass costs more than the rest of a keypress together; it is only
        # needed when the new text takes a different number of lines.
        height = len(text.wrap(self.app.console, max(1, self.content_region.width)))
        self.update(text, layout=height != self._shown_height)
        self._shown_height = height

    def on_resize(self) -> None:
        self._shown_height = -1

    def _render_thread(self, thread: MessageThread) -> Text:
        text = Text()
        subject = clipped(printable(thread.Subject, one_line=False), MAX_SHOWN_CHARACTERS)
        text.append(subject or "(no subject)", style="bold")
        text.append("\n\n")
        rows = [
            ("From", thread.OriginalSender or "(no sender)"),
            ("Created", local_and_utc(thread.CreatedUtc)),
            ("Updated", local_and_utc(thread.UpdatedUtc)),
        ]
        if thread.IsResolved is not None:
            rows.append(("Resolved", "yes" if thread.IsResolved else "no"))
        rows.append(("Id", thread.Id))
        for label, value in rows:
            text.append(f"{label:<9}", style="dim")
            text.append(clipped(printable(value), MAX_SHOWN_CHARACTERS) + "\n")
        return text

"""The fields of a thread at the top of the detail pane: subject, sender, times, state and Id."""

from __future__ import annotations

from typing import TYPE_CHECKING

from rich.text import Text

from inbox_tui.safe_text import clipped, printable
from inbox_tui.tui.time_format import local_and_utc

if TYPE_CHECKING:
    from inbox_tui.api.models import MessageThread

# A 10,000-character subject is a data problem, not something to page through here.
MAX_SHOWN_CHARACTERS = 2000


def thread_fields(thread: MessageThread) -> Text:
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

"""ConversationView: a thread's messages, oldest to newest, like a chat.

Staff messages sit on the left, this integration's on the right, each in its own
colours (component classes, styled in inbox.tcss). Every text is data: built as
`rich.text.Text` from `printable`, never parsed as markup, with line breaks kept.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from datetime import datetime
from typing import TYPE_CHECKING, NamedTuple

from rich.console import Group, RenderableType
from rich.padding import Padding
from rich.style import Style
from rich.text import Text
from textual.widgets import Static

from inbox_tui.safe_text import clipped, printable

if TYPE_CHECKING:
    from inbox_tui.api.models import Message

# A message longer than this is a data problem, not something to scroll through here.
MAX_SHOWN_CHARACTERS = 10_000
SIDE_MARGIN = 6
FOUND_MARK = "◆"


class PendingReply(NamedTuple):
    """A reply typed here and not yet confirmed: sending, or failed with `error`."""

    text: str
    error: str | None = None


def sender_kind(message: Message) -> tuple[str, str]:
    """The message's style (a component class suffix) and who it says wrote it."""
    if message.Sender.is_staff:
        return "staff", "Staff"
    if message.Sender.is_application:
        return "application", "This integration"
    return "other", f"Unknown sender ({printable(message.Sender.Discriminator) or 'no kind given'})"


def message_time(moment: datetime, now: datetime) -> str:
    """Local time, with the year only when it is not this year's."""
    local = moment.astimezone()
    return f"{local:%d %b %H:%M}" if local.year == now.astimezone().year else f"{local:%d %b %Y %H:%M}"


class ConversationView(Static):
    COMPONENT_CLASSES = {
        "conversation--staff",
        "conversation--staff-text",
        "conversation--application",
        "conversation--application-text",
        "conversation--other",
        "conversation--failed",
        "conversation--matched",
    }

    transcript = ""
    """What is shown, as plain text: for copying, and for tests to read."""
    marked_line: int | None = None
    """Where the message a search found begins, in lines from the top, when one is shown."""

    _is_clear = False

    def clear(self) -> None:
        if self.transcript or not self._is_clear:
            self.transcript = ""
            self._is_clear = True
            self.update("")

    def show(
        self,
        messages: Sequence[Message],
        pending: PendingReply | None,
        now: datetime,
        marked: str | None = None,
    ) -> None:
        """`marked`: the Id of the message a search found, said in its header and measured."""
        style: Callable[[str], Style] = self.get_component_rich_style
        parts: list[RenderableType] = []
        lines: list[str] = []
        self.marked_line = None
        for message in messages:
            kind, who = sender_kind(message)
            header = f"{who} · {message_time(message.CreatedUtc, now)}"
            if message.Id == marked:
                self.marked_line = self._height(parts)
                parts.append(Text(f"{FOUND_MARK} found by your search", style=style("conversation--matched")))
            parts.append(self._bubble(header, message.Text, kind, style))
            lines.append(f"{header}\n{printable(message.Text, one_line=False)}\n")
        if pending is not None:
            header = f"This integration · {'sending…' if pending.error is None else 'not sent'}"
            parts.append(self._bubble(header, pending.text, "application", style))
            lines.append(f"{header}\n{pending.text}\n")
            if pending.error is not None:
                error = Text(printable(pending.error, one_line=False), style=style("conversation--failed"))
                parts.append(Padding(error, (0, 0, 1, SIDE_MARGIN)))
                lines.append(pending.error)
        self.transcript = "\n".join(lines)
        self._is_clear = False
        self.update(Group(*parts))

    def _height(self, parts: Sequence[RenderableType]) -> int:
        console = self.app.console
        width = self.content_region.width or self.app.size.width
        return len(console.render_lines(Group(*parts), console.options.update_width(width), pad=False))

    @staticmethod
    def _bubble(header: str, body: str, kind: str, style: Callable[[str], Style]) -> RenderableType:
        text_style = style(f"conversation--{kind}-text") if kind != "other" else style("conversation--other")
        shown = clipped(printable(body, one_line=False), MAX_SHOWN_CHARACTERS) or "(empty message)"
        bubble = Group(
            Text(header, style=style(f"conversation--{kind}")),
            Padding(Text(shown, style=text_style), (0, 1), style=text_style, expand=True),
        )
        margins = (0, 0, 1, SIDE_MARGIN) if kind == "application" else (0, SIDE_MARGIN, 1, 0)
        return Padding(bubble, margins)

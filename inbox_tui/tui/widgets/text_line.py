"""TextLine: a Static for short texts that change often (a pane's state, its fields, a form's errors).

Setting the same text again does nothing, and a new text is laid out only when its
number of lines changes: a layout pass costs more than the rest of a keypress. An
empty line takes no room (unless told to keep it), so that a form whose errors say
nothing still fits a 60x20 terminal.
"""

from __future__ import annotations

from rich.text import Text
from textual.widgets import Static


class TextLine(Static):
    def __init__(
        self, text: str = "", *, id: str, classes: str | None = None, hide_when_empty: bool = True
    ) -> None:
        super().__init__(Text(text), id=id, classes=classes)
        self._hide_when_empty = hide_when_empty
        self.display = bool(text) or not hide_when_empty
        self._shown: tuple[str, int, int] | None = None
        """The text shown, its height and the width it was wrapped at."""

    def say(self, text: str | Text, *, is_error: bool = False) -> None:
        text = Text(text) if isinstance(text, str) else text
        self.set_class(is_error, "-error")
        if self._hide_when_empty:
            self.display = bool(text.plain)
        width = max(1, self.content_region.width)
        shown = self._shown
        if shown is not None and shown[0] == text.plain and shown[2] == width:
            return
        height = len(text.wrap(self.app.console, width))
        self.update(text, layout=shown is None or shown[1] != height or shown[2] != width)
        self._shown = (text.plain, height, width)

"""FilterLine: the `/` line, whose list follows each change of its text in the same frame.

An `Input` says that its text changed by a message, which reaches the screen after the
line has already asked to be drawn: the new text was often drawn a frame before the
rows it selects (the more often the longer the list, whose selection widens the gap). The
line calls back from the change itself, so that both are drawn together.
"""

from __future__ import annotations

from collections.abc import Callable

from textual.widgets import Input


class FilterLine(Input):
    def __init__(self, on_change: Callable[[str], None], *, placeholder: str, id: str) -> None:
        self._on_change = on_change
        super().__init__(placeholder=placeholder, id=id)

    def watch_value(self, value: str) -> None:
        self._on_change(value)

"""Where the focus was before a reply box or the filter line took it, to give it back.

Modal screens get this from Textual (a screen keeps its focused widget while
another is on top); widgets shown inside a screen do not, so they ask here.
"""

from __future__ import annotations

from textual.widget import Widget


class FocusReturn:
    def __init__(self) -> None:
        self._widget: Widget | None = None

    def remember(self, focused: Widget | None) -> None:
        """Called as the box opens; a box opened twice keeps the first place."""
        if self._widget is None:
            self._widget = focused

    def give_back(self, fallback: Widget) -> None:
        """Focus where it was, or `fallback` when that is gone or hidden."""
        widget, self._widget = self._widget, None
        if widget is not None and widget.is_attached and widget.focusable:
            widget.focus()
        else:
            fallback.focus()

    def forget(self) -> None:
        """The box closed by moving on (enter in the filter): nothing to give back."""
        self._widget = None

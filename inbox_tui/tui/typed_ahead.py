"""Keys typed ahead of a form or a line: given to its fields, in order, once one has the focus.

A terminal hands a fast typist's keys (or a paste) over at once. Those typed right
after `n` (or `/`, as in "/parking") were given to the list below, since the form or
the line was not up yet; they came back to the app unhandled, and were lost. A
printable key that reaches the app while a field has the focus (a field takes every
printable key itself, so this one came from below), or while a form is opening with no
field focused yet, is kept and given to the field that has the focus; a tab among them
moves the focus as it would have.
"""

from __future__ import annotations

import sys
from typing import TYPE_CHECKING

from textual import events
from textual.screen import ModalScreen
from textual.widgets import Input

if TYPE_CHECKING:
    from textual.app import App
    from textual.widget import Widget

MAX_WAITS = 20
"""Refreshes to wait for a field to take the focus before the keys are let go."""


def takes_keys(widget: Widget | None) -> bool:
    """A field that takes every printable key itself (so one that reached the app was given to
    a widget below it); a read-only one would hand the key back, again and again."""
    if widget is None or widget.disabled or getattr(widget, "read_only", False):
        return False
    # Not imported for this test: a TextArea costs about 13 ms to import, and none exists
    # before its module is loaded by the part that makes one.
    text_area = sys.modules.get("textual.widgets._text_area")
    return isinstance(widget, Input) or (text_area is not None and isinstance(widget, text_area.TextArea))


class TypedAhead:
    def __init__(self, app: App[None]) -> None:
        self._app = app
        self._keys: list[events.Key] = []
        self._waits = 0
        self._is_waiting = False
        self._expecting = False

    def expect(self) -> None:
        """A field is being made (the reply box, mounted on the first R): until it has the
        focus, the keys typed are its, even those that would be keys of the screen below."""
        self._expecting = True
        self._wait_for_field()

    def take(self, event: events.Key) -> bool:
        """Keep `event` for the field that has just opened; False when it is not a key typed
        ahead of one."""
        screen, focused = self._app.screen, self._app.screen.focused
        if not (event.is_printable or event.key == "tab"):
            return False
        if event.key == "tab" and not self._keys:
            return False  # nothing waits ahead of it: the form's own tab
        if self._expecting or takes_keys(focused):
            pass  # a field takes every printable key itself: this one was given to a widget below
        elif not isinstance(screen, ModalScreen) or focused is not None:
            return False  # a button or a list of the form's own, or no field opening: its own keys
        elif event.key != "tab" and event.key in self._app.active_bindings:
            return False  # a key of the form's (y and n of a question)
        self._keys.append(event)
        self._wait_for_field()
        return True

    def before_key(self) -> None:
        """A key reaches the app: once a field has the focus, the keys kept for it go first, so
        that one typed after it opened never lands ahead of them ("Ok" typed as "kO")."""
        if (self._keys or self._expecting) and takes_keys(self._app.screen.focused):
            self._give()

    def _wait_for_field(self) -> None:
        if not self._is_waiting:
            self._is_waiting, self._waits = True, 0
            self._app.call_after_refresh(self._give)

    def _give(self) -> None:
        screen = self._app.screen
        if not takes_keys(screen.focused) and self._waits < MAX_WAITS:
            self._waits += 1
            self._app.call_after_refresh(self._give)  # the form or the box is still opening
            return
        self._is_waiting = self._expecting = False
        keys, self._keys = self._keys, []
        for key in keys:
            if key.key == "tab":
                screen.focus_next()
            elif takes_keys(screen.focused):
                screen.focused.post_message(events.Key(key.key, key.character))  # type: ignore[union-attr]

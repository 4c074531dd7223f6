"""Keys typed ahead of a form: given to its fields, in order, once it has one focused.

A terminal hands a fast typist's keys (or a paste) over at once. Those typed right
after `n` were given to the list below, since the form was not up yet; they came back
to the app unhandled, and were lost. A printable key that reaches the app while a form
is on top, with no field focused or a field that would have taken it itself (so it came
from below), is kept and given to the form when a field has the focus; a tab among them
moves the focus as it would have.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from textual import events
from textual.screen import ModalScreen
from textual.widgets import Input

if TYPE_CHECKING:
    from textual.app import App

MAX_WAITS = 20
"""Refreshes to wait for a field to take the focus before the keys are let go."""


class TypedAhead:
    def __init__(self, app: App[None]) -> None:
        self._app = app
        self._keys: list[events.Key] = []
        self._waits = 0

    def take(self, event: events.Key) -> bool:
        """Keep `event` for the form on top; False when it is not a key typed ahead of one."""
        screen = self._app.screen
        if not isinstance(screen, ModalScreen) or not (event.is_printable or event.key == "tab"):
            return False
        if event.key == "tab" and not self._keys:
            return False  # nothing waits ahead of it: the form's own tab
        if event.key != "tab" and event.key in self._app.active_bindings:
            return False  # a key of the form's (y and n of a question)
        if screen.focused is not None and not isinstance(screen.focused, Input):
            return False  # a button or a list of the form's own: its keys are its own
        self._keys.append(event)
        if len(self._keys) == 1:
            self._waits = 0
            self._app.call_after_refresh(self._give)
        return True

    def _give(self) -> None:
        screen = self._app.screen
        if screen.focused is None and self._waits < MAX_WAITS:
            self._waits += 1
            self._app.call_after_refresh(self._give)  # the form is still opening
            return
        keys, self._keys = self._keys, []
        for key in keys:
            if key.key == "tab":
                screen.focus_next()
            elif isinstance(screen.focused, Input):
                screen.focused.post_message(events.Key(key.key, key.character))

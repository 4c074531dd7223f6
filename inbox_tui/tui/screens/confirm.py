"""ConfirmScreen: a question with yes and no, for what cannot be undone in one key."""

from __future__ import annotations

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.screen import ModalScreen
from textual.widgets import Button, Static

from inbox_tui.tui.widgets.key_bar import KeyBar


class ConfirmScreen(ModalScreen[bool]):
    CSS_PATH = "forms.tcss"
    BINDINGS = [
        Binding("y,enter", "answer(True)", "Yes", id="confirm.yes"),
        Binding("n,escape", "answer(False)", "No", id="confirm.no"),
    ]

    def __init__(self, question: str, yes: str) -> None:
        super().__init__()
        self._question = question
        self._yes = yes

    def compose(self) -> ComposeResult:
        with Vertical(id="form"):
            yield Static(self._question, id="form-title")
            with Horizontal(id="form-buttons"):
                yield Button(f"{self._yes}  y", variant="primary", id="yes")
                yield Button("Cancel  n", id="no")
        yield KeyBar(id="key-bar")

    def action_answer(self, is_sure: bool) -> None:
        self.dismiss(is_sure)

    @on(Button.Pressed)
    def _pressed(self, event: Button.Pressed) -> None:
        self.dismiss(event.button.id == "yes")

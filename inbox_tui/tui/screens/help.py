"""HelpScreen: the keys, generated from the bindings that are active where `?` was pressed."""

from __future__ import annotations

from rich.table import Table
from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.screen import ModalScreen
from textual.widgets import Static

from inbox_tui.tui.late_bindings import HELP_BINDINGS
from inbox_tui.tui.widgets.key_bar import KeyBar
from inbox_tui.tui.widgets.thread_detail import ThreadDetail
from inbox_tui.tui.widgets.thread_list import ThreadList

EXTRA_KEYS = (("ctrl+p", "Command palette (or click ⭘): refresh, new thread, theme, profile, detail pane"),)


class HelpScreen(ModalScreen[None]):
    CSS_PATH = "help.tcss"
    BINDINGS = HELP_BINDINGS

    def __init__(self, bindings: list[Binding]) -> None:
        super().__init__()
        self._listed_bindings = bindings

    def compose(self) -> ComposeResult:
        table = Table.grid(padding=(0, 2))
        table.add_column(style="bold")
        table.add_column()
        table.add_column(style="dim")  # the id that [keys] in config.toml rebinds
        seen: set[str] = set()
        for binding in [*ThreadList.BINDINGS, *self._listed_bindings, *ThreadDetail.BINDINGS]:
            if not isinstance(binding, Binding) or binding.description in seen or not binding.description:
                continue
            seen.add(binding.description)
            in_force = self.app.keys_in_force.get(binding.id or "", binding.key.split(","))  # type: ignore[attr-defined]
            keys = " / ".join(_key_label(key) for key in in_force) or "(no key)"
            table.add_row(keys, binding.description, binding.id or "")
        for key, description in EXTRA_KEYS:
            table.add_row(key, description, "")
        with VerticalScroll(id="help-dialog"):
            yield Static(Text("Keys", style="bold"), id="help-title")
            yield Static(table)
            yield Static(
                Text(
                    "Rebind any key by its id in [keys] of config.toml. escape closes this help.", style="dim"
                )
            )
        yield KeyBar(id="key-bar")


def _key_label(key: str) -> str:
    return {"question_mark": "?", "slash": "/"}.get(key, key)

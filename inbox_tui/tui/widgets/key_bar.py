"""KeyBar and TitleBar: the footer's keys and the header's title, one widget each.

Textual's Footer and Header compose a widget per key and per part, and styling
and laying those out was a third of the time from start to the first frame. The
same information drawn as one line each costs a fraction of that. Every key is
still clickable (it presses the key, as the Footer's keys do), and so is the
command palette's mark in the title bar.
"""

from __future__ import annotations

from rich.style import Style
from rich.table import Table
from rich.text import Text
from textual.binding import Binding
from textual.keys import key_to_character
from textual.screen import Screen
from textual.widget import Widget
from textual.widgets import Static

ShownKeys = tuple[tuple[str, str, str, bool], ...]


def _clickable(action: str) -> Style:
    return Style(meta={"@click": action})


class KeyBar(Static):
    """The keys that work where the focus is, with what they do."""

    COMPONENT_CLASSES = {"key-bar--key", "key-bar--description", "key-bar--disabled"}

    _shown: ShownKeys | None = None

    def on_mount(self) -> None:
        self.screen.bindings_updated_signal.subscribe(self, self._bindings_changed)

    def on_unmount(self) -> None:
        self.screen.bindings_updated_signal.unsubscribe(self)

    def _bindings_changed(self, screen: Screen[object]) -> None:
        shown = self._shown_keys(screen)
        if shown != self._shown:
            self._shown = shown
            self.update(self._render_keys(shown))

    def _shown_keys(self, screen: Screen[object]) -> ShownKeys:
        focused = screen.focused
        bindings = [
            (binding, enabled)
            for _, binding, enabled, _ in screen.active_bindings.values()
            if binding.show and not (focused is not None and self._takes(focused, binding))
        ]
        # One entry per action, as the Footer shows them: the first key bound to it.
        by_action: dict[str, tuple[Binding, bool]] = {}
        for binding, enabled in bindings:
            by_action.setdefault(binding.action, (binding, enabled))
        return tuple(
            (binding.key, self.app.get_key_display(binding), binding.description, enabled)
            for binding, enabled in by_action.values()
        )

    def _takes(self, focused: Widget, binding: Binding) -> bool:
        """Whether the focused widget takes the key itself (a text field, a typed character).

        Textual leaves such keys out of the active bindings, but knows no character for
        some key names (`slash`); the key's display does.
        """
        display = self.app.get_key_display(binding)
        character = key_to_character(binding.key) or (display if len(display) == 1 else None)
        return focused.check_consume_key(binding.key, character)

    def _render_keys(self, shown: ShownKeys) -> Text:
        # The command palette has its own mark, the ⭘ of the title bar, and ctrl+p in the help.
        key_style = self.get_component_rich_style("key-bar--key")
        description_style = self.get_component_rich_style("key-bar--description")
        disabled = self.get_component_rich_style("key-bar--disabled")
        keys = Text(no_wrap=True, overflow="ellipsis")
        for key, display, description, enabled in shown:
            click = _clickable(f"press({key!r})")
            keys.append(f" {display} ", (key_style if enabled else disabled) + click)
            keys.append(f"{description} ", (description_style if enabled else disabled) + click)
        return keys

    def action_press(self, key: str) -> None:
        self.app.simulate_key(key)


class TitleBar(Static):
    """The app's title and sub-title (environment, counts, cache and new-thread state)."""

    COMPONENT_CLASSES = {"title-bar--icon", "title-bar--note"}

    def on_mount(self) -> None:
        self.watch(self.app, "title", self._title_changed)
        self.watch(self.app, "sub_title", self._title_changed)
        self.watch(self.app, "sync_note", self._title_changed)

    def _title_changed(self) -> None:
        # The profile, order and filter it names are all changed from the palette: a click opens it.
        palette = _clickable("app.command_palette")
        title = Text(self.app.title, style=palette, no_wrap=True, overflow="ellipsis")
        if self.app.sub_title:
            title.append(f" — {self.app.sub_title}", Style(dim=True) + palette)
        table = Table.grid(expand=True)
        table.add_column(width=3, no_wrap=True)
        table.add_column(justify="center", ratio=1, no_wrap=True)
        note: str = self.app.sync_note  # type: ignore[attr-defined]
        table.add_column(width=len(note) + 2 if note else 3, justify="right", no_wrap=True)
        icon = Text(
            " ⭘", self.get_component_rich_style("title-bar--icon") + _clickable("app.command_palette")
        )
        table.add_row(
            icon, title, Text(f"{note} ", self.get_component_rich_style("title-bar--note")) if note else ""
        )
        self.update(table)

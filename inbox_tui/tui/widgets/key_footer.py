"""Textual's Footer, rebuilt only when the keys it shows change."""

from __future__ import annotations

from textual.binding import Binding
from textual.widgets import Footer

ShownKeys = tuple[tuple[tuple[Binding, bool, str], ...], bool, bool]


class KeyFooter(Footer):
    """The Footer rebuilds a widget per key on every bindings signal, and focus changes send
    them even when the keys stay the same: at start-up that was a second, identical rebuild
    costing about 15 ms before the first page was painted."""

    _composed_for: ShownKeys | None = None

    def _shown_keys(self) -> ShownKeys:
        # Until the first bindings signal the Footer composes no keys at all.
        bindings = self.screen.active_bindings.values() if self._bindings_ready else ()
        keys = tuple((binding, enabled, tooltip) for _, binding, enabled, tooltip in bindings if binding.show)
        return keys, self.compact, self.show_command_palette

    async def recompose(self) -> None:
        shown = self._shown_keys()
        if shown == self._composed_for:
            return
        self._composed_for = shown
        await super().recompose()

"""Child process of bench/startup.py: start an app headless, say when it has painted, exit.

    python bench/_startup_probe.py inbox|bare

"painted" goes to stdout the moment the first frame (bare) or the first page of
threads (inbox) has been drawn, so that shutting down is not part of the figure.
Nothing is imported before the choice, so that each side pays only for its own.
"""

from __future__ import annotations

import gc
import sys
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from textual.app import App


def run_bare() -> None:
    """The floor: a Textual app that paints one label."""
    from textual.app import App, ComposeResult
    from textual.widgets import Label

    class BareApp(App[None]):
        def compose(self) -> ComposeResult:
            yield Label("ready")

        def on_mount(self) -> None:
            self.call_after_refresh(painted, self)

    BareApp().run(headless=True)


def run_inbox() -> None:
    """What `connector-inbox --demo` does, collection pause included, with a probe for the first page."""
    gc.disable()
    from inbox_tui.__main__ import connect, make_pager, resume_garbage_collection
    from inbox_tui.config import load_settings
    from inbox_tui.tui.app import InboxApp
    from inbox_tui.tui.screens.main import MainScreen

    class ProbedScreen(MainScreen):
        _has_a_page = False

        def on_page_loaded(self) -> None:
            # Runs before MainScreen's own handler appends the page: the refresh that
            # follows is the first one with threads in it.
            if not self._has_a_page:
                self._has_a_page = True
                self.call_after_refresh(painted, self.app)

    settings = load_settings(demo=True)
    client = connect(settings)
    app = InboxApp(client, lambda: make_pager(client, settings), environment="demo")
    app.get_default_screen = ProbedScreen  # type: ignore[method-assign]
    resume_garbage_collection()
    app.run(headless=True)


def painted(app: App[None]) -> None:
    print("painted", flush=True)
    app.exit()


if __name__ == "__main__":
    run_bare() if sys.argv[1] == "bare" else run_inbox()

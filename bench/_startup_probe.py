"""Child process of bench/startup.py: start an app headless, say when it has painted, exit.

    python bench/_startup_probe.py bare|cold|warm [CACHE_DIR]

"painted" goes to stdout the moment the first frame (bare) or the first threads
(inbox) have been drawn, so that shutting down is not part of the figure. `cold`
is demo mode without a cache (the first threads come from the simulator); `warm`
paints from the cache in CACHE_DIR, filled beforehand. Nothing is imported before
the choice, so that each side pays only for its own.
"""

from __future__ import annotations

import gc
import os
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


def run_inbox(cache_dir: str | None) -> None:
    """What `connector-inbox --demo` does, collection pause included, with a probe for the first threads."""
    gc.disable()
    if cache_dir:
        os.environ["XDG_CACHE_HOME"] = cache_dir
    from inbox_tui.__main__ import main
    from inbox_tui.tui.screens.main import MainScreen
    from inbox_tui.tui.widgets.thread_list import ThreadList

    watch = ThreadList.watch_cursor

    def watch_cursor(self: ThreadList, old: int, new: int) -> None:
        # The cursor is set when the first threads arrive, from the cache or the platform.
        watch(self, old, new)
        if self.threads and not getattr(self.app, "_probed", False):
            self.app._probed = True  # type: ignore[attr-defined]
            self.call_after_refresh(painted, self.app)

    ThreadList.watch_cursor = watch_cursor  # type: ignore[method-assign]
    MainScreen.AUTO_FOCUS = "#threads"
    from textual.app import App as TextualApp

    run = TextualApp.run
    TextualApp.run = lambda self, **kw: run(self, headless=True)  # type: ignore[method-assign]
    main(["--demo", *([] if cache_dir else ["--no-cache"])])


def painted(app: App[None]) -> None:
    """Say so and stop at once: what shutting down costs is not part of the start."""
    print("painted", flush=True)
    os._exit(0)


if __name__ == "__main__":
    kind = sys.argv[1]
    run_bare() if kind == "bare" else run_inbox(sys.argv[2] if kind == "warm" else None)

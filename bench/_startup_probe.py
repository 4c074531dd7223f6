"""Child process of bench/startup.py: start an app headless, say when it has painted, exit.

    python bench/_startup_probe.py bare|cold|warm [CACHE_DIR]

"painted" goes to stdout the moment the first frame (bare) or the first frame with
threads (inbox) is written, so that shutting down is not part of the figure. `cold`
is demo mode without a cache (the first threads come from the simulator); `warm`
paints from the cache in CACHE_DIR, filled beforehand. Nothing is imported before
the choice, so that each side pays only for its own.
"""

from __future__ import annotations

import gc
import importlib.abc
import importlib.util
import os
import sys
from collections.abc import Callable
from importlib.machinery import ModuleSpec
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from textual.app import App


def run_bare() -> None:
    """The floor: a Textual app that paints one label."""
    from textual.app import App, ComposeResult
    from textual.widgets import Label

    class BareApp(App[None]):
        def compose(self) -> ComposeResult:
            yield Label("ready")

    say_painted_at_first_frame(BareApp, lambda app: True)
    BareApp().run(headless=True)


def run_inbox(cache_dir: str | None) -> None:
    """What `connector-inbox --demo` does, collection pause included, with a probe for the first
    threads. The probe goes in as the inbox imports its app, not before: importing Textual
    first would change what the start does before it (its head start forks before Textual)."""
    gc.disable()
    if cache_dir:
        os.environ["XDG_CACHE_HOME"] = cache_dir
    sys.meta_path.insert(0, _ProbeWhenImported("inbox_tui.tui.app", install_probe))
    from inbox_tui.__main__ import main

    main(["--demo", *([] if cache_dir else ["--no-cache"])])


def install_probe() -> None:
    from textual.app import App as TextualApp

    from inbox_tui.tui.screens.main import MainScreen
    from inbox_tui.tui.widgets.thread_list import ThreadList

    watch = ThreadList.watch_cursor

    def watch_cursor(self: ThreadList, old: int, new: int) -> None:
        # The cursor is set when the first threads arrive, from the cache or the platform:
        # the list is then due to be drawn, and the next frame written shows them.
        watch(self, old, new)
        if self.threads:
            self.app._has_threads = True  # type: ignore[attr-defined]

    ThreadList.watch_cursor = watch_cursor  # type: ignore[method-assign]
    say_painted_at_first_frame(TextualApp, lambda app: getattr(app, "_has_threads", False))
    MainScreen.AUTO_FOCUS = "#threads"
    run = TextualApp.run
    TextualApp.run = lambda self, **kw: run(self, headless=True)  # type: ignore[method-assign]


class _ProbeWhenImported(importlib.abc.MetaPathFinder):
    """Calls `then` right after the module `name` is first imported."""

    def __init__(self, name: str, then: Callable[[], None]) -> None:
        self.name, self.then = name, then

    def find_spec(self, name: str, path: Any = None, target: Any = None) -> ModuleSpec | None:
        if name != self.name:
            return None
        sys.meta_path.remove(self)
        spec = importlib.util.find_spec(name)
        assert spec is not None and spec.loader is not None
        loader, then = spec.loader, self.then

        class ThenLoader(importlib.abc.Loader):
            def create_module(self, spec: ModuleSpec) -> Any:
                return loader.create_module(spec)

            def exec_module(self, module: Any) -> None:
                loader.exec_module(module)
                then()

        spec.loader = ThenLoader()
        return spec


def say_painted_at_first_frame(
    app_class: type[App[None]], shows_what_it_is_for: Callable[[App[None]], bool]
) -> None:
    """Say "painted" as the first frame that `shows_what_it_is_for` is written, when a terminal
    would show it: Textual writes each frame in `App._display` (headless, to nothing). A callback
    after the screen's refresh came later, after the layouts that the first frame's own Resize
    messages cause (about 30 ms for the inbox, 19 for the bare app), of which a terminal shows
    nothing new; `bench/startup.py`'s tmux figures wait for the text on the screen instead."""
    display = app_class._display

    def _display(self: App[None], screen: Any, renderable: Any) -> None:
        display(self, screen, renderable)
        if renderable is not None and not self._batch_count and shows_what_it_is_for(self):
            painted(self)

    app_class._display = _display  # type: ignore[method-assign]


def painted(app: App[None]) -> None:
    """Say so and stop at once: what shutting down costs is not part of the start."""
    print("painted", flush=True)
    os._exit(0)


if __name__ == "__main__":
    kind = sys.argv[1]
    run_bare() if kind == "bare" else run_inbox(sys.argv[2] if kind == "warm" else None)

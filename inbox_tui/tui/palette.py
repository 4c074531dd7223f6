"""The inbox's own commands in the palette (ctrl+p), beside Textual's: what has no key, or
whose key is easy to forget (the profiles, the mirror's sync).

The palette reads a command's title and help as markup: every text given it is escaped,
so that `[keys]` is shown and a profile's name from config.toml is shown as written."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import TYPE_CHECKING

from textual import on
from textual.app import SystemCommand
from textual.command import CommandList, CommandPalette
from textual.markup import escape
from textual.widgets import Input, OptionList

if TYPE_CHECKING:
    from textual.await_complete import AwaitComplete

    from inbox_tui.tui.app import InboxApp
    from inbox_tui.tui.screens.main import MainScreen


def main_screen_commands(app: InboxApp, screen: MainScreen) -> Iterator[SystemCommand]:
    yield SystemCommand("Keys", escape("Show every key, with its id for [keys] (also ?)"), screen.action_help)
    yield SystemCommand("Refresh", "Reload the threads from the newest", screen.action_refresh)
    yield SystemCommand("New thread", "Open the new-thread form", screen.action_new_thread)
    yield SystemCommand("Toggle detail pane", "Show or hide the thread detail", screen.action_toggle_detail)
    if app.cache is not None and app.cache.has_search:
        yield SystemCommand(
            "Sync the mirror",
            "Every thread and message into the local cache, for search (s); resumable",
            app.mirror_sync.start,
        )
    if app.api_filter is not None:
        yield SystemCommand("Clear filters", "Show the whole history again", screen.action_clear_filters)
    for profile in app.profiles:
        if profile != app.profile:
            yield SystemCommand(
                escape(f"Profile: {profile}"), _profile_help(profile), _switcher(app, profile)
            )


def _switcher(app: InboxApp, profile: str) -> Callable[[], None]:
    def switch() -> None:
        app.run_worker(app.switch_to_profile(profile), exclusive=True, group="profile")

    return switch


def _profile_help(profile: str) -> str:
    if profile == "mews-demo":
        return (
            "Reconnect to the public demo platform with the documentation's sample tokens (never real data)"
        )
    return "Reconnect with this profile of config.toml"


class InboxCommandPalette(CommandPalette):
    """Textual's palette (8.2.8), closed once and paged only once it is laid out.

    Found by sending random bursts of keys to the inbox in tmux, each a crash of the app:
    `enter` pressed twice chose the command twice, the second time closing a palette already
    closed (`ScreenStackError`, or the screen under it popped), so once closing it takes no
    other choice; and `ctrl+p` with a page key in one burst paged a list whose lines Textual
    counts only once it has a size (`KeyError`), so page keys wait for that."""

    _is_closing = False

    def dismiss(self, result: object = None) -> AwaitComplete:
        self._is_closing = True
        return super().dismiss(result)

    @on(Input.Submitted)
    @on(OptionList.OptionSelected)
    def _chosen_once(self, event: Input.Submitted | OptionList.OptionSelected) -> None:
        if self._is_closing:  # a second `enter`, typed before the first had closed the palette
            event.prevent_default()  # Textual's own handlers, in the class below, do not run
            event.stop()

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action == "command_list" and parameters[:1] in (("page_up",), ("page_down",)):
            return bool(self.query_one(CommandList).scrollable_content_region)
        return super().check_action(action, parameters)

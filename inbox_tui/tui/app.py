"""InboxApp: composes the screens and fills in `InboxServices` for them; nothing more.

The first frame is painted from the local cache with nothing of the platform's
stack imported; `connect_platform` then makes the `Connection` (client, pager)
that the command line or a test describes, so the app runs the same on the demo
simulator, on a real platform and in tests.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING

from textual.app import SystemCommand
from textual.binding import Binding
from textual.dom import DOMNode
from textual.screen import Screen

from inbox_tui.inbox.conversations import ConversationLoader
from inbox_tui.inbox.thread_feed import ThreadFeed
from inbox_tui.inbox.triage import Triage
from inbox_tui.settings.sources import DEFAULT_THEME
from inbox_tui.tui.connection import Session, SetupError, SwitchProfile
from inbox_tui.tui.drafts import REPLY_DRAFTS_FILE, DraftStore, ReplyDrafts
from inbox_tui.tui.handed_over import HANDED_OVER_FILE, HandedOver, check_handed_over
from inbox_tui.tui.inbox_services import InboxServices
from inbox_tui.tui.keymap import checked_keymap, keys_in_force
from inbox_tui.tui.mirror_sync import MirrorSync
from inbox_tui.tui.palette import InboxCommandPalette, main_screen_commands
from inbox_tui.tui.screens.main import MainScreen
from inbox_tui.tui.themes import SHIPPED_THEMES, load_theme_files
from inbox_tui.tui.typed_ahead import TypedAhead

if TYPE_CHECKING:
    from inbox_tui.inbox.activity import Activity
    from inbox_tui.inbox.api_filters import ApiFilter
    from inbox_tui.inbox.views import Order

EXIT_SETTINGS = 2  # as the command line's EXIT_USAGE: settings to fix


class InboxApp(InboxServices):
    CSS_PATH = "inbox.tcss"
    TITLE = "connector-inbox"

    def __init__(
        self,
        session: Session,
        *,
        profile: str | None = None,
        profiles: Sequence[str] = (),
        switch_profile: SwitchProfile | None = None,
        theme: str = DEFAULT_THEME,
        user_themes_dir: Path | None = None,
        draft_path: Path | None = None,
        log_path: Path | None = None,
        warnings: Iterable[str] = (),
        keys: Mapping[str, str] | None = None,
        now: Callable[[], datetime] = lambda: datetime.now(UTC),
    ) -> None:
        super().__init__()
        self.profile = profile
        self.profiles = tuple(profiles)
        self._switch_profile = switch_profile
        self._start_session(session)
        cache = session.cache
        self.page_size = 100
        self.poll_seconds = 0
        self.now = now
        self.drafts = DraftStore(draft_path)
        self.reply_drafts = ReplyDrafts(draft_path.with_name(REPLY_DRAFTS_FILE) if draft_path else None)
        self.handed_over = HandedOver(draft_path.with_name(HANDED_OVER_FILE) if draft_path else None)
        self._sends_in_flight = 0
        self._quit_when_sent = False
        self.log_path = log_path
        # Said before the screen took over the terminal, so they are said again in it.
        self._warnings = [
            *warnings,
            *(cache.warnings if cache else ()),
            *self._register_themes(user_themes_dir),
        ]
        self.keymap, keymap_problems = checked_keymap(keys or {})
        self.keys_in_force = keys_in_force(self.keymap)
        self._warnings.extend(keymap_problems)
        self.set_keymap(self.keymap)
        self._reported_clashes: set[str] = set()
        if theme not in self.available_themes:
            self._warnings.append(
                f"Theme {theme!r} is not known; using {DEFAULT_THEME}. "
                f"Known: {', '.join(sorted(self.available_themes))}."
            )
            theme = DEFAULT_THEME
        self._choose_first_theme(theme)

    def _choose_first_theme(self, theme: str) -> None:
        """The theme the stylesheet is first parsed with, before any widget is styled.

        Set through the reactive, the theme's watcher would queue a second parse of every
        stylesheet and a restyle of the app (about 8 ms of the start); here only what that
        watcher does to the app itself is done: its classes, its ANSI colour mapping and the
        stylesheet's variables (made in `App.__init__` from the default theme).
        """
        self.set_reactive(InboxApp.theme, theme)
        self.stylesheet.set_variables(self.get_css_variables())
        dark = self.current_theme.dark
        classes = {f"-theme-{theme}": True, "-dark-mode": dark, "-light-mode": not dark}
        self.update_classes(classes, update=False)
        self._refresh_truecolor_filter(self.ansi_theme)

    def _start_session(self, session: Session) -> None:
        self._connect = session.connect
        self.cache = session.cache
        self.first_page = session.first_page
        self.is_connected = False
        self.order: Order = "created"
        self.api_filter: ApiFilter | None = None
        self.feed = ThreadFeed(session.cache)
        self.conversations = ConversationLoader(store=session.cache)
        self.mirror_sync = MirrorSync(self)
        self.typed_ahead = TypedAhead(self)
        self.triage = Triage(session.cache)
        self.environment = session.environment
        self.sub_title = session.environment

    async def switch_to_profile(self, profile: str) -> None:
        """Reconnect as `profile` without restarting: a new session, the main screen started over."""
        if self._switch_profile is None:
            return
        try:
            session = self._switch_profile(profile)
        except ValueError as exc:
            self.notify(str(exc), title="Profile not switched", severity="error", markup=False)
            return
        previous_client = self.client if self.is_connected else None
        self.workers.cancel_group(self, "sync")  # the mirror being synced is the old profile's
        if self.cache is not None:
            self.cache.close()
        self.profile = profile
        self._start_session(session)
        for warning in session.cache.warnings if session.cache else ():
            self.notify(warning, severity="warning", markup=False, timeout=8)
        for screen in self.screen_stack:
            if isinstance(screen, MainScreen):
                screen.restart()
        if previous_client is not None:
            await previous_client.aclose()
        self.notify(f"Switched to the profile {profile!r} ({session.environment}).", timeout=3, markup=False)

    def connect_platform(self) -> bool:
        """Make the connection (importing the platform's stack); False if the settings cannot be used."""
        try:
            connection = self._connect()
        except SetupError as exc:
            self.exit(return_code=EXIT_SETTINGS, message=f"connector-inbox: {exc}")
            return False
        from inbox_tui.api.creation import ThreadCreator
        from inbox_tui.api.replies import ReplySender
        from inbox_tui.inbox.activity import ActivityWalk, inbox_state
        from inbox_tui.tui.notifications import Notifier

        self.client = connection.client
        self.walk = connection.walk
        self.page_size = connection.walk.page_size
        self.poll_seconds = connection.poll_seconds
        self.notifier = Notifier(
            connection.notify, connection.notify_command, write=self._write_to_terminal, bell=self.bell
        )
        self.creator = ThreadCreator(connection.client, self.now)
        self.replies = ReplySender(connection.client, self.now)
        self.conversations.client = connection.client
        # Goes on where the last session's walk stopped: what happened while closed is found.
        self.activity = ActivityWalk(connection.client, inbox_state(self.cache, self.now()), self.now)
        self.is_connected = True
        self._connect_feed()
        if self.handed_over.replies or self.handed_over.thread:
            self.run_worker(check_handed_over(self), group="handed-over")
        return True

    @contextmanager
    def sending(self) -> Iterator[None]:
        self._sends_in_flight += 1
        try:
            yield
        finally:
            self._sends_in_flight -= 1
            if self._quit_when_sent and not self._sends_in_flight:
                self.exit()

    async def action_quit(self) -> None:
        """Quitting while something is being sent waits for its answer; a second q does not."""
        if self._sends_in_flight and not self._quit_when_sent:
            self._quit_when_sent = True
            self.notify(
                "Quitting once the platform answers what is being sent. Press q again to quit now: "
                "the next start checks whether it arrived.",
                title="Sending…",
                timeout=10,
            )
            return
        self.exit()

    def use_order(self, order: Order) -> None:
        """Threads by creation (the cache's order) or by last update (the API's UpdatedUtc walk),
        the whole history: an API filter no longer applies."""
        self.order = order
        self.api_filter = None
        self.feed = ThreadFeed(self.cache if order == "created" else None)
        self.feed.moves_changed_to_top = order == "updated"
        if self.is_connected:
            self._connect_feed()

    def use_api_filter(self, api_filter: ApiFilter) -> None:
        """Only what the platform returns for `api_filter`; not cached, as it is not the history."""
        self.api_filter = api_filter
        self.feed = ThreadFeed(None)
        self._connect_feed()

    def _write_to_terminal(self, text: str) -> None:
        # Textual writes its own escapes (the bell, OSC 52) through its driver; so does this.
        if self._driver is not None:
            self._driver.write(text)

    def note_activity(self, activity: Activity, reading: str | None) -> list[str]:
        """A poll's news kept: where the walk stands, and the threads it made unread."""
        if self.cache is not None:
            self.activity.save(self.cache)
        return self.triage.messages_arrived(activity.messages, reading)

    def _connect_feed(self) -> None:
        from inbox_tui.inbox.views import Walks, connect_feed

        connect_feed(self.feed, Walks(self.client, self.walk), self.order, self.api_filter)

    def _register_themes(self, user_themes_dir: Path | None) -> list[str]:
        themes, problems = load_theme_files(user_themes_dir) if user_themes_dir else ([], [])
        for theme in (*SHIPPED_THEMES, *themes):
            self.register_theme(theme)
        return problems

    def get_default_screen(self) -> Screen[None]:
        return MainScreen()

    def on_mount(self) -> None:
        for warning in self._warnings:
            self.notify(warning, severity="warning", markup=False, timeout=8)

    def handle_bindings_clash(self, clashed_bindings: set[Binding], node: DOMNode) -> None:
        """A key of `[keys]` that another binding had: said once, and the keymap wins."""
        for binding in clashed_bindings:
            name = binding.id or binding.key
            if name in self._reported_clashes:
                continue
            self._reported_clashes.add(name)
            self.notify(
                f"[keys]: {binding.key!r} was the key of {binding.description or binding.action!r}; "
                "the keymap gives it to another action.",
                severity="warning",
                markup=False,
                timeout=8,
            )

    def _fatal_error(self) -> None:
        """Report a crash without the values of local variables.

        Textual's own report shows locals, and a request body on its way out holds
        the tokens in plain text. The code and the exception are enough to report
        a bug, and what the client raises is redacted already.
        """
        from rich.segment import Segments
        from rich.traceback import Traceback

        self.bell()
        report = Traceback(show_locals=False, width=None)
        self._exit_renderables.append(Segments(self.console.render(report, self.console.options)))
        self._close_messages_no_wait()

    async def on_unmount(self) -> None:
        if self.cache is not None:
            self.cache.close()
        if self.is_connected:
            await self.client.aclose()

    def get_system_commands(self, screen: Screen) -> Iterable[SystemCommand]:
        # Textual's "Keys" panel lists keys without their ids and does not close with escape.
        yield from (command for command in super().get_system_commands(screen) if command.title != "Keys")
        if isinstance(screen, MainScreen):
            yield from main_screen_commands(self, screen)

    def action_command_palette(self) -> None:
        if self.use_command_palette and not InboxCommandPalette.is_open(self):
            self.push_screen(InboxCommandPalette(id="--command-palette"))

"""What the screens and widgets use from the app, in a module that imports neither.

The app composes the screens and the screens call back into the app (report an
error, send a thread, read a draft). Declaring that surface here lets both
import it instead of each other; `InboxApp` fills it in.
"""

from __future__ import annotations

from collections.abc import Callable
from contextlib import AbstractContextManager
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING

from textual import events
from textual.app import App
from textual.binding import Binding
from textual.reactive import reactive

from inbox_tui.api.errors import ApiError, AuthError

if TYPE_CHECKING:
    from concurrent.futures import Future

    from rich.console import RenderableType

    from inbox_tui.api.client import ConnectorClient
    from inbox_tui.api.creation import ThreadCreator
    from inbox_tui.api.replies import ReplySender
    from inbox_tui.api.walk import WalkSettings
    from inbox_tui.inbox.activity import Activity, ActivityWalk
    from inbox_tui.inbox.api_filters import ApiFilter
    from inbox_tui.inbox.conversations import ConversationLoader
    from inbox_tui.inbox.rows import CachedThread
    from inbox_tui.inbox.thread_cache import ThreadCache
    from inbox_tui.inbox.thread_feed import ThreadFeed
    from inbox_tui.inbox.triage import Triage
    from inbox_tui.tui.drafts import DraftStore, ReplyDrafts
    from inbox_tui.tui.handed_over import HandedOver
    from inbox_tui.tui.mirror_sync import MirrorSync
    from inbox_tui.tui.notifications import Notifier
    from inbox_tui.tui.typed_ahead import TypedAhead


class InboxServices(App[None]):
    """The app as the screens see it: the platform, the drafts, the clock, error reporting."""

    is_connected: bool
    """Whether `client` and the rest of the platform's side exist yet: not for the first frame."""
    client: ConnectorClient
    feed: ThreadFeed
    cache: ThreadCache | None
    """The local cache (and mirror, for search); None with --no-cache."""
    first_page: Future[list[CachedThread]] | None
    """Fetched while the app started, where nothing was cached; the main screen takes it once."""
    activity: ActivityWalk
    """What happened since the last look (`UpdatedUtc`), made when connected."""
    triage: Triage
    note_activity: Callable[[Activity, str | None], list[str]]
    poll_seconds: float
    notifier: Notifier
    creator: ThreadCreator
    replies: ReplySender
    conversations: ConversationLoader
    drafts: DraftStore
    reply_drafts: ReplyDrafts
    handed_over: HandedOver
    sending: Callable[[], AbstractContextManager[None]]
    """Held around a send: quitting meanwhile waits for the platform's answer (or a second q)."""
    environment: str
    order: str
    """"created" (newest thread first) or "updated" (latest activity first)."""
    use_order: Callable[[str], None]
    api_filter: ApiFilter | None
    use_api_filter: Callable[[ApiFilter], None]
    keymap: dict[str, str]
    """`[keys]` of config.toml as applied: binding id to keys."""
    keys_in_force: dict[str, list[str]]
    """Every binding id with the keys that reach it, `[keys]` applied (none: another took it)."""
    page_size: int
    walk: WalkSettings
    """How the history is walked (page size, where it starts), made when connected."""
    mirror_sync: MirrorSync
    sync_note: reactive[str] = reactive("")
    """A sync of the mirror under way, for the header: how far it is; empty when none is."""
    now: Callable[[], datetime]
    log_path: Path | None
    typed_ahead: TypedAhead
    """Keys typed before the field they were meant for had the focus, given to it once it has."""
    is_exiting = False
    """Set by `exit`: keys typed in one burst with `q` still arrive as the screens are taken
    down, and an action run then would build on a pane already gone."""

    def exit(self, result: None = None, return_code: int = 0, message: RenderableType | None = None) -> None:
        self.is_exiting = True
        super().exit(result, return_code, message)

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        return not self.is_exiting

    async def on_event(self, event: events.Event) -> None:
        if isinstance(event, events.Key) and not event.is_forwarded:
            self.typed_ahead.before_key()  # a field that has just taken the focus: its keys first
        await super().on_event(event)

    def _on_key(self, event: events.Key) -> None:
        # Run before Textual's own App._on_key (a handler of each class runs, subclass first).
        if self.typed_ahead.take(event):
            event.prevent_default()

    def key_for(self, binding_id: str) -> str:
        """How a hint names the key of `binding_id`, `[keys]` applied; when `[keys]` gave its
        only key to another binding, the hint says so rather than name a key that does else."""
        keys = self.keys_in_force[binding_id]
        return self.get_key_display(Binding(keys[0], "")) if keys else f"({binding_id}: no key)"

    def report_error(self, error: ApiError, title: str) -> None:
        """A notification for a failure, pointing at the debug log when there is one."""
        message = str(error)
        if self.log_path is not None:
            message += f"\nDetails in the log: {self.log_path}"
        timeout = 10 if isinstance(error, AuthError) else 6
        self.notify(message, title=title, severity="error", timeout=timeout, markup=False)

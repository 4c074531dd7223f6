"""Connection: what the inbox needs from the platform, made once the first frame is painted.

Making it imports httpx, pydantic and the client (and, in demo mode, the
simulator): a quarter of a second that the first frame, painted from the local
cache, does not wait for. `InboxApp` is given a way to make one, and makes it
right after painting.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, NamedTuple

if TYPE_CHECKING:
    from concurrent.futures import Future

    from inbox_tui.api.client import ConnectorClient
    from inbox_tui.api.walk import WalkSettings
    from inbox_tui.inbox.rows import CachedThread
    from inbox_tui.inbox.thread_cache import ThreadCache


class SetupError(Exception):
    """The settings cannot be used; the message says which one to fix."""


class Connection(NamedTuple):
    """What talking to a platform takes, made after the first frame (it imports httpx and pydantic)."""

    client: ConnectorClient
    walk: WalkSettings
    """Page size, history start and clock of every walk over the history."""
    poll_seconds: float = 0
    notify: str = "off"
    """off, bell, desktop or command (`tui/notifications.py`)."""
    notify_command: tuple[str, ...] = ()


Connect = Callable[[], Connection]


class Session(NamedTuple):
    """One profile's inbox: how to connect, its local cache, and what the header calls it."""

    connect: Connect
    cache: ThreadCache | None
    environment: str
    first_page: Future[list[CachedThread]] | None = None
    """Fetched while the app starts, where nothing is cached (`cli/head_start.py`)."""


SwitchProfile = Callable[[str], Session]

"""The inbox on a frozen, seeded simulator: for tests, benchmarks and screenshots.

Public like `textual.pilot` or httpx's `MockTransport`: whoever drives the inbox
without a terminal (pytest, `bench/`, `scripts/screenshots.py`) builds it the
same way here, with the clock frozen so that ages, local times and snapshots do
not depend on the day they are taken.
"""

from __future__ import annotations

import contextlib
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

from textual.worker import WorkerCancelled

from inbox_tui.api.client import ConnectorClient
from inbox_tui.api.walk import WalkSettings
from inbox_tui.cli.session import simulator_client
from inbox_tui.tui.connection import Connection, Session

if TYPE_CHECKING:
    from textual.app import App
    from textual.pilot import Pilot

    from inbox_tui.simulator.app import Simulator
    from inbox_tui.tui.app import InboxApp

FROZEN_NOW = datetime(2026, 11, 20, 12, 0, tzinfo=UTC)


def frozen_inbox(
    simulator: Simulator | None,
    *,
    client: ConnectorClient | None = None,
    page_size: int = 100,
    now: datetime | Callable[[], datetime] = FROZEN_NOW,
    draft_path: Path | None = None,
    poll_seconds: float = 0,
    **options: Any,
) -> InboxApp:
    """The inbox on `simulator` (or on `client`), with the clock frozen at `now` (or read from it)."""
    from inbox_tui.tui.app import InboxApp

    clock = now if callable(now) else lambda: now

    if client is None:
        assert simulator is not None, "give a simulator or a client"
        client = simulator_client(simulator, "connector-inbox tests")
    connection = Connection(client, WalkSettings(page_size=page_size, now=clock), poll_seconds=poll_seconds)
    session = Session(
        lambda: connection,
        options.pop("cache", None),
        options.pop("environment", "demo"),
        options.pop("first_page", None),
    )
    return InboxApp(
        session,
        draft_path=draft_path,
        now=clock,
        **options,
    )


async def settle(pilot: Pilot[Any]) -> None:
    """Let the highlight settle and every worker finish, and their messages be handled.

    A worker cancelled on purpose (a stale load) is part of settling, not a failure.
    """
    for _ in range(3):
        await pilot.pause()
        while _highlight_is_settling(pilot.app):
            await pilot.pause(0.02)
        for worker in list(pilot.app.workers):
            with contextlib.suppress(WorkerCancelled):
                await worker.wait()
    await pilot.pause()


def _highlight_is_settling(app: App[Any]) -> bool:
    from inbox_tui.tui.screens.main import MainScreen

    return any(isinstance(screen, MainScreen) and screen.is_highlight_settling for screen in app.screen_stack)

"""`connector-inbox` with no command: the full-screen inbox.

The first frame is painted from the local cache with the settings `sources` read
(standard library only); the platform's stack (pydantic, httpx, the client, and
in demo mode the simulator) is imported right after, by `Connection`'s maker.
With nothing cached, a second process fetches the first page meanwhile (`head_start`).
"""

from __future__ import annotations

import argparse
from datetime import UTC, datetime
from typing import TYPE_CHECKING

from inbox_tui.cli.common import EXIT_OK, UsageError, pause_garbage_collection, resume_garbage_collection
from inbox_tui.cli.session import (
    Invocation,
    cache_file_exists,
    cache_for,
    connect,
    invocation,
    walk_settings,
)

if TYPE_CHECKING:
    import ssl
    from concurrent.futures import Future

    from inbox_tui.inbox.rows import CachedThread
    from inbox_tui.inbox.thread_cache import ThreadCache
    from inbox_tui.settings.sources import Sources
    from inbox_tui.tui.connection import Connection, Session


DEMO_POLL_SECONDS = 15.0


def run(args: argparse.Namespace) -> int:
    found = invocation(args)
    early = found.early
    # Forked before any thread is started (the cache's writer, the TLS context's loader), and
    # only where no cached rows will be painted first: no cache file was written yet.
    demo_anchor = datetime.now(UTC)
    first_page = None
    if not (early.cache and cache_file_exists(early)):
        from inbox_tui.cli.head_start import first_page_of

        first_page = first_page_of(found, demo_anchor)
    from inbox_tui.api.tls import tls_context_in_background

    # Asked for before Textual is imported, so that the CA bundle loads meanwhile.
    needs_tls = not early.is_demo and (early.platform_url or "").strip().startswith("https:")
    tls_context = tls_context_in_background() if needs_tls else None

    from inbox_tui import locations
    from inbox_tui.tui.app import InboxApp
    from inbox_tui.tui.themes import theme_names

    # Refused before the terminal switches to the full screen and before the cache is made, like
    # any other setting to fix.
    known = theme_names(locations.user_themes_dir())
    if early.theme not in known:
        raise UsageError(f"theme {early.theme!r} is not known; known: {', '.join(sorted(known))}")
    cache = cache_for(early)

    def switched(profile: str) -> Session:
        sources = found.for_profile(profile)
        return _session(found, sources, None, cache_for(sources.early()))

    app = InboxApp(
        _session(found, found.sources, tls_context, cache, first_page, demo_anchor),
        profile=early.profile,
        profiles=early.profiles,
        switch_profile=switched,
        theme=early.theme,
        user_themes_dir=locations.user_themes_dir(),
        draft_path=locations.draft_file(),
        log_path=found.log_path,
        warnings=found.warnings,
        keys=early.keys,
    )
    resume_garbage_collection()
    app.run()
    return app.return_code or EXIT_OK


def _session(
    found: Invocation,
    sources: Sources,
    tls_context: Future[ssl.SSLContext] | None,
    cache: ThreadCache | None,
    first_page: Future[list[CachedThread]] | None = None,
    demo_anchor: datetime | None = None,
) -> Session:
    """One profile's inbox: its cache at once, its connection once the first frame is painted."""
    from inbox_tui.tui.connection import Connection, Session, SetupError

    def connect_to_platform() -> Connection:
        pause_garbage_collection()  # as at start-up: the platform's stack is imported here
        try:
            settings = found.settings(sources)
            client = connect(settings, tls_context.result() if tls_context else None, demo_anchor=demo_anchor)
        except UsageError as exc:
            raise SetupError(str(exc)) from None
        finally:
            resume_garbage_collection()
        # The living demo is worth looking at soon; a platform keeps the setting's pace.
        is_demo_pace = settings.is_demo and "poll_seconds" not in sources.values
        return Connection(
            client,
            walk_settings(settings),
            poll_seconds=DEMO_POLL_SECONDS if is_demo_pace else settings.poll_seconds,
            notify="bell" if settings.notify == "off" and settings.bell_on_new else settings.notify,
            notify_command=tuple(settings.notify_command),
        )

    return Session(connect_to_platform, cache, sources.early().environment_label, first_page)

"""`connector-inbox sync`: the local mirror of every thread and message, for search, resumable."""

from __future__ import annotations

import argparse
import asyncio
import sys
from typing import TYPE_CHECKING

from inbox_tui.cli.common import EXIT_OK, UsageError, resume_garbage_collection
from inbox_tui.cli.session import connect, invocation, open_cache, walk_settings

if TYPE_CHECKING:
    from inbox_tui.api.walk import WalkSettings
    from inbox_tui.inbox.thread_cache import ThreadCache
    from inbox_tui.settings.model import Settings

DESCRIPTION = (
    "Fill the local cache with every thread of the history and every message of each, so that "
    "connector-inbox search (and / in the inbox) finds anything ever said. Interrupted or killed, "
    "the next run goes on where it stopped; it keeps to the platform's request limits."
)
EXAMPLE = "connector-inbox sync --since 1y && connector-inbox search 'parking van'"


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--since", metavar="D", help="only the history since D (2025-01-01, 1y, 6m)")


def run(args: argparse.Namespace) -> int:
    from dataclasses import replace
    from datetime import UTC, datetime

    from inbox_tui.inbox.api_filters import parse_moment

    found = invocation(args, tighten_folders=True)
    if not found.early.cache:
        raise UsageError("sync: the mirror is the local cache; --no-cache leaves nothing to fill")
    settings = found.settings()
    walk = walk_settings(settings)
    if args.since:
        try:
            walk = replace(walk, history_start=parse_moment(args.since, datetime.now(UTC)))
        except ValueError as exc:
            raise UsageError(f"sync: --since: {exc}") from None
    cache = open_cache(found.early)
    try:
        return asyncio.run(_sync(settings, walk, cache))
    finally:
        cache.close()


async def _sync(settings: Settings, walk: WalkSettings, cache: ThreadCache) -> int:
    from inbox_tui.cli.sync_progress import progress_display
    from inbox_tui.inbox.mirror import mirror
    from inbox_tui.wording import counted

    async with connect(settings) as client:
        resume_garbage_collection()
        with progress_display(sys.stderr) as report:
            progress = await mirror(client, cache, walk, report)
    changed = (
        f"; {counted(progress.changed_threads, 'thread')} had changed since the last sync "
        f"({counted(progress.new_messages, 'new message')})"
        if progress.changed_threads
        else ""
    )
    sys.stderr.write(
        f"Mirrored {counted(progress.messages, 'message')} of {counted(progress.conversations, 'thread')} "
        f"in {counted(progress.requests, 'request')}{changed}.\n"
    )
    return EXIT_OK

"""`connector-inbox watch`: what happens, as JSON lines, from the same UpdatedUtc walk as the inbox.

Each event is one line: `{"Event": "thread.created", "SeenUtc": …, "MessageThread": {…}}` or
`{"Event": "message.created", "SeenUtc": …, "Message": {…}, "MessageThread": {…}}`, with the
API's field names. Where it stopped is kept per platform and token in the local cache, so
`--since last` (the default when there is one) goes on without a gap or a repeat.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import signal
import sys
from datetime import UTC, datetime
from typing import TYPE_CHECKING

from inbox_tui.cli.common import EXIT_FAILURE, EXIT_OK, UsageError, resume_garbage_collection
from inbox_tui.cli.output import message_json, thread_json, write_json_line
from inbox_tui.cli.session import cache_if_wanted, connect, invocation

if TYPE_CHECKING:
    from inbox_tui.inbox.activity import Activity, ActivityState
    from inbox_tui.inbox.thread_cache import ThreadCache
    from inbox_tui.settings.model import Settings

EXAMPLE = "connector-inbox watch | jq -r 'select(.Event == \"message.created\") | .Message.Text'"
STATE_KEY = "watch"
MAX_BACKOFF = 15 * 60.0


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--since",
        metavar="D",
        help="from D (2026-11-01, 2h, 7d), or 'last': where the last watch stopped "
        "(the default when it stopped somewhere; else from now)",
    )
    parser.add_argument(
        "--interval",
        type=float,
        default=30.0,
        metavar="S",
        help="seconds between polls (default: %(default)s)",
    )
    parser.add_argument("--once", action="store_true", help="print what is new and exit (for cron)")


def run(args: argparse.Namespace) -> int:
    if args.interval < 1:
        raise UsageError(f"watch: --interval must be at least 1 second, not {args.interval:g}")
    found = invocation(args, tighten_folders=False)
    settings = found.settings()
    with cache_if_wanted(found.early) as cache:
        return asyncio.run(_watch(settings, args, _starting_state(args.since, cache), cache))


def _starting_state(since: str | None, cache: ThreadCache | None) -> ActivityState:
    from inbox_tui.inbox.activity import ActivityState, saved_state
    from inbox_tui.inbox.api_filters import parse_moment

    now = datetime.now(UTC)
    if since is None or since == "last":
        if since == "last" and (cache is None or cache.meta(STATE_KEY) is None):
            raise UsageError("watch: no earlier watch stopped anywhere here; give --since D")
        return saved_state(cache, now, STATE_KEY)
    try:
        return ActivityState(parse_moment(since, now))
    except ValueError as exc:
        raise UsageError(f"watch: --since: {exc}") from None


async def _watch(
    settings: Settings, args: argparse.Namespace, state: ActivityState, cache: ThreadCache | None
) -> int:
    from inbox_tui.api.errors import ApiError
    from inbox_tui.inbox.activity import ActivityWalk

    stop = asyncio.Event()
    loop = asyncio.get_running_loop()
    with contextlib.suppress(NotImplementedError):  # Windows: ctrl+c still stops it
        loop.add_signal_handler(signal.SIGTERM, stop.set)
    async with connect(settings) as client:
        resume_garbage_collection()
        walk = ActivityWalk(client, state)
        failures = 0
        while True:
            try:
                activity = await walk.poll()
            except ApiError as exc:
                print(f"connector-inbox watch: {exc}", file=sys.stderr)
                if args.once:
                    return EXIT_FAILURE
                failures += 1
            else:
                failures = 0
                _print(activity)
                if cache is not None:
                    walk.save(cache, STATE_KEY)
                    cache.flush()
            if args.once:
                return EXIT_OK
            delay = min(MAX_BACKOFF, args.interval * 2**failures)
            try:
                await asyncio.wait_for(stop.wait(), delay)
                return EXIT_OK  # SIGTERM: stopped between polls, where it stopped is saved
            except TimeoutError:
                pass


def _print(activity: Activity) -> None:
    seen = datetime.now(UTC).isoformat().replace("+00:00", "Z")
    threads = {thread.Id: thread for thread in activity.changed_threads}
    for thread in activity.new_threads:
        write_json_line({"Event": "thread.created", "SeenUtc": seen, "MessageThread": thread_json(thread)})
    for message in activity.messages:
        event = {"Event": "message.created", "SeenUtc": seen, "Message": message_json(message)}
        thread = threads.get(message.MessageThreadId)
        if thread is not None:
            event["MessageThread"] = thread_json(thread)
        write_json_line(event)

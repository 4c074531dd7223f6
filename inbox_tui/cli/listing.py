"""`connector-inbox list`: threads, newest first or by last update, for people or as JSON."""

from __future__ import annotations

import argparse
import asyncio
from datetime import UTC, datetime
from typing import TYPE_CHECKING

from inbox_tui.cli.common import EXIT_OK, positive_int, resume_garbage_collection
from inbox_tui.cli.export import add_filter_arguments, chosen_pager
from inbox_tui.cli.output import thread_json, write_json, write_json_line, write_table
from inbox_tui.cli.session import connect, invocation

if TYPE_CHECKING:
    from inbox_tui.settings.model import Settings

EXAMPLE = "connector-inbox list --updated-since 2d --json | jq '.[].Subject'"
DEFAULT_LIMIT = 30


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--order", choices=("created", "updated"), default="created", help="(default: %(default)s)"
    )
    parser.add_argument(
        "--limit",
        type=positive_int,
        default=DEFAULT_LIMIT,
        metavar="N",
        help="at most N threads (default: %(default)s)",
    )
    add_filter_arguments(parser)
    add_json_arguments(parser, lines=True)


def add_json_arguments(parser: argparse.ArgumentParser, *, lines: bool = False) -> None:
    shape = parser.add_mutually_exclusive_group()
    shape.add_argument("--json", action="store_true", help="JSON for programs (docs/cli.md)")
    if lines:
        shape.add_argument("--jsonl", action="store_true", help="one JSON object a line")


def run(args: argparse.Namespace) -> int:
    settings = invocation(args, tighten_folders=False).settings()
    return asyncio.run(_list(settings, args))


async def _list(settings: Settings, args: argparse.Namespace) -> int:
    async with connect(settings) as client:
        resume_garbage_collection()
        pager = chosen_pager(client, settings, args)
        threads = []
        while len(threads) < args.limit and not pager.is_exhausted:
            threads += await pager.next_page(min(1000, args.limit - len(threads)))
    threads = threads[: args.limit]
    if args.json:
        write_json([thread_json(thread) for thread in threads])
    elif args.jsonl:
        for thread in threads:
            write_json_line(thread_json(thread))
    else:
        from inbox_tui.tui.time_format import relative_age

        now = datetime.now(UTC)
        by_update = args.order == "updated"
        write_table(
            [
                (
                    thread.Subject,
                    thread.OriginalSender,
                    relative_age(thread.UpdatedUtc if by_update else thread.CreatedUtc, now),
                    thread.Id,
                )
                for thread in threads
            ]
        )
    return EXIT_OK

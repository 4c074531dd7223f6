"""`connector-inbox export`: the whole history, or what the API filters select, to a file or stdout."""

from __future__ import annotations

import argparse
import asyncio
import sys
from pathlib import Path
from typing import TYPE_CHECKING

from inbox_tui.cli.common import (
    EXIT_OK,
    UsageError,
    positive_int,
    resume_garbage_collection,
)
from inbox_tui.cli.session import connect, invocation, walk_settings

if TYPE_CHECKING:
    from inbox_tui.api.client import ConnectorClient
    from inbox_tui.api.walk import Pager
    from inbox_tui.settings.model import Settings

EXAMPLE = "connector-inbox export --updated-since 7d --messages -o week.jsonl"


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--format", choices=("jsonl", "csv"), default="jsonl", dest="export_format", help="(default: jsonl)"
    )
    parser.add_argument("--limit", type=positive_int, metavar="N", help="stop after N threads")
    parser.add_argument(
        "--output",
        "-o",
        type=Path,
        metavar="FILE",
        help="file to write (default: stdout); a new file is readable by you only (0600), as it holds "
        "guest data, an existing one keeps its mode",
    )
    parser.add_argument(
        "--messages", action="store_true", help="include each thread's conversation (oldest message first)"
    )
    add_filter_arguments(parser)


def add_filter_arguments(parser: argparse.ArgumentParser) -> None:
    """The API filters, as the `f` form takes them."""
    chosen = parser.add_mutually_exclusive_group()
    chosen.add_argument(
        "--created-since", metavar="D", help="only threads created since D (2026-01-31, 7d, 3m)"
    )
    chosen.add_argument("--updated-since", metavar="D", help="only threads updated since D")
    chosen.add_argument(
        "--ids-file", type=Path, metavar="F", help="only the thread Ids in F (any separators)"
    )


def run(args: argparse.Namespace) -> int:
    settings = invocation(args).settings()
    return asyncio.run(_export(settings, args))


def chosen_pager(client: ConnectorClient, settings: Settings, args: argparse.Namespace) -> Pager:
    """The whole history (by creation, or by last update for `--order updated`), or what the
    filter flags ask the platform for."""
    from datetime import UTC, datetime

    from inbox_tui.inbox.api_filters import ApiFilter, filtered_pager, parse_moment, parse_thread_ids
    from inbox_tui.inbox.views import Walks

    walk = walk_settings(settings)
    since = args.created_since or args.updated_since
    try:
        if args.ids_file is not None:
            ids = parse_thread_ids(args.ids_file.read_text(encoding="utf-8"))
            api_filter = ApiFilter(thread_ids=tuple(ids))
        elif since is not None:
            by = "CreatedUtc" if args.created_since else "UpdatedUtc"
            api_filter = ApiFilter(by=by, start=parse_moment(since, datetime.now(UTC)))
        else:
            walks = Walks(client, walk)
            return walks.by_update() if getattr(args, "order", "created") == "updated" else walks.history()
    except (OSError, ValueError) as exc:
        raise UsageError(str(exc)) from None
    return filtered_pager(api_filter, client, walk)


async def _export(settings: Settings, args: argparse.Namespace) -> int:
    from inbox_tui.export import export_threads
    from inbox_tui.locations import open_private

    try:
        output = open_private(args.output, newline="") if args.output else sys.stdout
    except OSError as exc:
        raise UsageError(f"cannot write {args.output}: {exc.strerror}") from None
    try:
        async with connect(settings) as client:
            resume_garbage_collection()
            pager = chosen_pager(client, settings, args)
            await export_threads(
                pager,
                output,
                export_format=args.export_format,
                limit=args.limit,
                progress=sys.stderr,
                for_terminal=output.isatty(),
                messages_from=client if args.messages else None,
            )
    finally:
        if output is not sys.stdout:
            output.close()
    return EXIT_OK

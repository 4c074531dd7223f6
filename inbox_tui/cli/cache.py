"""`connector-inbox cache info|compact|clear`: where the local cache is, what it holds, packing
it after a large sync, and removing it."""

from __future__ import annotations

import argparse
import sqlite3
import sys
from pathlib import Path

from inbox_tui.cli.common import EXIT_FAILURE, EXIT_OK
from inbox_tui.cli.session import invocation
from inbox_tui.wording import counted

EXAMPLE = "connector-inbox cache info"


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "cache_command",
        choices=("info", "compact", "clear"),
        metavar="info|compact|clear",
        help="info: each database, its platform, size and rows; compact: pack them (after a large "
        "sync they take about half again the room they need); clear: remove them all",
    )


def run(args: argparse.Namespace) -> int:
    from inbox_tui import locations
    from inbox_tui.inbox.cache_files import cache_databases, clear, existing_database, summarise

    # `info` reports the folders as they are; `clear` empties them.
    early = invocation(args, tighten_folders=False).early
    directory = locations.cache_dir()
    if args.cache_command == "clear":
        removed = clear(directory)
        for path in removed:
            print(f"Removed {path}", file=sys.stderr)
        print(f"Removed {counted(len(removed), 'cache file')} from {directory}", file=sys.stderr)
        return EXIT_OK
    databases = cache_databases(directory)
    if not databases:
        print(f"No cache yet in {directory}")
        return EXIT_OK
    loose_mode = locations.mode_if_not_private(directory)
    if loose_mode:
        print(
            f"{directory} is readable by other users ({loose_mode}); "
            "the inbox makes it private when it next starts"
        )
    if args.cache_command == "compact":
        return _compact(databases)
    in_use = existing_database(directory, *early.cache_key)
    for path in databases:
        print(f"{path}{' (these settings)' if path == in_use else ''}")
        try:
            summary = summarise(path)
        except sqlite3.Error as exc:
            print(f"  unreadable ({exc}); the inbox sets it aside and rebuilds it when it next opens it")
            continue
        print(
            f"  platform {summary.platform_url}, {summary.size_bytes / 1e6:.1f} MB, "
            f"{summary.threads:,} threads, {summary.messages:,} messages"
        )
    return EXIT_OK


def _compact(databases: list[Path]) -> int:
    from inbox_tui.inbox.cache_files import compact

    failed = False
    for path in databases:
        print(f"Packing {path}…", file=sys.stderr)
        try:
            before, after = compact(path)
        except sqlite3.Error as exc:
            print(
                f"  not packed ({exc}); an inbox may be writing to it: try again when it is closed",
                file=sys.stderr,
            )
            failed = True
            continue
        print(f"  {before / 1e6:.1f} MB -> {after / 1e6:.1f} MB", file=sys.stderr)
    return EXIT_FAILURE if failed else EXIT_OK

"""`connector-inbox cache info|clear`: where the local cache is, what it holds, and removing it."""

from __future__ import annotations

import argparse
import sys

from inbox_tui.cli.common import EXIT_OK
from inbox_tui.cli.session import invocation
from inbox_tui.wording import counted

NAME = "cache"
HELP = "show or clear the local cache"
EXAMPLE = "connector-inbox cache info"


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "cache_command",
        choices=("info", "clear"),
        metavar="info|clear",
        help="info: each database, its platform, size and rows; clear: remove them all",
    )


def run(args: argparse.Namespace) -> int:
    import sqlite3

    from inbox_tui import locations
    from inbox_tui.inbox.cache_files import cache_databases, clear, database_path, summarise

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
    in_use = database_path(directory, *early.cache_key)
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

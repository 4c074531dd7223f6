"""`connector-inbox search QUERY`: everything the local mirror holds, found as notmuch finds mail."""

from __future__ import annotations

import argparse
import sys

from inbox_tui.cli.common import EXIT_FAILURE, EXIT_OK, UsageError, positive_int
from inbox_tui.cli.listing import add_json_arguments
from inbox_tui.cli.output import write_json, write_json_line, write_table
from inbox_tui.cli.session import invocation, open_cache
from inbox_tui.wording import counted

DESCRIPTION = (
    "Search what the local cache holds (connector-inbox sync fills it with every thread and "
    'message): words (all must match), "phrases", prefix*, -word, OR, from:, subject:, text:, '
    "by:staff or by:us, is:unread or is:waiting, created: and updated: with dates or ages (updated:7d.., "
    "created:2026-01-01..2026-03-31). Newest first. Exit code 1 when nothing matched, as grep."
)
EXAMPLE = "connector-inbox search '\"city tax\" by:staff created:30d..' --json"


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("query", metavar="QUERY", help="what to look for (see above)")
    parser.add_argument(
        "--limit", type=positive_int, default=50, metavar="N", help="at most N threads (default: %(default)s)"
    )
    add_json_arguments(parser, lines=True)


def run(args: argparse.Namespace) -> int:
    from inbox_tui.inbox.activity import SYNC_KEY
    from inbox_tui.inbox.mirror import unsynced_threads, waiting_in_mirror
    from inbox_tui.inbox.search import QueryError, search
    from inbox_tui.inbox.triage import Triage

    found = invocation(args, tighten_folders=False)
    cache = open_cache(found.early)
    try:
        if cache.is_indexing:
            sys.stderr.write("Making the search index of the local cache (once)…\n")
            cache.flush()
        if cache.is_indexing:  # its writes wait for another process's, which makes it meanwhile
            raise UsageError("search: another connector-inbox is making the index; try again in a moment")
        if not cache.has_search:
            raise UsageError("search: this SQLite has no full-text search (FTS5); everything else works")
        triage = Triage(cache)
        # What the mirror tells of the threads waiting on us costs a look at every conversation:
        # only for a query that may ask for it (a phrase that quotes it is a cheap false alarm).
        if "is:waiting" in args.query.casefold():
            triage.learn_from_mirror(waiting_in_mirror(cache) or set())
        marked = triage.marked()
        with cache.reading() as connection:
            hits = search(connection, args.query, limit=args.limit, marked=marked)
            unsynced = unsynced_threads(connection)
        has_synced = cache.meta(SYNC_KEY) is not None
    except QueryError as exc:
        raise UsageError(f"search: {exc}") from None
    finally:
        cache.close()
    if not has_synced:
        gap = "has never been synced: only what the inbox has shown is searched"
    else:
        gap = f"is partial: {counted(unsynced, 'thread')} not synced" if unsynced else ""
    if gap:  # said apart from the results, which stay clean for a script
        sys.stderr.write(f"search: the mirror {gap} (connector-inbox sync mirrors all of it).\n")
    rows = [
        {
            "MessageThreadId": hit.thread_id,
            "Subject": hit.subject,
            "OriginalSender": hit.sender,
            "MessageId": hit.message_id,
            "Snippet": hit.snippet(),
            "CreatedUtc": hit.created,
        }
        for hit in hits
    ]
    if args.json:
        write_json(rows)
    elif args.jsonl:
        for row in rows:
            write_json_line(row)
    else:
        write_table([(hit.subject, hit.sender, hit.snippet(), hit.thread_id) for hit in hits])
    return EXIT_OK if hits else EXIT_FAILURE

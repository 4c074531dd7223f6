"""`connector-inbox reply ID [TEXT]`: answer a thread, from TEXT or standard input, never twice."""

from __future__ import annotations

import argparse
import asyncio
import sys
from typing import TYPE_CHECKING

from inbox_tui.cli.common import EXIT_OK, UsageError, resume_garbage_collection
from inbox_tui.cli.listing import add_json_arguments
from inbox_tui.cli.lookup import add_thread_argument, thread_named
from inbox_tui.cli.output import describe_sender, message_json, write_json
from inbox_tui.cli.session import cache_if_wanted, connect, invocation

if TYPE_CHECKING:
    from inbox_tui.inbox.thread_cache import ThreadCache
    from inbox_tui.settings.model import Settings

EXAMPLE = "echo 'Your room is ready.' | connector-inbox reply 3f2a9c1e"


def add_arguments(parser: argparse.ArgumentParser) -> None:
    add_thread_argument(parser)
    parser.add_argument("text", metavar="TEXT", nargs="?", help="the reply (default: standard input)")
    add_json_arguments(parser)


def run(args: argparse.Namespace) -> int:
    text = args.text if args.text is not None else _standard_input()
    if not text.strip():
        raise UsageError("reply: the text is empty; nothing was sent")
    found = invocation(args, tighten_folders=False)
    settings = found.settings()
    with cache_if_wanted(found.early) as cache:
        return asyncio.run(_reply(settings, args, cache, text.strip()))


def _standard_input() -> str:
    if sys.stdin.isatty():
        raise UsageError("reply: give the text as an argument or on standard input")
    return sys.stdin.read()


async def _reply(settings: Settings, args: argparse.Namespace, cache: ThreadCache | None, text: str) -> int:
    from inbox_tui.api.replies import ReplySender

    async with connect(settings) as client:
        resume_garbage_collection()
        thread = await thread_named(client, args.thread_id, cache)
        message = await ReplySender(client).send(thread.Id, text)
    if args.json:
        write_json(message_json(message))
    else:
        sent = f"{message.CreatedUtc:%Y-%m-%d %H:%M} UTC"
        print(f"Sent to {thread.Id} as {describe_sender(message)} at {sent} ({message.Id})")
    return EXIT_OK

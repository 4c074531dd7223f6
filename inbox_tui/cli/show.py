"""`connector-inbox show ID`: a thread and its whole conversation, oldest message first."""

from __future__ import annotations

import argparse
import asyncio
from typing import TYPE_CHECKING

from inbox_tui.cli.common import EXIT_OK, resume_garbage_collection
from inbox_tui.cli.listing import add_json_arguments
from inbox_tui.cli.lookup import add_thread_argument, thread_named
from inbox_tui.cli.output import message_json, thread_json, write_conversation, write_json
from inbox_tui.cli.session import cache_if_wanted, connect, invocation

if TYPE_CHECKING:
    from inbox_tui.inbox.thread_cache import ThreadCache
    from inbox_tui.settings.model import Settings

EXAMPLE = "connector-inbox show 3f2a9c1e   # a prefix unique among cached threads works too"


def add_arguments(parser: argparse.ArgumentParser) -> None:
    add_thread_argument(parser)
    add_json_arguments(parser)


def run(args: argparse.Namespace) -> int:
    found = invocation(args, tighten_folders=False)
    settings = found.settings()
    with cache_if_wanted(found.early) as cache:
        return asyncio.run(_show(settings, args, cache))


async def _show(settings: Settings, args: argparse.Namespace, cache: ThreadCache | None) -> int:
    from inbox_tui.inbox.conversations import whole_conversations

    async with connect(settings) as client:
        resume_garbage_collection()
        thread = await thread_named(client, args.thread_id, cache)
        messages = (await whole_conversations(client, [thread.Id]))[thread.Id]
    if args.json:
        write_json({**thread_json(thread), "Messages": [message_json(message) for message in messages]})
    else:
        write_conversation(thread, messages)
    return EXIT_OK

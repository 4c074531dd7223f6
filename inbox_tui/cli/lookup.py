"""A thread named on the command line: its Id, or a prefix of one that is unique among cached threads."""

from __future__ import annotations

import argparse
import uuid
from typing import TYPE_CHECKING

from inbox_tui.cli.common import UsageError

if TYPE_CHECKING:
    from inbox_tui.api.client import ConnectorClient
    from inbox_tui.api.models import MessageThread
    from inbox_tui.inbox.thread_cache import ThreadCache


def add_thread_argument(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("thread_id", metavar="ID", help="the thread's Id, or the start of a cached one")


def full_id(text: str, cache: ThreadCache | None) -> str:
    """`text` as a thread Id: a GUID as it is, a prefix completed from the cache."""
    text = text.strip()
    try:
        return str(uuid.UUID(text))
    except ValueError:
        pass
    if len(text) < 4 or cache is None:
        raise UsageError(f"{text!r} is not a thread Id (a GUID, or the start of a cached one)")
    found = cache.ids_starting_with(text)
    if not found:
        raise UsageError(f"no cached thread Id starts with {text!r}; give the whole Id")
    if len(found) > 1:
        raise UsageError(f"{text!r} is the start of more than one cached thread Id; give more of it")
    return found[0]


async def thread_named(client: ConnectorClient, text: str, cache: ThreadCache | None) -> MessageThread:
    thread_id = full_id(text, cache)
    response = await client.get_all(thread_ids=[thread_id], count=1)
    if not response.MessageThreads:
        raise UsageError(f"there is no thread {thread_id} for this integration")
    return response.MessageThreads[0]

"""`connector-inbox new --sender S --subject T`: open a thread, never twice."""

from __future__ import annotations

import argparse
import asyncio
from typing import TYPE_CHECKING

from inbox_tui.cli.common import EXIT_OK, UsageError, resume_garbage_collection
from inbox_tui.cli.listing import add_json_arguments
from inbox_tui.cli.output import thread_json, write_json
from inbox_tui.cli.session import connect, invocation

if TYPE_CHECKING:
    from inbox_tui.settings.model import Settings

EXAMPLE = 'connector-inbox new --sender "Smoke Test" --subject "Deploy check $(date -I)" --json'


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--sender", required=True, help="OriginalSender: the guest's name")
    parser.add_argument("--subject", required=True, help="what the thread is about")
    add_json_arguments(parser)


def run(args: argparse.Namespace) -> int:
    sender, subject = args.sender.strip(), args.subject.strip()
    if not sender or not subject:
        raise UsageError("new: the sender and the subject must not be empty; nothing was sent")
    settings = invocation(args, tighten_folders=False).settings()
    return asyncio.run(_new(settings, sender, subject, args.json))


async def _new(settings: Settings, sender: str, subject: str, as_json: bool) -> int:
    from inbox_tui.api.creation import ThreadCreator

    async with connect(settings) as client:
        resume_garbage_collection()
        thread = await ThreadCreator(client).create(sender, subject)
    if as_json:
        write_json(thread_json(thread))
    else:
        print(f"Created {thread.Id} for {thread.OriginalSender}: {thread.Subject}")
    return EXIT_OK

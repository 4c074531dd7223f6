"""`connector-inbox export`: the whole history, newest first, as JSON lines or CSV.

Headless and streaming: each page is written as soon as it arrives, so a large
history never sits in memory and a script can read the first lines at once.
"""

from __future__ import annotations

import asyncio
import csv
import re
from collections.abc import Callable
from typing import Literal, TextIO

from inbox_tui.api.client import ConnectorClient
from inbox_tui.api.models import MESSAGE, THREAD, Message, MessageThread
from inbox_tui.api.walk import Pager
from inbox_tui.inbox.conversations import whole_conversations
from inbox_tui.safe_text import printable
from inbox_tui.wording import counted

ExportFormat = Literal["jsonl", "csv"]
CSV_COLUMNS = ("Id", "OriginalSender", "Subject", "CreatedUtc", "UpdatedUtc", "IsResolved")
Conversations = dict[str, list[Message]]
Writer = Callable[[list[MessageThread], Conversations | None], None]

# The next request reaches the socket after four turns of the event loop (the rate
# limiter and the connection pool each yield). Taking them, with room to spare, before
# writing a page lets the platform prepare the next page while we write this one;
# tests/test_cli.py checks that the request arrives first.
TURNS_TO_SEND_A_REQUEST = 8

# JSON allows any character as \uXXXX; escaping these keeps the data identical while
# a terminal that shows the export never meets a C1 control, a bidi override or an
# invisible character it could act on.
_UNSAFE_IN_TERMINAL = re.compile("[\u007f-\u009f\u200b-\u200f\u2028-\u202e\u2060-\u2069\ufeff]")


def json_lines(threads: list[MessageThread], conversations: Conversations | None = None) -> str:
    """One JSON object per thread and line, serialised by pydantic-core, made terminal-safe.

    With `conversations`, each object also holds its thread's `Messages`, oldest first.
    """
    if not threads:
        return ""
    if conversations is None:
        lines = map(THREAD.dump_json, threads)
    else:
        lines = (_with_messages(thread, conversations.get(thread.Id, [])) for thread in threads)
    text = b"\n".join(lines).decode() + "\n"
    return _UNSAFE_IN_TERMINAL.sub(_escape, text)


def _with_messages(thread: MessageThread, messages: list[Message]) -> bytes:
    return THREAD.dump_json(thread)[:-1] + b',"Messages":' + _messages_json(messages) + b"}"


def _messages_json(messages: list[Message]) -> bytes:
    """A conversation as a JSON array, oldest first, serialised by pydantic-core."""
    return b"[" + b",".join(map(MESSAGE.dump_json, messages)) + b"]"


def _escape(match: re.Match[str]) -> str:
    return f"\\u{ord(match.group()):04x}"


async def export_threads(
    pager: Pager,
    output: TextIO,
    *,
    export_format: ExportFormat = "jsonl",
    limit: int | None = None,
    progress: TextIO | None = None,
    for_terminal: bool = False,
    messages_from: ConnectorClient | None = None,
) -> int:
    """Write threads until the history or `limit` ends; returns how many were written.

    JSON lines escape what a terminal could act on and keep the data exact. CSV
    has no escapes, so `for_terminal` CSV shows such characters as visible symbols.

    The next page is requested, and its request sent, before the current one is
    written, so the platform works on it while we serialise: one request in
    flight, never two.
    """
    if export_format == "csv":
        write = _csv_writer(output, for_terminal, with_messages=messages_from is not None)
    else:
        write = _jsonl_writer(output)
    written = 0
    said = ""  # the progress line, rewritten page by page on a terminal, else said once at the end
    terminal = progress if progress is not None and progress.isatty() else None
    upcoming = asyncio.ensure_future(pager.next_page())
    try:
        while True:
            page = await upcoming
            if limit is not None:
                page = page[: limit - written]
            is_last = not page or pager.is_exhausted or (limit is not None and written + len(page) >= limit)
            if not is_last:
                upcoming = asyncio.ensure_future(pager.next_page())
                for _ in range(TURNS_TO_SEND_A_REQUEST):
                    await asyncio.sleep(0)
            conversations = None
            if messages_from is not None:
                conversations = await whole_conversations(messages_from, [thread.Id for thread in page])
            write(page, conversations)
            written += len(page)
            reach = f", {pager.reach}" if pager.reach else ""
            said = f"Exported {written:,} threads in {counted(pager.requests_made, 'request')}{reach}"
            if terminal is not None:
                terminal.write(f"\r{said}")
                terminal.flush()
            if is_last:
                break
    finally:
        upcoming.cancel()
        if progress is not None and said:
            # Ends the progress line, also before an error message; a log gets the last one only.
            progress.write("\n" if terminal is not None else f"{said}\n")
    return written


def _jsonl_writer(output: TextIO) -> Writer:
    return lambda page, conversations: output.write(json_lines(page, conversations))


def _csv_writer(output: TextIO, for_terminal: bool, with_messages: bool) -> Writer:
    writer = csv.writer(output)
    writer.writerow([*CSV_COLUMNS, "Messages"] if with_messages else CSV_COLUMNS)

    def write(page: list[MessageThread], conversations: Conversations | None) -> None:
        for thread in page:
            row = THREAD.dump_python(thread, mode="json")
            cells = [_csv_cell(row[column]) for column in CSV_COLUMNS]
            if conversations is not None:
                # One cell per thread: its conversation as a JSON array, oldest first.
                messages = conversations.get(thread.Id, [])
                cells.append(_messages_json(messages).decode())
            if for_terminal:
                cells = [printable(cell) if isinstance(cell, str) else cell for cell in cells]
            writer.writerow(cells)

    return write


def _csv_cell(value: object) -> object:
    # Spreadsheets run cells starting with these as formulas (CSV injection).
    if isinstance(value, str) and value[:1] in ("=", "+", "-", "@"):
        return "'" + value
    return "" if value is None else value

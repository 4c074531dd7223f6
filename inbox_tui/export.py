"""`connector-inbox export`: the whole history, newest first, as JSON lines or CSV.

Headless and streaming: each page is written as soon as it arrives, so a large
history never sits in memory and a script can read the first lines at once.
"""

from __future__ import annotations

import csv
import json
import re
from typing import Literal, TextIO

from inbox_tui.api.models import THREAD, MessageThread
from inbox_tui.api.pager import ThreadPager

ExportFormat = Literal["jsonl", "csv"]
CSV_COLUMNS = ("Id", "OriginalSender", "Subject", "CreatedUtc", "UpdatedUtc", "IsResolved")

# JSON allows any character as \uXXXX; escaping these keeps the data identical while
# a terminal that shows the export never meets a C1 control, a bidi override or an
# invisible character it could act on.
_UNSAFE_IN_TERMINAL = re.compile("[\u007f-\u009f\u200b-\u200f\u2028-\u202e\u2060-\u2069\ufeff]")


def thread_to_json_line(thread: MessageThread) -> str:
    text = json.dumps(THREAD.dump_python(thread, mode="json"), ensure_ascii=False)
    return _UNSAFE_IN_TERMINAL.sub(lambda match: f"\\u{ord(match.group()):04x}", text)


async def export_threads(
    pager: ThreadPager,
    output: TextIO,
    *,
    export_format: ExportFormat = "jsonl",
    limit: int | None = None,
    progress: TextIO | None = None,
) -> int:
    """Write threads until the history or `limit` ends; returns how many were written."""
    writer = csv.writer(output) if export_format == "csv" else None
    if writer is not None:
        writer.writerow(CSV_COLUMNS)
    written = 0
    while limit is None or written < limit:
        page = await pager.next_page()
        if limit is not None:
            page = page[: limit - written]
        for thread in page:
            if writer is not None:
                row = THREAD.dump_python(thread, mode="json")
                writer.writerow([_csv_cell(row[column]) for column in CSV_COLUMNS])
            else:
                output.write(thread_to_json_line(thread) + "\n")
        written += len(page)
        if progress is not None:
            progress.write(
                f"\rExported {written:,} threads in {pager.requests_made} requests, "
                f"back to {pager.oldest_time_covered:%Y-%m-%d}"
            )
            progress.flush()
        if pager.is_exhausted and not page:
            break
    if progress is not None:
        progress.write("\n")
    return written


def _csv_cell(value: object) -> object:
    # Spreadsheets run cells starting with these as formulas (CSV injection).
    if isinstance(value, str) and value[:1] in ("=", "+", "-", "@"):
        return "'" + value
    return "" if value is None else value

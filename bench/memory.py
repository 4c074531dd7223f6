"""RSS growth per 100,000 threads loaded into the inbox's list.

    uv run python bench/memory.py

Threads are parsed from getAll JSON pages exactly as the client does, then
appended to the real ThreadList; the raw pages are built first, outside the count.
Goal: at most 80 MB per 100,000 threads.
"""

from __future__ import annotations

import asyncio
import gc
import json

from _common import rss_mb, verdict

from bench._headless import empty_inbox
from inbox_tui.api.models import GetAllResponse

THREADS = 100_000
PAGE = 1000


def raw_pages() -> list[bytes]:
    pages = []
    for first in range(0, THREADS, PAGE):
        threads = [
            {
                "Id": f"{index:08x}-4e5f-4a6b-8c7d-{index:012x}",
                "OriginalSender": f"Guest {index % 4999} van der Berg",
                "Subject": f"Change of dates for reservation {index}-A and parking",
                "CreatedUtc": "2026-11-20T10:15:30.1234567Z",
                "UpdatedUtc": "2026-11-21T08:00:00Z",
            }
            for index in range(first, first + PAGE)
        ]
        pages.append(json.dumps({"MessageThreads": threads, "Cursor": threads[-1]["Id"]}).encode())
    return pages


async def main() -> None:
    pages = raw_pages()
    async with empty_inbox() as (pilot, thread_list):
        await pilot.pause()
        gc.collect()
        before = rss_mb()
        for page in pages:
            thread_list.append(GetAllResponse.model_validate_json(page).MessageThreads)
        await pilot.pause()
        gc.collect()
        growth = rss_mb() - before
    print(f"RSS growth: {growth:.1f} MB per 100,000 threads (goal <= 80 MB, {verdict(growth, 80)})")


if __name__ == "__main__":
    asyncio.run(main())

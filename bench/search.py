"""Search latency over a large mirror: 100,000 threads and 1,000,000 messages in the index.

    uv run python bench/search.py

The cache is filled directly (as `sync` would leave it, through the same triggers),
then a fixed mix of queries runs, each for its first 50 results with snippets:
median and p95 per query, in-process. Goals: median <= 10 ms, p95 <= 50 ms. The
index's size is reported against the size of the text it indexes (goal <= 1.2x), and the
whole file's beside it.
"""

from __future__ import annotations

import random
import sys
import tempfile
import time
from datetime import timedelta
from pathlib import Path

from _common import NOW, median, p95, verdict

from inbox_tui.inbox.rows import CachedMessage, CachedSender, CachedThread
from inbox_tui.inbox.search import search
from inbox_tui.inbox.thread_cache import ThreadCache
from inbox_tui.simulator.conversations import FOLLOW_UPS, OPENINGS
from inbox_tui.simulator.data import SUBJECTS

THREADS = int(sys.argv[1]) if len(sys.argv) > 1 else 100_000
MESSAGES_PER_THREAD = 10
QUERIES = (
    "parking",
    "parking van",
    '"city tax"',
    "break*",
    "subject:invoice",
    "created:2026-10-01..2026-11-30 breakfast",
    "zebrawordnotthere",
)


def fill(cache: ThreadCache) -> int:
    rng = random.Random(3)
    pairs = (*OPENINGS.values(), *FOLLOW_UPS)
    lines = [line.format(time="9:00", day="Monday") for pair in pairs for line in pair]
    text_bytes = 0
    for start in range(0, THREADS, 1000):
        threads = [
            CachedThread(
                f"t{index:08d}",
                f"Guest {index}",
                rng.choice(SUBJECTS).format(day="Monday", room=101, people=2, ref="12345-A"),
                NOW - timedelta(minutes=index),
                NOW - timedelta(minutes=index),
            )
            for index in range(start, start + 1000)
        ]
        cache.save_threads(threads)
        for thread in threads:
            messages = [
                CachedMessage(
                    f"{thread.Id}-{n}",
                    thread.Id,
                    f"{rng.choice(lines).format(time='15:00', room=204)} (#{rng.randrange(10**6)})",
                    CachedSender("Enterprise" if n % 2 else "Application"),
                    thread.CreatedUtc + timedelta(minutes=n),
                )
                for n in range(MESSAGES_PER_THREAD)
            ]
            text_bytes += (
                sum(len(m.Text.encode()) for m in messages) + len(thread.Subject) + len(thread.OriginalSender)
            )
            cache.save_conversation(thread.Id, messages, is_complete=True)
        cache.flush()
    return text_bytes


def main() -> None:
    folder = Path(tempfile.mkdtemp())
    cache = ThreadCache.open(folder, "http://bench", "token")
    started = time.perf_counter()
    text_bytes = fill(cache)
    seconds = time.perf_counter() - started
    print(f"filled {THREADS:,} threads, {THREADS * MESSAGES_PER_THREAD:,} messages in {seconds:.0f} s")
    timings: dict[str, list[float]] = {query: [] for query in QUERIES}
    with cache.reading() as connection:
        for _ in range(15):
            for query in QUERIES:
                began = time.perf_counter()
                search(connection, query, limit=50, now=NOW)
                timings[query].append(time.perf_counter() - began)
        sizes = (
            dict(connection.execute("SELECT name, sum(pgsize) FROM dbstat GROUP BY name").fetchall())
            if _has_dbstat(connection)
            else {}
        )
        index_bytes = sum(size for name, size in sizes.items() if name.startswith("search"))
    every = [value for values in timings.values() for value in values]
    for query, values in timings.items():
        print(f"{query!r:48} median {median(values) * 1000:7.1f} ms  p95 {p95(values) * 1000:7.1f} ms")
    middle, high = median(every), p95(every)
    print(f"all queries: median {middle * 1000:.1f} ms (goal <= 10 ms, {verdict(middle, 0.010)}), ", end="")
    print(f"p95 {high * 1000:.1f} ms (goal <= 50 ms, {verdict(high, 0.050)})")
    if index_bytes:
        ratio = index_bytes / text_bytes
        measured = f"index {index_bytes / 1e6:.0f} MB for {text_bytes / 1e6:.0f} MB of text"
        print(f"{measured}: {ratio:.2f}x (goal <= 1.2x, {verdict(ratio, 1.2)})")
        whole = sum(sizes.values()) / 1e6
        print(f"the whole cache file: {whole:.0f} MB (tables, their indexes and the search index)")
    cache.close()


def _has_dbstat(connection) -> bool:  # type: ignore[no-untyped-def]
    try:
        connection.execute("SELECT 1 FROM dbstat LIMIT 1")
    except Exception:
        return False
    return True


if __name__ == "__main__":
    main()

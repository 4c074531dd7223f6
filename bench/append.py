"""Appending one page of 100 threads with 100,000 loaded, against 100 loaded.

    uv run python bench/append.py

Times `ThreadList.append` plus the repaint that follows, as CPU per page.
Goal: 100,000 within 1.5x of 100.
"""

from __future__ import annotations

import asyncio
import time

from _common import median, synthetic_threads, verdict

from bench._headless import empty_inbox

PAGE = 100
REPEATS = 30
ROUNDS = 3


async def measure(loaded: int) -> list[float]:
    timings = []
    async with empty_inbox() as (pilot, thread_list):
        thread_list.append(synthetic_threads(loaded))
        await pilot.pause()
        for repeat in range(REPEATS):
            page = synthetic_threads(PAGE, start=loaded + repeat * PAGE)
            started = time.process_time()
            thread_list.append(page)
            await pilot.pause()
            timings.append(time.process_time() - started)
    return timings


async def main() -> None:
    small: list[float] = []
    large: list[float] = []
    for _ in range(ROUNDS):  # alternating, so that machine noise hits both sizes
        small += await measure(100)
        large += await measure(100_000)
    print(f"append 100 threads with 100 loaded:     median {median(small) * 1000:.2f} ms CPU")
    print(f"append 100 threads with 100,000 loaded: median {median(large) * 1000:.2f} ms CPU")
    ratio = median(large) / median(small)
    print(f"ratio 100,000 / 100: {ratio:.2f}x (goal <= 1.5x, {verdict(ratio, 1.5)})")


if __name__ == "__main__":
    asyncio.run(main())

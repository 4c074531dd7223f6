"""Soak: the inbox polling the simulator through random faults, 2,000 polls in accelerated time.

    uv run python bench/soak.py

Clocks, sleeps and the documented demo request limits run 6,000 times faster
than real time (a 60 s poll every 10 ms); a fifth of the steps meets a fault
(5xx, 429, HTML, truncated or malformed answers), new threads arrive and `r`
takes them in, and the simulator's living hotel writes on the accelerated clock.
Goals: no crash, no duplicate row, no request refused by the limits, RSS growth
under 5 MB after warming up, no message of the hotel missed or announced twice.
"""

from __future__ import annotations

import asyncio
import time

from _common import verdict

from inbox_tui.testing import soak

POLLS = 2000


async def main() -> None:
    started = time.perf_counter()
    report = await soak(POLLS, living=True)
    print(
        f"{report.polls:,} polls over {report.simulated_hours:.0f} simulated hours "
        f"in {time.perf_counter() - started:.0f} s: {report.requests:,} requests, {report.faults} faults met"
    )
    duplicates, refused = report.duplicate_rows, report.refused_by_limits
    print(f"rows {report.rows:,}, duplicates {duplicates} (goal 0, {verdict(duplicates, 0)})")
    print(f"refused by the limits: {refused} (goal 0, {verdict(refused, 0)})")
    print(f"RSS growth: {report.rss_growth_mb:.1f} MB (goal < 5 MB, {verdict(report.rss_growth_mb, 5)})")
    missed, repeated = report.messages_missed, report.messages_repeated
    print(f"messages the living hotel wrote: {report.messages_written:,}; missed {missed} (goal 0, ", end="")
    print(f"{verdict(missed, 0)}), announced twice {repeated} (goal 0, {verdict(repeated, 0)})")


if __name__ == "__main__":
    asyncio.run(main())

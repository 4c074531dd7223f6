"""Soak: the inbox polling the simulator through random faults, 2,000 polls in accelerated time.

    uv run python bench/soak.py

Clocks, sleeps and the documented demo request limits run 1,000 times faster
than real time (a 60 s poll every 60 ms): as fast as a poll's own work lets the
polls stay about a simulated minute apart, so that the hotel writes per poll what
it would in a minute (at 6,000 times, polls fell 2.7 simulated minutes apart, and
the hotel wrote 2.7 times as much per poll). A fifth of the polls is followed by a
fault (5xx, 429, HTML, truncated or malformed answers), new threads arrive and `r`
takes them in, and the simulator's living hotel, in a process of its own, writes on
the accelerated clock. Goals: no crash, no duplicate row, no request refused by the
limits, RSS growth of the inbox under 5 MB after warming up, no message of the hotel
missed or announced twice.
"""

from __future__ import annotations

import asyncio
import time

from _common import verdict

from inbox_tui.soak import soak

POLLS = 2000
SPEED = 1000


async def main() -> None:
    started = time.perf_counter()
    report = await soak(POLLS, living=True, speed=SPEED)
    print(
        f"{report.polls:,} polls over {report.simulated_hours:.0f} simulated hours "
        f"({report.simulated_hours * 60 / report.polls:.1f} minutes a poll, 60 s meant) "
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

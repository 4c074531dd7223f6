"""Keypress latency of `down`, `pagedown` and a character typed in the `/` filter, with 100,
10,000 and 100,000 threads loaded.

    uv run python bench/keypress.py

Each press goes through Textual's real key handling and repaint (headless). We
time the CPU the process spends per press: Pilot waits for idleness in 20 ms
steps, so its wall-clock time would measure the waiting, not the work.
Goals: the median at 100,000 threads within 1.2x of the median at 100 for the
movement keys, and within 1.2x of Textual's own OptionList showing as many rows
(a bare app, measured the same way in the same run: the anchor). A typed filter
character asks the index of the loaded threads' texts; the query is typed four
times a session, each time with the highlight in the middle of the list, and
reported in milliseconds and against its cost at 100 threads (goal 1.2x). The
index is made when `/` opens the line, after it is drawn: the first `/` of a
session is reported on its own row ("first /").
"""

from __future__ import annotations

import asyncio
import gc
import time

from _common import median, p95, synthetic_threads, verdict  # noqa: F401  (sets sys.path)
from textual.pilot import Pilot

from bench._headless import SIZE, empty_inbox

SIZES = (100, 10_000, 100_000)
ROUNDS = 8
SESSIONS = 3


FILTER_TYPED = "guest 9"
FILTER_ROUNDS = 4


async def measure(size: int) -> dict[str, list[float]]:
    timings: dict[str, list[float]] = {"down": [], "pagedown": [], "filter char": [], "first /": []}
    async with empty_inbox() as (pilot, thread_list):
        thread_list.append(synthetic_threads(size))
        settle_heap()
        middle = max(0, size // 2 - 40)
        for _ in range(FILTER_ROUNDS):  # `escape` clears the filter: each round types it anew
            thread_list.cursor = middle  # a reader filters from where they are
            await pilot.pause()
            started = time.process_time()
            await pilot.press("slash")
            if not timings["first /"]:
                timings["first /"].append(time.process_time() - started)
            for character in FILTER_TYPED:
                started = time.process_time()
                await pilot.press(character if character != " " else "space")
                timings["filter char"].append(time.process_time() - started)
            await pilot.press("escape")
        thread_list.cursor = middle
        await pilot.pause()
        await time_movement(pilot, timings)
    return timings


def settle_heap() -> None:
    """Collect what building the rows left to the garbage collector, in every app alike: a
    reader's rows were loaded long before they type, and the collection that creating 100,000
    at once is owed belongs to the loading, not to the key that happens to trigger it."""
    gc.collect()


async def time_movement(pilot: Pilot[None], timings: dict[str, list[float]]) -> None:
    """CPU per `down` and `pagedown`, each followed by its way back, the same for every app."""
    for _ in range(ROUNDS):
        for key, back in (("down", "up"), ("pagedown", "pageup")):
            repeats = 10 if key == "down" else 2
            for _ in range(repeats):
                started = time.process_time()
                await pilot.press(key)
                timings[key].append(time.process_time() - started)
            for _ in range(repeats):
                await pilot.press(back)


async def anchor(size: int) -> dict[str, list[float]]:
    """A bare Textual app whose OptionList shows `size` rows: the cost of a key in Textual itself."""
    from textual.app import App, ComposeResult
    from textual.widgets import OptionList

    class Bare(App[None]):
        def compose(self) -> ComposeResult:
            yield OptionList(*(f"Subject {index}   Guest {index}   3d" for index in range(size)))

    timings: dict[str, list[float]] = {"down": [], "pagedown": []}
    app = Bare()
    async with app.run_test(size=SIZE) as pilot:
        options = app.query_one(OptionList)
        options.focus()
        options.highlighted = max(0, size // 2 - 40)
        await pilot.pause()
        settle_heap()
        await time_movement(pilot, timings)
    return timings


async def main() -> None:
    results: dict[int, dict[str, list[float]]] = {
        size: {"down": [], "pagedown": [], "filter char": [], "first /": []} for size in SIZES
    }
    for _ in range(SESSIONS):  # alternating, so that machine noise hits every size
        for size in SIZES:
            for key, values in (await measure(size)).items():
                results[size][key] += values
    print(f"{'threads':>8} {'key':>9} {'median CPU ms':>14} {'p95 CPU ms':>11}")
    for size, timings in results.items():
        for key, values in timings.items():
            print(f"{size:>8,} {key:>9} {median(values) * 1000:>14.2f} {p95(values) * 1000:>11.2f}")
    for key in ("down", "pagedown"):
        ratio = median(results[SIZES[-1]][key]) / median(results[SIZES[0]][key])
        print(f"ratio {key} median 100,000 / 100: {ratio:.2f}x (goal <= 1.2x, {verdict(ratio, 1.2)})")
    typed = median(results[SIZES[-1]]["filter char"]) / median(results[SIZES[0]]["filter char"])
    print(f"ratio filter char median 100,000 / 100: {typed:.2f}x (goal <= 1.2x, {verdict(typed, 1.2)})")
    for size in (SIZES[0], SIZES[-1]):
        bare: dict[str, list[float]] = {"down": [], "pagedown": []}
        for _ in range(SESSIONS):
            for key, values in (await anchor(size)).items():
                bare[key] += values
        for key in ("down", "pagedown"):
            ratio = median(results[size][key]) / median(bare[key])
            print(
                f"ratio {key} at {size:,}: inbox {median(results[size][key]) * 1000:.2f} ms, "
                f"OptionList {median(bare[key]) * 1000:.2f} ms: {ratio:.2f}x "
                f"(goal <= 1.2x, {verdict(ratio, 1.2)})"
            )


if __name__ == "__main__":
    asyncio.run(main())

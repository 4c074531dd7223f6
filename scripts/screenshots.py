"""Render the inbox on the seeded simulator, time frozen, and write SVGs to screenshots/.

uv run python scripts/screenshots.py
"""

from __future__ import annotations

import asyncio
import os
import tempfile
import time
from pathlib import Path

from inbox_tui.inbox.thread_cache import ThreadCache
from inbox_tui.simulator.app import Simulator
from inbox_tui.testing import FROZEN_NOW, frozen_inbox, settle
from inbox_tui.tui.app import InboxApp

SIZE = (130, 34)
OUTPUT = Path(__file__).resolve().parent.parent / "screenshots"


async def shoot(name: str, app: InboxApp, *keys: str, mirrored: bool = False) -> None:
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        if mirrored:  # as "Sync the mirror" in the palette leaves it
            app.mirror_sync.start()
            await settle(pilot)
        if keys:
            await pilot.press(*keys)
            await settle(pilot)
        app.save_screenshot(f"{name}.svg", str(OUTPUT))
    print(f"wrote screenshots/{name}.svg")


async def main() -> None:
    os.environ["TZ"] = "UTC"
    time.tzset()
    OUTPUT.mkdir(exist_ok=True)

    def seeded() -> Simulator:
        return Simulator.seeded(threads=3000, seed=7, now=FROZEN_NOW)

    await shoot("main", frozen_inbox(seeded()))
    await shoot("detail", frozen_inbox(seeded()), "down", "down", "tab")
    await shoot("reply", frozen_inbox(seeded()), "down", "R", *"Your room is ready from 14:00.")
    await shoot("new-thread", frozen_inbox(seeded()), "n", *"Olivia Smith", "tab", *"Late check-in")
    failing = seeded()
    failing.faults.push("401")
    await shoot("error", frozen_inbox(failing))
    await shoot("theme-paper", frozen_inbox(seeded(), theme="inbox-paper"))
    with tempfile.TemporaryDirectory() as folder:
        cache = ThreadCache.open(Path(folder), "http://demo.simulator", "screenshots")
        search = ("s", *"parking van", "enter", "down")
        await shoot("search", frozen_inbox(seeded(), cache=cache), *search, mirrored=True)


if __name__ == "__main__":
    asyncio.run(main())

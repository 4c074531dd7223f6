"""Render the inbox on the seeded simulator, time frozen, and write SVGs to screenshots/.

uv run python scripts/screenshots.py
"""

from __future__ import annotations

import asyncio
import os
import time
from datetime import UTC, datetime
from pathlib import Path

from textual.pilot import Pilot

from inbox_tui.__main__ import simulator_client
from inbox_tui.api.pager import ThreadPager
from inbox_tui.simulator.app import Simulator
from inbox_tui.tui.app import InboxApp

NOW = datetime(2026, 11, 20, 12, 0, tzinfo=UTC)
SIZE = (130, 34)
OUTPUT = Path(__file__).resolve().parent.parent / "screenshots"


def build_app(simulator: Simulator, theme: str = "inbox-dark") -> InboxApp:
    client = simulator_client(simulator, "connector-inbox screenshots")
    return InboxApp(
        client,
        lambda: ThreadPager(client, now=lambda: NOW),
        environment="demo",
        theme=theme,
        now=lambda: NOW,
    )


async def settle(pilot: Pilot[None]) -> None:
    for _ in range(3):
        await pilot.pause()
        await pilot.app.workers.wait_for_complete()
    await pilot.pause()


async def shoot(name: str, app: InboxApp, *keys: str) -> None:
    async with app.run_test(size=SIZE) as pilot:
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
        return Simulator.seeded(threads=3000, seed=7, now=NOW)

    await shoot("main", build_app(seeded()))
    await shoot("detail", build_app(seeded()), "down", "down", "down", "tab")
    await shoot("new-thread", build_app(seeded()), "n", *"Olivia Smith", "tab", *"Late check-in")
    failing = seeded()
    failing.faults.push("401")
    await shoot("error", build_app(failing))
    await shoot("theme-paper", build_app(seeded(), theme="inbox-paper"))


if __name__ == "__main__":
    asyncio.run(main())

"""`connector-inbox export` of 100,000 threads from the simulator on loopback,
against a raw httpx + json loop making the same requests.

    uv run python bench/export.py

The simulator runs as its own process (`connector-inbox simulator`). One
export records the exact getAll bodies; then the CLI and the raw loop are timed
alternately, each as a fresh process. Goal: the CLI within 1.2x of the raw loop.
"""

from __future__ import annotations

import json
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from _common import (
    DEMO_ACCESS_TOKEN,
    DEMO_CLIENT_TOKEN,
    ROOT,
    median,
    platform_flags,
    simulator_process,
    verdict,
)

THREADS = 100_000
RUNS = 5


def record_bodies(url: str) -> list[dict[str, object]]:
    """Run the real client and pager once, keeping every getAll body it sends."""
    import asyncio

    import httpx
    from pydantic import SecretStr

    from inbox_tui.api.client import ConnectorClient
    from inbox_tui.api.pager import ThreadPager
    from inbox_tui.api.walk import WalkSettings

    bodies: list[dict[str, object]] = []

    async def keep(request: httpx.Request) -> None:
        bodies.append(json.loads(request.content))

    class RecordingTransport(httpx.AsyncHTTPTransport):
        async def handle_async_request(self, request: httpx.Request) -> httpx.Response:
            await keep(request)
            return await super().handle_async_request(request)

    async def walk() -> None:
        async with ConnectorClient(
            url,
            SecretStr(DEMO_CLIENT_TOKEN),
            SecretStr(DEMO_ACCESS_TOKEN),
            "bench",
            transport=RecordingTransport(),
        ) as client:
            async for _ in ThreadPager(client, WalkSettings(page_size=1000)):
                pass

    asyncio.run(walk())
    return bodies


def timed(command: list[str]) -> float:
    started = time.perf_counter()
    subprocess.run(command, check=True, cwd=ROOT, stderr=subprocess.DEVNULL)
    return time.perf_counter() - started


def main() -> None:
    with simulator_process(THREADS) as url, tempfile.TemporaryDirectory() as folder:
        bodies_path = Path(folder) / "bodies.json"
        bodies = record_bodies(url)
        bodies_path.write_text(json.dumps(bodies))
        cli = [
            sys.executable,
            "-m",
            "inbox_tui",
            *platform_flags(url),
            "--page-size",
            "1000",
            "export",
            "--output",
            f"{folder}/cli.jsonl",
        ]
        raw = [sys.executable, "bench/_raw_export.py", url, str(bodies_path), f"{folder}/raw.jsonl"]
        cli_times, raw_times = [], []
        for _ in range(RUNS):
            cli_times.append(timed(cli))
            raw_times.append(timed(raw))
        with open(f"{folder}/cli.jsonl") as exported:
            lines = sum(1 for _ in exported)
    print(f"{lines:,} threads in {len(bodies)} requests at page size 1000")
    print(f"export CLI: {median(cli_times):.2f} s, raw httpx + json loop: {median(raw_times):.2f} s", end="")
    print(f" (medians of {RUNS})")
    ratio = median(cli_times) / median(raw_times)
    print(f"ratio: {ratio:.2f}x (goal <= 1.2x, {verdict(ratio, 1.2)})")


if __name__ == "__main__":
    main()

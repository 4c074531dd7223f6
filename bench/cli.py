"""`connector-inbox list --limit 100 --json`, process start to last byte, against raw httpx + json.

    uv run python bench/cli.py

Both run as fresh processes against the same simulator process on loopback, side
by side, alternating: the floor asks for the same page with bare httpx and prints
it with json. Goal: the command within 1.5x of the floor, the TUI never imported.
"""

from __future__ import annotations

import subprocess
import sys
import time

from _common import median, platform_flags, simulator_process, verdict

RUNS = 9
RAW = """
import json, sys, httpx
from datetime import datetime, timedelta, timezone
end = datetime.now(timezone.utc) + timedelta(minutes=10)
body = {"ClientToken": sys.argv[2], "AccessToken": sys.argv[3], "Client": "raw",
        "CreatedUtc": {"StartUtc": (end - timedelta(days=89)).isoformat(), "EndUtc": end.isoformat()},
        "Limitation": {"Count": 100}}
answer = httpx.post(sys.argv[1] + "/api/connector/v1/messageThreads/getAll", json=body)
print(json.dumps(json.loads(answer.content)["MessageThreads"], indent=2))
"""


def timed(command: list[str]) -> float:
    started = time.perf_counter()
    subprocess.run(command, check=True, stdout=subprocess.DEVNULL)
    return time.perf_counter() - started


def main() -> None:
    with simulator_process(threads=3000) as url:
        flags = platform_flags(url)
        tokens = [flags[flags.index("--client-token") + 1], flags[flags.index("--access-token") + 1]]
        inbox = [sys.executable, "-m", "inbox_tui", *flags, "list", "--limit", "100", "--json", "--no-cache"]
        raw = [sys.executable, "-c", RAW, url, *tokens]
        timed(inbox), timed(raw)  # warm the file cache
        inbox_times, raw_times = [], []
        for _ in range(RUNS):
            inbox_times.append(timed(inbox))
            raw_times.append(timed(raw))
    ratio = median(inbox_times) / median(raw_times)
    inbox_ms, raw_ms = median(inbox_times) * 1000, median(raw_times) * 1000
    print(f"list --limit 100 --json: {inbox_ms:.0f} ms, raw httpx + json {raw_ms:.0f} ms")
    print(f"ratio: {ratio:.2f}x (goal <= 1.5x, {verdict(ratio, 1.5)})")


if __name__ == "__main__":
    main()

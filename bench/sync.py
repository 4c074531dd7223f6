"""Sync: its speed against the documented request budget, and its memory over a million messages.

    uv run python bench/sync.py [THREADS]

1. `connector-inbox sync` (a process of its own) mirrors a simulator of THREADS threads
   (20,000 by default, about 600,000 messages) that enforces the production limits,
   200 requests in a rolling 30 seconds among them. The floor is what the budget
   allows: (requests made) x 30 s / 200. Goals: <= 1.1x the floor; each request
   (body and cursor) made once; no request refused by the limits.
2. The same against a simulator of about 1,000,000 messages without limits, the
   sync's RSS sampled four times a second. Goals: <= 150 MB, and flat (what the
   last three quarters add to the first quarter's peak, <= 10 %).
The simulator runs in this process on its own thread, so the sync has the GIL to itself.
"""

from __future__ import annotations

import json
import sys
import tempfile
import time
from collections import Counter
from pathlib import Path

from _common import DEMO_ACCESS_TOKEN, ROOT, platform_flags, served_simulator, verdict

from inbox_tui.simulator.app import Simulator

SPEED_THREADS = int(sys.argv[1]) if len(sys.argv) > 1 else 20_000
MILLION_THREADS = 33_000
"""About 1,000,000 messages at the simulator's 30 a thread."""
BUDGET, BUDGET_SECONDS = 200, 30


def run_sync(url: str, folder: Path) -> tuple[float, list[float]]:
    """Seconds the sync took, and its RSS in MB every quarter second."""
    import os
    import subprocess

    environment = {
        **os.environ,
        **{f"XDG_{kind}_HOME": str(folder / kind) for kind in ("CACHE", "STATE", "CONFIG")},
    }
    started = time.perf_counter()
    process = subprocess.Popen(
        [sys.executable, "-m", "inbox_tui", *platform_flags(url), "sync"],
        cwd=ROOT,
        env=environment,
        stderr=subprocess.PIPE,
        text=True,
    )
    samples: list[float] = []
    while process.poll() is None:
        try:
            with open(f"/proc/{process.pid}/status") as status:
                rss_kb = next(int(line.split()[1]) for line in status if line.startswith("VmRSS:"))
            samples.append(rss_kb / 1000)
        except (OSError, StopIteration):
            pass
        time.sleep(0.25)
    elapsed = time.perf_counter() - started
    last_line = process.stderr.read().strip().splitlines()[-1] if process.stderr else ""
    if process.returncode != 0:
        raise SystemExit(f"sync failed ({process.returncode}): {last_line}")
    print(f"  {last_line}")
    return elapsed, samples


def repeated_requests(simulator: Simulator) -> int:
    bodies = Counter((entry.endpoint, json.dumps(entry.body, sort_keys=True)) for entry in simulator.log)
    return sum(count - 1 for count in bodies.values())


def speed() -> None:
    simulator = Simulator.seeded(threads=SPEED_THREADS, seed=7)
    simulator.enforce_limits("production")
    with served_simulator(simulator) as url, tempfile.TemporaryDirectory() as folder:
        print(f"Sync of {SPEED_THREADS:,} threads under the production limits:")
        elapsed, _ = run_sync(url, Path(folder))
    requests = len(simulator.log)
    floor = requests * BUDGET_SECONDS / BUDGET
    ratio = elapsed / floor
    repeated = repeated_requests(simulator)
    refused = simulator.limits.refused if simulator.limits else 0
    print(
        f"  {requests:,} requests in {elapsed:.1f} s; the budget's floor {floor:.1f} s: "
        f"{ratio:.2f}x (goal <= 1.1x, {verdict(ratio, 1.1)})"
    )
    print(
        f"  requests made twice: {repeated} (goal 0, {verdict(repeated, 0)}); "
        f"refused by the limits: {refused} (goal 0, {verdict(refused, 0)})"
    )


def memory() -> None:
    simulator = Simulator.seeded(threads=MILLION_THREADS, seed=8)
    with served_simulator(simulator) as url, tempfile.TemporaryDirectory() as folder:
        print(f"Sync of {MILLION_THREADS:,} threads without limits, RSS sampled:")
        elapsed, samples = run_sync(url, Path(folder))
        waiting_told(url, Path(folder))
    quarter = max(1, len(samples) // 4)
    peak, first_peak = max(samples), max(samples[:quarter])
    growth = (peak - first_peak) / first_peak
    print(
        f"  {elapsed:.0f} s; RSS peak {peak:.0f} MB (goal <= 150 MB, {verdict(peak, 150)}); "
        f"after the first quarter +{growth:.0%} (goal <= 10 %, {verdict(growth, 0.10)})"
    )


def waiting_told(url: str, folder: Path) -> None:
    """What the inbox reads from the mirror, off its UI thread, to mark the threads waiting on us."""
    from inbox_tui.inbox.mirror import waiting_in_mirror
    from inbox_tui.inbox.thread_cache import ThreadCache

    cache = ThreadCache.open(folder / "CACHE" / "connector-inbox", url, DEMO_ACCESS_TOKEN)
    try:
        started = time.perf_counter()
        waiting = waiting_in_mirror(cache)
        elapsed = time.perf_counter() - started
    finally:
        cache.close()
    print(f"  threads waiting on us, from the mirror: {len(waiting or ()):,} in {elapsed * 1000:.0f} ms")


if __name__ == "__main__":
    speed()
    memory()

"""Helpers shared by the benchmarks: synthetic threads, RSS, statistics, report lines."""

from __future__ import annotations

import os
import socket
import statistics
import subprocess
import sys
import time
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, datetime, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from inbox_tui.api.models import MessageThread  # noqa: E402
from inbox_tui.simulator.app import DEMO_ACCESS_TOKEN, DEMO_CLIENT_TOKEN, Simulator  # noqa: E402

NOW = datetime(2026, 11, 20, 12, 0, tzinfo=UTC)


def synthetic_threads(count: int, start: int = 0) -> list[MessageThread]:
    """`count` distinct threads, newest first, one minute apart, as the pager yields them."""
    return [
        MessageThread(
            Id=str(uuid.UUID(int=index + 1, version=4)),
            OriginalSender=f"Guest number {index % 997}",
            Subject=f"Subject of thread {index}: late check-in and parking",
            CreatedUtc=NOW - timedelta(minutes=index),
            UpdatedUtc=NOW - timedelta(minutes=index),
        )
        for index in range(start, start + count)
    ]


def rss_mb() -> float:
    with open("/proc/self/statm") as statm:
        return int(statm.read().split()[1]) * os.sysconf("SC_PAGE_SIZE") / 1e6


def median(values: list[float]) -> float:
    return statistics.median(values)


def p95(values: list[float]) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(len(ordered) * 0.95))]


def verdict(value: float, goal: float) -> str:
    """Every goal here is a ceiling: a ratio, a size or a wait that must not exceed it."""
    return "goal met" if value <= goal else "GOAL MISSED"


def platform_flags(url: str) -> list[str]:
    """The command-line flags that point connector-inbox at a simulator process."""
    return ["--platform-url", url, "--client-token", DEMO_CLIENT_TOKEN, "--access-token", DEMO_ACCESS_TOKEN]


@contextmanager
def simulator_process(threads: int) -> Iterator[str]:
    """`connector-inbox simulator` on a free loopback port, as a platform; yields its URL."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    command = [sys.executable, "-m", "inbox_tui", "simulator", "--port", str(port), "--threads", str(threads)]
    server = subprocess.Popen(command, cwd=ROOT, stderr=subprocess.DEVNULL)
    try:
        _wait_for(port)
        yield f"http://127.0.0.1:{port}"
    finally:
        server.terminate()
        server.wait()


def _wait_for(port: int) -> None:
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline:
        try:
            socket.create_connection(("127.0.0.1", port), timeout=0.2).close()
            return
        except OSError:
            time.sleep(0.1)
    raise TimeoutError("the simulator did not start")


@contextmanager
def served_simulator(simulator: Simulator) -> Iterator[str]:
    """`simulator` behind uvicorn on a free loopback port, on a thread of this process."""
    import threading

    import uvicorn

    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    server = uvicorn.Server(uvicorn.Config(simulator.app, host="127.0.0.1", port=port, log_level="error"))
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    try:
        _wait_for(port)
        yield f"http://127.0.0.1:{port}"
    finally:
        server.should_exit = True
        thread.join(10)

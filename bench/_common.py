"""Helpers shared by the benchmarks: synthetic threads, RSS, statistics, report lines."""

from __future__ import annotations

import os
import statistics
import sys
import uuid
from datetime import UTC, datetime, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from inbox_tui.api.models import MessageThread  # noqa: E402

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

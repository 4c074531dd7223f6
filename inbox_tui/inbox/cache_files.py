"""The cache's files as files: what `cache info` shows of them and what `cache clear` removes."""

from __future__ import annotations

import sqlite3
from dataclasses import dataclass
from pathlib import Path

from inbox_tui.inbox.thread_cache import BUSY_TIMEOUT_MS, DATABASE_GLOB


@dataclass(frozen=True)
class CacheSummary:
    path: Path
    size_bytes: int
    platform_url: str
    threads: int
    messages: int


def summarise(path: Path) -> CacheSummary:
    """Size and rows of a cache database, for `connector-inbox cache info`."""
    size = sum(
        Path(f"{path}{suffix}").stat().st_size for suffix in ("", "-wal") if Path(f"{path}{suffix}").exists()
    )
    connection = sqlite3.connect(f"file:{path}?mode=ro", uri=True, timeout=BUSY_TIMEOUT_MS / 1000)
    try:
        threads = connection.execute("SELECT count(*) FROM threads").fetchone()[0]
        messages = connection.execute("SELECT count(*) FROM messages").fetchone()[0]
        row = connection.execute("SELECT value FROM meta WHERE key = 'platform_url'").fetchone()
    finally:
        connection.close()
    return CacheSummary(path, size, row[0] if row else "?", threads, messages)


def cache_databases(directory: Path) -> list[Path]:
    return sorted(directory.glob(DATABASE_GLOB)) if directory.is_dir() else []


def clear(directory: Path) -> list[Path]:
    """Remove every cache database, its -wal and -shm files and the copies set aside; the
    files removed."""
    if not directory.is_dir():
        return []
    removed = sorted(
        path for path in directory.iterdir() if path.name.startswith("inbox-") and ".sqlite3" in path.name
    )
    for path in removed:
        path.unlink(missing_ok=True)
    return removed

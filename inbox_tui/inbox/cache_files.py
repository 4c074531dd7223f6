"""The cache's files as files: how a database is named, what `cache info` shows of them and
what `cache clear` removes. Only the standard library, like the cache itself."""

from __future__ import annotations

import contextlib
import hashlib
import os
import sqlite3
import time
from pathlib import Path
from typing import NamedTuple

from inbox_tui.locations import private_dir, private_file

BUSY_TIMEOUT_MS = 2000
SALT_FILE = "salt"
DATABASE_GLOB = "inbox-*.sqlite3"


def database_path(directory: Path, platform_url: str, access_token: str) -> Path:
    """The database of this platform and token, the folder's salt made on its first use."""
    return _named(directory, _salt(directory), platform_url, access_token)


def existing_database(directory: Path, platform_url: str, access_token: str) -> Path | None:
    """The database of this platform and token if one was written; looking writes nothing (no
    folder, no salt), so that a command refused or only reporting leaves no trace."""
    salt = _salt_made(directory)
    if salt is None:
        return None
    path = _named(directory, salt, platform_url, access_token)
    return path if path.exists() else None


def _named(directory: Path, salt: bytes, platform_url: str, access_token: str) -> Path:
    digest = _hashed(salt, f"{platform_url}\0{access_token}")
    return directory / f"inbox-{digest[:32]}.sqlite3"


def salted_hash(directory: Path, text: str) -> str:
    return _hashed(_salt(directory), text)


def _hashed(salt: bytes, text: str) -> str:
    return hashlib.sha256(salt + text.encode()).hexdigest()


def _salt_made(directory: Path) -> bytes | None:
    try:
        return (directory / SALT_FILE).read_bytes()
    except FileNotFoundError:
        return None


def _salt(directory: Path) -> bytes:
    made = _salt_made(directory)
    if made is not None:
        return made
    path = directory / SALT_FILE
    private_dir(directory)
    salt = os.urandom(32)  # what secrets.token_bytes does, without importing secrets at start-up
    try:
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    except FileExistsError:
        return path.read_bytes()  # another inbox made it meanwhile
    with os.fdopen(fd, "wb") as file:
        file.write(salt)
    return salt


class CacheSummary(NamedTuple):
    """A cache file as `cache info` reports it: read-only, so that looking never changes it."""

    path: Path
    size_bytes: int
    platform_url: str
    threads: int
    messages: int


def summarise(path: Path) -> CacheSummary:
    """Size and rows of a cache database, for `connector-inbox cache info`."""
    size = _bytes_on_disk(path)
    connection = sqlite3.connect(f"file:{path}?mode=ro", uri=True, timeout=BUSY_TIMEOUT_MS / 1000)
    try:
        threads = connection.execute("SELECT count(*) FROM threads").fetchone()[0]
        messages = connection.execute("SELECT count(*) FROM messages").fetchone()[0]
        row = connection.execute("SELECT value FROM meta WHERE key = 'platform_url'").fetchone()
    finally:
        connection.close()
    return CacheSummary(path, size, row[0] if row else "?", threads, messages)


def compact(path: Path) -> tuple[int, int]:
    """Pack a cache database (SQLite's VACUUM), its size before and after in bytes.

    Rows are placed by time and written in no order of it (the history walk goes backwards,
    a conversation forwards), which leaves pages about half full after a large sync. The
    keys the search index refers to are the tables' own INTEGER PRIMARY KEYs, which VACUUM
    keeps. An inbox using the database meanwhile waits for it, up to BUSY_TIMEOUT_MS."""
    connection = connect_privately(path)
    try:
        before = _bytes_on_disk(path)
        connection.execute("VACUUM")
        connection.execute("PRAGMA wal_checkpoint(TRUNCATE)")  # the packed file is the database again
    finally:
        connection.close()
    return before, _bytes_on_disk(path)


def _bytes_on_disk(path: Path) -> int:
    return sum(
        Path(f"{path}{suffix}").stat().st_size for suffix in ("", "-wal") if Path(f"{path}{suffix}").exists()
    )


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


def connect_privately(path: Path) -> sqlite3.Connection:
    """A connection to the database at `path`, which is made private (0600) first: SQLite gives
    the -wal and -shm files it makes later the database's own mode. Used by one thread at a time
    (the cache's reader behind a lock, its writer on its own thread)."""
    private_dir(path.parent)
    for suffix in ("", "-wal", "-shm"):
        part = Path(f"{path}{suffix}")
        if not suffix or part.exists():
            private_file(part)
    connection = sqlite3.connect(
        path, timeout=BUSY_TIMEOUT_MS / 1000, isolation_level=None, check_same_thread=False
    )
    connection.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")
    return connection


def set_aside(path: Path) -> Path:
    """Move a database that cannot be used (and its -wal and -shm) out of the way, kept private;
    where it went."""
    aside = path.with_name(f"{path.name}.unusable-{time.strftime('%Y%m%d-%H%M%S')}")
    for suffix in ("", "-wal", "-shm"):
        with contextlib.suppress(FileNotFoundError):
            os.replace(f"{path}{suffix}", f"{aside}{suffix}")
            private_file(Path(f"{aside}{suffix}"))
    return aside

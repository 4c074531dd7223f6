"""The cache's tables, and the statements and rows that write them: the shape of the file.

`search_index.py` adds the full-text index beside these tables; `thread_cache.py` reads
and writes them. Only the standard library.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterable

from inbox_tui.inbox.rows import MessageRow, ThreadRow, time_text

SCHEMA_VERSION = 1

SCHEMA = """
CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT NOT NULL) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS threads (
    id TEXT PRIMARY KEY,
    original_sender TEXT NOT NULL,
    subject TEXT NOT NULL,
    created_utc TEXT NOT NULL,
    updated_utc TEXT NOT NULL,
    is_resolved INTEGER
) WITHOUT ROWID;
CREATE INDEX IF NOT EXISTS threads_newest_first ON threads (created_utc DESC, id DESC);
CREATE TABLE IF NOT EXISTS messages (
    id TEXT PRIMARY KEY,
    thread_id TEXT NOT NULL,
    text TEXT NOT NULL,
    sender TEXT NOT NULL,
    created_utc TEXT NOT NULL
) WITHOUT ROWID;
CREATE INDEX IF NOT EXISTS messages_of_thread ON messages (thread_id, created_utc);
CREATE TABLE IF NOT EXISTS conversations (
    thread_id TEXT PRIMARY KEY,
    is_complete INTEGER NOT NULL
) WITHOUT ROWID;
"""

UPSERT_THREAD = "INSERT OR REPLACE INTO threads VALUES (?, ?, ?, ?, ?, ?)"
ADD_MESSAGE = "INSERT OR REPLACE INTO messages VALUES (?, ?, ?, ?, ?)"
SET_CONVERSATION = "INSERT OR REPLACE INTO conversations VALUES (?, ?)"
MESSAGE_IDS_OF_THREAD = "SELECT id FROM messages WHERE thread_id = ?"
ADD_MESSAGE_IF_NEW = "INSERT OR IGNORE INTO messages VALUES (?, ?, ?, ?, ?)"


def message_row(message: MessageRow, thread_id: str) -> tuple[object, ...]:
    return (message.Id, thread_id, message.Text, message.Sender.Discriminator, time_text(message.CreatedUtc))


def thread_rows(threads: Iterable[ThreadRow]) -> list[tuple[object, ...]]:
    return [
        (
            thread.Id,
            thread.OriginalSender,
            thread.Subject,
            time_text(thread.CreatedUtc),
            time_text(thread.UpdatedUtc),
            None if thread.IsResolved is None else int(thread.IsResolved),
        )
        for thread in threads
    ]


class UnusableCache(Exception):
    """The database cannot be used as it is: moved aside and rebuilt."""


def prepare(connection: sqlite3.Connection, owner: dict[str, str]) -> None:
    """A new database gets the schema and `owner` (whose it is) in its meta; one written by
    another version of the schema is `UnusableCache`."""
    version = connection.execute("PRAGMA user_version").fetchone()[0]
    if version not in (0, SCHEMA_VERSION):
        raise UnusableCache(f"it was written by another version (schema {version})")
    connection.execute("PRAGMA journal_mode = WAL")
    if version == 0:
        connection.executescript(SCHEMA)
        connection.execute(f"PRAGMA user_version = {SCHEMA_VERSION}")
        with connection:
            connection.execute("BEGIN")
            connection.executemany("INSERT OR REPLACE INTO meta VALUES (?, ?)", owner.items())

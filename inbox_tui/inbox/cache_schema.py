"""The cache's tables, and the statements and rows that write them: the shape of the file.

`search_index.py` adds the full-text index beside these tables; `thread_cache.py` reads
and writes them. Only the standard library.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterable, Iterator
from datetime import datetime
from typing import Any

from inbox_tui.inbox.rows import MessageRow, ThreadRow, time_text

SCHEMA_VERSION = 2
"""2: threads and messages keyed by integers in time order, which the search index refers to
(1: keyed by their Ids alone; `upgrade` copies such a cache into this shape)."""
UPGRADABLE_VERSION = 1

SLOTS_PER_SECOND = 16
"""A row's key is its second since 1970 times this, plus its place among that second's rows: the
keys' order is time order (search walks them newest first), and their gaps stay small, which keeps
the index's lists of keys short. A second with more rows than this lends them the next second's."""

SCHEMA = """
CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT NOT NULL) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS threads (
    key INTEGER PRIMARY KEY,
    id TEXT NOT NULL UNIQUE,
    original_sender TEXT NOT NULL,
    subject TEXT NOT NULL,
    created_utc TEXT NOT NULL,
    updated_utc TEXT NOT NULL,
    is_resolved INTEGER
);
CREATE INDEX IF NOT EXISTS threads_newest_first ON threads (created_utc DESC, id DESC);
CREATE INDEX IF NOT EXISTS threads_last_active ON threads (updated_utc DESC);
CREATE TABLE IF NOT EXISTS messages (
    key INTEGER PRIMARY KEY,
    id TEXT NOT NULL UNIQUE,
    thread_id TEXT NOT NULL,
    text TEXT NOT NULL,
    sender TEXT NOT NULL,
    created_utc TEXT NOT NULL
);
CREATE INDEX IF NOT EXISTS messages_of_thread ON messages (thread_id, created_utc);
CREATE TABLE IF NOT EXISTS conversations (
    thread_id TEXT PRIMARY KEY,
    is_complete INTEGER NOT NULL
) WITHOUT ROWID;
"""


def _free_key(table: str) -> str:
    """SQL for the first free key of `table` from ?1, the row's own second times SLOTS_PER_SECOND."""
    return (
        f"(SELECT CASE WHEN NOT EXISTS (SELECT 1 FROM {table} WHERE key = ?1) THEN ?1 ELSE "
        f"(SELECT a.key + 1 FROM {table} AS a WHERE a.key >= ?1 AND NOT EXISTS "
        f"(SELECT 1 FROM {table} AS b WHERE b.key = a.key + 1) ORDER BY a.key LIMIT 1) END)"
    )


# Upserts, never INSERT OR REPLACE: a replaced row would leave the index without the deletion
# its trigger writes, and it would lose its key.
UPSERT_THREAD = (
    "INSERT INTO threads (key, id, original_sender, subject, created_utc, updated_utc, is_resolved) "
    f"VALUES ({_free_key('threads')}, ?2, ?3, ?4, ?5, ?6, ?7) ON CONFLICT (id) DO UPDATE SET "
    "original_sender = excluded.original_sender, subject = excluded.subject, "
    "created_utc = excluded.created_utc, updated_utc = excluded.updated_utc, "
    "is_resolved = excluded.is_resolved"
)
_ADD_MESSAGE = (
    "INSERT INTO messages (key, id, thread_id, text, sender, created_utc) "
    f"VALUES ({_free_key('messages')}, ?2, ?3, ?4, ?5, ?6) ON CONFLICT (id) DO "
)
ADD_MESSAGE = (
    _ADD_MESSAGE
    + "UPDATE SET thread_id = excluded.thread_id, text = excluded.text, sender = excluded.sender, "
    "created_utc = excluded.created_utc"
)
ADD_MESSAGE_IF_NEW = _ADD_MESSAGE + "NOTHING"
SET_CONVERSATION = "INSERT OR REPLACE INTO conversations VALUES (?, ?)"
MESSAGE_IDS_OF_THREAD = "SELECT id FROM messages WHERE thread_id = ?"


def first_key(moment: datetime) -> int:
    """Where the keys of the rows created at `moment` (to the second) begin."""
    return int(moment.timestamp()) * SLOTS_PER_SECOND


def message_row(message: MessageRow, thread_id: str) -> tuple[object, ...]:
    return (
        first_key(message.CreatedUtc),
        message.Id,
        thread_id,
        message.Text,
        message.Sender.Discriminator,
        time_text(message.CreatedUtc),
    )


def thread_rows(threads: Iterable[ThreadRow]) -> list[tuple[object, ...]]:
    return [
        (
            first_key(thread.CreatedUtc),
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


def prepare(connection: sqlite3.Connection, owner: dict[str, str]) -> bool:
    """A new database gets the schema and `owner` (whose it is) in its meta; one written by
    another version of the schema is `UnusableCache`. True when it is of the shape before this
    one, which it can be read in, and which `upgrade` turns into this one."""
    version = connection.execute("PRAGMA user_version").fetchone()[0]
    if version not in (0, UPGRADABLE_VERSION, SCHEMA_VERSION):
        raise UnusableCache(f"it was written by another version (schema {version})")
    connection.execute("PRAGMA journal_mode = WAL")
    if version == 0:
        connection.executescript(SCHEMA)
        connection.execute(f"PRAGMA user_version = {SCHEMA_VERSION}")
        with connection:
            connection.execute("BEGIN")
            connection.executemany("INSERT OR REPLACE INTO meta VALUES (?, ?)", owner.items())
    return version == UPGRADABLE_VERSION


def upgrade(connection: sqlite3.Connection) -> None:
    """Copy the threads and messages of a cache of the shape before this one into this one's
    tables, keyed in time order, inside the caller's transaction (the writer's: a mirror of a
    million messages takes seconds, and the first frame does not wait for it). The search
    index is made again afterwards, from the new tables."""
    if connection.execute("PRAGMA user_version").fetchone()[0] != UPGRADABLE_VERSION:
        return  # another inbox on this cache did it first
    triggers = connection.execute("SELECT name FROM sqlite_master WHERE type = 'trigger'").fetchall()
    for (trigger,) in triggers:
        connection.execute(f'DROP TRIGGER "{trigger}"')
    for table in ("threads", "messages"):
        connection.execute(f"ALTER TABLE {table} RENAME TO old_{table}")
    connection.execute("DROP INDEX threads_newest_first")
    connection.execute("DROP INDEX messages_of_thread")
    for statement in filter(str.strip, SCHEMA.split(";")):
        connection.execute(statement)
    _copy_in_time_order(
        connection, "threads", "id, original_sender, subject, created_utc, updated_utc, is_resolved"
    )
    _copy_in_time_order(connection, "messages", "id, thread_id, text, sender, created_utc")
    connection.execute("DROP TABLE old_threads")
    connection.execute("DROP TABLE old_messages")
    connection.execute("DELETE FROM meta WHERE key = 'search_index'")
    connection.execute(f"PRAGMA user_version = {SCHEMA_VERSION}")


def _copy_in_time_order(connection: sqlite3.Connection, table: str, columns: str) -> None:
    rows = connection.execute(
        f"SELECT CAST(strftime('%s', created_utc) AS INTEGER) * {SLOTS_PER_SECOND}, {columns} "
        f"FROM old_{table} ORDER BY created_utc, id"
    )
    placeholders = ", ".join("?" * (columns.count(",") + 2))
    connection.executemany(f"INSERT INTO {table} (key, {columns}) VALUES ({placeholders})", _keyed(rows))


def _keyed(rows: Iterable[tuple[Any, ...]]) -> Iterator[tuple[Any, ...]]:
    """Rows in time order, each with its key: its second's first, or the one after the last."""
    last = -1
    for first, *values in rows:
        last = max(first, last + 1)
        yield (last, *values)

"""The full-text index of the local cache: SQLite FTS5 over subjects, senders and message texts.

One row per thread (its subject and sender) and one per message (its text, with its
thread's subject and sender, so `subject:invoice breakfast` finds a message), kept in
step with every write to the cache by triggers, so nothing that writes threads or
messages has to remember it. `unicode61 remove_diacritics 2` folds case and accents,
as the `/` filter does; `detail=full` keeps positions, which phrases need. Where the
local SQLite has no FTS5, the index is simply not there and search says so.
"""

from __future__ import annotations

import sqlite3

MATCH_OPEN, MATCH_CLOSE = "\x02", "\x03"
"""Around each matched word of a snippet: control characters, so that a bracket in a message is
never taken for a mark. A message holding these very characters can at most highlight a word
of its own: what is around the marks is made printable before it is shown."""

INDEX_VERSION = 2
"""2: rowids in time order, so newest first is a reverse walk of the index that stops at the
limit instead of a sort of every match (1: rowids in order of writing)."""

SLOTS_PER_SECOND = 1 << 20
"""A row's rowid is its second since 1970 times this, plus its place among that second's rows."""


def _rowid(created: str) -> str:
    """SQL for the next free time-ordered rowid of a row created at `created` (a cache time)."""
    base = f"CAST(strftime('%s', {created}) AS INTEGER) * {SLOTS_PER_SECOND}"
    return (
        f"(SELECT coalesce(max(rowid) + 1, {base}) FROM search "
        f"WHERE rowid BETWEEN {base} AND {base} + {SLOTS_PER_SECOND - 1})"
    )


INDEX_SCHEMA = f"""
CREATE VIRTUAL TABLE search USING fts5(
    subject, sender, text,
    kind UNINDEXED, thread_id UNINDEXED, message_id UNINDEXED, sent_by UNINDEXED, created UNINDEXED,
    tokenize = 'unicode61 remove_diacritics 2'
);
-- Which FTS row holds a thread ('t' || id) or a message ('m' || id): deleting by rowid is
-- instant, deleting by an UNINDEXED column would read the whole index.
CREATE TABLE search_rows (key TEXT PRIMARY KEY, row INTEGER NOT NULL) WITHOUT ROWID;

CREATE TRIGGER search_thread_in AFTER INSERT ON threads BEGIN
    DELETE FROM search WHERE rowid = (SELECT row FROM search_rows WHERE key = 't' || new.id);
    INSERT INTO search (rowid, subject, sender, text, kind, thread_id, message_id, sent_by, created)
        VALUES ({_rowid("new.created_utc")}, new.subject, new.original_sender, '', 't', new.id, NULL, NULL,
            new.created_utc);
    INSERT OR REPLACE INTO search_rows VALUES ('t' || new.id, last_insert_rowid());
END;
CREATE TRIGGER search_thread_out AFTER DELETE ON threads BEGIN
    DELETE FROM search WHERE rowid = (SELECT row FROM search_rows WHERE key = 't' || old.id);
    DELETE FROM search_rows WHERE key = 't' || old.id;
END;
CREATE TRIGGER search_message_in AFTER INSERT ON messages BEGIN
    DELETE FROM search WHERE rowid = (SELECT row FROM search_rows WHERE key = 'm' || new.id);
    INSERT INTO search (rowid, subject, sender, text, kind, thread_id, message_id, sent_by, created)
        SELECT {_rowid("new.created_utc")}, coalesce(t.subject, ''), coalesce(t.original_sender, ''),
            new.text, 'm', new.thread_id, new.id, new.sender, new.created_utc
        FROM (SELECT 1) LEFT JOIN threads AS t ON t.id = new.thread_id;
    INSERT OR REPLACE INTO search_rows VALUES ('m' || new.id, last_insert_rowid());
END;
CREATE TRIGGER search_message_out AFTER DELETE ON messages BEGIN
    DELETE FROM search WHERE rowid = (SELECT row FROM search_rows WHERE key = 'm' || old.id);
    DELETE FROM search_rows WHERE key = 'm' || old.id;
END;
"""

# One statement, so each second's rows are numbered among themselves (a subquery on `search`
# inside an INSERT ... SELECT into it would not see the rows that statement adds).
BACKFILL = f"""
INSERT INTO search (rowid, subject, sender, text, kind, thread_id, message_id, sent_by, created)
    SELECT base + row_number() OVER (PARTITION BY base ORDER BY kind DESC, created, key) - 1,
        subject, sender, text, kind, thread_id, message_id, sent_by, created
    FROM (
        SELECT CAST(strftime('%s', created_utc) AS INTEGER) * {SLOTS_PER_SECOND} AS base, 't' || id AS key,
            subject, original_sender AS sender, '' AS text, 't' AS kind, id AS thread_id,
            NULL AS message_id, NULL AS sent_by, created_utc AS created
        FROM threads
        UNION ALL
        SELECT CAST(strftime('%s', m.created_utc) AS INTEGER) * {SLOTS_PER_SECOND}, 'm' || m.id,
            coalesce(t.subject, ''), coalesce(t.original_sender, ''), m.text, 'm', m.thread_id, m.id,
            m.sender, m.created_utc
        FROM messages AS m LEFT JOIN threads AS t ON t.id = m.thread_id
    );
INSERT INTO search_rows SELECT kind || coalesce(message_id, thread_id), rowid FROM search;
INSERT OR REPLACE INTO meta VALUES ('search_index', '{INDEX_VERSION}');
"""

DROP_OLD_INDEX = """
DROP TRIGGER IF EXISTS search_thread_in;
DROP TRIGGER IF EXISTS search_thread_out;
DROP TRIGGER IF EXISTS search_message_in;
DROP TRIGGER IF EXISTS search_message_out;
DROP TABLE IF EXISTS search_rows;
DROP TABLE IF EXISTS search;
"""


def has_index(connection: sqlite3.Connection) -> bool:
    """The index of this version is there: an older one is made again by `build_index`."""
    row = connection.execute("SELECT value FROM meta WHERE key = 'search_index'").fetchone()
    return row is not None and row[0] == str(INDEX_VERSION)


def build_index(connection: sqlite3.Connection) -> bool:
    """Make the index, filled from what is cached, inside the caller's transaction (the cache's
    writer's); an older one is dropped first. False where this SQLite has no FTS5."""
    if has_index(connection):
        return True
    connection.execute("SAVEPOINT search_index")
    try:
        for statement in _statements(DROP_OLD_INDEX + INDEX_SCHEMA + BACKFILL):
            connection.execute(statement)
    except sqlite3.OperationalError:
        # No FTS5 in this SQLite: the inbox works, search says so, the other writes stand.
        connection.execute("ROLLBACK TO search_index")
        connection.execute("RELEASE search_index")
        return False
    connection.execute("RELEASE search_index")
    return True


def _statements(script: str) -> list[str]:
    """The statements of `script`, a trigger's body kept whole."""
    statements, current = [], []
    for line in script.splitlines():
        if not line.strip() or line.strip().startswith("--"):
            continue
        current.append(line)
        text = "\n".join(current)
        if sqlite3.complete_statement(text):
            statements.append(text)
            current = []
    return statements

"""The full-text index of the local cache: SQLite FTS5 over subjects, senders and message texts.

One row per thread (its subject and sender) and one per message (its text, with its
thread's subject and sender, so `subject:invoice breakfast` finds a message), kept in
step with every write to the cache by triggers, so nothing that writes threads or
messages has to remember it. `unicode61 remove_diacritics 2` folds case and accents,
as the `/` filter does; `detail=full` keeps positions, which phrases need. Where the
local SQLite has no FTS5, the index is simply not there and search says so.
"""

from __future__ import annotations

import contextlib
import sqlite3

MATCH_OPEN, MATCH_CLOSE = "\x02", "\x03"
"""Around each matched word of a snippet: control characters, so that a bracket in a message is
never taken for a mark. A message holding these very characters can at most highlight a word
of its own: what is around the marks is made printable before it is shown."""

INDEX_SCHEMA = """
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
    INSERT INTO search (subject, sender, text, kind, thread_id, message_id, sent_by, created)
        VALUES (new.subject, new.original_sender, '', 't', new.id, NULL, NULL, new.created_utc);
    INSERT OR REPLACE INTO search_rows VALUES ('t' || new.id, last_insert_rowid());
END;
CREATE TRIGGER search_thread_out AFTER DELETE ON threads BEGIN
    DELETE FROM search WHERE rowid = (SELECT row FROM search_rows WHERE key = 't' || old.id);
    DELETE FROM search_rows WHERE key = 't' || old.id;
END;
CREATE TRIGGER search_message_in AFTER INSERT ON messages BEGIN
    DELETE FROM search WHERE rowid = (SELECT row FROM search_rows WHERE key = 'm' || new.id);
    INSERT INTO search (subject, sender, text, kind, thread_id, message_id, sent_by, created)
        SELECT coalesce(t.subject, ''), coalesce(t.original_sender, ''), new.text, 'm', new.thread_id,
            new.id, new.sender, new.created_utc
        FROM (SELECT 1) LEFT JOIN threads AS t ON t.id = new.thread_id;
    INSERT OR REPLACE INTO search_rows VALUES ('m' || new.id, last_insert_rowid());
END;
CREATE TRIGGER search_message_out AFTER DELETE ON messages BEGIN
    DELETE FROM search WHERE rowid = (SELECT row FROM search_rows WHERE key = 'm' || old.id);
    DELETE FROM search_rows WHERE key = 'm' || old.id;
END;
"""

BACKFILL = """
INSERT INTO search (subject, sender, text, kind, thread_id, message_id, sent_by, created)
    SELECT subject, original_sender, '', 't', id, NULL, NULL, created_utc FROM threads;
INSERT INTO search_rows SELECT 't' || thread_id, rowid FROM search WHERE kind = 't';
INSERT INTO search (subject, sender, text, kind, thread_id, message_id, sent_by, created)
    SELECT coalesce(t.subject, ''), coalesce(t.original_sender, ''), m.text, 'm', m.thread_id, m.id, m.sender,
        m.created_utc
    FROM messages AS m LEFT JOIN threads AS t ON t.id = m.thread_id;
INSERT INTO search_rows SELECT 'm' || message_id, rowid FROM search WHERE kind = 'm';
"""


def has_index(connection: sqlite3.Connection) -> bool:
    row = connection.execute("SELECT 1 FROM sqlite_master WHERE name = 'search'").fetchone()
    return row is not None


def ensure_index(connection: sqlite3.Connection) -> bool:
    """The index, made (and filled from what is cached) if this cache has none; False without FTS5."""
    if has_index(connection):
        return True
    try:
        connection.execute("BEGIN IMMEDIATE")  # executescript would commit after each statement
        for statement in _statements(INDEX_SCHEMA + BACKFILL):
            connection.execute(statement)
        connection.execute("COMMIT")
    except sqlite3.OperationalError:
        # No FTS5 in this SQLite (the inbox works, search says so), or another inbox is
        # writing (the next start makes the index): never a reason to set the cache aside.
        with contextlib.suppress(sqlite3.Error):
            connection.execute("ROLLBACK")
        return False
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

"""The full-text index of the local cache: SQLite FTS5 over subjects, senders and message texts.

Two indexes, each over the cache's own table ("external content": the text is stored once,
in the cache, and snippets are cut from it): `search_threads` over each thread's subject and
sender, `search_messages` over each message's text. A message is not indexed with its thread's
subject and sender (that was most of the index's size); `search.py` puts the two together,
so that `subject:invoice breakfast` still finds a message. The index refers to rows by their
keys, which are in time order (`cache_schema.py`), so newest first is a reverse walk that
stops at a limit. Triggers keep both in step with every write to the cache, so nothing that
writes threads or messages has to remember them. `unicode61 remove_diacritics 2` folds case
and accents, as the `/` filter does; `detail=full` keeps positions, which phrases need;
`columnsize=0` leaves out the sizes of the texts, which only relevance ranking reads. Where
the local SQLite has no FTS5, the index is simply not there and search says so.
"""

from __future__ import annotations

import sqlite3

MATCH_OPEN, MATCH_CLOSE = "\x02", "\x03"
"""Around each matched word of a snippet: control characters, so that a bracket in a message is
never taken for a mark. A message holding these very characters can at most highlight a word
of its own: what is around the marks is made printable before it is shown."""

INDEX_VERSION = 3
"""3: over the cache's tables, messages without their thread's subject and sender (2: a copy of
every text, each message with its thread's subject and sender; 1: rowids in order of writing)."""

_OPTIONS = "content_rowid = 'key', columnsize = 0, tokenize = 'unicode61 remove_diacritics 2'"


def _kept_in_step(index: str, table: str, columns: tuple[str, ...]) -> str:
    """The index over `columns` of `table`, and the triggers that keep it so: an external
    content index is told what a row held when it changes or goes."""
    new = ", ".join(f"new.{column}" for column in columns)
    old = ", ".join(f"old.{column}" for column in columns)
    names = ", ".join(columns)
    changed = " OR ".join(f"old.{column} IS NOT new.{column}" for column in columns)
    return f"""
CREATE VIRTUAL TABLE {index} USING fts5({names}, content = '{table}', {_OPTIONS});
CREATE TRIGGER {index}_in AFTER INSERT ON {table} BEGIN
    INSERT INTO {index} (rowid, {names}) VALUES (new.key, {new});
END;
CREATE TRIGGER {index}_out AFTER DELETE ON {table} BEGIN
    INSERT INTO {index} ({index}, rowid, {names}) VALUES ('delete', old.key, {old});
END;
CREATE TRIGGER {index}_changed AFTER UPDATE OF {names} ON {table} WHEN {changed} BEGIN
    INSERT INTO {index} ({index}, rowid, {names}) VALUES ('delete', old.key, {old});
    INSERT INTO {index} (rowid, {names}) VALUES (new.key, {new});
END;
INSERT INTO {index} ({index}) VALUES ('rebuild');
"""


INDEX_SCHEMA = (
    _kept_in_step("search_threads", "threads", ("subject", "original_sender"))
    + _kept_in_step("search_messages", "messages", ("text",))
    + f"INSERT OR REPLACE INTO meta VALUES ('search_index', '{INDEX_VERSION}');"
)

_OLD_TRIGGERS = (
    "search_thread_in search_thread_out search_message_in search_message_out "
    + " ".join(
        f"{index}_{event}"
        for index in ("search_threads", "search_messages")
        for event in ("in", "out", "changed")
    )
).split()
DROP_OLD_INDEX = "".join(f"DROP TRIGGER IF EXISTS {trigger};\n" for trigger in _OLD_TRIGGERS) + "".join(
    f"DROP TABLE IF EXISTS {table};\n"
    for table in ("search_rows", "search", "search_threads", "search_messages")
)


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
        for statement in _statements(DROP_OLD_INDEX + INDEX_SCHEMA):
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

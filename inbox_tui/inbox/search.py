"""Search everything the cache holds, for a query of `search_query.py`'s language.

Results are threads, newest first by the newest row that matched: a message (its text,
with its thread's subject and sender as if they were its own), or a thread by its subject and
sender alone, placed by its last activity (as new as the newest of its messages, which all
match with it). Each comes with a snippet. Nothing typed reaches SQL
but as a bound value or a quoted FTS5 string.
"""

from __future__ import annotations

import itertools
import json
import re
import sqlite3
from collections.abc import Collection, Iterable, Iterator, Mapping
from datetime import datetime
from typing import NamedTuple

from inbox_tui.inbox.cache_schema import SLOTS_PER_SECOND
from inbox_tui.inbox.folding import fold
from inbox_tui.inbox.rows import time_text
from inbox_tui.inbox.search_hits import Found, Hit, hits
from inbox_tui.inbox.search_query import Query, QueryError, Term, parse

__all__ = ["Hit", "QueryError", "search"]

ROWS_PER_THREAD = 20
"""Matching rows read per thread listed: a thread with many matches takes several."""


def search(
    connection: sqlite3.Connection,
    text: str,
    limit: int = 50,
    now: datetime | None = None,
    marked: Mapping[str, Collection[str]] | None = None,
) -> list[Hit]:
    """Threads matching `text`, newest first, each with a snippet of what matched.

    `marked`: the thread Ids that are `unread` and `waiting`, for is:unread and is:waiting.
    """
    query = parse(text, now)
    try:
        return _search(connection, query, limit, marked or {})
    except sqlite3.OperationalError as exc:
        raise QueryError(f"the query cannot be searched ({exc})") from None


def _search(
    connection: sqlite3.Connection, query: Query, limit: int, marked: Mapping[str, Collection[str]]
) -> list[Hit]:
    """Each way the clauses can be split between a thread's subject and sender (S) and a message's
    text (the rest) is one walk of an index, newest first, stopped at the limit; the walks are
    merged by key (time). A clause found in no thread's subject or sender, as most words are,
    is never tried there: a query of such words is one walk of the messages' index."""
    clauses = [tuple(_spelled(connection, term) for term in clause) for clause in query.clauses]
    negated = [_spelled(connection, term) for term in query.negated]
    common, values = _thread_conditions(query, marked)
    headers_unwanted = _any_of(term.headers for term in negated)
    text_unwanted = _any_of(term.text for term in negated)
    if headers_unwanted:
        common.append("t.key NOT IN (SELECT rowid FROM search_threads WHERE search_threads MATCH ?)")
        values.append(headers_unwanted)
    counted: dict[str, int] = {}  # once a search: a split's walk needs what its checks counted

    def threads_found(expression: str | None) -> int:
        if expression is None:
            return 0
        if expression not in counted:
            counted[expression] = _threads_found(connection, expression)
        return counted[expression]

    in_headers = [
        index
        for index, clause in enumerate(clauses)
        if threads_found(_any_of(term.headers for term in clause))
    ]
    found: dict[str, Found] = {}
    for size in range(len(in_headers) + 1):
        for chosen in itertools.combinations(in_headers, size):
            rest = [clause for index, clause in enumerate(clauses) if index not in chosen]
            if not all(any(term.text for term in clause) for clause in rest):
                continue  # a subject: or from: clause is found only in the subject and sender
            in_thread = _all_of(_any_of(term.headers for term in clauses[index]) for index in chosen)
            if in_thread and not threads_found(in_thread):
                continue
            in_text = _all_of(_any_of(term.text for term in clause) for clause in rest)
            if in_text and text_unwanted:
                in_text = f"({in_text}) NOT {text_unwanted}"
            split = _Split(in_thread, threads_found(in_thread), in_text, text_unwanted)
            for rank, key, thread_id, index, match in _walk(connection, query, split, common, values, limit):
                held = found.get(thread_id)
                if held is None or rank > held.rank:
                    found[thread_id] = Found(rank, key, thread_id, index, match)
    newest = sorted(found.values(), key=lambda row: row.rank, reverse=True)[:limit]
    return hits(connection, newest)


_ACTIVITY = f"CAST(strftime('%s', t.updated_utc) AS INTEGER) * {SLOTS_PER_SECOND}"
_SOURCES = {
    "text": (
        "search_messages JOIN messages AS m ON m.key = search_messages.rowid "
        "JOIN threads AS t ON t.id = m.thread_id",
        "m.key, m.key, m.thread_id",
        "search_messages.rowid",
    ),
    "sender": ("messages AS m JOIN threads AS t ON t.id = m.thread_id", "m.key, m.key, m.thread_id", "m.key"),
    "few threads": (
        "search_threads CROSS JOIN threads AS t ON t.key = search_threads.rowid",
        f"{_ACTIVITY}, t.key, t.id",
        "t.updated_utc",
    ),
    # Walked in the order of their last activity, even where a date range could narrow them first.
    "many threads": (
        "threads AS t INDEXED BY threads_last_active",
        f"{_ACTIVITY}, t.key, t.id",
        "t.updated_utc",
    ),
    "fields": ("threads AS t", f"{_ACTIVITY}, t.key, t.id", "t.updated_utc"),
}
"""What a walk reads, as (tables, rank and key and thread, order): messages by their text (in the
order of the index's own rowid, which FTS5 walks backwards, where ordered by the table's key
SQLite would read every match and sort them); messages by their sender alone; threads by their
subject and sender, by their last activity: the few a word finds sorted, or, when it finds many,
the threads walked from the latest active until enough have it; threads by the fields alone."""

FEW_THREADS = 2000
"""Threads found by their subject and sender that are sorted rather than walked to."""
MANY_THREADS = 20_000
"""Threads found by their subject and sender beyond which rows are tested against them a batch
at a time (`_in_threads_found`) rather than against a list of them all."""


class _Split(NamedTuple):
    """A split of a query's clauses: what the thread's subject and sender must have (and how many
    threads have it, up to MANY_THREADS + 1), what the text must have, and must not have."""

    in_thread: str | None
    threads_found: int
    in_text: str | None
    text_unwanted: str | None


def _walk(
    connection: sqlite3.Connection,
    query: Query,
    split: _Split,
    conditions: list[str],
    values: list[object],
    limit: int,
) -> list[tuple[int, int, str, str, str | None]]:
    """The newest rows matching one split of the query, as (rank, key, thread, index,
    expression): at most `limit` threads, from at most `limit` * ROWS_PER_THREAD rows, or,
    where many threads have what `in_thread` asks, from as many as it takes to find them."""
    in_thread, found, in_text, text_unwanted = split
    conditions, values = list(conditions), list(values)

    def where(condition: str, value: object) -> None:
        conditions.append(condition)
        values.append(value)

    few, tested_here = found <= FEW_THREADS, found > MANY_THREADS
    if in_text:
        kind, index, match = "text", "search_messages", in_text
        where("search_messages MATCH ?", in_text)
    elif query.sent_by:  # the messages of the threads found, by their sender alone
        kind, index, match = "sender", "search_messages", None
        if text_unwanted:
            where(
                "m.key NOT IN (SELECT rowid FROM search_messages WHERE search_messages MATCH ?)",
                text_unwanted,
            )
    elif in_thread:
        kind, index, match = ("few threads" if few else "many threads"), "search_threads", in_thread
        if few:
            where("search_threads MATCH ?", in_thread)
    else:  # no words: the threads the fields choose
        kind, index, match = "fields", "search_threads", None
    if in_thread and kind != "few threads" and not tested_here:
        # A test of each row met (`+`), not a lookup of each thread found for each row.
        where("+t.key IN (SELECT rowid FROM search_threads WHERE search_threads MATCH ?)", in_thread)
    if query.sent_by:
        where("m.sender = ?", query.sent_by)
    source, columns, order = _SOURCES[kind]
    rows: Iterable[tuple[int, int, str, int]] = connection.execute(
        f"SELECT {columns}, t.key FROM {source} WHERE {' AND '.join(conditions) or 1} "
        f"ORDER BY {order} DESC LIMIT ?",
        (*values, -1 if tested_here else limit * ROWS_PER_THREAD),
    )
    if tested_here and in_thread:
        rows = _in_threads_found(connection, rows, in_thread)
    return [(rank, key, thread_id, index, match) for rank, key, thread_id in _first_threads(rows, limit)]


ROWS_TESTED_AT_ONCE = 500


def _in_threads_found(
    connection: sqlite3.Connection, rows: Iterable[tuple[int, int, str, int]], expression: str
) -> Iterator[tuple[int, int, str, int]]:
    """The rows whose thread (its key last) has `expression` in its subject and sender, tested
    a batch at a time by one walk of the threads' index over the batch's threads: where many
    threads have it (`from:booking`), listing them all to test each row against costs more
    than the whole search otherwise does."""
    rows = iter(rows)
    while batch := list(itertools.islice(rows, ROWS_TESTED_AT_ONCE)):
        threads = [row[-1] for row in batch]
        found = {
            key
            for (key,) in connection.execute(
                "SELECT rowid FROM search_threads WHERE search_threads MATCH ? AND rowid BETWEEN ? AND ? "
                "AND +rowid IN (SELECT value FROM json_each(?))",
                (expression, min(threads), max(threads), json.dumps(threads)),
            )
        }
        yield from (row for row in batch if row[-1] in found)


def _threads_found(connection: sqlite3.Connection, expression: str) -> int:
    """How many threads' subject and sender match `expression`, counted up to MANY_THREADS + 1."""
    return connection.execute(
        "SELECT count(*) FROM (SELECT 1 FROM search_threads WHERE search_threads MATCH ? LIMIT ?)",
        (expression, MANY_THREADS + 1),
    ).fetchone()[0]


def _first_threads(rows: Iterable[tuple[int, int, str, int]], limit: int) -> Iterator[tuple[int, int, str]]:
    """Rows until `limit` threads have one: a thread's newest row comes first."""
    seen: set[str] = set()
    for rank, key, thread_id, _ in rows:
        if thread_id not in seen:
            seen.add(thread_id)
            yield rank, key, thread_id
            if len(seen) == limit:
                return


def _thread_conditions(query: Query, marked: Mapping[str, Collection[str]]) -> tuple[list[str], list[object]]:
    """What the fields ask of the thread (`t`): its dates, and the triage marks it must have."""
    conditions: list[str] = []
    values: list[object] = []
    for state in sorted(query.states):
        # A JSON array as one bound value: nothing of the Ids reaches the SQL text.
        conditions.append("t.id IN (SELECT value FROM json_each(?))")
        values.append(json.dumps(sorted(marked.get(state, ()))))
    for column, (low, high) in (("t.created_utc", query.created), ("t.updated_utc", query.updated)):
        if low is not None:
            conditions.append(f"{column} >= ?")
            values.append(time_text(low))
        if high is not None:
            conditions.append(f"{column} <= ?")
            values.append(time_text(high))
    return conditions, values


def _any_of(expressions: Iterable[str | None]) -> str | None:
    present = [expression for expression in expressions if expression]
    return f"({' OR '.join(present)})" if present else None


def _all_of(expressions: Iterable[str | None]) -> str | None:
    present = [expression for expression in expressions if expression]
    return " AND ".join(present) or None


MAX_SPELLED_OUT = 64
_PREFIX = re.compile(r'"(\w+)"\*')


def _spelled(connection: sqlite3.Connection, term: Term) -> Term:
    return Term(
        _prefixes_spelled_out(connection, term.text, "search_messages"),
        _prefixes_spelled_out(connection, term.headers, "search_threads"),
    )


def _prefixes_spelled_out(connection: sqlite3.Connection, expression: str | None, index: str) -> str | None:
    """`"break"*` as `("break" OR "breakfast")`, from the words of `index`: FTS5 reads a prefix's
    rows whole each time a query holds it, a list of words only as far as it needs. A prefix of
    more words than MAX_SPELLED_OUT (or none) stays as it is."""
    if expression is None or "*" not in expression:
        return expression
    words = f"temp.{index}_words"
    connection.execute(f"CREATE VIRTUAL TABLE IF NOT EXISTS {words} USING fts5vocab(main, {index}, row)")

    def spelled_out(prefix: re.Match[str]) -> str:
        start = fold(prefix[1])
        found = [
            row[0]
            for row in connection.execute(
                f"SELECT term FROM {words} WHERE term >= ? AND term < ? LIMIT ?",
                (start, start + "\U0010ffff", MAX_SPELLED_OUT + 1),
            )
        ]
        if not found or len(found) > MAX_SPELLED_OUT:
            return prefix[0]
        return "(" + " OR ".join(f'"{word}"' for word in found) + ")"

    return _PREFIX.sub(spelled_out, expression)

"""Search everything the cache holds, with a query language people know from notmuch and gh.

    parking van                words: all must match (subject, sender or text)
    "late check-in"            a phrase
    check*                     a prefix
    -invoice                   not this word
    parking OR garage          either
    from:smith subject:tax text:breakfast
    by:staff  by:us            who wrote the message
    is:unread  is:waiting      what the triage marks (unread, waiting on us)
    created:2026-01-01..2026-03-31   updated:7d..   (dates or ages, either end optional)

Results are threads, newest first (by the matching message, or the thread's creation),
each with a snippet. Nothing typed reaches SQL but as a bound value or a quoted FTS5
string; a malformed query is a `QueryError` naming the problem.
"""

from __future__ import annotations

import json
import re
import sqlite3
from collections.abc import Collection, Mapping
from dataclasses import dataclass, field
from datetime import UTC, datetime

from inbox_tui.inbox.api_filters import parse_moment
from inbox_tui.inbox.folding import fold
from inbox_tui.inbox.rows import CachedThread, time_text
from inbox_tui.inbox.search_index import MATCH_CLOSE, MATCH_OPEN

ROWS_PER_THREAD = 20
"""Matching rows read per thread listed: a thread with many matches takes several."""
FIELDS = {"from": "sender", "subject": "subject", "text": "text"}
BY = {"staff": "Enterprise", "us": "Application"}
_TOKEN = re.compile(r'(-?)(?:(\w+):)?("([^"]*)"?|[^\s"]+)')


class QueryError(ValueError):
    """The query cannot be read; the message says what to change."""


@dataclass
class Query:
    match: str = ""
    """The FTS5 expression, every user's word a quoted string."""
    sent_by: str | None = None
    created: tuple[datetime | None, datetime | None] = (None, None)
    updated: tuple[datetime | None, datetime | None] = (None, None)
    states: set[str] = field(default_factory=set)
    """is:unread, is:waiting."""
    words: list[str] = field(default_factory=list)


@dataclass(frozen=True)
class Hit:
    thread: CachedThread
    """The thread as the cache holds it: a row the list can show."""
    message_id: str | None
    marked_snippet: str
    """What matched in context, each matched word between MATCH_OPEN and MATCH_CLOSE."""
    created: str

    def snippet(self, open_mark: str = "[", close_mark: str = "]") -> str:
        """The snippet with the matched words between `open_mark` and `close_mark`."""
        return self.marked_snippet.replace(MATCH_OPEN, open_mark).replace(MATCH_CLOSE, close_mark)

    @property
    def thread_id(self) -> str:
        return self.thread.Id

    @property
    def subject(self) -> str:
        return self.thread.Subject

    @property
    def sender(self) -> str:
        return self.thread.OriginalSender


def parse(text: str, now: datetime | None = None) -> Query:
    """`text` as a query; `QueryError` when it cannot be read."""
    now = now or datetime.now(UTC)
    query = Query()
    parts: list[str] = []
    pending_or = False
    for negated, name, raw, phrase in _TOKEN.findall(text.strip()):
        value = phrase if raw.startswith('"') else raw
        if not name and not negated and raw == "OR":
            if not parts or pending_or:
                raise QueryError("OR needs a word on each side")
            pending_or = True
            continue
        if name in ("created", "updated"):
            setattr(query, name, _range(name, value, now))
            continue
        if name == "is":
            if value not in ("unread", "waiting"):
                raise QueryError(f"is: takes unread or waiting, not {value!r}")
            query.states.add(value)
            continue
        if name == "by":
            if value not in BY:
                raise QueryError(f"by: takes staff or us, not {value!r}")
            query.sent_by = BY[value]
            continue
        if name and name not in FIELDS:
            raise QueryError(
                f"{name}: is not a field; use from:, subject:, text:, by:, is:, created: or updated:"
            )
        term = _term(value, raw.startswith('"'))
        if term is None:
            continue
        query.words.append(value.rstrip("*"))
        column = f"{FIELDS[name]} : " if name else ""
        expression = f"{column}{term}"
        if negated:
            if not parts:
                raise QueryError("a query cannot start with -word: give a word to look for first")
            parts.append(f"NOT {expression}")
        elif pending_or:
            parts[-1] = f"({parts[-1]} OR {expression})"
            pending_or = False
        else:
            parts.append(expression)
    if pending_or:
        raise QueryError("OR needs a word on each side")
    query.match = _joined(parts)
    if (
        not query.match
        and query.sent_by is None
        and query.created == (None, None)
        and query.updated == (None, None)
        and not query.states
    ):
        raise QueryError("give a word, a phrase or a field to search for")
    return query


def _joined(parts: list[str]) -> str:
    """Every term required; a `NOT term` takes away from all before it (FTS5's NOT is binary)."""
    expression = ""
    for part in parts:
        if not expression:
            expression = part
        elif part.startswith("NOT "):
            expression = f"({expression}) {part}"
        else:
            expression = f"({expression}) AND {part}"
    return expression


def _term(value: str, is_phrase: bool) -> str | None:
    prefix = value.endswith("*") and not is_phrase
    words = value.rstrip("*").replace('"', " ")
    if not words.strip():
        return None
    return f'"{words}"' + ("*" if prefix else "")


def _range(name: str, value: str, now: datetime) -> tuple[datetime | None, datetime | None]:
    start, separator, end = value.partition("..")
    try:
        low = parse_moment(start, now) if start else None
        high = parse_moment(end, now, is_end=True) if end else None
        if not separator and low is not None:
            high = parse_moment(start, now, is_end=True) if "-" in start else None
    except ValueError as exc:
        raise QueryError(f"{name}: {exc}") from None
    return low, high


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
    match = _with_prefixes_spelled_out(connection, query.match)
    conditions: list[str] = []
    values: list[object] = []
    for state in sorted(query.states):
        # A JSON array as one bound value: nothing of the Ids reaches the SQL text.
        conditions.append("search.thread_id IN (SELECT value FROM json_each(?))")
        values.append(json.dumps(sorted(marked.get(state, ()))))
    if match:
        conditions.append("search MATCH ?")
        values.append(match)
    if query.sent_by is not None:
        conditions.append("search.sent_by = ?")
        values.append(query.sent_by)
    for column, (low, high) in (("t.created_utc", query.created), ("t.updated_utc", query.updated)):
        if low is not None:
            conditions.append(f"{column} >= ?")
            values.append(time_text(low))
        if high is not None:
            conditions.append(f"{column} <= ?")
            values.append(time_text(high))
    # Newest first is the index's own order (its rowids are times), walked backwards: it stops
    # once enough rows are read, where sorting by a column would read every match first.
    sql = (
        "SELECT search.rowid, search.thread_id FROM search JOIN threads AS t ON t.id = search.thread_id "
        "WHERE " + " AND ".join(conditions) + " ORDER BY search.rowid DESC LIMIT ?"
    )
    newest: dict[str, int] = {}
    # Newest matches first; a thread is listed once, with its newest match.
    for row, thread_id in connection.execute(sql, (*values, limit * ROWS_PER_THREAD)):
        newest.setdefault(thread_id, row)
        if len(newest) == limit:
            break
    return _hits(connection, match, newest)


def _hits(connection: sqlite3.Connection, match: str, newest: Mapping[str, int]) -> list[Hit]:
    """The threads and the snippets of their newest match: read only for the rows listed."""
    threads = {
        row[0]: CachedThread(
            row[0],
            row[2],
            row[1],
            datetime.fromisoformat(row[3]),
            datetime.fromisoformat(row[4]),
            None if row[5] is None else bool(row[5]),
        )
        for row in connection.execute(
            "SELECT id, subject, original_sender, created_utc, updated_utc, is_resolved FROM threads "
            "WHERE id IN (SELECT value FROM json_each(?))",
            (json.dumps(list(newest)),),
        )
    }
    # char(2) and char(3) are MATCH_OPEN and MATCH_CLOSE.
    snippet = "snippet(search, -1, char(2), char(3), '…', 12)" if match else "substr(text, 1, 80)"
    matched = "search MATCH ? AND " if match else ""
    hits = []
    for thread_id, row in newest.items():
        found = connection.execute(
            f"SELECT message_id, {snippet}, created FROM search WHERE {matched}rowid = ?",
            (*([match] if match else []), row),
        ).fetchone()
        if found is not None and thread_id in threads:
            hits.append(Hit(threads[thread_id], found[0], found[1], found[2]))
    return hits


MAX_SPELLED_OUT = 64
_PREFIX = re.compile(r'"(\w+)"\*')


def _with_prefixes_spelled_out(connection: sqlite3.Connection, match: str) -> str:
    """`"break"*` as `("break" OR "breakfast")`, from the index's own words: FTS5 reads a
    prefix's rows whole for every query that has it (one per snippet), a list of words lazily.
    A prefix of more words than MAX_SPELLED_OUT (or none) stays as it is."""
    if "*" not in match:
        return match
    connection.execute("CREATE VIRTUAL TABLE IF NOT EXISTS temp.words USING fts5vocab(main, search, row)")

    def spelled_out(prefix: re.Match[str]) -> str:
        start = fold(prefix[1])
        words = [
            row[0]
            for row in connection.execute(
                "SELECT term FROM temp.words WHERE term >= ? AND term < ? LIMIT ?",
                (start, start + "\U0010ffff", MAX_SPELLED_OUT + 1),
            )
        ]
        if not words or len(words) > MAX_SPELLED_OUT:
            return prefix[0]
        return "(" + " OR ".join(f'"{word}"' for word in words) + ")"

    return _PREFIX.sub(spelled_out, match)

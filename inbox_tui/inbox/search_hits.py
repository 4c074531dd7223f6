"""The results of a search: the threads found, each with a snippet of the row that matched.

Read only for the rows listed, once the walks of `search.py` have chosen them.
"""

from __future__ import annotations

import json
import sqlite3
from dataclasses import dataclass
from datetime import datetime

from inbox_tui.inbox.rows import CachedThread
from inbox_tui.inbox.search_index import MATCH_CLOSE, MATCH_OPEN


@dataclass(frozen=True)
class Hit:
    thread: CachedThread
    """The thread as the cache holds it: a row the list can show."""
    message_id: str | None
    marked_snippet: str
    """What matched in context, each matched word between MATCH_OPEN and MATCH_CLOSE."""
    created: str

    @property
    def when(self) -> datetime:
        """The time the results are ordered by: the matched message's, or the thread's last activity."""
        return datetime.fromisoformat(self.created) if self.message_id else self.thread.UpdatedUtc

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


@dataclass(frozen=True)
class Found:
    """The newest row of a thread that matched, and how: which index, with which expression."""

    rank: int
    """Its place in time: a message's key, or for a thread its last activity on the keys' scale."""
    key: int
    thread_id: str
    index: str
    match: str | None


_CHOSEN = "+{0}.rowid IN (SELECT value FROM json_each(?))"
_SNIPPETS = {
    ("search_messages", True): (
        "SELECT search_messages.rowid, m.id, snippet(search_messages, 0, char(2), char(3), '…', 12), "
        "m.created_utc FROM search_messages JOIN messages AS m ON m.key = search_messages.rowid "
        "WHERE search_messages MATCH ? AND search_messages.rowid BETWEEN ? AND ? AND "
        + _CHOSEN.format("search_messages")
    ),
    ("search_messages", False): (
        "SELECT key, id, substr(text, 1, 80), created_utc FROM messages "
        "WHERE key IN (SELECT value FROM json_each(?))"
    ),
    ("search_threads", True): (
        "SELECT search_threads.rowid, NULL, snippet(search_threads, 0, char(2), char(3), '…', 12), "
        "t.created_utc FROM search_threads JOIN threads AS t ON t.key = search_threads.rowid "
        "WHERE search_threads MATCH ? AND search_threads.rowid BETWEEN ? AND ? AND "
        + _CHOSEN.format("search_threads")
    ),
    ("search_threads", False): (
        "SELECT key, NULL, subject, created_utc FROM threads WHERE key IN (SELECT value FROM json_each(?))"
    ),
}
"""The snippets of the rows found, by index and whether words were matched (char(2) and char(3)
are MATCH_OPEN and MATCH_CLOSE); a thread's is its subject, words marked where they matched
there (its sender has a column of its own beside it). Those of one expression come from one
walk of its index over the keys found (`+`: the keys are a test of each row the walk meets,
not a lookup each): a lookup of each key would read the word's whole list of rows again for each."""


def hits(connection: sqlite3.Connection, newest: list[Found]) -> list[Hit]:
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
            (json.dumps([row.thread_id for row in newest]),),
        )
    }
    groups: dict[tuple[str, str | None], list[int]] = {}
    for row in newest:
        groups.setdefault((row.index, row.match), []).append(row.key)
    snippets: dict[tuple[str, int], tuple[str | None, str, str]] = {}
    for (index, match), keys in groups.items():
        chosen = json.dumps(keys)
        values = (match, min(keys), max(keys), chosen) if match is not None else (chosen,)
        for key, message_id, snippet, created in connection.execute(
            _SNIPPETS[index, match is not None], values
        ):
            snippets[index, key] = (message_id, snippet, created)
    return [
        Hit(threads[row.thread_id], *snippets[row.index, row.key])
        for row in newest
        if row.thread_id in threads and (row.index, row.key) in snippets
    ]

"""ThreadCache: what the platform said in earlier sessions, in SQLite, for an instant start.

One database per platform address and access token, named after a salted hash
of both: the token itself is never written, and two tokens never share rows.
WAL mode, so a second inbox on the same cache reads while the first writes, and
a process killed in the middle of a write loses nothing already committed.
Writes are queued and committed in batches by a thread of their own, never on
the UI's. A database that cannot be used (an old schema, locked, corrupt or
truncated) is moved aside and rebuilt, with one warning; the inbox then simply
starts from the network, as it would without a cache.

Only the standard library here: the first frame is painted from this module
before pydantic or httpx are imported.
"""

from __future__ import annotations

import contextlib
import json
import queue
import sqlite3
import threading
from collections.abc import Callable, Iterable, Iterator, Sequence
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

from inbox_tui.inbox.cache_files import connect_privately, database_path, salted_hash, set_aside
from inbox_tui.inbox.cache_schema import (
    ADD_MESSAGE,
    ADD_MESSAGE_IF_NEW,
    MESSAGE_IDS_OF_THREAD,
    SET_CONVERSATION,
    UPSERT_THREAD,
    UnusableCache,
    message_row,
    prepare,
    thread_rows,
    upgrade,
)
from inbox_tui.inbox.rows import CachedMessage, CachedSender, CachedThread, MessageRow, ThreadRow
from inbox_tui.inbox.search_index import build_index, has_index
from inbox_tui.locations import private_dir

if TYPE_CHECKING:
    from inbox_tui.api.models import Message
    from inbox_tui.api.walk import WalkState

_STOP = object()
Job = Callable[[sqlite3.Connection], None]


class ThreadCache:
    """The cache of one platform and token. `warnings` says what was wrong with it, if anything."""

    def __init__(self, path: Path, platform_url: str, token_hash: str) -> None:
        self.path = path
        self._platform_url = platform_url
        self._token_hash = token_hash
        self.warnings: list[str] = []
        self.write_error: str | None = None
        self._queue: queue.SimpleQueue[Any] = queue.SimpleQueue()
        self._writer: threading.Thread | None = None
        self._reading = threading.Lock()
        self._reader = self._open_reader()
        self._is_closed = False

    @classmethod
    def open(cls, directory: Path, platform_url: str, access_token: str) -> ThreadCache:
        notice = private_dir(directory)
        path = database_path(directory, platform_url, access_token)
        cache = cls(path, platform_url, salted_hash(directory, access_token))
        cache.warnings[:0] = filter(None, [notice])
        return cache

    def _open_reader(self) -> sqlite3.Connection:
        try:
            return self._checked_connection()
        except (sqlite3.Error, UnusableCache) as exc:
            reason = exc if isinstance(exc, UnusableCache) else f"it could not be read ({exc})"
            self._move_aside(str(reason))
            return self._checked_connection()

    def _checked_connection(self) -> sqlite3.Connection:
        connection = connect_privately(self.path)
        try:
            is_old = prepare(connection, {"platform_url": self._platform_url, "token_hash": self._token_hash})
            connection.execute("SELECT id FROM threads ORDER BY created_utc DESC, id DESC LIMIT 1").fetchone()
            self.has_search = not is_old and has_index(connection)
            self.is_indexing = not self.has_search
            if is_old:
                self._submit(upgrade)
            if self.is_indexing:
                self._submit(self._build_search_index)
        except BaseException:
            connection.close()
            raise
        return connection

    def _build_search_index(self, connection: sqlite3.Connection) -> None:
        """On the writer's thread: a large cache takes a while to index, and the first frame,
        or a command that needs no search, does not wait for it."""
        self.has_search = build_index(connection)
        self.is_indexing = False

    def _move_aside(self, reason: str) -> None:
        aside = set_aside(self.path)
        self.warnings.append(f"The local cache was set aside and rebuilt: {reason}. It is kept at {aside}.")

    # Reading, on the caller's thread (the first frame needs the threads before anything else
    # runs) or on a worker's (a remembered conversation, read when the highlight settles).

    def _query(self, sql: str, parameters: tuple[object, ...] = ()) -> list[tuple[Any, ...]] | None:
        """The rows of `sql`, one reader at a time; None when the database is damaged or closed."""
        with self._reading:
            if self._is_closed:
                return None
            try:
                return self._reader.execute(sql, parameters).fetchall()
            except sqlite3.Error as exc:
                self._recover(exc)
                return None

    @contextlib.contextmanager
    def reading(self) -> Iterator[sqlite3.Connection]:
        """The reader, to itself for a while (search runs its own queries)."""
        with self._reading:
            yield self._reader

    def read_threads(self, offset: int = 0, limit: int = -1) -> list[CachedThread]:
        """Cached threads, newest first, from `offset`."""
        rows = self._query(
            "SELECT id, original_sender, subject, created_utc, updated_utc, is_resolved FROM threads "
            "ORDER BY created_utc DESC, id DESC LIMIT ? OFFSET ?",
            (limit, offset),
        )
        parse = datetime.fromisoformat
        return [
            CachedThread(
                row[0], row[1], row[2], parse(row[3]), parse(row[4]), None if row[5] is None else bool(row[5])
            )
            for row in rows or ()
        ]

    def walk_state(self) -> WalkState | None:
        """Where the history walk stood after the last thread cached, to continue from there."""
        data = self.meta("walk")
        from inbox_tui.api.walk import WalkState

        return WalkState.from_json(data) if data else None

    def meta(self, key: str) -> Any:
        """A JSON value kept beside the threads (where a walk or a watch stopped), or None."""
        rows = self._query("SELECT value FROM meta WHERE key = ?", (key,))
        return json.loads(rows[0][0]) if rows else None

    def save_meta(self, key: str, value: Any) -> None:
        text = json.dumps(value)
        self._submit(
            lambda connection: connection.execute("INSERT OR REPLACE INTO meta VALUES (?, ?)", (key, text))
        )

    def ids_starting_with(self, prefix: str, limit: int = 2) -> list[str]:
        """Cached thread Ids that start with `prefix` (as typed, any case), at most `limit`."""
        low = prefix.lower()
        rows = self._query(
            "SELECT id FROM threads WHERE id >= ? AND id < ? ORDER BY id LIMIT ?",
            (low, low + "\uffff", limit),
        )
        return [row[0] for row in rows or ()]

    def read_conversation(self, thread_id: str) -> tuple[list[CachedMessage], bool] | None:
        """A thread's cached messages, oldest first, and whether they are all of them."""
        state = self._query("SELECT is_complete FROM conversations WHERE thread_id = ?", (thread_id,))
        if not state:
            return None
        rows = self._query(
            "SELECT id, text, sender, created_utc FROM messages WHERE thread_id = ? ORDER BY created_utc, id",
            (thread_id,),
        )
        parse = datetime.fromisoformat
        messages = [
            CachedMessage(row[0], thread_id, row[1], CachedSender(row[2]), parse(row[3]))
            for row in rows or ()
        ]
        return messages, bool(state[0][0])

    def _recover(self, exc: sqlite3.Error) -> None:
        self._reader.close()
        self._move_aside(f"it could not be read ({exc})")
        self._reader = self._checked_connection()

    # Writing, queued for the writer thread

    def save_page(self, threads: Sequence[ThreadRow], walk: WalkState | None) -> None:
        """Threads from the history walk, and where the walk now stands."""
        self._save_walked(threads, walk, is_all=False)

    def save_threads(self, threads: Iterable[ThreadRow]) -> None:
        """New or changed threads, anywhere in the history already walked."""
        rows = thread_rows(threads)
        self._submit(lambda connection: connection.executemany(UPSERT_THREAD, rows))

    def save_conversation(self, thread_id: str, messages: Sequence[MessageRow], is_complete: bool) -> None:
        """What is held of a thread's conversation. The newest page of one the cache holds more of
        (the mirror's) is added to it, as long as the two meet; otherwise it replaces it."""
        rows = [message_row(m, thread_id) for m in messages]
        ids = {m.Id for m in messages}

        def job(connection: sqlite3.Connection) -> None:
            held = {row[0] for row in connection.execute(MESSAGE_IDS_OF_THREAD, (thread_id,))}
            if is_complete or held.isdisjoint(ids):
                connection.execute("DELETE FROM messages WHERE thread_id = ?", (thread_id,))
                connection.execute(SET_CONVERSATION, (thread_id, int(is_complete)))
            else:  # what the cache held before stays, complete or not
                connection.execute("INSERT OR IGNORE INTO conversations VALUES (?, 0)", (thread_id,))
            connection.executemany(ADD_MESSAGE, rows)

        self._submit(job)

    def add_messages(self, messages: Sequence[Message]) -> None:
        """New messages of threads whose conversations may be held: added, the rest kept as it is."""
        rows = [message_row(m, m.MessageThreadId) for m in messages]
        self._submit(lambda connection: connection.executemany(ADD_MESSAGE_IF_NEW, rows))

    def mark_complete(self, thread_ids: Sequence[str]) -> None:
        """Threads whose every message the cache now holds (the mirror read them all)."""
        rows = [(thread_id, 1) for thread_id in thread_ids]
        self._submit(lambda connection: connection.executemany(SET_CONVERSATION, rows))

    def forget_threads(self, thread_ids: Iterable[str]) -> None:
        """Threads the platform no longer returns."""
        ids = [(thread_id,) for thread_id in thread_ids]
        self._submit(lambda connection: connection.executemany("DELETE FROM threads WHERE id = ?", ids))

    def replace_all(self, threads: Sequence[ThreadRow], walk: WalkState | None) -> None:
        """A full refresh: the cache holds exactly what the list now holds."""
        self._save_walked(threads, walk, is_all=True)

    def _save_walked(self, threads: Sequence[ThreadRow], walk: WalkState | None, *, is_all: bool) -> None:
        rows = thread_rows(threads)
        walk_json = json.dumps(walk.to_json() if walk else None)

        def job(connection: sqlite3.Connection) -> None:
            if is_all:
                connection.execute("DELETE FROM threads")
            connection.executemany(UPSERT_THREAD, rows)
            connection.execute("INSERT OR REPLACE INTO meta VALUES ('walk', ?)", (walk_json,))

        self._submit(job)

    def _submit(self, job: Job) -> None:
        if self._writer is None:
            self._writer = threading.Thread(target=self._write_loop, name="cache-writer", daemon=True)
            self._writer.start()
        self._queue.put(job)

    def _write_loop(self) -> None:
        connection = connect_privately(self.path)
        try:
            while True:
                jobs = [self._queue.get()]
                while not self._queue.empty():
                    jobs.append(self._queue.get())
                try:
                    connection.execute("BEGIN IMMEDIATE")
                    for job in jobs:
                        if callable(job):
                            job(connection)
                    connection.execute("COMMIT")
                except sqlite3.Error as exc:
                    # The inbox goes on from the network; the cache is only a head start.
                    self.write_error = str(exc)
                    with contextlib.suppress(sqlite3.Error):
                        connection.execute("ROLLBACK")
                for job in jobs:
                    if isinstance(job, threading.Event):
                        job.set()  # flushed: what came before it is committed
                if _STOP in jobs:
                    return
        finally:
            connection.close()

    def flush(self) -> None:
        """Wait until everything queued so far is committed."""
        if self._writer is None:
            return
        done = threading.Event()
        self._queue.put(done)
        done.wait(timeout=10)

    def close(self) -> None:
        if self._writer is not None:
            self._queue.put(_STOP)
            self._writer.join(timeout=10)
            self._writer = None
        # Never in a worker's read; one that comes later (as the inbox quits) sets nothing aside.
        with self._reading:
            self._reader.close()
            self._is_closed = True

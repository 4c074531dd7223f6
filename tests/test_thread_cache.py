"""ThreadCache: salted per platform and token, recovered when damaged, safe across processes."""

from __future__ import annotations

import sqlite3
import subprocess
import sys
import textwrap
from datetime import timedelta
from pathlib import Path

import pytest

from inbox_tui.api.walk import WalkState
from inbox_tui.inbox import cache_files
from inbox_tui.inbox.cache_files import clear, database_path
from inbox_tui.inbox.cache_schema import SCHEMA_VERSION
from inbox_tui.inbox.rows import CachedMessage, CachedSender, CachedThread
from inbox_tui.inbox.thread_cache import ThreadCache
from tests.conftest import FROZEN_NOW

TOKEN = "C66EF7B239D24632943D115EDE9CB810-EA00F8FD8294692C940F6B5A8F9453D"
URL = "https://api.mews-demo.com"
WALK = WalkState(FROZEN_NOW, "abc", window_had_threads=True, empty_windows=0, is_exhausted=False)


def threads(count: int, start: int = 0) -> list[CachedThread]:
    return [
        CachedThread(
            f"00000000-0000-4000-8000-{index:012d}",
            f"Guest {index}",
            f"Subject {index}",
            FROZEN_NOW - timedelta(minutes=index),
            FROZEN_NOW - timedelta(minutes=index) + timedelta(seconds=30),
            None if index % 3 == 0 else bool(index % 2),
        )
        for index in range(start, start + count)
    ]


def filled(directory: Path, count: int = 50) -> ThreadCache:
    cache = ThreadCache.open(directory, URL, TOKEN)
    cache.save_page(threads(count), WALK)
    cache.flush()
    return cache


def test_threads_and_the_walk_come_back_newest_first(tmp_path: Path) -> None:
    filled(tmp_path).close()
    cache = ThreadCache.open(tmp_path, URL, TOKEN)
    assert cache.read_threads() == threads(50)
    assert cache.read_threads(10, 5) == threads(5, start=10)
    assert cache.walk_state() == WALK
    assert cache.warnings == []
    cache.close()


def test_a_read_racing_the_close_leaves_the_cache_in_place(tmp_path: Path) -> None:
    """A worker's read as the inbox quits (a conversation, the mirror's waiting threads) found the
    reader closed, took it for damage and set the whole cache aside: marks and mirror lost."""
    import threading

    cache = filled(tmp_path)
    stop = threading.Event()

    def read_until_stopped() -> None:
        while not stop.is_set():
            cache.meta("walk")

    reader = threading.Thread(target=read_until_stopped)
    reader.start()
    cache.close()
    stop.set()
    reader.join()
    assert cache.meta("walk") is None and cache.read_threads() == []  # closed: nothing read
    assert cache.warnings == []
    assert [path.name for path in tmp_path.iterdir() if "unusable" in path.name] == []
    again = ThreadCache.open(tmp_path, URL, TOKEN)
    assert again.read_threads() == threads(50) and again.warnings == []
    again.close()


def test_each_platform_and_token_has_a_database_of_its_own(tmp_path: Path) -> None:
    paths = {
        database_path(tmp_path, URL, TOKEN),
        database_path(tmp_path, URL, "another token"),
        database_path(tmp_path, "https://api.mews.com", TOKEN),
    }
    assert len(paths) == 3
    assert database_path(tmp_path, URL, TOKEN) == database_path(tmp_path, URL, TOKEN)


def test_the_token_never_reaches_the_disk(tmp_path: Path) -> None:
    filled(tmp_path).close()
    written = list(tmp_path.iterdir())
    assert database_path(tmp_path, URL, TOKEN) in written and (tmp_path / "salt") in written
    for path in written:
        content = path.read_bytes()
        assert TOKEN.encode() not in content and TOKEN[:16].encode() not in content
        assert TOKEN not in path.name


def test_the_salt_makes_the_names_differ_between_machines(tmp_path: Path) -> None:
    assert database_path(tmp_path / "a", URL, TOKEN).name != database_path(tmp_path / "b", URL, TOKEN).name
    assert (tmp_path / "a" / "salt").stat().st_mode & 0o777 == 0o600


def test_a_corrupt_database_is_set_aside_and_rebuilt_with_one_warning(tmp_path: Path) -> None:
    path = database_path(tmp_path, URL, TOKEN)
    path.write_bytes(b"this is not a database at all" * 100)
    cache = ThreadCache.open(tmp_path, URL, TOKEN)
    assert len(cache.warnings) == 1 and "set aside" in cache.warnings[0]
    assert cache.read_threads() == []
    assert list(tmp_path.glob("*.unusable-*"))
    cache.close()


def test_a_truncated_database_is_set_aside_and_rebuilt(tmp_path: Path) -> None:
    filled(tmp_path, count=3000).close()
    path = database_path(tmp_path, URL, TOKEN)
    with sqlite3.connect(path) as connection:
        connection.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    data = path.read_bytes()
    path.write_bytes(data[: len(data) // 3])
    cache = ThreadCache.open(tmp_path, URL, TOKEN)
    assert cache.read_threads() == []
    assert len(cache.warnings) == 1 and "malformed" in cache.warnings[0]
    cache.save_page(threads(3), None)
    cache.flush()
    assert cache.read_threads() == threads(3)
    cache.close()


def test_an_old_schema_is_set_aside(tmp_path: Path) -> None:
    path = database_path(tmp_path, URL, TOKEN)
    with sqlite3.connect(path) as connection:
        connection.execute(f"PRAGMA user_version = {SCHEMA_VERSION + 7}")
    cache = ThreadCache.open(tmp_path, URL, TOKEN)
    assert "another version" in cache.warnings[0]
    assert cache.read_threads() == []
    cache.close()


def test_a_locked_database_is_set_aside(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(cache_files, "BUSY_TIMEOUT_MS", 50)
    path = database_path(tmp_path, URL, TOKEN)
    holder = sqlite3.connect(path, isolation_level=None)
    holder.execute("CREATE TABLE t (x)")
    holder.execute("BEGIN EXCLUSIVE")
    try:
        cache = ThreadCache.open(tmp_path, URL, TOKEN)
        assert len(cache.warnings) == 1
        cache.save_page(threads(2), None)
        cache.flush()
        assert cache.read_threads() == threads(2)
        cache.close()
    finally:
        holder.close()


def test_writes_happen_off_the_callers_thread(tmp_path: Path) -> None:
    cache = ThreadCache.open(tmp_path, URL, TOKEN)
    cache.save_threads(threads(5))
    assert cache._writer is not None and cache._writer.is_alive()  # noqa: SLF001
    cache.flush()
    assert len(cache.read_threads()) == 5
    cache.close()


def test_forgetting_and_replacing(tmp_path: Path) -> None:
    cache = filled(tmp_path, count=10)
    cache.forget_threads([threads(1)[0].Id])
    cache.flush()
    assert cache.read_threads() == threads(9, start=1)
    cache.replace_all(threads(2, start=20), None)
    cache.flush()
    assert cache.read_threads() == threads(2, start=20)
    assert cache.walk_state() is None
    cache.close()


def conversation(thread_id: str, first: int, last: int) -> list[CachedMessage]:
    return [
        CachedMessage(
            f"m{n:04d}",
            thread_id,
            f"message {n}",
            CachedSender("Enterprise"),
            FROZEN_NOW + timedelta(minutes=n),
        )
        for n in range(first, last)
    ]


def test_the_newest_page_of_a_mirrored_conversation_keeps_the_older_messages(tmp_path: Path) -> None:
    cache = filled(tmp_path, count=1)
    thread_id = threads(1)[0].Id
    cache.save_conversation(thread_id, conversation(thread_id, 0, 120), is_complete=True)
    cache.save_conversation(thread_id, conversation(thread_id, 70, 121), is_complete=False)  # opened
    cache.flush()
    assert cache.read_conversation(thread_id) == (conversation(thread_id, 0, 121), True)
    cache.save_conversation(thread_id, conversation(thread_id, 500, 550), is_complete=False)  # a gap
    cache.flush()
    assert cache.read_conversation(thread_id) == (conversation(thread_id, 500, 550), False)
    cache.close()


WRITER = textwrap.dedent(
    """
    import sys
    from pathlib import Path
    from tests.test_thread_cache import ThreadCache, threads, URL, TOKEN
    cache = ThreadCache.open(Path(sys.argv[1]), URL, TOKEN)
    offset = int(sys.argv[2])
    for batch in range(10_000):
        cache.save_threads(threads(20, start=offset + batch * 20))
        cache.flush()
        print(offset + batch * 20 + 20, flush=True)
    """
)


def start_writer(directory: Path, offset: int) -> subprocess.Popen[str]:
    return subprocess.Popen(
        [sys.executable, "-c", WRITER, str(directory), str(offset)],
        stdout=subprocess.PIPE,
        text=True,
        cwd=Path(__file__).resolve().parent.parent,
    )


def test_a_kill_in_the_middle_of_writing_loses_nothing_committed(tmp_path: Path) -> None:
    writer = start_writer(tmp_path, 0)
    assert writer.stdout is not None
    committed = 0
    while committed < 400:
        committed = int(writer.stdout.readline())
    writer.kill()  # SIGKILL, mid-stream
    writer.wait()
    cache = ThreadCache.open(tmp_path, URL, TOKEN)
    assert cache.warnings == []
    assert len(cache.read_threads()) >= committed
    cache.close()
    with sqlite3.connect(database_path(tmp_path, URL, TOKEN)) as connection:
        assert connection.execute("PRAGMA integrity_check").fetchone()[0] == "ok"


def test_two_processes_on_one_cache_do_not_corrupt_it(tmp_path: Path) -> None:
    ThreadCache.open(tmp_path, URL, TOKEN).close()
    writers = [start_writer(tmp_path, 0), start_writer(tmp_path, 1_000_000)]
    # Both write at once until each has committed some rows: a fixed sleep was shorter than a
    # slow machine's start of the second writer, which then had written nothing.
    for writer in writers:
        assert writer.stdout is not None
        for _ in range(5):  # each line is a batch committed
            assert writer.stdout.readline(), "a writer stopped"
    for writer in writers:
        writer.kill()
        writer.wait()
    with sqlite3.connect(database_path(tmp_path, URL, TOKEN)) as connection:
        assert connection.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
        ids = [row[0] for row in connection.execute("SELECT id FROM threads")]
    assert any(i.endswith("000000000000") for i in ids)
    assert any(int(i[-12:]) >= 1_000_000 for i in ids)


def test_clear_removes_every_database(tmp_path: Path) -> None:
    filled(tmp_path).close()
    assert len(clear(tmp_path)) >= 1
    assert not list(tmp_path.glob("inbox-*"))

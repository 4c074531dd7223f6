"""Search: the query language, the FTS5 index kept in step with the cache, sync and the command."""

from __future__ import annotations

import sqlite3
from datetime import timedelta
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from inbox_tui.inbox.cache_files import database_path
from inbox_tui.inbox.cache_schema import SCHEMA_VERSION
from inbox_tui.inbox.rows import CachedMessage, CachedSender, CachedThread
from inbox_tui.inbox.search import search
from inbox_tui.inbox.search_query import Query, QueryError, parse
from inbox_tui.inbox.thread_cache import ThreadCache
from inbox_tui.simulator.app import Simulator
from tests.conftest import FROZEN_NOW, assert_index_in_step

URL = "http://simulator.test"


def message(message_id: str, thread_id: str, text: str, sender: str, minutes: int = 0) -> CachedMessage:
    return CachedMessage(
        message_id, thread_id, text, CachedSender(sender), FROZEN_NOW + timedelta(minutes=minutes)
    )


@pytest.fixture
def cache(tmp_path: Path) -> ThreadCache:
    cache = ThreadCache.open(tmp_path, URL, "token")
    cache.save_threads(
        [
            CachedThread("t-van", "Zoë Müller", "Parking for a van", FROZEN_NOW, FROZEN_NOW),
            CachedThread(
                "t-tax", "Ann Lee", "Invoice and city tax", FROZEN_NOW - timedelta(days=40), FROZEN_NOW
            ),
        ]
    )
    cache.save_conversation(
        "t-van",
        [
            message("m1", "t-van", "Is there parking nearby for a van?", "Application"),
            message("m2", "t-van", "Parking costs 25 EUR per night.", "Enterprise", 5),
        ],
        is_complete=True,
    )
    cache.save_conversation(
        "t-tax", [message("m3", "t-tax", "Breakfast is included; the city tax is not.", "Enterprise")], True
    )
    cache.flush()
    return cache


def found(cache: ThreadCache, query: str) -> list[str]:
    with cache.reading() as connection:
        return [hit.thread_id for hit in search(connection, query, now=FROZEN_NOW)]


@pytest.mark.parametrize(
    ("query", "threads"),
    [
        ("parking van", ["t-van"]),
        ('"city tax"', ["t-tax"]),
        ("park*", ["t-van"]),
        ("PARK* -cost*", ["t-van"]),  # spelled out from the index's words, folded as it folds
        ("subject:inv*", ["t-tax"]),
        ("parking -costs", ["t-van"]),  # the guest's message has no "costs"
        ("parking -van", []),  # a message carries its thread's subject, van and all
        ("tax -breakfast", ["t-tax"]),  # the thread's own row has no breakfast
        ("van OR invoice", ["t-van", "t-tax"]),
        ("from:muller", ["t-van"]),  # accents and case folded, as the / filter does
        ("subject:invoice breakfast", ["t-tax"]),
        ("text:invoice", []),
        ("by:staff parking", ["t-van"]),
        ("by:us tax", []),
        ("created:2026-10-01..2026-10-31", ["t-tax"]),
        ("updated:7d.. van", ["t-van"]),
        ("nothingmatches", []),
    ],
)
def test_the_query_language(cache: ThreadCache, query: str, threads: list[str]) -> None:
    assert found(cache, query) == threads


@pytest.mark.parametrize(
    ("query", "said"),
    [
        ("", "give a word"),
        ("OR van", "OR needs a word"),
        ("van OR", "OR needs a word"),
        ("-van", "cannot start with -word"),
        ("colour:red", "colour: is not a field"),
        ("by:robots", "by: takes staff or us"),
        ("is:read", "is: takes unread or waiting"),
        ("created:someday", "created:"),
    ],
)
def test_a_malformed_query_says_what_is_wrong(query: str, said: str) -> None:
    with pytest.raises(QueryError, match=said):
        parse(query, FROZEN_NOW)


@given(st.text(max_size=60))
def test_any_text_is_a_query_or_a_clear_message(text: str) -> None:
    try:
        query = parse(text, FROZEN_NOW)
    except QueryError:
        return
    assert isinstance(query, Query)


@settings(deadline=None)  # each example opens a cache of its own, whose writer makes the index
@given(st.text(max_size=40))
def test_nothing_typed_reaches_fts5_unquoted(tmp_path_factory: pytest.TempPathFactory, text: str) -> None:
    cache = ThreadCache.open(tmp_path_factory.mktemp("fts"), URL, "token")
    try:
        with cache.reading() as connection:
            search(connection, text, now=FROZEN_NOW)  # results, or a QueryError: never an SQL error
    except QueryError:
        pass
    finally:
        cache.close()


def test_is_unread_and_is_waiting_take_the_triage_marks(cache: ThreadCache) -> None:
    marked = {"unread": {"t-tax"}, "waiting": {"t-van"}}
    with cache.reading() as connection:
        unread = [hit.thread_id for hit in search(connection, "is:unread", now=FROZEN_NOW, marked=marked)]
        waiting = [
            hit.thread_id for hit in search(connection, "is:waiting parking", now=FROZEN_NOW, marked=marked)
        ]
        nothing = search(connection, "is:unread parking", now=FROZEN_NOW, marked=marked)
    assert unread == ["t-tax"] and waiting == ["t-van"] and nothing == []


def test_the_index_follows_every_write(cache: ThreadCache) -> None:
    cache.save_conversation(
        "t-van", [message("m9", "t-van", "A shuttle leaves at nine.", "Enterprise")], True
    )
    cache.flush()
    assert found(cache, "shuttle") == ["t-van"]
    assert found(cache, "costs") == []  # the replaced conversation left the index
    cache.forget_threads(["t-tax"])
    cache.flush()
    assert found(cache, "invoice") == []


def test_results_are_newest_first_by_the_message_however_they_were_written(cache: ThreadCache) -> None:
    threads = [CachedThread(f"t{n}", "Guest", f"Stay {n}", FROZEN_NOW, FROZEN_NOW) for n in range(4)]
    cache.save_threads(threads)
    for n, minutes in enumerate([30, -600, 5, 30]):  # written in no order, two in the same second
        cache.save_conversation(
            f"t{n}", [message(f"k{n}", f"t{n}", "kayak rental", "Enterprise", minutes)], True
        )
    cache.flush()
    assert found(cache, "kayak") == ["t3", "t0", "t2", "t1"]


def test_a_result_is_as_old_as_what_ranks_it_a_message_or_the_threads_last_activity(
    cache: ThreadCache,
) -> None:
    with cache.reading() as connection:
        (by_message,) = search(connection, "costs", now=FROZEN_NOW)
        (by_thread,) = search(connection, "subject:invoice", now=FROZEN_NOW)
    assert by_message.when == FROZEN_NOW + timedelta(minutes=5)  # m2, not the thread's creation
    assert by_thread.message_id is None
    assert by_thread.when == FROZEN_NOW != by_thread.thread.CreatedUtc  # updated, not created 40 days ago


def test_a_thread_found_by_its_sender_keeps_its_subject_in_the_snippet(cache: ThreadCache) -> None:
    with cache.reading() as connection:
        (by_sender,) = search(connection, "from:muller", now=FROZEN_NOW)
        (by_subject,) = search(connection, "subject:van", now=FROZEN_NOW)
        by_date = search(connection, "created:30d..", now=FROZEN_NOW)
    assert by_sender.snippet() == "Parking for a van"  # the sender is in a column of its own
    assert by_subject.snippet() == "Parking for a [van]"
    assert [hit.snippet() for hit in by_date] == ["Parking for a van"]  # no words: the subject as it is


def test_an_index_of_an_older_version_is_made_again(tmp_path: Path, cache: ThreadCache) -> None:
    with cache.reading() as connection:
        connection.execute("UPDATE meta SET value = '1' WHERE key = 'search_index'")
    cache.close()
    reopened = ThreadCache.open(tmp_path, URL, "token")
    assert reopened.is_indexing and not reopened.has_search  # made by the writer, not at the start
    reopened.flush()
    assert reopened.has_search and found(reopened, "parking") == ["t-van"]
    reopened.close()


def test_the_index_holds_no_copy_of_the_text(cache: ThreadCache) -> None:
    """The index's size: the text is stored once, in the cache's tables, and a message is indexed
    without its thread's subject and sender (each would be most of the index again)."""
    with cache.reading() as connection:
        tables = {
            row[0] for row in connection.execute("SELECT name FROM sqlite_master WHERE name LIKE 'search%'")
        }
        columns = {
            index: [row[1] for row in connection.execute(f"PRAGMA table_info({index})")]
            for index in ("search_threads", "search_messages")
        }
    assert not {name for name in tables if name.endswith(("_content", "_docsize"))}
    assert columns == {"search_threads": ["subject", "original_sender"], "search_messages": ["text"]}


def test_a_changed_message_and_a_crowded_second_stay_in_step(cache: ThreadCache) -> None:
    crowd = [message(f"c{n}", "t-tax", f"crowd {n} gondola", "Enterprise", 60) for n in range(40)]
    cache.add_messages(crowd)  # 40 in one second: more than a second's keys, lent the next ones'
    a_second_later = CachedMessage(
        "next",
        "t-van",
        "A gondola too",
        CachedSender("Enterprise"),
        crowd[0].CreatedUtc + timedelta(seconds=1),
    )
    cache.add_messages([a_second_later])
    cache.save_conversation(
        "t-van", [message("m2", "t-van", "Parking is free for vans.", "Enterprise", 61)], False
    )
    cache.flush()
    with cache.reading() as connection:
        assert_index_in_step(connection)
        keys = [
            row[0] for row in connection.execute("SELECT key FROM messages WHERE id LIKE 'c%' ORDER BY key")
        ]
    assert len(set(keys)) == 40 and found(cache, "gondola") == ["t-van", "t-tax"]
    assert found(cache, "free") == ["t-van"] and found(cache, "costs") == []  # m2 re-indexed as it is now


OLD_SCHEMA = """
CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT NOT NULL) WITHOUT ROWID;
CREATE TABLE threads (id TEXT PRIMARY KEY, original_sender TEXT NOT NULL, subject TEXT NOT NULL,
    created_utc TEXT NOT NULL, updated_utc TEXT NOT NULL, is_resolved INTEGER) WITHOUT ROWID;
CREATE INDEX threads_newest_first ON threads (created_utc DESC, id DESC);
CREATE TABLE messages (id TEXT PRIMARY KEY, thread_id TEXT NOT NULL, text TEXT NOT NULL, sender TEXT NOT NULL,
    created_utc TEXT NOT NULL) WITHOUT ROWID;
CREATE INDEX messages_of_thread ON messages (thread_id, created_utc);
CREATE TABLE conversations (thread_id TEXT PRIMARY KEY, is_complete INTEGER NOT NULL) WITHOUT ROWID;
CREATE VIRTUAL TABLE search USING fts5(subject, sender, text, thread_id UNINDEXED);
CREATE TRIGGER search_thread_in AFTER INSERT ON threads BEGIN
    INSERT INTO search VALUES (new.subject, new.original_sender, '', new.id);
END;
INSERT INTO threads VALUES ('t-old', 'Ann Lee', 'Late arrival', '2026-11-01T10:00:00.000000Z',
    '2026-11-02T10:00:00.000000Z', NULL);
INSERT INTO threads VALUES ('t-new', 'Bo Chen', 'Cot for a baby', '2026-11-20T10:00:00.000000Z',
    '2026-11-20T10:00:00.000000Z', 0);
INSERT INTO messages VALUES ('m-old', 't-old', 'We land at midnight.', 'Application',
    '2026-11-01T10:00:00.000000Z');
INSERT INTO messages VALUES ('m-new', 't-new', 'A cot is ready in room 12.', 'Enterprise',
    '2026-11-20T11:00:00.000000Z');
INSERT INTO conversations VALUES ('t-old', 1);
INSERT INTO meta VALUES ('search_index', '2');
PRAGMA user_version = 1;
"""


def test_a_cache_of_the_shape_before_is_read_at_once_and_upgraded_by_the_writer(tmp_path: Path) -> None:
    with sqlite3.connect(database_path(tmp_path, URL, "token")) as connection:
        connection.executescript(OLD_SCHEMA)
    cache = ThreadCache.open(tmp_path, URL, "token")
    try:
        assert [thread.Id for thread in cache.read_threads()] == ["t-new", "t-old"]  # the first frame
        assert cache.warnings == [] and cache.is_indexing
        cache.flush()
        assert cache.has_search and found(cache, "midnight") == ["t-old"] and found(cache, "cot") == ["t-new"]
        assert [message.Id for message in cache.read_conversation("t-old")[0]] == ["m-old"]
        with cache.reading() as connection:
            assert connection.execute("PRAGMA user_version").fetchone()[0] == SCHEMA_VERSION
            assert_index_in_step(connection)
            keys = [row[0] for row in connection.execute("SELECT key FROM threads ORDER BY created_utc")]
        assert keys == sorted(keys)  # time order, which search's newest first walks
    finally:
        cache.close()


async def test_s_searches_the_mirror_escape_gives_the_list_back_and_failures_are_said(tmp_path: Path) -> None:
    from inbox_tui.tui.time_format import relative_age
    from inbox_tui.tui.widgets.thread_list import ThreadList
    from tests.conftest import make_app, settle

    simulator = Simulator.seeded(threads=120, seed=4, now=FROZEN_NOW)
    cache = ThreadCache.open(tmp_path, URL, "token")
    app = make_app(simulator, cache=cache)
    async with app.run_test(size=(120, 30)) as pilot:
        await settle(pilot)
        thread_list = app.screen.query_one(ThreadList)
        await pilot.press("down", "down")
        await settle(pilot)
        before = [row.Id for row in thread_list.threads]
        target = thread_list.threads[7]
        cache.save_conversation(
            target.Id, [message("z1", target.Id, "A zebra crossing is outside.", "Enterprise")], True
        )
        cache.flush()
        created_age = relative_age(target.CreatedUtc, FROZEN_NOW)
        assert thread_list.render_line(7).text.rstrip().endswith(f" {created_age}") and created_age != "now"
        await pilot.press("s", *"zebra", "enter")
        await settle(pilot)
        assert [row.Id for row in thread_list.threads] == [target.Id]
        assert "search: zebra · 1 result" in app.sub_title
        assert thread_list.render_line(0).text.rstrip().endswith(" now")  # the age of what matched
        await pilot.press("escape")
        await settle(pilot)
        assert [row.Id for row in thread_list.threads] == before
        assert thread_list.cursor == 2 and "search" not in app.sub_title
        await pilot.press("s", *"OR", "enter")
        await settle(pilot)
        assert any("OR needs a word" in str(n.message) for n in app._notifications)
        cache.close()  # as a profile switch does, or a disk that fails: said, and the inbox goes on
        await pilot.press("escape", "s", *"zebra", "enter")
        await settle(pilot)
        assert app.is_running
        assert any("could not be searched" in str(n.message) for n in app._notifications)


async def test_a_result_shows_its_snippet_and_opens_on_the_message_that_matched(tmp_path: Path) -> None:
    from inbox_tui.simulator.conversations import STAFF
    from inbox_tui.tui.widgets.conversation_view import ConversationView
    from inbox_tui.tui.widgets.thread_detail import ThreadDetail
    from inbox_tui.tui.widgets.thread_list import ThreadList
    from tests.conftest import make_app, settle

    simulator = Simulator.seeded(threads=40, seed=4, now=FROZEN_NOW)
    long = simulator.add_thread("Olivia Smith", "Long stay", FROZEN_NOW - timedelta(days=3))
    written = [
        simulator.messages.add(
            long,
            "We saw a zeppelin over the bay!" if index == 30 else f"Day {index}: all is well.",
            FROZEN_NOW - timedelta(days=3) + timedelta(minutes=index),
            sender=STAFF,
        )
        for index in range(120)
    ]
    cache = ThreadCache.open(tmp_path, URL, "token")
    app = make_app(simulator, cache=cache)
    async with app.run_test(size=(120, 30)) as pilot:
        await settle(pilot)
        cache.save_conversation(long.id, [as_cached(m, long.id) for m in written], is_complete=True)
        cache.flush()
        await pilot.press("s", *"zeppelin", "enter")
        await settle(pilot)
        thread_list = app.screen.query_one(ThreadList)
        assert [row.Id for row in thread_list.threads] == [long.id]
        assert (
            "saw a zeppelin over the bay" in thread_list.render_line(0).text
        )  # the snippet, not the subject
        detail = app.screen.query_one(ThreadDetail)
        view = detail.query_one(ConversationView)
        assert view.marked_line is not None
        assert len(app.conversations.held(long.id).messages) == 120  # the mirror's, with the newest page
        top = view.virtual_region.y + view.marked_line
        assert detail.scroll_y <= top <= detail.scroll_y + detail.size.height  # in view
        assert detail.scroll_y < detail.max_scroll_y  # not at the newest message
        await pilot.press("escape")
        await settle(pilot)
        assert detail.matches == {}


def as_cached(message: object, thread_id: str) -> CachedMessage:
    return CachedMessage(
        message.id,  # type: ignore[attr-defined]
        thread_id,
        message.text,  # type: ignore[attr-defined]
        CachedSender(message.sender),  # type: ignore[attr-defined]
        message.created,  # type: ignore[attr-defined]
    )

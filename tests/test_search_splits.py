"""Search against a plain reading of its own language, on random small caches.

The index holds a thread's subject and sender apart from its messages' texts, and search puts
them back together (a message matches as if its thread's subject and sender were its own).
Here every document is checked word by word instead, and both must list the same threads in
the same order: newest first by the newest message that matched, or by the thread's creation
when its subject and sender alone matched, by its last activity (the newest of its messages,
which all match with it then).
"""

from __future__ import annotations

import sqlite3
from dataclasses import dataclass
from datetime import datetime, timedelta
from unittest.mock import patch

from hypothesis import given, settings
from hypothesis import strategies as st

from inbox_tui.inbox import search as search_module
from inbox_tui.inbox.cache_schema import ADD_MESSAGE, UPSERT_THREAD, message_row, prepare, thread_rows
from inbox_tui.inbox.rows import CachedMessage, CachedSender, CachedThread
from inbox_tui.inbox.search import FEW_THREADS, MANY_THREADS, search
from inbox_tui.inbox.search_index import build_index
from tests.conftest import FROZEN_NOW

WORDS = ("ant", "bee", "cat", "dog", "eel")
FIELDS = ("", "subject:", "from:", "text:")


@dataclass(frozen=True)
class Document:
    thread_id: str
    seconds: int
    subject: frozenset[str]
    sender: frozenset[str]
    text: frozenset[str]
    sent_by: str | None = None
    """Who wrote a message; None for the thread's own row."""


words = st.lists(st.sampled_from(WORDS), min_size=1, max_size=3)
threads = st.lists(
    st.tuples(words, words, st.lists(words, max_size=3)),  # subject, sender, the messages' texts
    min_size=1,
    max_size=6,
)
terms = st.tuples(st.sampled_from(FIELDS), st.sampled_from(WORDS))
queries = st.tuples(
    st.lists(st.lists(terms, min_size=1, max_size=2), min_size=1, max_size=3),  # clauses of ORs
    st.lists(terms, max_size=2),  # -terms
    st.sampled_from(("", "staff", "us")),  # by:
)
BY = {"staff": "Enterprise", "us": "Application"}


def cache_of(
    data: list[tuple[list[str], list[str], list[list[str]]]],
) -> tuple[sqlite3.Connection, list[Document]]:
    connection = sqlite3.connect(":memory:", isolation_level=None)
    prepare(connection, {})
    connection.execute("BEGIN")
    build_index(connection)
    documents = []
    for number, (subject, sender, texts) in enumerate(data):
        thread_id = f"t{number}"
        # Every row in a second of its own; the later a thread was made, the earlier its messages.
        created = number * 600
        written = [(len(data) - number) * 600 + 300 + place for place in range(len(texts))]
        updated = max([created, *written])
        thread = CachedThread(thread_id, " ".join(sender), " ".join(subject), at(created), at(updated))
        connection.executemany(UPSERT_THREAD, thread_rows([thread]))
        documents.append(Document(thread_id, updated, frozenset(subject), frozenset(sender), frozenset()))
        for place, (text, seconds) in enumerate(zip(texts, written, strict=True)):
            sent_by = ("Enterprise", "Application")[seconds % 2]
            message = CachedMessage(
                f"m{number}-{place}", thread_id, " ".join(text), CachedSender(sent_by), at(seconds)
            )
            connection.execute(ADD_MESSAGE, message_row(message, thread_id))
            documents.append(
                Document(thread_id, seconds, frozenset(subject), frozenset(sender), frozenset(text), sent_by)
            )
    connection.execute("COMMIT")
    return connection, documents


def at(seconds: int) -> datetime:
    return FROZEN_NOW + timedelta(seconds=seconds)


def holds(document: Document, field: str, word: str) -> bool:
    where = {
        "": document.subject | document.sender | document.text,
        "subject:": document.subject,
        "from:": document.sender,
        "text:": document.text,
    }
    return word in where[field]


@settings(max_examples=150, deadline=None)
@given(threads, queries)
def test_search_lists_what_a_word_by_word_reading_finds(data, query) -> None:  # type: ignore[no-untyped-def]
    clauses, negated, by = query
    text = " ".join(
        [" OR ".join(f"{field}{word}" for field, word in clause) for clause in clauses]
        + [f"-{field}{word}" for field, word in negated]
        + [f"by:{by}"] * bool(by)
    )
    connection, documents = cache_of(data)
    newest: dict[str, int] = {}
    for document in documents:
        if (
            all(any(holds(document, *term) for term in clause) for clause in clauses)
            and not any(holds(document, *term) for term in negated)
            and (not by or document.sent_by == BY[by])
        ):
            newest[document.thread_id] = max(document.seconds, newest.get(document.thread_id, -1))
    expected = sorted(newest, key=lambda thread_id: newest[thread_id], reverse=True)
    # Threads found by subject and sender sorted; walked to, rows tested against a list of them
    # all; walked to, rows tested a batch at a time.
    for few, many in ((FEW_THREADS, MANY_THREADS), (0, MANY_THREADS), (0, 0)):
        with patch.multiple(search_module, FEW_THREADS=few, MANY_THREADS=many, ROWS_TESTED_AT_ONCE=2):
            assert [hit.thread_id for hit in search(connection, text, now=FROZEN_NOW)] == expected, text

"""The words around a conversation, chosen from what is known (no Textual needed)."""

from __future__ import annotations

from inbox_tui.inbox.conversations import Conversation
from inbox_tui.inbox.rows import CachedMessage, CachedSender
from inbox_tui.tui.widgets.conversation_state import (
    CACHED,
    CONVERSATION_START,
    OLDER_HINT,
    OLDER_LOADING,
    load_failed_line,
    older_line,
    state_line,
)
from tests.conftest import FROZEN_NOW

KEYS = {"reply": "R", "switch_pane": "tab", "detail.reload": "r"}.__getitem__


def conversation(*, messages: int = 1, has_older: bool = False, is_cached: bool = False) -> Conversation:
    rows = [
        CachedMessage(f"m{n}", "t", "Hello", CachedSender("Enterprise"), FROZEN_NOW) for n in range(messages)
    ]
    return Conversation("t", rows, has_older=has_older, is_cached=is_cached)


def state(held: Conversation, *, pending: bool = False, draft: bool = False, reading: bool = False) -> str:
    return state_line(held, KEYS, reply_pending=pending, has_draft=draft, is_reading=reading)


def test_the_line_above_says_whether_older_messages_exist() -> None:
    assert older_line(conversation(has_older=True), is_loading_older=False) == OLDER_HINT
    assert older_line(conversation(has_older=True), is_loading_older=True) == OLDER_LOADING
    assert older_line(conversation(), is_loading_older=False) == CONVERSATION_START
    assert older_line(conversation(messages=0), is_loading_older=False) == ""


def test_the_line_under_says_cached_empty_drafted_or_how_to_read_on() -> None:
    assert state(conversation(is_cached=True), draft=True) == CACHED
    assert state(conversation(messages=0)).startswith("No messages in this thread yet. Press R")
    assert state(conversation(messages=0), pending=True) == "tab to read and scroll · R to reply"
    assert state(conversation(), draft=True) == "✎ You have an unsent reply here: press R to continue it."
    assert state(conversation(), reading=True) == ""


def test_a_failed_load_names_the_key_that_tries_again() -> None:
    assert load_failed_line("Timed out.", KEYS).endswith("Press r here to try again.")

"""The lines around a conversation: above it, whether older messages exist; under it, its state.

Plain functions of what is known, so that the pane only chooses when to say them.
"""

from __future__ import annotations

from collections.abc import Callable

from inbox_tui.inbox.conversations import Conversation

OLDER_HINT = "↑ older messages load as you scroll up"
OLDER_LOADING = "Loading older messages…"
CONVERSATION_START = "── start of the conversation ──"
LOADING = "Loading the conversation…"
CACHED = "From the local cache: checking for new messages…"


def older_line(conversation: Conversation, *, is_loading_older: bool) -> str:
    if conversation.has_older:
        return OLDER_LOADING if is_loading_older else OLDER_HINT
    return CONVERSATION_START if conversation.messages else ""


def state_line(
    conversation: Conversation,
    key_for: Callable[[str], str],
    *,
    reply_pending: bool,
    has_draft: bool,
    is_reading: bool,
) -> str:
    """Cached, empty, a draft waiting, or how to read on (not while the pane has the focus)."""
    reply = key_for("reply")
    if conversation.is_cached:
        return CACHED
    if not conversation.messages and not reply_pending:
        return f"No messages in this thread yet. Press {reply} to write the first one."
    if has_draft:
        return f"✎ You have an unsent reply here: press {reply} to continue it."
    return "" if is_reading else f"{key_for('switch_pane')} to read and scroll · {reply} to reply"


def load_failed_line(message: str, key_for: Callable[[str], str]) -> str:
    return (
        f"⚠ The conversation could not be loaded. {message}\n"
        f"Press {key_for('detail.reload')} here to try again."
    )

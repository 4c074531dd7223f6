"""ThreadDetail: the highlighted thread's fields, its conversation, and the reply box.

The pane scrolls like a chat: it opens on the newest message, and scrolling up
past the top loads older ones without moving what is being read. Loads run in
workers, whose answers are drawn from the pane's queue (`call_later`): one for a thread
no longer shown is only cached, one landing as the app quits goes with the closing pane.
A reply shows at once as "sending…", and its text stays (in the box and in the
draft file) until the platform has confirmed it. The reply (`ReplyWorkflow`), the
older pages (`OlderMessages`) and the words around the conversation
(`conversation_state`) are decided elsewhere; this pane draws and routes.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import TYPE_CHECKING

from rich.text import Text
from textual import work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.message import Message as TextualMessage

from inbox_tui.api.errors import ApiError
from inbox_tui.inbox.conversations import Conversation, ConversationLoader
from inbox_tui.tui.inbox_services import InboxServices
from inbox_tui.tui.widgets.conversation_state import (
    LOADING,
    load_failed_line,
    older_line,
    state_line,
)
from inbox_tui.tui.widgets.conversation_view import ConversationView
from inbox_tui.tui.widgets.older_messages import OlderMessages
from inbox_tui.tui.widgets.reply_workflow import ReplyWorkflow
from inbox_tui.tui.widgets.text_line import TextLine
from inbox_tui.tui.widgets.thread_fields import thread_fields

if TYPE_CHECKING:
    from inbox_tui.api.models import Message, MessageThread
    from inbox_tui.tui.widgets.reply_box import ReplyBox

LAYOUT_SETTLES_AFTER = 0.05


class ThreadDetail(VerticalScroll, can_focus=True):
    """The right (or lower) pane."""

    BINDINGS = [
        Binding("enter", "reply", "Reply (in the conversation)", show=False, id="detail.reply"),
        Binding("r", "reload", "Reload the conversation (in it)", show=False, id="detail.reload"),
    ]

    app: InboxServices

    class ConversationShown(TextualMessage):
        """A conversation is on screen: whether its thread waits on us may now be known."""

        def __init__(self, conversation: Conversation) -> None:
            self.conversation = conversation
            super().__init__()

    class ReplySent(TextualMessage):
        """The platform confirmed a reply: the thread was updated at the message's time."""

        def __init__(self, message: Message) -> None:
            self.message = message
            super().__init__()

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self._thread: MessageThread | None = None
        self._replying = ReplyWorkflow(self)
        self._errors: dict[str, str] = {}
        self._opening: str | None = None
        self._older = OlderMessages(self)
        self.matches: Mapping[str, str] = {}
        """Thread Id → the message a search found in it: shown marked, and scrolled to."""

    def compose(self) -> ComposeResult:
        yield TextLine(id="thread-fields", hide_when_empty=False)
        yield TextLine(id="older-state")
        yield ConversationView(id="messages")
        yield TextLine(id="conversation-state")
        # The reply box (a TextArea, ≈ 13 ms to import) is made on the first R, not at start-up.

    def on_mount(self) -> None:
        # Anchored, the pane stays on the newest message while its content is laid out
        # and grows, until the reader scrolls away (Textual's anchor).
        self.anchor()

    @property
    def is_replying(self) -> bool:
        return self._replying.is_open

    @property
    def thread_id(self) -> str | None:
        return self._thread.Id if self._thread else None

    @property
    def _loader(self) -> ConversationLoader:
        return self.app.conversations

    # Showing a thread

    def show(self, thread: MessageThread | None) -> None:
        """Show `thread` at once: its fields, and its conversation if it is held."""
        if thread is not None and self._thread is not None and thread.Id == self._thread.Id:
            self._thread = thread
            self._show_fields()
            return
        self.workers.cancel_group(self, "conversation")
        self._replying.close_unless_for(thread)
        self._thread = thread
        self._older.is_loading = False
        self._show_fields()
        conversation = self._loader.held(thread.Id) if thread else None
        if conversation is not None:
            self.show_conversation(conversation, scroll_to_newest=True)
        else:
            self.query_one(ConversationView).clear()
            self.say_older("")
            if thread is None:
                self._say_state("")
            elif thread.Id in self._errors:
                self._say_error(self._errors[thread.Id])
            else:
                self._say_state(LOADING)

    def mark_found(self, matches: Mapping[str, str]) -> None:
        """What a search found (thread Id → message Id): shown marked and scrolled to from now on."""
        self.matches = matches
        if (conversation := self.held_conversation) is not None:
            self.show_conversation(conversation, scroll_to_newest=True)

    def forget(self) -> None:
        """Another profile: nothing shown, pending or drafted here belongs to it."""
        for group in ("conversation", "prefetch", "older"):
            self.workers.cancel_group(self, group)
        self._replying.forget()
        self._errors.clear()
        self._opening = None
        self.show(None)

    def load(self, neighbour_ids: Sequence[str]) -> None:
        """The highlight has settled: load its conversation if needed, and prefetch around it."""
        thread_id = self.thread_id
        if thread_id is not None and self._loader.needs_loading(thread_id) and thread_id != self._opening:
            self._open(thread_id)
        if neighbour_ids:
            self._prefetch(list(neighbour_ids))

    def as_plain_text(self) -> str:
        """The thread's fields and the conversation as loaded, for the clipboard."""
        if self._thread is None:
            return ""
        fields = thread_fields(self._thread).plain.rstrip()
        transcript = self.query_one(ConversationView).transcript.rstrip()
        return f"{fields}\n\n{transcript}\n" if transcript else f"{fields}\n"

    def _show_fields(self) -> None:
        fields = thread_fields(self._thread) if self._thread else Text("No thread selected.", style="dim")
        self.query_one("#thread-fields", TextLine).say(fields)

    def show_conversation(self, conversation: Conversation, *, scroll_to_newest: bool) -> None:
        self._errors.pop(conversation.thread_id, None)
        thread_id = conversation.thread_id
        self.query_one(ConversationView).show(
            conversation.messages,
            self._replying.pending.get(thread_id),
            self.app.now(),
            self.matches.get(thread_id),
        )
        self.say_older(older_line(conversation, is_loading_older=self._older.is_loading))
        self._show_state(conversation)
        self.post_message(self.ConversationShown(conversation))
        if scroll_to_newest:
            self.call_after_refresh(self._after_showing_newest)

    def _show_state(self, conversation: Conversation) -> None:
        thread_id = conversation.thread_id
        text = state_line(
            conversation,
            self.app.key_for,
            reply_pending=thread_id in self._replying.pending,
            has_draft=bool(self.app.reply_drafts.get(thread_id)) and not self.is_replying,
            is_reading=self.has_focus_within,
        )
        self._say_state(text)

    def _after_showing_newest(self) -> None:
        view = self.query_one(ConversationView)
        if view.marked_line is None:
            self.scroll_end(animate=False, immediate=True)
        else:  # the message a search found, a line of what came before it above it
            self.release_anchor()
            self.scroll_to(y=view.virtual_region.y + view.marked_line - 1, animate=False, immediate=True)
        self.set_timer(LAYOUT_SETTLES_AFTER, self._older.load_if_it_fits)

    def say_older(self, text: str) -> None:
        self.query_one("#older-state", TextLine).say(text)

    def _say_state(self, text: str, *, is_error: bool = False) -> None:
        self.query_one("#conversation-state", TextLine).say(text, is_error=is_error)

    def _say_error(self, message: str) -> None:
        self._say_state(load_failed_line(message, self.app.key_for), is_error=True)

    @property
    def held_conversation(self) -> Conversation | None:
        """The shown thread's conversation, if it is held."""
        return self._loader.cache.get(self.thread_id) if self.thread_id else None

    def _refresh_hint(self) -> None:
        # Only the line under the messages changes with the focus, not the messages.
        conversation = self.held_conversation
        if conversation is not None and self.is_mounted:
            self._show_state(conversation)

    # The focus coming or going changes the hint under the conversation.
    on_focus = on_blur = on_descendant_blur = _refresh_hint

    # Loading

    @work(group="conversation", exclusive=True)
    async def _open(self, thread_id: str) -> None:
        self._opening = thread_id
        try:
            remembered = await self._loader.remembered(thread_id)
            if remembered is not None and remembered.is_cached:
                self.call_later(self._draw_answer, thread_id, remembered)  # until the platform answers
            conversation = await self._loader.open(thread_id)
        except ApiError as error:
            self._errors[thread_id] = str(error)
            self.call_later(self._draw_answer, thread_id, None)
            return
        finally:
            if self._opening == thread_id:
                self._opening = None
        self.call_later(self._draw_answer, thread_id, conversation)

    @work(group="prefetch")
    async def _prefetch(self, thread_ids: list[str]) -> None:
        try:
            held = await self._loader.prefetch(thread_ids)
        except ApiError:
            return  # a prefetch is a bonus: the thread loads on its own when it is highlighted
        shown = self.thread_id
        conversation = self._loader.cache.get(shown) if shown is not None and shown in held else None
        if conversation is not None and conversation.thread_id not in self._errors:
            self.workers.cancel_group(self, "conversation")
            self.call_later(self._draw_answer, conversation.thread_id, conversation)

    def _draw_answer(self, thread_id: str, conversation: Conversation | None) -> None:
        """A worker's answer (None: the error it met), if its thread is still the one shown."""
        if thread_id == self.thread_id and conversation is not None:
            self.show_conversation(conversation, scroll_to_newest=True)
        elif thread_id == self.thread_id and thread_id in self._errors:
            self._say_error(self._errors[thread_id])

    def action_reload(self) -> None:
        thread_id = self.thread_id
        if thread_id is None:
            return
        self._errors.pop(thread_id, None)
        if not self._loader.needs_loading(thread_id):
            self._older.load_if_at_top()
            return
        self._say_state(LOADING)
        self._open(thread_id)

    def watch_scroll_y(self, old_value: float, new_value: float) -> None:
        super().watch_scroll_y(old_value, new_value)
        # Only a reader's scrolling: a new text shortening the pane also moves scroll_y.
        if new_value < old_value and (self.has_focus_within or self.is_mouse_over):
            self._older.load_if_at_top()

    # Replying

    async def action_reply(self) -> None:
        await self._replying.open(self._thread)
        self._say_state("")
        self.call_after_refresh(self.scroll_end, animate=False)

    def on_reply_box_changed(self, event: ReplyBox.Changed) -> None:
        self._replying.keep_draft(event.text)

    def on_reply_box_closed(self) -> None:
        self._replying.closed()

    def on_reply_box_send(self, event: ReplyBox.Send) -> None:
        self._replying.send(event.text)

    def redraw(self, thread_id: str) -> None:
        """The conversation again, with its pending reply, if `thread_id` is shown."""
        if thread_id != self.thread_id:
            return
        conversation = self._loader.cache.get(thread_id) or Conversation(thread_id, has_older=False)
        self.show_conversation(conversation, scroll_to_newest=True)

"""ThreadDetail: the highlighted thread's fields, its conversation, and the reply box.

The pane scrolls like a chat: it opens on the newest message, and scrolling up
past the top loads older ones without moving what is being read. Loads run in
workers; an answer for a thread no longer shown is kept in the cache, not drawn.
A reply shows at once as "sending…", and its text stays (in the box and in the
draft file) until the platform has confirmed it.
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
from textual.widgets import Static

from inbox_tui.api.errors import ApiError
from inbox_tui.inbox.conversations import Conversation, ConversationLoader
from inbox_tui.safe_text import printable
from inbox_tui.tui.inbox_services import InboxServices
from inbox_tui.tui.widgets.conversation_view import ConversationView
from inbox_tui.tui.widgets.reply_workflow import ReplyWorkflow
from inbox_tui.tui.widgets.thread_fields import thread_fields

if TYPE_CHECKING:
    from inbox_tui.api.models import Message, MessageThread
    from inbox_tui.tui.widgets.reply_box import ReplyBox

OLDER_HINT = "↑ older messages load as you scroll up"
OLDER_LOADING = "Loading older messages…"
CONVERSATION_START = "── start of the conversation ──"
LOADING = "Loading the conversation…"
CACHED = "From the local cache: checking for new messages…"
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
        self._shown_texts: dict[str | None, tuple[str, int, int]] = {}
        self._is_loading_older = False
        self.matches: Mapping[str, str] = {}
        """Thread Id → the message a search found in it: shown marked, and scrolled to."""

    def compose(self) -> ComposeResult:
        yield Static(id="thread-fields")
        yield Static(id="older-state")
        yield ConversationView(id="messages")
        yield Static(id="conversation-state")
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
        self._is_loading_older = False
        self._show_fields()
        conversation = self._loader.held(thread.Id) if thread else None
        if conversation is not None:
            self._show_conversation(conversation, scroll_to_newest=True)
        else:
            self.query_one(ConversationView).clear()
            self._say_older("")
            if thread is None:
                self._say_state("")
            elif thread.Id in self._errors:
                self._say_error(self._errors[thread.Id])
            else:
                self._say_state(LOADING)

    def mark_found(self, matches: Mapping[str, str]) -> None:
        """What a search found (thread Id → message Id): shown marked and scrolled to from now on."""
        self.matches = matches
        if (conversation := self._conversation) is not None:
            self._show_conversation(conversation, scroll_to_newest=True)

    def forget(self) -> None:
        """Another profile: nothing shown, pending or drafted here belongs to it."""
        for group in ("conversation", "prefetch", "older"):
            self.workers.cancel_group(self, group)
        self._replying.forget()
        self._errors.clear()
        self._opening = None
        self._is_loading_older = False
        self._thread = None
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
        fields = self.query_one("#thread-fields", Static)
        if self._thread is None:
            self._set_text(fields, Text("No thread selected.", style="dim"))
            return
        self._set_text(fields, thread_fields(self._thread))

    def _show_conversation(self, conversation: Conversation, *, scroll_to_newest: bool) -> None:
        self._errors.pop(conversation.thread_id, None)
        thread_id = conversation.thread_id
        self.query_one(ConversationView).show(
            conversation.messages,
            self._replying.pending.get(thread_id),
            self.app.now(),
            self.matches.get(thread_id),
        )
        if conversation.has_older:
            self._say_older(OLDER_LOADING if self._is_loading_older else OLDER_HINT)
        else:
            self._say_older(CONVERSATION_START if conversation.messages else "")
        self._show_state(conversation)
        self.post_message(self.ConversationShown(conversation))
        if scroll_to_newest:
            self.call_after_refresh(self._after_showing_newest)

    def _show_state(self, conversation: Conversation) -> None:
        """The line under the messages: cached, empty, a draft waiting, or how to read on."""
        reply = self.app.key_for("reply")
        if conversation.is_cached:
            self._say_state(CACHED)
        elif not conversation.messages and conversation.thread_id not in self._replying.pending:
            self._say_state(f"No messages in this thread yet. Press {reply} to write the first one.")
        elif self.app.reply_drafts.get(conversation.thread_id) and not self.is_replying:
            self._say_state(f"✎ You have an unsent reply here: press {reply} to continue it.")
        else:
            pane = self.app.key_for("switch_pane")
            self._say_state("" if self.has_focus_within else f"{pane} to read and scroll · {reply} to reply")

    def _after_showing_newest(self) -> None:
        view = self.query_one(ConversationView)
        if view.marked_line is None:
            self.scroll_end(animate=False, immediate=True)
        else:  # the message a search found, a line of what came before it above it
            self.release_anchor()
            self.scroll_to(y=view.virtual_region.y + view.marked_line - 1, animate=False, immediate=True)
        # A conversation too short to scroll gets its older messages without a gesture;
        # asked once the layout has settled, so a long one is never mistaken for it.
        self.set_timer(LAYOUT_SETTLES_AFTER, self._load_older_if_it_fits)

    def _load_older_if_it_fits(self) -> None:
        if self.max_scroll_y == 0:
            self._load_older_if_at_top()

    def _say_older(self, text: str) -> None:
        older = self.query_one("#older-state", Static)
        older.display = bool(text)
        self._set_text(older, Text(text))

    def _say_state(self, text: str, *, is_error: bool = False) -> None:
        state = self.query_one("#conversation-state", Static)
        state.set_class(is_error, "-error")
        state.display = bool(text)
        self._set_text(state, Text(text))

    def _set_text(self, static: Static, text: Text) -> None:
        """Skip what is already shown, and lay out only when the number of lines changes:
        a layout pass costs more than the rest of a keypress."""
        width = max(1, static.content_region.width)
        shown = self._shown_texts.get(static.id)
        if shown is not None and shown[0] == text.plain and shown[2] == width:
            return
        height = len(text.wrap(self.app.console, width))
        static.update(text, layout=shown is None or shown[1] != height or shown[2] != width)
        self._shown_texts[static.id] = (text.plain, height, width)

    def on_resize(self) -> None:
        self._shown_texts.clear()

    def _say_error(self, message: str) -> None:
        self._say_state(
            f"⚠ The conversation could not be loaded. {message}\n"
            f"Press {self.app.key_for('detail.reload')} here to try again.",
            is_error=True,
        )

    @property
    def _conversation(self) -> Conversation | None:
        """The shown thread's conversation, if it is held."""
        return self._loader.cache.get(self.thread_id) if self.thread_id else None

    def _refresh_hint(self) -> None:
        # Only the line under the messages changes with the focus, not the messages.
        conversation = self._conversation
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
            if remembered is not None and remembered.is_cached and thread_id == self.thread_id:
                self._show_conversation(remembered, scroll_to_newest=True)  # until the platform answers
            conversation = await self._loader.open(thread_id)
        except ApiError as error:
            self._errors[thread_id] = str(error)
            if thread_id == self.thread_id:
                self._say_error(str(error))
            return
        finally:
            if self._opening == thread_id:
                self._opening = None
        if thread_id == self.thread_id:
            self._show_conversation(conversation, scroll_to_newest=True)

    @work(group="prefetch")
    async def _prefetch(self, thread_ids: list[str]) -> None:
        try:
            held = await self._loader.prefetch(thread_ids)
        except ApiError:
            return  # a prefetch is a bonus: the thread loads on its own when it is highlighted
        thread_id = self.thread_id
        if thread_id in held and thread_id not in self._errors:
            conversation = self._loader.cache.get(thread_id)
            if conversation is not None:
                self.workers.cancel_group(self, "conversation")
                self._show_conversation(conversation, scroll_to_newest=True)

    def action_reload(self) -> None:
        thread_id = self.thread_id
        if thread_id is None:
            return
        self._errors.pop(thread_id, None)
        if not self._loader.needs_loading(thread_id):
            self._load_older_if_at_top()
            return
        self._say_state(LOADING)
        self._open(thread_id)

    def watch_scroll_y(self, old_value: float, new_value: float) -> None:
        super().watch_scroll_y(old_value, new_value)
        # Only a reader's scrolling: a new text shortening the pane also moves scroll_y.
        if new_value < old_value and (self.has_focus_within or self.is_mouse_over):
            self._load_older_if_at_top()

    def _load_older_if_at_top(self) -> None:
        conversation = self._conversation
        if conversation is None or not conversation.has_older or self._is_loading_older:
            return
        if self.scroll_y > 0:
            return
        self._is_loading_older = True
        self._say_older(OLDER_LOADING)
        self._load_older(conversation.thread_id)

    @work(group="older", exclusive=True)
    async def _load_older(self, thread_id: str) -> None:
        try:
            conversation = await self._loader.load_older(thread_id)
        except ApiError as error:
            self._is_loading_older = False
            if thread_id == self.thread_id:
                self._say_older(f"⚠ Older messages could not be loaded: {printable(str(error))} (r retries)")
            return
        self._is_loading_older = False
        if thread_id != self.thread_id:
            return
        # Keep what was being read in place: the new messages grow the pane above it.
        below = self.max_scroll_y - self.scroll_y
        self.release_anchor()
        self._show_conversation(conversation, scroll_to_newest=False)
        self.call_after_refresh(lambda: self.scroll_to(y=self.max_scroll_y - below, animate=False))

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
        self._show_conversation(conversation, scroll_to_newest=True)

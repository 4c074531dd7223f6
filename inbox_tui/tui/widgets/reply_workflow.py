"""ReplyWorkflow: a reply from `R` to the platform's answer, for the detail pane.

The box opens with the thread's draft; what is typed is kept as the draft; a
send is recorded as handed over before it leaves (so that an inbox closed
meanwhile looks before offering it again), shows at once as "sending…", and on
failure comes back in the box with the error. The pane draws; this decides.
"""

from __future__ import annotations

import uuid
from typing import TYPE_CHECKING, cast

from inbox_tui.api.errors import ApiError
from inbox_tui.api.once import is_ambiguous
from inbox_tui.tui.focus_return import FocusReturn
from inbox_tui.tui.handed_over import SentReply
from inbox_tui.tui.widgets.conversation_view import PendingReply

if TYPE_CHECKING:
    from inbox_tui.api.models import Message, MessageThread
    from inbox_tui.tui.inbox_services import InboxServices
    from inbox_tui.tui.widgets.reply_box import ReplyBox
    from inbox_tui.tui.widgets.thread_detail import ThreadDetail


class ReplyWorkflow:
    def __init__(self, detail: ThreadDetail) -> None:
        self._detail = detail
        self.pending: dict[str, PendingReply] = {}
        """Replies on their way, or failed, by thread: drawn under the conversation."""
        self._thread_id: str | None = None
        """The thread the box is open for."""
        self._focus_return = FocusReturn()

    @property
    def _app(self) -> InboxServices:
        return self._detail.app

    @property
    def box(self) -> ReplyBox | None:
        boxes = self._detail.query("#reply-box")
        return cast("ReplyBox", boxes.first()) if boxes else None

    @property
    def is_open(self) -> bool:
        box = self.box
        return box is not None and box.display

    async def open(self, thread: MessageThread | None) -> None:
        if thread is None:
            self._detail.notify("Highlight a thread to reply to.", timeout=3)
            return
        if thread.Id in self.pending and self.pending[thread.Id].error is None:
            self._detail.notify("The reply is still being sent.", timeout=3)
            return
        self._app.typed_ahead.expect()
        draft = self._app.reply_drafts.get(thread.Id)
        self._thread_id = thread.Id
        self._focus_return.remember(self._detail.screen.focused)
        box = self.box
        if box is None:
            from inbox_tui.tui.widgets.reply_box import ReplyBox

            box = ReplyBox(id="reply-box")
            await self._detail.mount(box)
        send = self._app.key_for("reply.send")
        box.open(draft, f"Your unsent reply is back. {send} sends." if draft else "")

    def close_unless_for(self, thread: MessageThread | None) -> None:
        """Another thread is shown: the box, whose text is kept as its thread's draft, closes."""
        box = self.box
        if box is not None and box.display and (thread is None or thread.Id != self._thread_id):
            box.display = False

    def forget(self) -> None:
        """Another profile: nothing pending or open here belongs to it."""
        self.pending.clear()
        self._thread_id = None
        box = self.box
        if box is not None:
            box.display = False

    def keep_draft(self, text: str) -> None:
        if self._thread_id is not None:
            self._app.reply_drafts.save(self._thread_id, text)

    def closed(self) -> None:
        # Wherever it goes, the focus change puts the draft's line under the messages.
        self._focus_return.give_back(self._detail)

    def send(self, text: str) -> None:
        thread_id = self._thread_id
        box = self.box
        if thread_id is None or box is None:
            return
        text = text.strip()
        self.pending[thread_id] = PendingReply(text)
        box.set_sending(True)
        self._detail.redraw(thread_id)
        # Recorded before it leaves: an inbox closed meanwhile looks for it at its next start
        # instead of offering it back as a draft to send again.
        reply = SentReply(thread_id, text, self._app.now(), str(uuid.uuid4()))
        self._app.handed_over.reply_sent(reply)
        self._app.reply_drafts.clear(thread_id)
        self._detail.run_worker(self._send(reply), group="send")

    async def _send(self, reply: SentReply) -> None:
        # What the platform answered is recorded here, at once; it is drawn from the pane's
        # queue, which an answer landing as the app quits finds closing.
        app = self._app
        thread_id, text = reply.thread_id, reply.text
        try:
            with app.sending():
                message = await app.replies.send(thread_id, text, reply.identifier)
        except ApiError as error:
            self._failed(reply, error)
            return
        self.pending.pop(thread_id, None)
        app.handed_over.reply_answered(thread_id)
        app.conversations.record_sent(message)
        self._detail.call_later(self._show_sent, message)

    def _show_sent(self, message: Message) -> None:
        thread_id = message.MessageThreadId
        box = self.box
        if box is not None and thread_id == self._thread_id:
            box.finish()
            self._thread_id = None
            if thread_id == self._detail.thread_id:
                self._focus_return.give_back(self._detail)
        self._detail.redraw(thread_id)
        self._detail.post_message(self._detail.ReplySent(message))

    def _failed(self, reply: SentReply, error: ApiError) -> None:
        app = self._app
        thread_id, text = reply.thread_id, reply.text
        if is_ambiguous(error):
            advice = "It may have arrived: sending again checks first, so it is never doubled."
        else:
            app.handed_over.reply_answered(thread_id)
            advice = "It was not sent; your text is kept."
        if not app.reply_drafts.get(thread_id):
            app.reply_drafts.save(thread_id, text)
        why = f"{error} {advice}"
        self.pending[thread_id] = PendingReply(text, error=why)
        app.report_error(error, "The reply was not sent")
        self._detail.call_later(self._show_failed, reply, why)

    def _show_failed(self, reply: SentReply, why: str) -> None:
        thread_id = reply.thread_id
        self._detail.redraw(thread_id)
        box = self.box
        if box is not None and thread_id == self._thread_id and thread_id == self._detail.thread_id:
            box.set_sending(False)
            box.open(self._app.reply_drafts.get(thread_id) or reply.text)
            box.say(f"Not sent: {why}", is_error=True)

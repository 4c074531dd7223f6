"""What was handed to the platform and not yet answered, kept across a quit or a kill.

A reply or a new thread is recorded here before its request leaves and removed
when the answer is in. An inbox closed (or killed) meanwhile finds the record at
its next start and looks on the platform before offering the text again: there,
it is done; not there, it comes back as a draft that says it was not sent.
Sending it blindly is how a reply gets posted twice.
"""

from __future__ import annotations

from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING, NamedTuple

from inbox_tui.api.errors import ApiError
from inbox_tui.tui.drafts import Draft, read_json, write_private

if TYPE_CHECKING:
    from inbox_tui.tui.inbox_services import InboxServices


HANDED_OVER_FILE = "handed-over.json"
"""Kept next to the drafts: what was sent and not yet answered when the inbox last closed."""


class SentReply(NamedTuple):
    """A reply handed to the platform and not yet confirmed: the next start looks for its text in
    the thread, and gives it back as a draft when it is not there."""

    thread_id: str
    text: str
    started: datetime
    identifier: str


class SentThread(NamedTuple):
    """A new thread handed to the platform and not yet confirmed: the next start looks for it by
    sender and subject among the threads created since `started`."""

    sender: str
    subject: str
    started: datetime


class HandedOver:
    """Replies and a new thread handed to the platform whose answer has not come back yet."""

    def __init__(self, path: Path | None) -> None:
        self._path = path
        data = read_json(path)
        data = data if isinstance(data, dict) else {}
        self._replies: dict[str, SentReply] = {}
        for thread_id, reply in (data.get("replies") or {}).items():
            try:
                self._replies[thread_id] = SentReply(
                    thread_id, str(reply["text"]), _moment(reply["started"]), str(reply["identifier"])
                )
            except (KeyError, TypeError, ValueError):
                continue  # a damaged entry is no entry, as a damaged draft is no draft
        thread = data.get("thread")
        try:
            self._thread: SentThread | None = (
                SentThread(str(thread["sender"]), str(thread["subject"]), _moment(thread["started"]))
                if thread
                else None
            )
        except (KeyError, TypeError, ValueError):
            self._thread = None

    @property
    def replies(self) -> list[SentReply]:
        return list(self._replies.values())

    @property
    def thread(self) -> SentThread | None:
        return self._thread

    def reply_sent(self, reply: SentReply) -> None:
        self._replies[reply.thread_id] = reply
        self._write()

    def reply_answered(self, thread_id: str) -> None:
        if self._replies.pop(thread_id, None) is not None:
            self._write()

    def thread_sent(self, thread: SentThread) -> None:
        self._thread = thread
        self._write()

    def thread_answered(self) -> None:
        if self._thread is not None:
            self._thread = None
            self._write()

    def _write(self) -> None:
        if self._path is None:
            return
        if not self._replies and self._thread is None:
            self._path.unlink(missing_ok=True)
            return
        replies = {
            reply.thread_id: {
                "text": reply.text,
                "started": reply.started.isoformat(),
                "identifier": reply.identifier,
            }
            for reply in self._replies.values()
        }
        thread = self._thread
        write_private(
            self._path,
            {
                "replies": replies,
                "thread": None
                if thread is None
                else {
                    "sender": thread.sender,
                    "subject": thread.subject,
                    "started": thread.started.isoformat(),
                },
            },
        )


def _moment(text: object) -> datetime:
    moment = datetime.fromisoformat(str(text))
    if moment.tzinfo is None:
        raise ValueError("a time without its zone")
    return moment


async def check_handed_over(app: InboxServices) -> None:
    """What an earlier session sent and closed before the answer: on the platform, or a draft again."""
    handed_over = app.handed_over
    try:
        for reply in handed_over.replies:
            found = await app.replies.find(reply.thread_id, reply.text, reply.started)
            handed_over.reply_answered(reply.thread_id)
            if found is not None:
                if app.reply_drafts.get(reply.thread_id) == reply.text:
                    app.reply_drafts.clear(reply.thread_id)
                app.notify("A reply sent as the inbox last closed did arrive.", timeout=5)
            elif not app.reply_drafts.get(reply.thread_id):
                app.reply_drafts.save(reply.thread_id, reply.text)
                _say_not_sent(app, "A reply", "it is back as an unsent reply of its thread (R)")
        thread = handed_over.thread
        if thread is not None:
            created = await app.creator.find(thread.sender, thread.subject, thread.started)
            handed_over.thread_answered()
            if created is not None:
                app.notify("A thread sent as the inbox last closed was created.", timeout=5)
            elif app.drafts.draft.is_empty:
                app.drafts.save(Draft(thread.sender, thread.subject))
                _say_not_sent(app, "A new thread", "it is back as the draft of n")
    except ApiError as error:
        app.report_error(error, "What was being sent as the inbox last closed could not be checked")


def _say_not_sent(app: InboxServices, what: str, where: str) -> None:
    app.notify(
        f"{what} being sent as the inbox last closed did not arrive: {where}.",
        title="Not sent",
        severity="warning",
        timeout=10,
    )

"""Notifications outside the terminal, opt-in: `notify = "off" | "bell" | "desktop" | "command"`.

`desktop` writes the terminal's own notification escape (OSC 9 for iTerm2, OSC 99
for kitty, OSC 777 for WezTerm and foot) and nothing where the terminal is not
known to show one; `command` runs `notify_command` as an argument list, never
through a shell, with the sender, the subject and the message's first line as
three more arguments (and as CONNECTOR_INBOX_SENDER, _SUBJECT, _TEXT). At most one
notification a poll ("3 new messages" when several came); text from the API is
made safe first, as everywhere.
"""

from __future__ import annotations

import contextlib
import os
import subprocess
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

from inbox_tui.safe_text import clipped, printable

if TYPE_CHECKING:
    from inbox_tui.inbox.activity import Activity

NOTIFY_KINDS = ("off", "bell", "desktop", "command")


@dataclass(frozen=True)
class News:
    sender: str
    subject: str
    text: str


def desktop_escape(title: str, body: str, environ: Mapping[str, str]) -> str | None:
    """The notification escape of the terminal the inbox runs in, or None where it is unknown."""
    program = environ.get("TERM_PROGRAM", "")
    term = environ.get("TERM", "")
    if program == "iTerm.app":
        return f"\x1b]9;{title}: {body}\x07"
    if "KITTY_WINDOW_ID" in environ or term == "xterm-kitty":
        return f"\x1b]99;;{title}: {body}\x1b\\"
    if program == "WezTerm" or term.startswith("foot"):
        return f"\x1b]777;notify;{title};{body}\x1b\\"
    return None


def news_of(activity: Activity) -> list[News]:
    """What is worth a notification: new threads, and what staff wrote (never our own replies)."""
    threads = {thread.Id: thread for thread in activity.changed_threads}
    news = [News(thread.OriginalSender, thread.Subject, "") for thread in activity.new_threads]
    announced = {thread.Id for thread in activity.new_threads}
    for message in activity.messages:
        thread = threads.get(message.MessageThreadId)
        if thread is None or message.Sender.is_application:
            continue
        if thread.Id in announced:
            news = [item for item in news if item.subject != thread.Subject or item.text]
        news.append(News(thread.OriginalSender, thread.Subject, message.Text))
        announced.add(thread.Id)
    return news


class Notifier:
    def __init__(
        self,
        kind: str,
        command: Sequence[str],
        *,
        write: Callable[[str], None],
        bell: Callable[[], None],
        environ: Mapping[str, str] = os.environ,
    ) -> None:
        self.kind = kind
        self._command = list(command)
        self._write = write
        self._bell = bell
        self._environ = environ

    def announce_activity(self, activity: Activity) -> None:
        """One notification for what one poll found."""
        self.announce(news_of(activity))

    def announce(self, news: Sequence[News]) -> None:
        """One notification for what one poll brought."""
        if not news or self.kind == "off":
            return
        if self.kind == "bell":
            self._bell()
            return
        if len(news) == 1:
            sender, subject, text = (_safe(part) for part in (news[0].sender, news[0].subject, news[0].text))
        else:
            sender, subject, text = "connector-inbox", f"{len(news)} new messages", ""
        if self.kind == "desktop":
            escape = desktop_escape(
                _plain(sender), _plain(f"{subject} — {text}" if text else subject), self._environ
            )
            if escape is not None:
                self._write(escape)
        elif self.kind == "command" and self._command:
            self._run(sender, subject, text)

    def _run(self, sender: str, subject: str, text: str) -> None:
        environment = {
            **self._environ,
            "CONNECTOR_INBOX_SENDER": sender,
            "CONNECTOR_INBOX_SUBJECT": subject,
            "CONNECTOR_INBOX_TEXT": text,
        }
        # The tokens stay out of the command's environment, whatever the inbox was given.
        for name in ("CONNECTOR_INBOX_CLIENT_TOKEN", "CONNECTOR_INBOX_ACCESS_TOKEN"):
            environment.pop(name, None)
        # A notification that cannot be shown is not worth stopping the inbox for.
        with contextlib.suppress(OSError):
            subprocess.Popen(  # an argument list, never a shell
                [*self._command, sender, subject, text],
                env=environment,
                stdin=subprocess.DEVNULL,
                stdout=subprocess.DEVNULL,
                stderr=subprocess.DEVNULL,
                start_new_session=True,
            )


def _safe(text: str) -> str:
    first_line = text.strip().splitlines()[0] if text.strip() else ""
    return clipped(printable(first_line), 200)


def _plain(text: str) -> str:
    # Inside an escape sequence, the separators of the sequence are not text.
    return text.replace(";", ",")

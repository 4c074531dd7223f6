"""Creating a thread without ever creating it twice.

After an ambiguous failure of `messageThreads/add`, the thread is looked for with
getAll over a short CreatedUtc window around the attempt, by sender and subject.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime

from inbox_tui.api.client import ConnectorClient
from inbox_tui.api.models import MessageThread, TimeInterval
from inbox_tui.api.once import LOOKUP_MARGIN, SendOnce


class ThreadCreator:
    """Sends new threads; after an ambiguous failure, looks before sending the same text again."""

    def __init__(
        self, client: ConnectorClient, now: Callable[[], datetime] = lambda: datetime.now(UTC)
    ) -> None:
        self._client = client
        self._now = now
        self._once: SendOnce[MessageThread] = SendOnce(now)

    @property
    def has_unresolved_attempt(self) -> bool:
        return self._once.has_unresolved

    async def create(self, sender: str, subject: str) -> MessageThread:
        return await self._once.send(
            (sender, subject),
            lambda: self._client.add(sender, subject),
            lambda started: self.find(sender, subject, started),
        )

    async def find(self, sender: str, subject: str, started: datetime) -> MessageThread | None:
        """The thread with `sender` and `subject` created since `started`, if the platform has it."""
        window = TimeInterval(StartUtc=started - LOOKUP_MARGIN, EndUtc=self._now() + LOOKUP_MARGIN)
        page = await self._client.get_all(created=window, count=1000)
        for thread in page.MessageThreads:
            if thread.OriginalSender == sender and thread.Subject == subject:
                return thread
        return None

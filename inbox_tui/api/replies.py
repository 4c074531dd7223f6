"""Replying to a thread without ever replying twice.

After an ambiguous failure of `messages/add`, the thread's messages since the
attempt are read (a CreatedUtc window well inside the 1-month cap), looking for
one from this integration with the same text.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable
from datetime import UTC, datetime, timedelta

from inbox_tui.api.client import ConnectorClient
from inbox_tui.api.models import MAX_COUNT, Message, TimeInterval
from inbox_tui.api.once import LOOKUP_MARGIN, SendOnce

LONGEST_LOOKUP = timedelta(days=28)


class ReplySender:
    def __init__(
        self, client: ConnectorClient, now: Callable[[], datetime] = lambda: datetime.now(UTC)
    ) -> None:
        self._client = client
        self._now = now
        self._once: SendOnce[Message] = SendOnce(now)

    async def send(self, thread_id: str, text: str, identifier: str | None = None) -> Message:
        """`identifier` (a new one if not given) is sent with the message, as the API allows."""
        identifier = identifier or str(uuid.uuid4())
        return await self._once.send(
            (thread_id, text),
            lambda: self._client.add_message(thread_id, text, identifier=identifier),
            lambda started: self.find(thread_id, text, started),
        )

    async def find(self, thread_id: str, text: str, started: datetime) -> Message | None:
        """Our message with `text` in the thread since `started`, if the platform has it."""
        end = self._now() + LOOKUP_MARGIN
        # A retry weeks later still asks within the messages' 1-month cap.
        window = TimeInterval(StartUtc=max(started - LOOKUP_MARGIN, end - LONGEST_LOOKUP), EndUtc=end)
        page = await self._client.get_messages([thread_id], created=window, count=MAX_COUNT)
        for message in page.Messages:
            if message.Sender.is_application and message.Text == text:
                return message
        return None

"""Creating a thread without ever creating it twice.

`messageThreads/add` is not idempotent. When an attempt fails in a way that may
have happened after the platform acted (the answer was lost, or a 5xx), the
thread may exist. Before anyone sends again, we look for it: getAll over a short
CreatedUtc window around the attempt, matching sender and subject.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime, timedelta

from inbox_tui.api.client import ConnectorClient
from inbox_tui.api.errors import ApiError, NetworkError, ServerError
from inbox_tui.api.models import MessageThread, TimeInterval

# Room for a server clock that differs from ours.
LOOKUP_MARGIN = timedelta(minutes=5)


def is_ambiguous(error: ApiError) -> bool:
    """Could the platform have created the thread although we got an error?"""
    return isinstance(error, NetworkError | ServerError) and error.may_have_reached_server


class ThreadCreator:
    """Sends new threads; after an ambiguous failure, looks before sending the same text again."""

    def __init__(
        self, client: ConnectorClient, now: Callable[[], datetime] = lambda: datetime.now(UTC)
    ) -> None:
        self._client = client
        self._now = now
        self._unresolved_attempt: tuple[str, str, datetime] | None = None

    @property
    def has_unresolved_attempt(self) -> bool:
        return self._unresolved_attempt is not None

    async def create(self, sender: str, subject: str) -> MessageThread:
        attempt = self._unresolved_attempt
        if attempt is not None and attempt[:2] == (sender, subject):
            # The same text again after an ambiguous failure: it may already exist.
            earlier = await self._find(*attempt)
            if earlier is not None:
                self._unresolved_attempt = None
                return earlier
        started = self._now()
        try:
            thread = await self._client.add(sender, subject)
        except ApiError as error:
            if not is_ambiguous(error):
                raise
            self._unresolved_attempt = (sender, subject, started)
            try:
                found = await self._find(sender, subject, started)
            except ApiError:
                raise error from None
            if found is None:
                # Not there yet; the platform may still be working on it, so the
                # next attempt with this text looks again before it sends.
                raise
            thread = found
        self._unresolved_attempt = None
        return thread

    async def _find(self, sender: str, subject: str, started: datetime) -> MessageThread | None:
        window = TimeInterval(StartUtc=started - LOOKUP_MARGIN, EndUtc=self._now() + LOOKUP_MARGIN)
        page = await self._client.get_all(created=window, count=1000)
        for thread in page.MessageThreads:
            if thread.OriginalSender == sender and thread.Subject == subject:
                return thread
        return None

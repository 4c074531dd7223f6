"""The rows of the thread list: threads from the platform, and threads remembered by the cache.

A `CachedThread` has the fields of a `MessageThread` and is drawn the same way,
but marked: it is what the platform said in an earlier session, shown at once
and replaced by the platform's answer as soon as one covers it. It is a plain
dataclass so that the first frame can be built without importing pydantic.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime
from typing import TYPE_CHECKING, TypeAlias

from inbox_tui.api.senders import SenderKind

if TYPE_CHECKING:
    from inbox_tui.api.models import Message, MessageThread


@dataclass(frozen=True, slots=True)
class CachedThread:
    Id: str
    OriginalSender: str
    Subject: str
    CreatedUtc: datetime
    UpdatedUtc: datetime
    IsResolved: bool | None = None


ThreadRow: TypeAlias = "MessageThread | CachedThread"


@dataclass(frozen=True, slots=True)
class CachedSender(SenderKind):
    Discriminator: str


@dataclass(frozen=True, slots=True)
class CachedMessage:
    """A message as the cache remembers it, shown until the platform's answer replaces it."""

    Id: str
    MessageThreadId: str
    Text: str
    Sender: CachedSender
    CreatedUtc: datetime


MessageRow: TypeAlias = "Message | CachedMessage"


def is_cached(row: object) -> bool:
    """Not yet confirmed by the platform in this session."""
    return isinstance(row, CachedThread)


def time_text(moment: datetime) -> str:
    """A time as the cache stores it, in UTC and of fixed width, so that text order is time order
    (in its indexes, in search's ranges and in the activity walk's state)."""
    if moment.utcoffset():
        moment = moment.astimezone(UTC)
    return moment.strftime("%Y-%m-%dT%H:%M:%S.%fZ")

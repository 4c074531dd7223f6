"""Pydantic models of the message-thread operations, with the API's exact field names.

Responses are parsed leniently (unknown fields ignored, 0 to 7 fractional digits,
any UTC offset) because the platform adds fields over time; requests are built
strictly so that a bad request fails here, with a clear message, before it is sent.
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Annotated

from pydantic import (
    AfterValidator,
    AliasChoices,
    BaseModel,
    ConfigDict,
    Field,
    SecretStr,
    TypeAdapter,
    model_validator,
)
from pydantic.dataclasses import dataclass

from inbox_tui.api.limits import MAX_COUNT, MAX_INTERVAL_MONTHS, MAX_MESSAGE_INTERVAL_MONTHS, MAX_THREAD_IDS
from inbox_tui.api.senders import SenderKind
from inbox_tui.api.timeutil import add_months


def _as_utc(value: datetime) -> datetime:
    # The API documents every time as UTC; a time without an offset is read as UTC
    # rather than as the local time of whoever runs the inbox. Times already in UTC
    # (nearly all of them) are kept as parsed: this runs for every thread loaded.
    offset = value.utcoffset()
    if offset is None:
        return value.replace(tzinfo=UTC)
    return value.astimezone(UTC) if offset else value


# pydantic-core writes UTC times with a `Z`, as the API does.
UtcDatetime = Annotated[datetime, AfterValidator(_as_utc)]


class _ApiModel(BaseModel):
    """Field names are the API's PascalCase ones, so that dumps are wire-ready."""

    # Every schema here is built when first used (`defer_build`), so a start with no cache
    # builds only getAll's before its first page: about 2% of a cold start.
    model_config = ConfigDict(extra="ignore", frozen=True, defer_build=True)


@dataclass(frozen=True, slots=True, config=ConfigDict(extra="ignore", defer_build=True))
class MessageThread:
    """One thread as getAll and add return it; `IsResolved` only comes from add.

    A slotted dataclass rather than a BaseModel: the inbox keeps 100,000 of
    these, and without a `__dict__` and a fields-set per instance they take a
    third of the memory.
    """

    Id: str
    OriginalSender: str
    Subject: str
    CreatedUtc: UtcDatetime
    UpdatedUtc: UtcDatetime
    IsResolved: bool | None = None


THREAD = TypeAdapter(MessageThread)
"""Validates and dumps `MessageThread`s, which as dataclasses have no model methods."""


class TimeInterval(_ApiModel):
    """A filter interval; the API refuses any longer than three months."""

    StartUtc: UtcDatetime
    EndUtc: UtcDatetime

    @model_validator(mode="after")
    def _check_bounds(self) -> TimeInterval:
        if self.StartUtc >= self.EndUtc:
            raise ValueError("StartUtc must be before EndUtc")
        if self.EndUtc > add_months(self.StartUtc, MAX_INTERVAL_MONTHS):
            raise ValueError("the interval may be at most 3 months long")
        return self

    @property
    def is_within_a_month(self) -> bool:
        """The messages operations cap their CreatedUtc filter at one month."""
        return self.EndUtc <= add_months(self.StartUtc, MAX_MESSAGE_INTERVAL_MONTHS)


class Limitation(_ApiModel):
    """Cursor pagination: no Cursor means the newest items."""

    Cursor: str | None = None
    Count: int = Field(ge=1, le=MAX_COUNT)


class AuthenticatedRequest(_ApiModel):
    """What every request carries; the tokens stay SecretStr until `to_wire`."""

    ClientToken: SecretStr
    AccessToken: SecretStr
    Client: str = Field(min_length=1)

    def to_wire(self) -> dict[str, object]:
        """The JSON body to send: secrets revealed only here, at the last moment."""
        body = self.model_dump(mode="json", exclude_none=True)
        body["ClientToken"] = self.ClientToken.get_secret_value()
        body["AccessToken"] = self.AccessToken.get_secret_value()
        return body


class GetAllRequest(AuthenticatedRequest):
    """Body of `messageThreads/getAll`; at least one filter is required."""

    MessageThreadIds: list[str] | None = Field(default=None, max_length=MAX_THREAD_IDS)
    CreatedUtc: TimeInterval | None = None
    UpdatedUtc: TimeInterval | None = None
    Limitation: Limitation

    @model_validator(mode="after")
    def _check_filter(self) -> GetAllRequest:
        if not self.MessageThreadIds and self.CreatedUtc is None and self.UpdatedUtc is None:
            raise ValueError("give at least one of MessageThreadIds, CreatedUtc or UpdatedUtc")
        return self


class AddRequest(AuthenticatedRequest):
    """Body of `messageThreads/add`."""

    OriginalSender: str = Field(min_length=1)
    Subject: str = Field(min_length=1)


class GetAllResponse(_ApiModel):
    """A page of threads, newest first; `Cursor` is the Id of the oldest one."""

    MessageThreads: list[MessageThread]
    Cursor: str | None = None


class AddResponse(_ApiModel):
    """The created thread, wrapped in a one-item list."""

    MessageThreads: list[MessageThread] = Field(min_length=1)


class MessageSender(_ApiModel, SenderKind):
    """Who wrote a message. `Discriminator` is kept as sent: a value the docs do not
    list yet is shown as it is rather than failing the whole page."""

    Discriminator: str


@dataclass(
    frozen=True, slots=True, config=ConfigDict(extra="ignore", populate_by_name=True, defer_build=True)
)
class Message:
    """One message of a thread. getAll names the thread `MessageThreadId` and add
    names it `ThreadId`: both are read into `MessageThreadId`."""

    Id: str
    MessageThreadId: Annotated[str, Field(validation_alias=AliasChoices("MessageThreadId", "ThreadId"))]
    Text: str
    Sender: MessageSender
    CreatedUtc: UtcDatetime


MESSAGE = TypeAdapter(Message)
"""Validates and dumps `Message`s."""


class GetMessagesRequest(AuthenticatedRequest):
    """Body of `messages/getAll`: the threads are required, the time filter optional."""

    MessageThreadIds: list[str] = Field(min_length=1, max_length=MAX_THREAD_IDS)
    CreatedUtc: TimeInterval | None = None
    Limitation: Limitation

    @model_validator(mode="after")
    def _check_interval(self) -> GetMessagesRequest:
        if self.CreatedUtc is not None and not self.CreatedUtc.is_within_a_month:
            raise ValueError("the CreatedUtc interval of messages may be at most 1 month long")
        return self


class GetMessagesResponse(_ApiModel):
    """A page of messages, newest first; `Cursor` is the Id of the oldest one."""

    Messages: list[Message]
    Cursor: str | None = None


class NewMessage(_ApiModel):
    """One message to add; `Identifier` lets the answer be matched to the request."""

    ThreadId: str = Field(min_length=1)
    Text: str = Field(min_length=1)
    Identifier: str | None = None


class AddMessagesRequest(AuthenticatedRequest):
    """Body of `messages/add`."""

    Messages: list[NewMessage] = Field(min_length=1)


class AddedMessage(_ApiModel):
    Identifier: str | None = None
    Message: Message


class AddMessagesResponse(_ApiModel):
    Messages: list[AddedMessage] = Field(min_length=1)

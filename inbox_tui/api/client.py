"""ConnectorClient: the only code that speaks HTTP to the Connector API.

It owns one `httpx.AsyncClient` (so connections are reused across pages), turns
every failure into a typed `ApiError`, and retries only what is safe to retry:
getAll is a read, add creates a thread and is never retried by this class.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import random
import ssl
import time
from collections.abc import Awaitable, Callable, Sequence
from typing import TypeVar

import httpx
from pydantic import BaseModel, SecretStr, ValidationError
from tenacity import AsyncRetrying, RetryCallState, retry_if_exception, stop_after_attempt

from inbox_tui.api import errors
from inbox_tui.api.errors import ApiError, redact
from inbox_tui.api.failures import network_error, request_id_of, status_error
from inbox_tui.api.models import (
    AddMessagesRequest,
    AddMessagesResponse,
    AddRequest,
    AddResponse,
    AuthenticatedRequest,
    GetAllRequest,
    GetAllResponse,
    GetMessagesRequest,
    GetMessagesResponse,
    Message,
    MessageThread,
    TimeInterval,
)
from inbox_tui.api.ratelimit import RateLimiter

log = logging.getLogger("inbox_tui.api")

API_PREFIX = "/api/connector/v1"
DEFAULT_TIMEOUT = httpx.Timeout(connect=5.0, read=30.0, write=10.0, pool=5.0)
MAX_RETRY_WAIT = 60.0
RETRY_AFTER_JITTER = 0.1

Sleep = Callable[[float], Awaitable[None]]
Model = TypeVar("Model", bound=BaseModel)


class ConnectorClient:
    """Calls the message-thread and message operations for one integration."""

    def __init__(
        self,
        platform_url: str,
        client_token: SecretStr,
        access_token: SecretStr,
        client_name: str,
        *,
        transport: httpx.AsyncBaseTransport | None = None,
        timeout: httpx.Timeout = DEFAULT_TIMEOUT,
        max_attempts: int = 4,
        backoff_base: float = 0.5,
        sleep: Sleep = asyncio.sleep,
        jitter: Callable[[], float] = random.random,
        rate_limiter: RateLimiter | None = None,
        tls_context: ssl.SSLContext | None = None,
    ) -> None:
        self.platform_url = platform_url.rstrip("/")
        self._client_token = client_token
        self._access_token = access_token
        self._client_name = client_name
        self._max_attempts, self._backoff_base = max_attempts, backoff_base
        self._sleep, self._jitter = sleep, jitter
        self._rate_limiter = rate_limiter
        self._http = httpx.AsyncClient(
            base_url=self.platform_url + API_PREFIX,
            transport=transport,
            verify=tls_context if tls_context is not None else True,
            timeout=timeout,
            headers={"Content-Type": "application/json", "Accept": "application/json"},
        )

    def __repr__(self) -> str:
        return f"ConnectorClient(platform_url={self.platform_url!r}, client={self._client_name!r})"

    async def __aenter__(self) -> ConnectorClient:
        return self

    async def __aexit__(self, *exc_info: object) -> None:
        await self.aclose()

    async def aclose(self) -> None:
        await self._http.aclose()

    async def get_all(
        self,
        *,
        created: TimeInterval | None = None,
        updated: TimeInterval | None = None,
        thread_ids: Sequence[str] | None = None,
        cursor: str | None = None,
        count: int = 100,
    ) -> GetAllResponse:
        """One page of threads, newest first; network, 5xx and 429 failures are retried."""
        request = self._build(
            GetAllRequest,
            MessageThreadIds=list(thread_ids) if thread_ids else None,
            CreatedUtc=created,
            UpdatedUtc=updated,
            Limitation={"Cursor": cursor, "Count": count},
        )
        return await self._read("/messageThreads/getAll", request, GetAllResponse)

    async def add(self, sender: str, subject: str) -> MessageThread:
        """Create a thread. Never retried: a lost answer does not mean a lost thread."""
        request = self._build(AddRequest, OriginalSender=sender, Subject=subject)
        response = await self._post("/messageThreads/add", request, AddResponse)
        return response.MessageThreads[0]

    async def get_messages(
        self,
        thread_ids: Sequence[str],
        *,
        created: TimeInterval | None = None,
        cursor: str | None = None,
        count: int = 100,
    ) -> GetMessagesResponse:
        """One page of the messages of `thread_ids`, newest first; retried like every read."""
        request = self._build(
            GetMessagesRequest,
            MessageThreadIds=list(thread_ids),
            CreatedUtc=created,
            Limitation={"Cursor": cursor, "Count": count},
        )
        return await self._read("/messages/getAll", request, GetMessagesResponse)

    async def add_message(self, thread_id: str, text: str, identifier: str | None = None) -> Message:
        """Add one message to a thread. Never retried, for the same reason as `add`."""
        request = self._build(
            AddMessagesRequest, Messages=[{"ThreadId": thread_id, "Text": text, "Identifier": identifier}]
        )
        response = await self._post("/messages/add", request, AddMessagesResponse)
        return response.Messages[0].Message

    async def _read(self, path: str, request: AuthenticatedRequest, response_model: type[Model]) -> Model:
        """A read is safe to repeat: network, 5xx and 429 failures are retried with backoff."""
        retrying = AsyncRetrying(
            stop=stop_after_attempt(self._max_attempts),
            retry=retry_if_exception(lambda exc: isinstance(exc, ApiError) and exc.is_retryable),
            wait=self._retry_wait,
            sleep=self._sleep,
            reraise=True,
        )
        return await retrying(self._post, path, request, response_model)

    def _build(self, model: type[Model], **fields: object) -> Model:
        try:
            return model(
                ClientToken=self._client_token,
                AccessToken=self._access_token,
                Client=self._client_name,
                **fields,
            )
        except ValidationError as exc:
            raise errors.BadRequestError(
                f"connector-inbox refused to send an invalid request ({_first_error(exc)}).",
                may_have_reached_server=False,
            ) from None

    async def _post(self, path: str, request: AuthenticatedRequest, response_model: type[Model]) -> Model:
        limiter, paginated = self._rate_limiter, hasattr(request, "Limitation")
        body = request.to_wire()
        started = time.perf_counter()
        try:
            async with limiter.slot(path, paginated=paginated) if limiter else contextlib.nullcontext():
                response = await self._http.post(path, json=body)
        except httpx.TransportError as exc:
            log.info("POST %s failed after %.0f ms: %s", path, _ms_since(started), type(exc).__name__)
            raise network_error(exc) from None
        log.info(
            "POST %s -> %s in %.0f ms (request id %s)",
            path,
            response.status_code,
            _ms_since(started),
            request_id_of(response),
        )
        if response.status_code != 200:
            raise status_error(response, self._redact)
        try:
            return response_model.model_validate_json(response.content)
        except ValidationError as exc:
            raise errors.ProtocolError(
                server_message=self._redact(_first_error(exc)),
                request_id=request_id_of(response),
            ) from None

    def _redact(self, text: str) -> str:
        return redact(text, [self._client_token.get_secret_value(), self._access_token.get_secret_value()])

    def _retry_wait(self, state: RetryCallState) -> float:
        """Exponential backoff with jitter, or the server's Retry-After when it gave one.

        Retry-After gets up to 10 % of jitter on top, so that clients told the same
        moment do not all come back in the same instant.
        """
        exc = state.outcome.exception() if state.outcome else None
        if isinstance(exc, errors.RateLimitedError) and exc.retry_after is not None:
            return min(exc.retry_after * (1 + RETRY_AFTER_JITTER * self._jitter()), MAX_RETRY_WAIT)
        ceiling = self._backoff_base * 2 ** (state.attempt_number - 1)
        return min(ceiling * (0.5 + self._jitter() / 2), MAX_RETRY_WAIT)


def _first_error(exc: ValidationError) -> str:
    first = exc.errors()[0]
    where = ".".join(str(part) for part in first["loc"]) or "body"
    return f"{where}: {first['msg']}"


def _ms_since(started: float) -> float:
    return (time.perf_counter() - started) * 1000

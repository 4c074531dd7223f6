"""The simulator: a Starlette app serving the message-thread and message operations.

It is a second, independent reading of the API page (nothing here comes from
`inbox_tui.api`), strict where the platform is strict, so that the client's
mistakes show up as the platform's 400s instead of being shared silently.
"""

from __future__ import annotations

import asyncio
import json
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from functools import cached_property
from typing import Any

from starlette.applications import Starlette
from starlette.requests import ClientDisconnect, Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route

from inbox_tui.simulator.conversations import MessageStore, SimMessage
from inbox_tui.simulator.data import SimThread, generate_threads
from inbox_tui.simulator.faults import Fault, FaultPlan
from inbox_tui.simulator.limits import RequestLimits
from inbox_tui.simulator.living import LivingHotel
from inbox_tui.simulator.store import ThreadStore, UnknownCursor
from inbox_tui.simulator.validation import (
    MAX_IDS,
    NOT_JSON,
    InvalidRequest,
    interval,
    limitation,
    request_object,
    thread_ids,
)

DEMO_CLIENT_TOKEN = "E0D439EE522F44368DC78E1BFB03710C-D24FB11DBE31D4621C4817E028D9E1D"
DEMO_ACCESS_TOKEN = "C66EF7B239D24632943D115EDE9CB810-EA00F8FD8294692C940F6B5A8F9453D"
PREFIX = "/api/connector/v1"


class Forbidden(ValueError):
    """Answered with 403 and this message: a business rule, not a malformed request."""


@dataclass
class LoggedRequest:
    """One request as received; `status` and `answer` are filled in once it is answered."""

    endpoint: str
    body: Any
    status: int | None = None
    answer: Any = None


@dataclass
class Simulator:
    """The whole fake platform: data, clock, tokens, faults, limits and a request log."""

    store: ThreadStore
    messages: MessageStore = field(default_factory=lambda: MessageStore(seed=0))
    clock: Callable[[], datetime] = lambda: datetime.now(UTC)
    client_token: str = DEMO_CLIENT_TOKEN
    access_token: str = DEMO_ACCESS_TOKEN
    faults: FaultPlan = field(default_factory=FaultPlan)
    limits: RequestLimits | None = None
    log: list[LoggedRequest] = field(default_factory=list)
    living: LivingHotel | None = None
    """A hotel where things happen (demo mode, the `simulator` command); off in tests."""

    @classmethod
    def seeded(
        cls, threads: int = 3000, seed: int = 7, now: datetime | None = None, **options: Any
    ) -> Simulator:
        """A simulator with `threads` generated threads over the two years before `now`."""
        anchor = now or datetime.now(UTC)
        store = ThreadStore(generate_threads(threads, seed, anchor), seed=seed)
        if now is not None:
            options.setdefault("clock", lambda: now)
        return cls(store=store, messages=MessageStore(seed), **options)

    def enforce_limits(self, environment: str = "demo", clock: Callable[[], float] = time.monotonic) -> None:
        self.limits = RequestLimits(environment, clock)

    @cached_property
    def app(self) -> Starlette:
        return Starlette(
            routes=[
                Route(f"{PREFIX}/messageThreads/getAll", self._get_all, methods=["POST"]),
                Route(f"{PREFIX}/messageThreads/add", self._add, methods=["POST"]),
                Route(f"{PREFIX}/messages/getAll", self._get_messages, methods=["POST"]),
                Route(f"{PREFIX}/messages/add", self._add_messages, methods=["POST"]),
            ]
        )

    def come_alive(self, seed: int = 7) -> None:
        """From now on, staff answer and guests write (`LivingHotel`)."""
        self.living = LivingHotel(seed, self.clock())

    def add_thread(self, sender: str, subject: str, now: datetime) -> SimThread:
        """A new thread, with no messages yet (seeded threads get a seeded conversation)."""
        thread = self.store.add(sender, subject, now)
        self.messages.start_conversation(thread)
        return thread

    def requests_to(self, endpoint: str) -> list[LoggedRequest]:
        return [entry for entry in self.log if entry.endpoint == endpoint]

    async def _get_all(self, request: Request) -> Response:
        return await self._serve("getAll", request, self._answer_get_all)

    async def _add(self, request: Request) -> Response:
        return await self._serve("add", request, self._answer_add)

    async def _get_messages(self, request: Request) -> Response:
        return await self._serve("messages-getAll", request, self._answer_get_messages)

    async def _add_messages(self, request: Request) -> Response:
        return await self._serve("messages-add", request, self._answer_add_messages)

    async def _serve(
        self, endpoint: str, request: Request, answer: Callable[[dict[str, Any]], dict[str, Any]]
    ) -> Response:
        if self.living is not None:
            self.living.catch_up(self)
        try:
            raw = await request.body()
        except ClientDisconnect:  # gone before its request was whole: it never reached the platform
            return Response(status_code=499)  # nginx's "client closed request"; nobody reads it
        try:
            parsed: Any = json.loads(raw)
        except ValueError:
            parsed = NOT_JSON
        # Logged on arrival: a request whose answer is delayed or lost still happened.
        entry = LoggedRequest(endpoint, None if parsed is NOT_JSON else parsed)
        self.log.append(entry)
        response, entry.answer = await self._respond(endpoint, parsed, answer)
        entry.status = response.status_code
        return response

    async def _respond(
        self, endpoint: str, parsed: Any, answer: Callable[[dict[str, Any]], dict[str, Any]]
    ) -> tuple[Response, Any]:
        if self.faults.latency:
            await asyncio.sleep(self.faults.latency)
        fault = self.faults.take(endpoint)
        if fault is not None and fault.delay and not fault.after_commit:
            await asyncio.sleep(fault.delay)
        try:
            body = request_object(parsed)
            if fault is not None and fault.is_answer and not fault.after_commit:
                return _fault_response(fault), None
            self._authenticate(body)
            if self.limits is not None:
                wait = self.limits.check(body["AccessToken"], endpoint, "Limitation" in body)
                if wait is not None:
                    return _error(429, "Too many requests.", {"Retry-After": str(wait)}), None
            payload = answer(body)
        except InvalidRequest as exc:
            return _error(400, str(exc)), None
        except Forbidden as exc:
            return _error(403, str(exc)), None
        except PermissionError as exc:
            return _error(401, str(exc)), None
        if fault is not None and fault.after_commit:
            # The platform acted; now the answer is lost (slow) or replaced (status).
            await asyncio.sleep(fault.delay)
            if fault.is_answer:
                return _fault_response(fault), None
        return JSONResponse(payload), payload

    def _authenticate(self, body: dict[str, Any]) -> None:
        for name in ("ClientToken", "AccessToken", "Client"):
            if not isinstance(body.get(name), str) or not body[name]:
                raise InvalidRequest(f"Missing or invalid {name}.")
        if body["ClientToken"] != self.client_token:
            raise PermissionError("Invalid ClientToken.")
        if body["AccessToken"] != self.access_token:
            raise PermissionError("Invalid AccessToken.")

    def _answer_get_all(self, body: dict[str, Any]) -> dict[str, Any]:
        ids = thread_ids(body)
        created = interval(body, "CreatedUtc")
        updated = interval(body, "UpdatedUtc")
        if not ids and created is None and updated is None:
            raise InvalidRequest("At least one of MessageThreadIds, CreatedUtc or UpdatedUtc is required.")
        cursor, count = limitation(body)
        try:
            threads = self.store.query(ids=ids, created=created, updated=updated, cursor=cursor, count=count)
        except UnknownCursor:
            raise InvalidRequest("Invalid Cursor.") from None
        return {
            "MessageThreads": [_thread_json(thread) for thread in threads],
            "Cursor": threads[-1].id if threads else None,
        }

    def _answer_add(self, body: dict[str, Any]) -> dict[str, Any]:
        for name in ("OriginalSender", "Subject"):
            if not isinstance(body.get(name), str) or not body[name].strip():
                raise InvalidRequest(f"Missing or invalid {name}.")
        thread = self.add_thread(body["OriginalSender"], body["Subject"], self.clock())
        return {"MessageThreads": [_thread_json(thread, with_resolved=True)]}

    def _answer_get_messages(self, body: dict[str, Any]) -> dict[str, Any]:
        ids = thread_ids(body)
        if not ids:
            raise InvalidRequest("MessageThreadIds is required.")
        created = interval(body, "CreatedUtc", months=1)
        cursor, count = limitation(body)
        # Only threads this integration created have messages it may read; others add nothing.
        threads = [thread for thread in map(self.store.get, dict.fromkeys(ids)) if thread is not None]
        try:
            messages = self.messages.query(threads, created=created, cursor=cursor, count=count)
        except UnknownCursor:
            raise InvalidRequest("Invalid Cursor.") from None
        return {
            "Messages": [_message_json(message, "MessageThreadId") for message in messages],
            "Cursor": messages[-1].id if messages else None,
        }

    def _answer_add_messages(self, body: dict[str, Any]) -> dict[str, Any]:
        items = body.get("Messages")
        if not isinstance(items, list) or not items or not all(isinstance(item, dict) for item in items):
            raise InvalidRequest("Messages must be a non-empty array of objects.")
        if len(items) > MAX_IDS:
            raise InvalidRequest(f"Messages may contain at most {MAX_IDS} items.")
        wanted = []
        for index, item in enumerate(items):
            # The docs' table says ThreadId, their example MessageThreadId: both are accepted.
            thread_id = item.get("ThreadId", item.get("MessageThreadId"))
            text, identifier = item.get("Text"), item.get("Identifier")
            if not isinstance(thread_id, str) or not thread_id:
                raise InvalidRequest(f"Messages[{index}].ThreadId is required.")
            if not isinstance(text, str) or not text.strip():
                raise InvalidRequest(f"Messages[{index}].Text is required.")
            if identifier is not None and not isinstance(identifier, str):
                raise InvalidRequest(f"Messages[{index}].Identifier must be a string.")
            thread = self.store.get(thread_id)
            if thread is None:
                raise Forbidden(
                    f"Message thread {thread_id} does not exist or was not created by this client."
                )
            wanted.append((thread, text, identifier))
        now = self.clock()
        added = [(self.messages.add(thread, text, now), identifier) for thread, text, identifier in wanted]
        if self.living is not None:
            for thread, _, _ in wanted:
                self.living.reply_received(thread, now)
        return {
            "Messages": [
                {"Identifier": identifier, "Message": _message_json(message, "ThreadId")}
                for message, identifier in added
            ]
        }


def _thread_json(thread: SimThread, *, with_resolved: bool = False) -> dict[str, Any]:
    data: dict[str, Any] = {
        "Id": thread.id,
        "OriginalSender": thread.sender,
        "Subject": thread.subject,
        "CreatedUtc": _dotnet_time(thread.created),
        "UpdatedUtc": _dotnet_time(thread.updated),
    }
    if with_resolved:
        data["IsResolved"] = thread.is_resolved
    return data


def _message_json(message: SimMessage, thread_field: str) -> dict[str, Any]:
    # getAll names the thread MessageThreadId, add names it ThreadId, as the docs show.
    return {
        "Id": message.id,
        thread_field: message.thread_id,
        "Text": message.text,
        "Sender": {"Discriminator": message.sender},
        "CreatedUtc": _dotnet_time(message.created),
    }


def _dotnet_time(moment: datetime) -> str:
    # The platform is .NET: seven fractional digits when there is a fraction.
    text = moment.strftime("%Y-%m-%dT%H:%M:%S")
    if moment.microsecond:
        text += f".{moment.microsecond:06d}0"
    return text + "Z"


def _error(status: int, message: str, headers: dict[str, str] | None = None) -> Response:
    return JSONResponse({"Message": message}, status_code=status, headers=headers)


def _fault_response(fault: Fault) -> Response:
    headers = {"Retry-After": fault.retry_after} if fault.retry_after else None
    return Response(
        fault.error_body(), status_code=fault.status, media_type=fault.content_type, headers=headers
    )

"""The simulator: a Starlette app serving the two message-thread operations.

It is a second, independent reading of the API page (nothing here comes from
`inbox_tui.api`), strict where the platform is strict, so that the client's
mistakes show up as the platform's 400s instead of being shared silently.
"""

from __future__ import annotations

import asyncio
import calendar
import json
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from functools import cached_property
from typing import Any

from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route

from inbox_tui.simulator.data import SimThread, generate_threads
from inbox_tui.simulator.faults import Fault, FaultPlan
from inbox_tui.simulator.limits import RequestLimits
from inbox_tui.simulator.store import ThreadStore, UnknownCursor

DEMO_CLIENT_TOKEN = "E0D439EE522F44368DC78E1BFB03710C-D24FB11DBE31D4621C4817E028D9E1D"
DEMO_ACCESS_TOKEN = "C66EF7B239D24632943D115EDE9CB810-EA00F8FD8294692C940F6B5A8F9453D"
PREFIX = "/api/connector/v1/messageThreads"


_NOT_JSON = object()


class InvalidRequest(ValueError):
    """Answered with 400 and this message."""


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
    clock: Callable[[], datetime] = lambda: datetime.now(UTC)
    client_token: str = DEMO_CLIENT_TOKEN
    access_token: str = DEMO_ACCESS_TOKEN
    faults: FaultPlan = field(default_factory=FaultPlan)
    limits: RequestLimits | None = None
    log: list[LoggedRequest] = field(default_factory=list)

    @classmethod
    def seeded(
        cls, threads: int = 3000, seed: int = 7, now: datetime | None = None, **options: Any
    ) -> Simulator:
        """A simulator with `threads` generated threads over the two years before `now`."""
        anchor = now or datetime.now(UTC)
        store = ThreadStore(generate_threads(threads, seed, anchor), seed=seed)
        if now is not None:
            options.setdefault("clock", lambda: now)
        return cls(store=store, **options)

    def enforce_limits(self, environment: str = "demo", clock: Callable[[], float] = time.monotonic) -> None:
        self.limits = RequestLimits(environment, clock)

    @cached_property
    def app(self) -> Starlette:
        return Starlette(
            routes=[
                Route(f"{PREFIX}/getAll", self._get_all, methods=["POST"]),
                Route(f"{PREFIX}/add", self._add, methods=["POST"]),
            ]
        )

    def requests_to(self, endpoint: str) -> list[LoggedRequest]:
        return [entry for entry in self.log if entry.endpoint == endpoint]

    async def _get_all(self, request: Request) -> Response:
        return await self._serve("getAll", request, self._answer_get_all)

    async def _add(self, request: Request) -> Response:
        return await self._serve("add", request, self._answer_add)

    async def _serve(
        self, endpoint: str, request: Request, answer: Callable[[dict[str, Any]], dict[str, Any]]
    ) -> Response:
        raw = await request.body()
        try:
            parsed: Any = json.loads(raw)
        except ValueError:
            parsed = _NOT_JSON
        # Logged on arrival: a request whose answer is delayed or lost still happened.
        entry = LoggedRequest(endpoint, None if parsed is _NOT_JSON else parsed)
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
            body = _request_object(parsed)
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
        ids = body.get("MessageThreadIds")
        if ids is not None and (not isinstance(ids, list) or not all(isinstance(item, str) for item in ids)):
            raise InvalidRequest("MessageThreadIds must be an array of strings.")
        if ids is not None and len(ids) > 1000:
            raise InvalidRequest("MessageThreadIds may contain at most 1000 items.")
        created = _interval(body, "CreatedUtc")
        updated = _interval(body, "UpdatedUtc")
        if not ids and created is None and updated is None:
            raise InvalidRequest("At least one of MessageThreadIds, CreatedUtc or UpdatedUtc is required.")
        cursor, count = _limitation(body)
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
        thread = self.store.add(body["OriginalSender"], body["Subject"], self.clock())
        return {"MessageThreads": [_thread_json(thread, with_resolved=True)]}


def _request_object(parsed: Any) -> dict[str, Any]:
    if parsed is _NOT_JSON:
        raise InvalidRequest("The request body is not valid JSON.")
    if not isinstance(parsed, dict):
        raise InvalidRequest("The request body must be a JSON object.")
    return parsed


def _interval(body: dict[str, Any], name: str) -> tuple[datetime, datetime] | None:
    value = body.get(name)
    if value is None:
        return None
    if not isinstance(value, dict):
        raise InvalidRequest(f"{name} must be an object with StartUtc and EndUtc.")
    start = _utc(value.get("StartUtc"), f"{name}.StartUtc")
    end = _utc(value.get("EndUtc"), f"{name}.EndUtc")
    if start > end:
        raise InvalidRequest(f"{name}.StartUtc must not be after {name}.EndUtc.")
    if end > _three_months_after(start):
        raise InvalidRequest(f"{name} interval must not be longer than 3 months.")
    return start, end


def _utc(value: Any, name: str) -> datetime:
    if not isinstance(value, str):
        raise InvalidRequest(f"{name} is required.")
    try:
        moment = datetime.fromisoformat(value)
    except ValueError:
        raise InvalidRequest(f"{name} is not an ISO 8601 date and time.") from None
    return moment.replace(tzinfo=UTC) if moment.tzinfo is None else moment.astimezone(UTC)


def _three_months_after(moment: datetime) -> datetime:
    month = moment.month + 3
    year = moment.year + (month - 1) // 12
    month = (month - 1) % 12 + 1
    last_day = calendar.monthrange(year, month)[1]
    return moment.replace(year=year, month=month, day=min(moment.day, last_day))


def _limitation(body: dict[str, Any]) -> tuple[str | None, int]:
    limitation = body.get("Limitation")
    if not isinstance(limitation, dict):
        raise InvalidRequest("Limitation is required.")
    count = limitation.get("Count")
    if not isinstance(count, int) or isinstance(count, bool) or not 1 <= count <= 1000:
        raise InvalidRequest("Limitation.Count must be between 1 and 1000.")
    cursor = limitation.get("Cursor")
    if cursor is not None and not isinstance(cursor, str):
        raise InvalidRequest("Limitation.Cursor must be a string.")
    return cursor, count


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

"""Reading a request as the platform does: the body, Ids, intervals and the Limitation, or a 400."""

from __future__ import annotations

import calendar
from datetime import UTC, datetime
from typing import Any

MAX_IDS = 1000
NOT_JSON = object()
"""What a body that is not JSON reads as."""


class InvalidRequest(ValueError):
    """Answered with 400 and this message."""


def request_object(parsed: Any) -> dict[str, Any]:
    if parsed is NOT_JSON:
        raise InvalidRequest("The request body is not valid JSON.")
    if not isinstance(parsed, dict):
        raise InvalidRequest("The request body must be a JSON object.")
    return parsed


def thread_ids(body: dict[str, Any]) -> list[str] | None:
    ids = body.get("MessageThreadIds")
    if ids is not None and (not isinstance(ids, list) or not all(isinstance(item, str) for item in ids)):
        raise InvalidRequest("MessageThreadIds must be an array of strings.")
    if ids is not None and len(ids) > MAX_IDS:
        raise InvalidRequest(f"MessageThreadIds may contain at most {MAX_IDS} items.")
    return ids


def interval(body: dict[str, Any], name: str, months: int = 3) -> tuple[datetime, datetime] | None:
    value = body.get(name)
    if value is None:
        return None
    if not isinstance(value, dict):
        raise InvalidRequest(f"{name} must be an object with StartUtc and EndUtc.")
    start = utc(value.get("StartUtc"), f"{name}.StartUtc")
    end = utc(value.get("EndUtc"), f"{name}.EndUtc")
    if start > end:
        raise InvalidRequest(f"{name}.StartUtc must not be after {name}.EndUtc.")
    if end > months_after(start, months):
        raise InvalidRequest(f"{name} interval must not be longer than {months} month{'s' * (months > 1)}.")
    return start, end


def utc(value: Any, name: str) -> datetime:
    if not isinstance(value, str):
        raise InvalidRequest(f"{name} is required.")
    try:
        moment = datetime.fromisoformat(value)
    except ValueError:
        raise InvalidRequest(f"{name} is not an ISO 8601 date and time.") from None
    return moment.replace(tzinfo=UTC) if moment.tzinfo is None else moment.astimezone(UTC)


def months_after(moment: datetime, months: int) -> datetime:
    month = moment.month + months
    year = moment.year + (month - 1) // 12
    month = (month - 1) % 12 + 1
    last_day = calendar.monthrange(year, month)[1]
    return moment.replace(year=year, month=month, day=min(moment.day, last_day))


def limitation(body: dict[str, Any]) -> tuple[str | None, int]:
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

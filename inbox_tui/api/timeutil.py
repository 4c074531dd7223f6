"""Calendar arithmetic and the wire format of times, shared by models and pager."""

from __future__ import annotations

import calendar
from datetime import UTC, datetime


def add_months(moment: datetime, months: int) -> datetime:
    """Move by whole calendar months, clamping the day (31 January + 1 month = 28/29 February)."""
    index = moment.year * 12 + moment.month - 1 + months
    year, month = divmod(index, 12)
    day = min(moment.day, calendar.monthrange(year, month + 1)[1])
    return moment.replace(year=year, month=month + 1, day=day)


def format_utc(moment: datetime) -> str:
    """ISO 8601 in UTC with a `Z`, the form the API's examples use."""
    text = moment.astimezone(UTC).replace(tzinfo=None).isoformat()
    return f"{text}Z"

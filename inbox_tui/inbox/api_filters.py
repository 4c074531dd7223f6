"""The API's own filters, as a person types them: time ranges of any length and lists of Ids.

A range is walked back in the API's 3-month windows by `ThreadPager` (`by`, `until`,
`history_start`); a list of Ids is asked for 1,000 at a time by `IdPager`. No Textual.
"""

from __future__ import annotations

import re
import uuid
from dataclasses import dataclass, replace
from datetime import UTC, datetime, timedelta
from typing import TYPE_CHECKING, Literal

from inbox_tui.api.limits import MAX_THREAD_IDS
from inbox_tui.api.timeutil import add_months

if TYPE_CHECKING:
    from inbox_tui.api.client import ConnectorClient
    from inbox_tui.api.models import MessageThread
    from inbox_tui.api.walk import Pager, WalkSettings

_RELATIVE = re.compile(r"^(\d+)\s*([hdwmy])$")
_SEPARATORS = re.compile(r"[\s,;]+")


LAST_MOMENT_OF_A_DAY = timedelta(days=1) - timedelta(microseconds=1)


def parse_moment(text: str, now: datetime, *, is_end: bool = False) -> datetime:
    """`12h`, `7d`, `2w`, `3m`, `1y` ago, or an ISO date or date and time (UTC unless it says).

    A date alone is the start of that day, or, as the end of a range (`is_end`), the
    whole of it: `..2026-11-30` includes the 30th, as in notmuch and mu.
    """
    text = text.strip().lower()
    relative = _RELATIVE.match(text)
    if relative:
        amount, unit = int(relative[1]), relative[2]
        if unit == "h":
            return now - timedelta(hours=amount)
        if unit == "d":
            return now - timedelta(days=amount)
        if unit == "w":
            return now - timedelta(weeks=amount)
        return add_months(now, -amount * (12 if unit == "y" else 1))
    try:
        moment = datetime.fromisoformat(text.upper() if "t" in text else text)
    except ValueError:
        raise ValueError(f"{text!r} is not a date (2026-11-01) or an age (12h, 7d, 2w, 3m, 1y)") from None
    if is_end and "t" not in text and ":" not in text:
        moment += LAST_MOMENT_OF_A_DAY
    return moment.replace(tzinfo=UTC) if moment.tzinfo is None else moment.astimezone(UTC)


def parse_thread_ids(text: str) -> list[str]:
    """Ids separated by spaces, commas or lines, each a GUID; duplicates kept once, in order."""
    ids: dict[str, None] = {}
    invalid = []
    for part in filter(None, _SEPARATORS.split(text)):
        try:
            ids[str(uuid.UUID(part))] = None
        except ValueError:
            invalid.append(part)
    if invalid:
        shown = ", ".join(repr(part[:40]) for part in invalid[:3])
        more = f" and {len(invalid) - 3} more" if len(invalid) > 3 else ""
        raise ValueError(f"not a thread Id (a GUID): {shown}{more}")
    return list(ids)


@dataclass(frozen=True)
class ApiFilter:
    """What the platform is asked for instead of the whole history."""

    by: Literal["CreatedUtc", "UpdatedUtc"] | None = None
    start: datetime | None = None
    end: datetime | None = None
    thread_ids: tuple[str, ...] = ()

    def describe(self) -> str:
        if self.thread_ids:
            return f"{len(self.thread_ids):,} thread Ids"
        word = "created" if self.by == "CreatedUtc" else "updated"
        start = f"{self.start:%Y-%m-%d}" if self.start else "…"
        end = f"{self.end:%Y-%m-%d}" if self.end else "now"
        return f"{word} {start} – {end}"


WHOLE_RANGE = 10**6
"""Empty windows a range's walk goes on through: a range of the user's is walked to its start."""


def filtered_pager(api_filter: ApiFilter, client: ConnectorClient, settings: WalkSettings) -> Pager:
    """The pager for `api_filter`: Ids in batches, or the range walked back in windows."""
    from inbox_tui.api.pager import ThreadPager

    if api_filter.thread_ids:
        return IdPager(client, api_filter.thread_ids, settings.page_size)
    # Without a start, the walk goes back as far as the settings' history_start.
    walk = replace(
        settings,
        max_empty_windows=WHOLE_RANGE,
        history_start=api_filter.start or settings.history_start,
    )
    return ThreadPager(client, walk, by=api_filter.by or "CreatedUtc", until=api_filter.end)


class IdPager:
    """Threads by Id: up to 1,000 Ids a request, each batch asked for once."""

    def __init__(self, client: ConnectorClient, thread_ids: tuple[str, ...], page_size: int = 100) -> None:
        self._client = client
        self._waiting = list(thread_ids)
        self._ready: list[MessageThread] = []
        self.page_size = page_size
        self.requests_made = 0

    @property
    def is_exhausted(self) -> bool:
        return not self._waiting and not self._ready

    @property
    def reach(self) -> str:
        return ""

    def walk_state(self) -> None:
        """A list of Ids is asked for again whole: nothing to resume."""
        return None

    async def next_page(self, size: int | None = None) -> list[MessageThread]:
        size = size or self.page_size
        while len(self._ready) < size and self._waiting:
            batch = self._waiting[:MAX_THREAD_IDS]
            response = await self._client.get_all(thread_ids=batch, count=len(batch))
            self.requests_made += 1
            del self._waiting[: len(batch)]
            self._ready.extend(response.MessageThreads)
        page, self._ready = self._ready[:size], self._ready[size:]
        return page

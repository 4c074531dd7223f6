"""What every pager is: the `Pager` protocol, the settings of a walk and where one stands.

The history walk (`ThreadPager`), the update order (`UpdateOrderPager`) and the
list of Ids (`IdPager`) all satisfy `Pager`, so the list, export and the commands
ask any of them the same way. Standard library only: the feed imports this before
the first frame, when pydantic is not loaded yet.
"""

from __future__ import annotations

from collections.abc import Callable, Collection
from dataclasses import asdict, dataclass
from datetime import UTC, datetime
from typing import TYPE_CHECKING, Any, Protocol

if TYPE_CHECKING:
    from inbox_tui.api.models import MessageThread

DEFAULT_MAX_EMPTY_WINDOWS = 8
"""Eight empty windows is about two years of silence: a quiet season is not the end."""
DEFAULT_HISTORY_START = datetime(2010, 1, 1, tzinfo=UTC)


def utc_now() -> datetime:
    return datetime.now(UTC)


@dataclass(frozen=True)
class WalkSettings:
    """What the settings say about every walk over the history."""

    page_size: int = 100
    history_start: datetime = DEFAULT_HISTORY_START
    max_empty_windows: int = DEFAULT_MAX_EMPTY_WINDOWS
    now: Callable[[], datetime] = utc_now


@dataclass(frozen=True)
class WalkState:
    """Where a walk back through the 3-month windows stands: enough to go on in another session."""

    window_end: datetime
    cursor: str | None
    window_had_threads: bool
    empty_windows: int
    is_exhausted: bool

    def to_json(self) -> dict[str, Any]:
        return {**asdict(self), "window_end": self.window_end.isoformat()}

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> WalkState:
        return cls(**{**data, "window_end": datetime.fromisoformat(data["window_end"])})


@dataclass(frozen=True)
class Resume:
    """A walk to go on with, and the threads it has handed out already (not handed out again)."""

    walk: WalkState
    seen: Collection[str]


class Pager(Protocol):
    """Pages of threads, newest first (by creation, or by update for the update order)."""

    @property
    def page_size(self) -> int: ...

    @property
    def requests_made(self) -> int: ...

    @property
    def is_exhausted(self) -> bool: ...

    @property
    def reach(self) -> str:
        """How far the walk has come, for progress lines ("back to 2026-01-31"), or ""."""
        ...

    def walk_state(self) -> WalkState | None:
        """Where to resume from; None for what is never cached (a list of Ids, the update order)."""
        ...

    async def next_page(self, size: int | None = None) -> list[MessageThread]:
        """The next `size` (by default `page_size`) threads; an empty list once exhausted."""
        ...


NewPager = Callable[[], Pager]
"""A fresh walk from the newest thread."""
ResumePager = Callable[[Resume], Pager]
"""The history walk, going on where an earlier one stood."""

"""Which walk fills the list: the history by creation (cached, so resumed), by last update, or a filter.

Imported before the first frame, so the pagers (pydantic models underneath) are
imported only when a walk is made.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Literal

if TYPE_CHECKING:
    from inbox_tui.api.client import ConnectorClient
    from inbox_tui.api.walk import Pager, Resume, WalkSettings
    from inbox_tui.inbox.api_filters import ApiFilter
    from inbox_tui.inbox.thread_feed import ThreadFeed

Order = Literal["created", "updated"]


@dataclass(frozen=True)
class Walks:
    """The walks of one client and its settings."""

    client: ConnectorClient
    settings: WalkSettings

    def history(self) -> Pager:
        from inbox_tui.api.pager import ThreadPager

        return ThreadPager(self.client, self.settings)

    def resumed(self, resume: Resume) -> Pager:
        from inbox_tui.api.pager import ThreadPager

        return ThreadPager(self.client, self.settings, resume=resume.walk, seen=resume.seen)

    def by_update(self) -> Pager:
        from inbox_tui.api.pager import UPDATE_ORDER_WINDOW, ThreadPager, UpdateOrderPager

        return UpdateOrderPager(
            ThreadPager(self.client, self.settings, by="UpdatedUtc", window=UPDATE_ORDER_WINDOW)
        )


def connect_feed(feed: ThreadFeed, walks: Walks, order: Order, api_filter: ApiFilter | None) -> None:
    """The feed's walks for the view shown: only the history (creation order) is cached and
    so resumed; the update order and a filter's rows start from the newest each time."""
    page_size = walks.settings.page_size
    if api_filter is not None:
        from inbox_tui.inbox.api_filters import filtered_pager

        feed.connect(
            lambda: filtered_pager(api_filter, walks.client, walks.settings),
            walks.client,
            page_size=page_size,
        )
    elif order == "updated":
        feed.connect(walks.by_update, walks.client, page_size=page_size)
    else:
        feed.connect(walks.history, walks.client, page_size=page_size, resume_pager=walks.resumed)

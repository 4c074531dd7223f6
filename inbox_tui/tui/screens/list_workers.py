"""The list's workers for MainScreen: loading pages, refreshing, revalidating what the cache
showed, polling, and the title and status line they leave.

What to load, retry or poll, and when, is decided by `ListLoading` (no Textual); this
runs the workers and draws what they bring. A refresh runs in the same exclusive worker
group as a page load, so it cancels one in flight.
"""

from __future__ import annotations

from collections.abc import Callable

from textual import on, work
from textual.screen import Screen
from textual.timer import Timer

from inbox_tui.api.errors import ApiError
from inbox_tui.inbox.list_loading import ListLoading
from inbox_tui.tui.inbox_services import InboxServices
from inbox_tui.tui.messages import ListReloaded, LoadFailed, PageLoaded, Polled, RowsMerged
from inbox_tui.tui.widgets.status_bar import StatusBar
from inbox_tui.tui.widgets.thread_detail import ThreadDetail
from inbox_tui.tui.widgets.thread_list import ThreadList

LOADING_ROW = "Loading older threads…"
END_ROW = "── end of history ──"
VIEW_WORDS = {"unread": "unread", "waiting": "known to wait on us"}
"""What the rows of a triage view (`v`) are: said as known, for a thread whose newest message
has not been seen is not guessed. A view holds loaded threads only (scrolling loads no more),
and keeps those it showed while their marks change (`ShownRows`)."""
HEAD_START_GRACE = 0.25
"""Seconds the first frame waits for the head start's page before connecting without it."""


class ListWorkers(Screen[None]):
    """The base of MainScreen that keeps its list filled and current."""

    app: InboxServices
    is_searching: bool
    """Search results are showing (FindActions): the list does not load on meanwhile."""
    triage_changed: Callable[[], None]

    def __init__(self) -> None:
        super().__init__()
        self._loading = ListLoading()
        self._poll_timer: Timer | None = None

    @property
    def _refresh_key(self) -> str:
        return self.app.key_for("refresh")

    @property
    def thread_list(self) -> ThreadList:
        return self.query_one(ThreadList)

    @on(ThreadList.NearEnd)
    def _load_more(self) -> None:
        if self.is_searching:
            return  # search results are all there is; the list loads on when it comes back
        if not self._loading.can_load_more(
            is_connected=self.app.is_connected, is_exhausted=self.app.feed.is_exhausted
        ):
            return
        self._start_loading("Loading…")
        self.thread_list.set_status_row(LOADING_ROW)
        self._load_page(self._loading.generation)

    def _start_loading(self, progress: str) -> None:
        self._loading.start()
        self._say_progress(progress)

    def _show_waiting(self) -> None:
        waited = self._loading.waited()
        if waited is not None:
            cancel, quit_ = self.app.key_for("escape"), self.app.key_for("quit")
            self._say_progress(f"Waiting for the platform… {waited:.0f} s ({cancel} cancels, {quit_} quits)")

    def _took_first_page(self) -> bool:
        """Shows the rows a second process fetched while the app started, as cached rows are
        shown: the connection made next confirms them. Waited for a moment at most, on the UI
        thread as connecting is (every key after the first frame expects a connection): less
        than connecting and asking again would take, lost only when the platform is slow."""
        first_page, self.app.first_page = self.app.first_page, None
        if first_page is None or self.thread_list.threads:
            return False
        try:
            rows = first_page.result(timeout=HEAD_START_GRACE)
        except TimeoutError:
            return False
        if rows:
            self.app.feed.adopt(rows)
            self._loading.is_checking_cache = self._loading.is_head_start = True
            self.thread_list.append(rows)
            self._show_list_state()
        return bool(rows)

    @work(group="pages", exclusive=True)
    async def _load_page(self, generation: int) -> None:
        try:
            threads = await self.app.feed.next_page()
        except ApiError as error:
            self.post_message(LoadFailed(error, generation, was_refresh=False))
            return
        self.post_message(PageLoaded(threads, generation))

    @on(PageLoaded)
    def _page_loaded(self, message: PageLoaded) -> None:
        if not self._loading.is_current(message.generation):
            return
        self._loading.page_arrived()
        self.thread_list.prefetch_rows = self._loading.prefetch_rows(self.app.page_size)
        self.thread_list.append(message.threads)
        self._show_list_state()
        self.thread_list.check_near_end()
        if self.app.feed.has_unconfirmed and not self._loading.is_checking_cache:
            self._confirm_cached(self._loading.generation)

    @work(group="pages", exclusive=True)
    async def _reload(self, generation: int, highlight_id: str | None, loaded: int) -> None:
        try:
            threads = await self.app.feed.reload(highlight_id, loaded)
        except ApiError as error:
            self.post_message(LoadFailed(error, generation, was_refresh=True))
            return
        self.post_message(ListReloaded(threads, highlight_id, generation))

    @on(ListReloaded)
    def _list_reloaded(self, message: ListReloaded) -> None:
        if not self._loading.is_current(message.generation):
            return
        self._loading.list_replaced()
        self.thread_list.replace(message.threads, message.highlight_id)
        self._show_list_state()
        self.notify(f"Refreshed: {len(message.threads):,} threads.", timeout=2)

    @on(LoadFailed)
    def _load_failed(self, message: LoadFailed) -> None:
        if not self._loading.is_current(message.generation):
            return
        self._loading.failed(was_refresh=message.was_refresh)
        error = message.error
        if message.was_refresh:
            what = "Refresh failed"
        elif self.thread_list.threads:
            what = "Loading older threads failed"
        else:
            what = "Loading threads failed"
        if not message.was_refresh:
            self.thread_list.set_status_row(f"⚠ {what}: press {self._refresh_key} to retry")
        else:
            self._show_list_state()
        self.query_one(StatusBar).say(f"{what}: {error} Press {self._refresh_key} to retry.", is_error=True)
        self.app.report_error(error, what)

    # Keeping the list current

    @work(group="revalidate", exclusive=True)
    async def _revalidate(self, generation: int) -> None:
        """The newest threads against the cached ones, then the cached rows by Id."""
        try:
            merge = await self.app.feed.revalidate()
        except ApiError as error:
            self.post_message(LoadFailed(error, generation, was_refresh=True))
            return
        self.post_message(RowsMerged(merge, generation, checked_cache=True))
        await self._confirm_all(generation)

    @work(group="revalidate", exclusive=True)
    async def _confirm_cached(self, generation: int) -> None:
        await self._confirm_all(generation)

    async def _confirm_all(self, generation: int) -> None:
        try:
            while self.app.feed.has_unconfirmed:
                self.post_message(RowsMerged(await self.app.feed.confirm_cached(), generation))
        except ApiError:
            return  # still marked as cached; the next page or refresh tries again

    @on(RowsMerged)
    def _rows_merged(self, message: RowsMerged) -> None:
        if not self._loading.is_current(message.generation):
            return
        merge = message.merge
        if message.checked_cache:
            self._loading.is_checking_cache = False
        self.thread_list.merge(merge.on_top, merge.replaced, merge.gone)
        self._show_list_state()

    def _schedule_poll(self, *, failed: bool = False) -> None:
        seconds = self.app.poll_seconds
        if seconds > 0:
            self._poll_timer = self.set_timer(self._loading.next_poll(seconds, failed=failed), self._poll_now)

    def _poll_now(self) -> None:
        if not self._loading.may_poll(is_in_front=self.app.screen is self):
            self._schedule_poll()
            return
        self._poll(self._loading.generation)

    @work(group="poll", exclusive=True)
    async def _poll(self, generation: int) -> None:
        try:
            merge, activity = await self.app.feed.poll(self.app.activity)
        except ApiError:
            self._schedule_poll(failed=True)
            return
        # Drawn from the screen's queue, as every worker's answer: an answer that arrives as
        # the app quits finds the screen's widgets gone, and its message is then dropped.
        self.post_message(Polled(merge, activity, generation))

    @on(Polled)
    def _polled(self, message: Polled) -> None:
        detail = self.query_one(ThreadDetail)
        self.app.note_activity(message.activity, detail.thread_id if detail.display else None)
        self.post_message(RowsMerged(message.merge, message.generation))
        if message.activity.messages:
            self.triage_changed()
        self.app.notifier.announce_activity(message.activity)
        self._schedule_poll()

    def _merge_waiting(self) -> None:
        self.thread_list.merge(self.app.feed.take_waiting(), [], [])
        self._show_list_state()

    def _show_list_state(self) -> None:
        is_exhausted = self.app.feed.is_exhausted
        self.thread_list.set_status_row(self._status_row(is_exhausted))
        count = len(self.thread_list.threads)
        if self.app.api_filter is not None:
            clear = self.app.key_for("clear_filters")
            view = f"filter: {self.app.api_filter.describe()} ({clear} clears)"
        else:
            view = "by last update" if self.app.order == "updated" else "by creation"
        if self.thread_list.view != "all":
            view += f" · only {self.thread_list.view}"
        self.app.sub_title = self._loading.title(
            self.app.environment,
            count,
            view,
            self.app.feed.waiting,
            self._refresh_key,
            len(self.app.triage.unread),
        )
        if self.thread_list.view == "all" or self._loading.is_checking_cache:
            self._say_progress(self._loading.progress(count, is_exhausted=is_exhausted))
        else:
            self._say_progress(f"{len(self.thread_list.shown):,} of {count:,} loaded threads in view.")

    def _status_row(self, is_exhausted: bool) -> str | None:
        """The row after the last thread: why a triage view is empty, the end, or loading."""
        if self.thread_list.view != "all" and not self.thread_list.shown:
            key = self.app.key_for("view")
            return f"No loaded thread is {VIEW_WORDS[self.thread_list.view]} ({key}: next view)"
        if is_exhausted:
            return END_ROW
        return LOADING_ROW if self._loading.is_loading else None

    def _say_progress(self, text: str) -> None:
        self.query_one(StatusBar).say(text)

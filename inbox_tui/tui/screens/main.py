"""MainScreen: the list, the detail, the status line, and the workers that fill them.

Only one page load is ever in flight (so no Cursor is asked for twice); a refresh
runs in the same exclusive worker group, so it cancels a page load in flight, and
a `generation` number drops any answer that belongs to the list it replaced.
"""

from __future__ import annotations

import math
import random
import time
from typing import TYPE_CHECKING

from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.screen import Screen
from textual.timer import Timer
from textual.widgets import Input

from inbox_tui.api.errors import ApiError
from inbox_tui.inbox.conversations import PREFETCH_AHEAD, PREFETCH_BEHIND
from inbox_tui.safe_text import clipped, printable
from inbox_tui.tui.focus_return import FocusReturn
from inbox_tui.tui.inbox_services import InboxServices
from inbox_tui.tui.messages import ListReloaded, LoadFailed, PageLoaded, RowsMerged
from inbox_tui.tui.screens.help import HelpScreen
from inbox_tui.tui.screens.new_thread import NewThreadScreen
from inbox_tui.tui.widgets.key_bar import KeyBar, TitleBar
from inbox_tui.tui.widgets.status_bar import StatusBar
from inbox_tui.tui.widgets.thread_detail import ThreadDetail
from inbox_tui.tui.widgets.thread_list import ThreadList

if TYPE_CHECKING:
    from inbox_tui.api.models import MessageThread
    from inbox_tui.inbox.api_filters import ApiFilter

NARROW_WIDTH = 110
FAST_READER_ROWS_PER_SECOND = 40  # holding down, with key repeat
MAX_POLL_BACKOFF = 15 * 60.0  # seconds between polls while they keep failing: one rate-limit window
LOADING_ROW = "Loading older threads…"
END_ROW = "── end of history ──"


class MainScreen(Screen[None]):
    BINDINGS = [
        Binding("n", "new_thread", "New thread", id="new_thread"),
        Binding("R", "reply", "Reply", id="reply"),
        Binding("r", "refresh", "Refresh", id="refresh"),
        Binding("slash", "filter", "Filter", id="filter"),
        Binding("f", "api_filter", "API filters", show=False, id="api_filter"),
        Binding("ctrl+l", "clear_filters", "Clear filters", show=False, id="clear_filters"),
        Binding("o", "toggle_order", "Order by last update / creation", show=False, id="order"),
        Binding("y", "copy_id", "Copy Id", show=False, id="copy_id"),
        Binding("Y", "copy_thread", "Copy thread", show=False, id="copy_thread"),
        Binding("tab", "switch_pane", "Pane", id="switch_pane"),
        Binding("question_mark", "help", "Help", id="help"),
        Binding("q", "app.quit", "Quit", id="quit"),
        Binding("escape", "escape", "Clear the filter or cancel loading", show=False, id="escape"),
    ]

    AUTO_FOCUS = "#threads"

    HIGHLIGHT_SETTLES_AFTER = 0.12
    """Seconds the highlight must stay on a row before its conversation is asked for;
    a held key repeats every 30-50 ms."""

    WAITING_NOTICE_AFTER = 2.0
    """Seconds a load may take before the status line counts the wait."""

    app: InboxServices

    def __init__(self) -> None:
        super().__init__()
        self._filter_focus_return = FocusReturn()
        self._is_checking_cache = False
        self._poll_failures = 0
        self._poll_timer: Timer | None = None
        self._settle_timer: Timer | None = None
        self._generation = 0
        self._is_loading = False
        self._loading_since = 0.0
        self._slowest_load = 0.0
        # A page failed or was cancelled: `r` retries it instead of refreshing.
        self._is_retry_pending = False

    def compose(self) -> ComposeResult:
        yield TitleBar(id="title-bar")
        with Horizontal(id="panes"):
            with Vertical(id="list-pane"):
                yield Input(placeholder="Filter loaded threads by subject or sender", id="filter")
                yield ThreadList(id="threads", now=self.app.now)
            yield ThreadDetail(id="detail")
        yield StatusBar(id="status")
        yield KeyBar(id="key-bar")

    @property
    def thread_list(self) -> ThreadList:
        return self.query_one(ThreadList)

    def on_mount(self) -> None:
        self.on_resize()
        self.set_interval(0.5, self._show_waiting)
        self._begin()

    def action_api_filter(self) -> None:
        if not self.app.is_connected:
            return
        from inbox_tui.tui.screens.api_filter import ApiFilterScreen

        self.app.push_screen(ApiFilterScreen(), self._api_filter_chosen)

    def _api_filter_chosen(self, api_filter: ApiFilter | None) -> None:
        if api_filter is None:
            return
        self.app.use_api_filter(api_filter)
        self.restart()

    def action_clear_filters(self) -> None:
        field = self.query_one("#filter", Input)
        if field.display:
            self._clear_filter()
        if self.app.api_filter is not None:
            self.app.use_order(self.app.order)
            self.restart()
            self.notify("Filters cleared: the whole history again.", timeout=2)

    def action_toggle_order(self) -> None:
        self.app.use_order("updated" if self.app.order == "created" else "created")
        self.restart()
        order = "last update" if self.app.order == "updated" else "creation, newest first"
        self.notify(f"Threads by {order}.", timeout=2)

    def restart(self) -> None:
        """Another profile's session, or another order: the list starts over."""
        for group in ("pages", "revalidate", "poll"):
            self.workers.cancel_group(self, group)
        if self._poll_timer is not None:
            self._poll_timer.stop()
        self._generation += 1
        self._is_loading = self._is_retry_pending = self._is_checking_cache = False
        self._poll_failures = 0
        self.thread_list.replace([])
        self.query_one(ThreadDetail).forget()
        self._begin()

    def _begin(self) -> None:
        self.query_one(ThreadDetail).show(None)
        cached = self.app.feed.cached_rows()
        if cached:
            # Painted before any request; marked until the platform confirms them.
            self._is_checking_cache = True
            self.thread_list.append(cached)
            self._show_list_state()
        else:
            self._start_loading("Connecting…")
            self.thread_list.set_status_row(LOADING_ROW)
        # After the first frame: connecting imports the platform's whole stack.
        self.call_after_refresh(self._connect)

    def _connect(self) -> None:
        if not self.app.is_connected and not self.app.connect_platform():
            return
        self.thread_list.prefetch_rows = max(self.thread_list.prefetch_rows, self.app.page_size)
        self._is_loading = False
        if self._is_checking_cache:
            self._revalidate(self._generation)
            self.thread_list.check_near_end()
        else:
            self._load_more()
        if self.thread_list.highlighted is not None and self._settle_timer is None:
            self._highlight_settled()
        self._schedule_poll()

    def on_resize(self) -> None:
        self.set_class(self.app.size.width < NARROW_WIDTH, "-narrow")

    # Loading

    @on(ThreadList.NearEnd)
    def _load_more(self) -> None:
        if (
            not self.app.is_connected
            or self._is_loading
            or self._is_retry_pending
            or self.app.feed.is_exhausted
        ):
            return
        self._start_loading("Loading…")
        self.thread_list.set_status_row(LOADING_ROW)
        self._load_page(self._generation)

    def _start_loading(self, progress: str) -> None:
        self._is_loading = True
        self._loading_since = time.monotonic()
        self._say_progress(progress)

    def _show_waiting(self) -> None:
        waited = time.monotonic() - self._loading_since
        if self._is_loading and waited >= self.WAITING_NOTICE_AFTER:
            self._say_progress(f"Waiting for the platform… {waited:.0f} s (escape cancels, q quits)")

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
        if message.generation != self._generation:
            return
        self._is_loading = False
        self._adapt_prefetch(time.monotonic() - self._loading_since)
        self.thread_list.append(message.threads)
        self._show_list_state()
        self.thread_list.check_near_end()
        if self.app.feed.has_unconfirmed and not self._is_checking_cache:
            self._confirm_cached(self._generation)

    def _adapt_prefetch(self, load_seconds: float) -> None:
        # Keep at least the rows a fast reader covers while the slowest page so far loads.
        self._slowest_load = max(self._slowest_load, load_seconds)
        rows = math.ceil(self._slowest_load * FAST_READER_ROWS_PER_SECOND)
        self.thread_list.prefetch_rows = max(self.app.page_size, rows)

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
        if message.generation != self._generation:
            return
        self._is_loading = False
        self._is_checking_cache = False
        self.thread_list.replace(message.threads, message.highlight_id)
        self._show_list_state()
        self.notify(f"Refreshed: {len(message.threads):,} threads.", timeout=2)

    @on(LoadFailed)
    def _load_failed(self, message: LoadFailed) -> None:
        if message.generation != self._generation:
            return
        self._is_loading = False
        error = message.error
        if message.was_refresh:
            what = "Refresh failed"
        elif self.thread_list.threads:
            what = "Loading older threads failed"
        else:
            what = "Loading threads failed"
        if not message.was_refresh:
            self._is_retry_pending = True
            self.thread_list.set_status_row(f"⚠ {what}: press r to retry")
        else:
            self._show_list_state()
        self.query_one(StatusBar).say(f"{what}: {error} Press r to retry.", is_error=True)
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
        if message.generation != self._generation:
            return
        merge = message.merge
        if message.checked_cache:
            self._is_checking_cache = False
        self.thread_list.merge(merge.on_top, merge.replaced, merge.gone)
        self._show_list_state()

    def _schedule_poll(self, delay: float | None = None) -> None:
        seconds = self.app.poll_seconds
        if seconds <= 0:
            return
        # Jittered, so that many inboxes started together do not ask together.
        delay = seconds if delay is None else delay
        self._poll_timer = self.set_timer(delay * random.uniform(0.9, 1.1), self._poll_now)

    def _poll_now(self) -> None:
        # Not while a form or help is open, nor while a load is failing: the next poll will.
        if self.app.screen is not self or self._is_retry_pending:
            self._schedule_poll()
            return
        self._poll(self._generation)

    @work(group="poll", exclusive=True)
    async def _poll(self, generation: int) -> None:
        waiting_before = self.app.feed.waiting
        try:
            merge = await self.app.feed.poll()
        except ApiError:
            self._poll_failures += 1
            self._schedule_poll(min(MAX_POLL_BACKOFF, self.app.poll_seconds * 2**self._poll_failures))
            return
        self._poll_failures = 0
        self.post_message(RowsMerged(merge, generation))
        if self.app.feed.waiting > waiting_before and self.app.bell_on_new:
            self.app.bell()
        self._schedule_poll()

    def _merge_waiting(self) -> None:
        self.thread_list.merge(self.app.feed.take_waiting(), [], [])
        self._show_list_state()

    def _show_list_state(self) -> None:
        is_exhausted = self.app.feed.is_exhausted
        self.thread_list.set_status_row(
            END_ROW if is_exhausted else (LOADING_ROW if self._is_loading else None)
        )
        count = len(self.thread_list.threads)
        title = f"{self.app.environment} · {count:,} threads"
        if self.app.api_filter is not None:
            title += f" · filter: {self.app.api_filter.describe()} (ctrl+l clears)"
        elif self.app.order == "updated":
            title += " · by last update"
        if self._is_checking_cache:
            title += " · cached, checking…"
        if self.app.feed.waiting:
            title += f" · {self.app.feed.waiting:,} new (r)"
        self.app.sub_title = title
        if self._is_checking_cache:
            self._say_progress(
                f"{count:,} threads from the local cache (shown dimmed); checking with the platform…"
            )
        elif is_exhausted:
            self._say_progress(f"{count:,} threads: the whole history is loaded.")
        else:
            self._say_progress(f"{count:,} threads loaded; scroll for older ones.")

    def _say_progress(self, text: str) -> None:
        self.query_one(StatusBar).say(text)

    # Highlight and panes

    @on(ThreadList.Highlighted)
    def _show_detail(self, message: ThreadList.Highlighted) -> None:
        self.query_one(ThreadDetail).show(message.thread)
        # Holding a key down moves the highlight many times a second: only where it
        # stops is worth a request.
        if self._settle_timer is not None:
            self._settle_timer.stop()
        self._settle_timer = self.set_timer(self.HIGHLIGHT_SETTLES_AFTER, self._highlight_settled)

    @property
    def is_highlight_settling(self) -> bool:
        """The highlight moved recently; its conversation is asked for once it stays put."""
        return self._settle_timer is not None

    def _highlight_settled(self) -> None:
        self._settle_timer = None
        if not self.app.is_connected:
            return  # asked again once connected
        ids, index = self.thread_list.ids_around(PREFETCH_BEHIND, PREFETCH_AHEAD)
        neighbours = self.app.conversations.neighbours_to_prefetch(ids, index) if ids else []
        self.query_one(ThreadDetail).load(neighbours)

    @on(ThreadDetail.ReplySent)
    def _reply_sent(self, event: ThreadDetail.ReplySent) -> None:
        moved = self.thread_list.move_to_top(event.message.MessageThreadId, event.message.CreatedUtc)
        if moved is not None:
            self.app.feed.record(moved)
        self.notify("Reply sent.", title="Sent", timeout=3)

    async def action_reply(self) -> None:
        detail = self.query_one(ThreadDetail)
        detail.display = True
        await detail.action_reply()

    def action_switch_pane(self) -> None:
        detail = self.query_one(ThreadDetail)
        if self.thread_list.has_focus and detail.display:
            detail.focus()
        else:
            self.thread_list.focus()

    def action_toggle_detail(self) -> None:
        detail = self.query_one(ThreadDetail)
        detail.display = not detail.display
        self.thread_list.focus()

    # Actions

    def action_refresh(self) -> None:
        if self.app.feed.waiting:
            self._merge_waiting()
            return
        if self._is_retry_pending:
            self._is_retry_pending = False
            self._load_more()
            return
        self._generation += 1
        self.workers.cancel_group(self, "revalidate")
        self._start_loading("Refreshing from the newest thread…")
        highlighted = self.thread_list.highlighted
        self._reload(self._generation, highlighted.Id if highlighted else None, len(self.thread_list.threads))

    def action_new_thread(self) -> None:
        self.app.push_screen(NewThreadScreen(self.app.drafts.draft), self._thread_created)

    def _thread_created(self, thread: MessageThread | None) -> None:
        if thread is None:
            return
        self.app.feed.record(thread)
        self.thread_list.prepend(thread)
        self._show_list_state()
        sender = clipped(printable(thread.OriginalSender), 60)
        self.notify(f"Thread created for {sender}.", title="Sent", timeout=4, markup=False)

    def action_copy_id(self) -> None:
        thread = self.thread_list.highlighted
        if thread is None:
            self.notify("Highlight a thread to copy its Id.", timeout=3)
            return
        self.app.copy_to_clipboard(thread.Id)
        self.notify(f"Copied the thread's Id: {thread.Id}", title="Copied", timeout=3, markup=False)

    def action_copy_thread(self) -> None:
        thread = self.thread_list.highlighted
        if thread is None:
            self.notify("Highlight a thread to copy it.", timeout=3)
            return
        text = self.query_one(ThreadDetail).as_plain_text()
        self.app.copy_to_clipboard(text)
        lines = text.count("\n") + 1
        self.notify(
            f"Copied the thread and its loaded conversation as plain text ({lines} lines).",
            title="Copied",
            timeout=3,
        )

    def action_help(self) -> None:
        self.app.push_screen(HelpScreen(list(self.BINDINGS)))

    def action_filter(self) -> None:
        field = self.query_one("#filter", Input)
        self._filter_focus_return.remember(self.focused)
        field.display = True
        field.focus()

    @on(Input.Changed, "#filter")
    def _filter_changed(self, event: Input.Changed) -> None:
        self.thread_list.set_filter(event.value)
        if not event.value:
            self._show_list_state()
            return
        self._say_progress(
            f"{len(self.thread_list.shown):,} of {len(self.thread_list.threads):,} loaded threads match."
        )

    @on(Input.Submitted, "#filter")
    def _filter_done(self) -> None:
        self._filter_focus_return.forget()
        self.thread_list.focus()

    def action_escape(self) -> None:
        if self.query_one("#filter", Input).display:
            self._clear_filter()
        elif self._is_loading:
            self._cancel_loading()

    def _cancel_loading(self) -> None:
        self.workers.cancel_group(self, "pages")
        self._generation += 1  # whatever was on its way is no longer wanted
        self._is_loading = False
        self._is_retry_pending = True
        self.thread_list.set_status_row("Loading cancelled: press r to retry")
        self._say_progress("Loading cancelled. Press r to try again.")

    def _clear_filter(self) -> None:
        field = self.query_one("#filter", Input)
        field.value = ""  # the Changed message that follows shows the whole list again
        field.display = False
        self._filter_focus_return.give_back(self.thread_list)

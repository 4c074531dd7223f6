"""MainScreen: composes the list, the detail and the status line, and routes the keys.

The workers that fill and keep the list current are its base, `ListWorkers`; the keys
for triage, finding and copying are mixins beside it.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from textual import events, on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.timer import Timer

from inbox_tui.inbox.conversations import PREFETCH_AHEAD, PREFETCH_BEHIND
from inbox_tui.safe_text import clipped, printable
from inbox_tui.tui.focus_return import FocusReturn
from inbox_tui.tui.inbox_services import InboxServices
from inbox_tui.tui.screens.clipboard_actions import ClipboardActions
from inbox_tui.tui.screens.find_actions import FindActions
from inbox_tui.tui.screens.list_workers import LOADING_ROW, ListWorkers
from inbox_tui.tui.screens.triage_actions import TriageActions
from inbox_tui.tui.widgets.key_bar import KeyBar, TitleBar
from inbox_tui.tui.widgets.status_bar import StatusBar
from inbox_tui.tui.widgets.thread_detail import ThreadDetail
from inbox_tui.tui.widgets.thread_list import ThreadList

if TYPE_CHECKING:
    from inbox_tui.api.models import MessageThread
    from inbox_tui.inbox.api_filters import ApiFilter

NARROW_WIDTH = 110


class MainScreen(TriageActions, FindActions, ClipboardActions, ListWorkers):
    BINDINGS = [
        Binding("n", "new_thread", "New thread", id="new_thread"),
        Binding("R", "reply", "Reply", id="reply"),
        Binding("r", "refresh", "Refresh", id="refresh"),
        Binding("slash", "filter", "Filter", id="filter"),
        Binding("f", "api_filter", "API filters", show=False, id="api_filter"),
        Binding("ctrl+l", "clear_filters", "Clear filters", show=False, id="clear_filters"),
        Binding("o", "toggle_order", "Order by last update / creation", show=False, id="order"),
        Binding("tab", "switch_pane", "Pane", id="switch_pane"),
        Binding("question_mark", "help", "Help", id="help"),
        Binding("q", "app.quit", "Quit", id="quit"),
        Binding("escape", "escape", "Clear the filter or cancel loading", show=False, id="escape"),
        # Textual reads BINDINGS from DOM classes only, so the mixins' keys are listed here.
        *TriageActions.TRIAGE_BINDINGS,
        *FindActions.FIND_BINDINGS,
        *ClipboardActions.CLIPBOARD_BINDINGS,
    ]

    AUTO_FOCUS = "#threads"

    HIGHLIGHT_SETTLES_AFTER = 0.12
    """Seconds the highlight must stay on a row before its conversation is asked for;
    a held key repeats every 30-50 ms."""

    app: InboxServices

    def __init__(self) -> None:
        super().__init__()
        self._filter_focus_return = FocusReturn()
        self._settle_timer: Timer | None = None
        self._resumed = False
        # Set before the first styling: added once mounted, the class restyled every widget
        # again (47 of the 159 style applications of an 80-column start).
        self.on_resize()

    def compose(self) -> ComposeResult:
        yield TitleBar(id="title-bar")
        with Horizontal(id="panes"):
            with Vertical(id="list-pane"):
                yield ThreadList(id="threads", now=self.app.now)
            yield ThreadDetail(id="detail")
        yield StatusBar(id="status")
        yield KeyBar(id="key-bar")

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        return self.app.check_action(action, parameters)

    def on_mount(self) -> None:
        self.set_interval(0.5, self._show_waiting)
        self.watch(self.app, "sync_note", self.sync_note_changed, init=False)
        self._begin()

    def on_screen_resume(self, event: events.ScreenResume) -> None:
        # Handled before Screen's own handler, which on the first resume would style again
        # every widget the mount has just styled (49 of the 112 style applications of a start).
        if not self._resumed:
            self._resumed = True
            event.refresh_styles = False

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
        if self._is_open("filter"):
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
        self._loading.restart()
        self.thread_list.replace([])
        self.query_one(ThreadDetail).forget()
        self._begin()

    def _begin(self) -> None:
        self.query_one(ThreadDetail).show(None)
        self.thread_list.marks = self.app.triage.marks
        self.thread_list.age_by_update = self.app.order == "updated"
        cached = self.app.feed.cached_rows()
        if cached:
            # Painted before any request; marked until the platform confirms them.
            self._loading.is_checking_cache = True
            self.thread_list.append(cached)
            self._show_list_state()
        else:
            self._start_loading("Connecting…")
            self.thread_list.set_status_row(LOADING_ROW)
        # After the first frame: connecting imports the platform's whole stack.
        self.call_after_refresh(self._connect)
        self.call_after_refresh(self.learn_from_mirror)

    def _connect(self) -> None:
        if self._took_first_page():
            self.call_after_refresh(self._connect)  # once they are painted
            return
        if not self.app.is_connected and not self.app.connect_platform():
            return
        self.thread_list.prefetch_rows = max(self.thread_list.prefetch_rows, self.app.page_size)
        self._loading.is_loading = False
        if self._loading.is_checking_cache:
            self._revalidate(self._loading.generation)
            self.thread_list.check_near_end()
        else:
            self._load_more()
        if self.thread_list.highlighted is not None and self._settle_timer is None:
            self._highlight_settled()
        self._schedule_poll()

    def on_resize(self) -> None:
        self.set_class(self.app.size.width < NARROW_WIDTH, "-narrow")

    # Highlight and panes

    @on(ThreadList.Highlighted)
    def _show_detail(self, message: ThreadList.Highlighted) -> None:
        self.stop_reading()
        # Holding a key down moves the highlight many times a second: the pane follows a
        # single key at once, a held one where it stops (drawing it is most of a key's
        # cost), and only where it stops is worth a request.
        if self._settle_timer is None:
            self.query_one(ThreadDetail).show(message.thread)
        else:
            self._settle_timer.stop()
        self._settle_timer = self.set_timer(self.HIGHLIGHT_SETTLES_AFTER, self._highlight_settled)

    @property
    def is_highlight_settling(self) -> bool:
        """The highlight moved recently; its conversation is asked for once it stays put."""
        return self._settle_timer is not None

    def settle_highlight(self) -> None:
        """The pane catches up with the highlight now rather than when it settles: a key for
        "this thread" (reply, copy) right after a move is for the row highlighted."""
        if self._settle_timer is not None:
            self._settle_timer.stop()
            self._highlight_settled()

    def _highlight_settled(self) -> None:
        self._settle_timer = None
        highlighted = self.thread_list.highlighted
        self.query_one(ThreadDetail).show(highlighted)
        self.read_soon(highlighted.Id if highlighted else None)
        if not self.app.is_connected:
            return  # asked again once connected
        ids, index = self.thread_list.ids_around(PREFETCH_BEHIND, PREFETCH_AHEAD)
        neighbours = self.app.conversations.neighbours_to_prefetch(ids, index) if ids else []
        # After the next frame: answering is work on this loop in demo mode, and the rows
        # already loaded are worth painting before it.
        self.call_after_refresh(self.query_one(ThreadDetail).load, neighbours)

    @on(ThreadDetail.ReplySent)
    def _reply_sent(self, event: ThreadDetail.ReplySent) -> None:
        thread_id = event.message.MessageThreadId
        moved = self.thread_list.mark_updated(
            thread_id, event.message.CreatedUtc, to_top=self.app.order == "updated"
        )
        self.app.triage.conversation_seen(thread_id, [event.message], is_complete_at_end=True)
        self.mark_read(thread_id)
        if moved is not None:
            self.app.feed.record(moved)
        self.notify("Reply sent.", title="Sent", timeout=3)

    async def action_reply(self) -> None:
        self.settle_highlight()
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
        step = self._loading.refresh(new_waiting=self.app.feed.waiting)
        if step == "take new":
            self._merge_waiting()
        elif step == "retry":
            self._load_more()
        else:
            self.workers.cancel_group(self, "revalidate")
            self._start_loading("Refreshing from the newest thread…")
            highlighted = self.thread_list.highlighted
            loaded = len(self.thread_list.threads)
            self._reload(self._loading.generation, highlighted.Id if highlighted else None, loaded)

    def action_new_thread(self) -> None:
        from inbox_tui.tui.screens.new_thread import NewThreadScreen  # made on first use

        self.app.push_screen(NewThreadScreen(self.app.drafts.draft), self._thread_created)

    def _thread_created(self, thread: MessageThread | None) -> None:
        if thread is None:
            return
        self.app.feed.record(thread)
        self.thread_list.prepend(thread)
        self._show_list_state()
        sender = clipped(printable(thread.OriginalSender), 60)
        self.notify(f"Thread created for {sender}.", title="Sent", timeout=4, markup=False)

    def action_help(self) -> None:
        from inbox_tui.tui.screens.help import HelpScreen  # made on first use

        self.app.push_screen(HelpScreen(list(self.BINDINGS)))

    def action_escape(self) -> None:
        if self.is_searching:
            self.close_search()
        elif self._is_open("filter"):
            self._clear_filter()
        elif self._loading.is_loading:
            self._cancel_loading()

    def _cancel_loading(self) -> None:
        self.workers.cancel_group(self, "pages")
        self._loading.cancel()
        self.thread_list.set_status_row(f"Loading cancelled: press {self._refresh_key} to retry")
        self._say_progress(f"Loading cancelled. Press {self._refresh_key} to try again.")

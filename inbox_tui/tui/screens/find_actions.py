"""Finding threads from the main screen: `/` filters the loaded rows, `s` searches everything.

The filter narrows the list as you type (subject and sender, any case or accent).
The search line takes the query language of `inbox/search.py` over the local
mirror; it runs off the UI thread, its results (threads, newest first) take the
list's place, the header says "search: …" and how many (from what `sync`, or
reading, put in the cache), and `escape` gives the list back with the highlight
where it was. Both lines give the focus back where it was when they close.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from textual.binding import Binding
from textual.widgets import Input

from inbox_tui.safe_text import clipped, printable
from inbox_tui.tui.focus_return import FocusReturn
from inbox_tui.tui.widgets.filter_line import FilterLine
from inbox_tui.tui.widgets.thread_detail import ThreadDetail
from inbox_tui.wording import counted

if TYPE_CHECKING:
    from inbox_tui.inbox.rows import ThreadRow
    from inbox_tui.tui.inbox_services import InboxServices
    from inbox_tui.tui.widgets.thread_list import ThreadList

RESULTS = 500
PLACEHOLDERS = {
    "filter": "Filter loaded threads by subject or sender",
    "search": 'Search everything: words "a phrase" prefix* -not from: subject: by:staff updated:7d..',
}


class FindActions:
    """Mixed into MainScreen; its BINDINGS list the search key (`/` is the screen's own)."""

    FIND_BINDINGS = [Binding("s", "search", "Search everything", show=False, id="search")]

    app: InboxServices
    thread_list: ThreadList
    _list_before_search: tuple[list[ThreadRow], str | None] | None = None
    _filter_focus_return: FocusReturn
    """Made by the screen: where the focus goes back to when the filter line closes."""

    def _line(self, line_id: str) -> Input:
        """The filter or search line, made the first time it opens: two hidden lines made
        at start cost the first frame 20 M instructions (about 5 ms)."""
        for line in self.query(f"#{line_id}").results(Input):  # type: ignore[attr-defined]
            return line
        placeholder = PLACEHOLDERS[line_id]
        if line_id == "filter":
            line: Input = FilterLine(self._filter_changed, placeholder=placeholder, id=line_id)
        else:
            line = Input(placeholder=placeholder, id=line_id)
        self.query_one("#list-pane").mount(line, before=self.thread_list)  # type: ignore[attr-defined]
        return line

    def _is_open(self, line_id: str) -> bool:
        return any(line.display for line in self.query(f"#{line_id}"))  # type: ignore[attr-defined]

    def action_filter(self) -> None:
        field = self._line("filter")
        self._filter_focus_return.remember(self.focused)  # type: ignore[attr-defined]
        field.display = True
        # At once, not after the keys already queued: "/park" typed in one go goes to the line.
        self.set_focus(field)  # type: ignore[attr-defined]
        # Once the line is drawn: a reader takes longer to type the first letter.
        self.call_after_refresh(self.thread_list.prepare_filter)  # type: ignore[attr-defined]

    def _filter_changed(self, text: str) -> None:
        self.thread_list.set_filter(text)
        if not text:
            self._show_list_state()  # type: ignore[attr-defined]
            return
        self._say_progress(  # type: ignore[attr-defined]
            f"{len(self.thread_list.shown):,} of {len(self.thread_list.threads):,} loaded threads match."
        )

    def _clear_filter(self) -> None:
        field = self._line("filter")
        field.value = ""  # the line calls `_filter_changed`, which shows the whole list again
        field.display = False
        self._filter_focus_return.give_back(self.thread_list)

    @property
    def is_searching(self) -> bool:
        return self._list_before_search is not None or self._is_open("search")

    def action_search(self) -> None:
        if self.app.cache is not None and self.app.cache.is_indexing:
            self.app.notify("The search index is being made (once, for this cache): a moment.", timeout=4)
            return
        if self.app.cache is None or not self.app.cache.has_search:
            self.app.notify("Search needs the local cache with full-text search (FTS5).", timeout=4)
            return
        line = self._line("search")
        line.display = True
        self.set_focus(line)  # type: ignore[attr-defined]

    def on_input_submitted(self, event: Input.Submitted) -> None:
        if event.input.id == "filter":
            self._filter_focus_return.forget()
            self.thread_list.focus()
        elif event.input.id == "search" and event.value.strip():
            self.run_worker(self._search(event.value.strip()), exclusive=True, group="search")  # type: ignore[attr-defined]

    async def _search(self, text: str) -> None:
        import asyncio
        import sqlite3

        from inbox_tui.inbox.mirror import unsynced_threads
        from inbox_tui.inbox.search import Hit, QueryError, search

        cache = self.app.cache
        assert cache is not None
        marked = self.app.triage.marked()

        def run() -> tuple[list[Hit], int]:
            with cache.reading() as connection:
                return search(connection, text, limit=RESULTS, marked=marked), unsynced_threads(connection)

        try:
            hits, unsynced = await asyncio.to_thread(run)
        except QueryError as exc:
            self.app.notify(str(exc), title="Search", severity="warning", timeout=5, markup=False)
            return
        except sqlite3.Error as exc:  # the cache closed or damaged meanwhile: the inbox goes on
            message = f"The local cache could not be searched ({exc})."
            self.app.notify(message, title="Search", severity="error", markup=False)
            return
        if self._list_before_search is None:
            highlighted = self.thread_list.highlighted
            self._list_before_search = (
                list(self.thread_list.threads),
                highlighted.Id if highlighted else None,
            )
        found = {hit.thread_id: hit.message_id for hit in hits if hit.message_id}
        self.app.conversations.forget_unless_holding(found)
        self.query_one(ThreadDetail).mark_found(found)  # type: ignore[attr-defined]
        self.thread_list.replace([hit.thread for hit in hits], hits={hit.thread_id: hit for hit in hits})
        shown = clipped(printable(text), 40)
        self.app.sub_title = f"{self.app.environment} · search: {shown} · {counted(len(hits), 'result')}"
        partial = (
            f"The mirror is partial: {counted(unsynced, 'thread')} not synced (ctrl+p, Sync the mirror). "
            if unsynced
            else ""
        )
        self._say_progress(f"{partial}Escape returns to the list.")  # type: ignore[attr-defined]
        self.thread_list.focus()

    def close_search(self) -> None:
        """The list as it was, the highlight where it was."""
        line = self._line("search")
        line.value = ""
        line.display = False
        self.query_one(ThreadDetail).mark_found({})  # type: ignore[attr-defined]
        saved, self._list_before_search = self._list_before_search, None
        if saved is not None:
            threads, highlight_id = saved
            self.thread_list.replace(threads, highlight_id)
        self.thread_list.focus()
        self._show_list_state()  # type: ignore[attr-defined]

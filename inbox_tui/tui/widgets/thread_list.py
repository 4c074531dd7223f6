"""ThreadList: the thread rows, drawn line by line so 100,000 cost what a screen costs.

One widget, no children: `render_line(y)` draws only the rows in view from a
plain list of threads (the Line API, as toolong draws log lines). Mounting a
widget per row (ListView) or keeping a renderable per row (OptionList) makes
every keypress or append slower as the list grows.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from datetime import UTC, datetime
from typing import TYPE_CHECKING

from textual import events
from textual.binding import Binding
from textual.geometry import Region, Size
from textual.message import Message
from textual.reactive import reactive
from textual.scroll_view import ScrollView
from textual.strip import Strip

from inbox_tui.inbox.rows import ThreadRow
from inbox_tui.inbox.shown_rows import ShownRows
from inbox_tui.inbox.triage import NO_MARKS, Marks
from inbox_tui.tui.time_format import relative_age
from inbox_tui.tui.widgets.thread_row import RowPainter, RowStyles

if TYPE_CHECKING:  # a search's results, read only once one is made: not an import of the start
    from inbox_tui.inbox.search_hits import Hit


class ThreadList(ScrollView, can_focus=True):
    """Newest-first thread rows with a highlight, a loading or end row, and a filter."""

    BINDINGS = [
        Binding("up,k", "cursor_up", "Up", show=False, id="list.up"),
        Binding("down,j", "cursor_down", "Down", show=False, id="list.down"),
        Binding("pageup", "page_up", "Page up", show=False, id="list.page_up"),
        Binding("pagedown", "page_down", "Page down", show=False, id="list.page_down"),
        Binding("home", "first", "First", show=False, id="list.first"),
        Binding("end", "last", "Last loaded", show=False, id="list.last"),
    ]

    COMPONENT_CLASSES = {
        "thread-list--cursor",
        "thread-list--subject",
        "thread-list--sender",
        "thread-list--age",
        "thread-list--resolved",
        "thread-list--open",
        "thread-list--status",
        "thread-list--unread",
        "thread-list--waiting",
        "thread-list--cached",
        "thread-list--match",
    }

    cursor: reactive[int] = reactive(0, always_update=True, repaint=False)
    """Index of the highlighted row among the rows shown."""

    class Highlighted(Message):
        """The highlight moved to `thread` (None when the list is empty)."""

        def __init__(self, thread: ThreadRow | None) -> None:
            self.thread = thread
            super().__init__()

    class NearEnd(Message):
        """The reader is within a page of the last loaded row: time to load more."""

    def __init__(
        self,
        *,
        now: Callable[[], datetime] = lambda: datetime.now(UTC),
        prefetch_rows: int = 100,
        name: str | None = None,
        id: str | None = None,
        classes: str | None = None,
    ) -> None:
        super().__init__(name=name, id=id, classes=classes)
        self._now = now
        self.prefetch_rows = prefetch_rows
        self._rows = ShownRows()
        self.view = "all"
        """Which rows a triage view shows: all, unread or waiting (MainScreen's `v`)."""
        self.marks: Callable[[str], Marks] = lambda thread_id: NO_MARKS
        """Unread and waiting marks of a row, from the triage."""
        self.age_by_update = False
        """The update order: the age column is the age of the last update."""
        self._status_row: str | None = None
        self._hits: Mapping[str, Hit] = {}
        self._painter = RowPainter(lambda: RowStyles.of(self.rich_style, self.get_component_rich_style))

    @property
    def threads(self) -> Sequence[ThreadRow]:
        """Every loaded thread, filter or not."""
        return self._rows.all

    @property
    def shown(self) -> Sequence[ThreadRow]:
        return self._rows.shown

    @property
    def highlighted(self) -> ThreadRow | None:
        return self.shown[self.cursor] if 0 <= self.cursor < len(self.shown) else None

    def ids_around(self, before: int, after: int) -> tuple[list[str], int]:
        """The shown rows' Ids from `before` above the highlight to `after` below it, and its index there."""
        start = max(0, self.cursor - before)
        return [thread.Id for thread in self.shown[start : self.cursor + after + 1]], self.cursor - start

    def mark_updated(self, thread_id: str, updated: datetime, *, to_top: bool) -> ThreadRow | None:
        """A thread replied to, updated in place (creation order) or `to_top` (update order)."""
        current = self.highlighted
        moved = self._rows.mark_updated(thread_id, updated, to_top=to_top)
        if moved is not None:
            self._keep_highlight(moved if current is not None and current.Id == thread_id else current)
        return moved

    def merge(self, on_top: Sequence[ThreadRow], replaced: Sequence[ThreadRow], gone: Sequence[str]) -> None:
        """New threads on top, changed ones in place, vanished ones out: the highlight stays on
        its thread and the rows in view do not move."""
        if not (on_top or replaced or gone):
            return
        current = self.highlighted
        first_in_view = self.shown[int(self.scroll_y)] if int(self.scroll_y) < len(self.shown) else None
        self._rows.merge(on_top, replaced, gone)
        self._resize()
        positions = {thread.Id: index for index, thread in enumerate(self.shown)}
        if current is not None and current.Id in positions:
            self.cursor = positions[current.Id]
        if first_in_view is not None and first_in_view.Id in positions:
            self.scroll_to(y=positions[first_in_view.Id], animate=False, immediate=True)
        self.refresh()

    def append(self, threads: Sequence[ThreadRow]) -> None:
        """Add older threads at the end; the highlight and scroll position stay put."""
        was_empty = not self.shown
        self._rows.append(threads)
        self._resize()
        if was_empty and self.shown:
            self.cursor = 0

    def replace(
        self,
        threads: Sequence[ThreadRow],
        highlight_id: str | None = None,
        hits: Mapping[str, Hit] | None = None,
    ) -> None:
        """Show a fresh list, keeping the highlight on `highlight_id` when it is there; a thread
        found by a search shows its snippet in place of its subject and the age of what matched."""
        self._hits = hits or {}
        self._painter.forget()
        self._rows.replace(threads)
        self._resize()
        ids = [thread.Id for thread in self.shown]
        self.cursor = ids.index(highlight_id) if highlight_id in ids else 0
        self.refresh()

    def prepend(self, thread: ThreadRow) -> None:
        """Put a just-created thread on top and highlight it."""
        self._rows.prepend(thread)
        self._resize()
        self.cursor = 0
        self.refresh()

    def set_status_row(self, text: str | None) -> None:
        """The row after the last thread: loading, end of history, or a failure."""
        self._status_row = text
        self._resize()
        self.refresh()

    def set_filter(self, text: str) -> None:
        """Only the loaded threads whose subject or sender holds `text`, any case or accents, marked."""
        current, before = self.highlighted, self.shown
        self._rows.set_filter(text)
        if self.shown is before:  # every row still matches: the same list, nothing moved
            self.refresh()
        else:
            self._keep_highlight(current)

    def prepare_filter(self) -> None:
        """Index the rows' texts for the filter before its first key (about 0.1 s at 100,000)."""
        self._rows.prepare_filter()

    def set_view(self, view: str, in_view: Callable[[ThreadRow], bool] | None) -> None:
        """Only the rows `in_view` (None: all), the highlight kept on its row when it is one."""
        current = self.highlighted
        self.view = view
        self._rows.set_view(in_view)
        self._keep_highlight(current)

    def _keep_highlight(self, thread: ThreadRow | None) -> None:
        """The rows changed: the highlight on `thread` when it is shown, else on the first row."""
        self._resize()
        self.cursor = self._rows.position(thread) or 0
        self.refresh()

    def move_to_next(self, wanted: Callable[[ThreadRow], bool], step: int) -> bool:
        """The highlight to the next row, `step` 1 or -1, that is `wanted`; False when none is."""
        index = self.cursor + step
        while 0 <= index < len(self.shown):
            if wanted(self.shown[index]):
                self.cursor = index
                return True
            index += step
        return False

    def refresh_rows(self) -> None:
        """The marks changed: drawn again (a view that depends on them is applied again)."""
        current = self.highlighted
        if self._rows.view_again():
            self._keep_highlight(current)
        self.refresh()

    def _resize(self) -> None:
        rows = len(self.shown) + (1 if self._status_row else 0)
        self.virtual_size = Size(self.scrollable_content_region.width, rows)

    def validate_cursor(self, cursor: int) -> int:
        return max(0, min(cursor, len(self.shown) - 1))

    def watch_cursor(self, old: int, new: int) -> None:
        self.refresh_line(old)
        self.refresh_line(new)
        self.scroll_to_region(
            Region(0, new, self.scrollable_content_region.width, 1), animate=False, force=True
        )
        self.post_message(self.Highlighted(self.highlighted))
        self.check_near_end()

    def watch_scroll_y(self, old_value: float, new_value: float) -> None:
        super().watch_scroll_y(old_value, new_value)
        self.check_near_end()

    def check_near_end(self) -> None:
        """Ask for more (NearEnd) when the reader is within `prefetch_rows` of the loaded end; not
        while filtering or in a triage view, where one that matches nothing would otherwise pull
        the whole history, page after page, without the reader asking."""
        if self._rows.is_narrowed():
            return
        last_seen = max(self.cursor, int(self.scroll_y) + self.scrollable_content_region.height)
        if last_seen >= len(self.shown) - self.prefetch_rows:
            self.post_message(self.NearEnd())

    def on_resize(self) -> None:
        self._resize()

    def on_click(self, event: events.Click) -> None:
        """A click on a row highlights it, as the keys do."""
        offset = event.get_content_offset(self)
        if offset is not None and int(self.scroll_y) + offset.y < len(self.shown):
            self.cursor = int(self.scroll_y) + offset.y
        self.focus()

    def action_cursor_up(self) -> None:
        self.cursor -= 1

    def action_cursor_down(self) -> None:
        self.cursor += 1

    def action_page_up(self) -> None:
        self.cursor -= self._page_rows

    def action_page_down(self) -> None:
        self.cursor += self._page_rows

    @property
    def _page_rows(self) -> int:
        return max(1, self.scrollable_content_region.height - 1)

    def action_first(self) -> None:
        self.cursor = 0

    def action_last(self) -> None:
        self.cursor = len(self.shown) - 1

    def notify_style_update(self) -> None:
        super().notify_style_update()
        self._painter.forget()

    def watch_has_focus(self, has_focus: bool) -> None:
        super().watch_has_focus(has_focus)
        self.notify_style_update()  # the highlight is drawn in another colour without the focus

    def render_line(self, y: int) -> Strip:
        index = int(self.scroll_y) + y
        width = self.scrollable_content_region.width
        if index < len(self.shown):
            thread = self.shown[index]
            hit = self._hits.get(thread.Id)
            when = hit.when if hit else thread.UpdatedUtc if self.age_by_update else thread.CreatedUtc
            age, snippet = relative_age(when, self._now()), hit.marked_snippet if hit else None
            return self._painter.row(
                thread, width, index == self.cursor, age, self._rows.needle, self.marks(thread.Id), snippet
            )
        if index == len(self.shown) and self._status_row:
            return self._painter.status(self._status_row, width)
        return self._painter.blank(width)

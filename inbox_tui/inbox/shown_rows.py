"""ShownRows: the loaded threads and the selection of them on screen (the `/` filter, a triage view).

Kept apart from the widget that draws them so that what a list holds after a
merge, an append or a filter is plain data, tested without Textual, and the
widget is left with the highlight, the scrolling and the drawing.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable, Sequence
from datetime import datetime
from itertools import repeat
from operator import indexOf, is_

from inbox_tui.inbox.row_filter import RowFilter
from inbox_tui.inbox.rows import ThreadRow


class ShownRows:
    def __init__(self) -> None:
        self.all: list[ThreadRow] = []
        """Every loaded thread, newest first, filter or not: replaced when it changes, never
        changed in place but by `append` (the filter keeps its texts in step by its length)."""
        self.shown: Sequence[ThreadRow] = self.all
        """The threads that pass the filter and the view, in the same order."""
        self._filter = RowFilter()
        self._in_view: Callable[[ThreadRow], bool] | None = None
        self._kept_in_view: set[str] = set()
        """The Ids the view has shown since it was chosen: they stay when their marks change, as
        mutt's limit does, so that a thread read in the unread view (by being on screen for a
        moment) does not vanish and hand the highlight to the next, to be read in turn."""

    @property
    def needle(self) -> str:
        """The folded `/` query (empty: none), which a row's drawing highlights."""
        return self._filter.needle

    def is_narrowed(self) -> bool:
        """A filter or a view is on: `shown` is a selection (even when of every row)."""
        return bool(self._filter.needle) or self._in_view is not None

    def set_filter(self, text: str) -> None:
        self._filter.set(text)
        self._apply()

    def prepare_filter(self) -> None:
        self._filter.prepare(self.all)

    def set_view(self, in_view: Callable[[ThreadRow], bool] | None) -> None:
        self._in_view = in_view
        self._kept_in_view = set()
        self._apply()

    def view_again(self) -> bool:
        """What the view depends on (the marks) changed: applied again, the rows it showed kept;
        False when there is none."""
        if self._in_view is None:
            return False
        self._apply()
        return True

    def append(self, threads: Sequence[ThreadRow]) -> None:
        self._filter.learn(threads)
        if self.is_narrowed():
            self.shown = [*self.shown, *filter(self._shows, threads)]
        self.all.extend(threads)

    def prepend(self, thread: ThreadRow) -> None:
        self._filter.learn((thread,))
        self.all = [thread, *self.all]
        if not self.is_narrowed():
            self.shown = self.all
        elif self._shows(thread):
            self.shown = [thread, *self.shown]

    def replace(self, threads: Sequence[ThreadRow]) -> None:
        """A fresh list (a reload): the view is applied afresh too."""
        self.all = list(threads)
        self._kept_in_view = set()
        self._filter.relearn(self.all)
        self._apply()

    def merge(self, on_top: Sequence[ThreadRow], replaced: Sequence[ThreadRow], gone: Sequence[str]) -> None:
        """New threads on top, changed ones in place, vanished ones out."""
        self._filter.unlearn(gone)
        self._filter.learn(on_top)
        by_id = {thread.Id: thread for thread in replaced}
        # A thread put on top that is already listed moves there (the update order).
        dropped = {*gone, *(thread.Id for thread in on_top)}
        rows = [by_id.get(thread.Id, thread) for thread in self.all if thread.Id not in dropped]
        self.all = [*on_top, *rows]
        self._apply()

    def mark_updated(self, thread_id: str, updated: datetime, *, to_top: bool) -> ThreadRow | None:
        """The thread `thread_id` updated at `updated`, in place or moved `to_top`; None when it
        is not loaded."""
        index = next((i for i, thread in enumerate(self.all) if thread.Id == thread_id), None)
        if index is None:
            return None
        thread = self.all[index]
        moved = dataclasses.replace(thread, UpdatedUtc=max(updated, thread.UpdatedUtc))
        before, after = self.all[:index], self.all[index + 1 :]
        self.all = [moved, *before, *after] if to_top else [*before, moved, *after]
        self._apply()
        return moved

    def position(self, row: ThreadRow | None) -> int | None:
        """Where `row`, this very object, is shown; None when it is not.

        By identity, in C: the rows are dataclasses, whose `==` is a Python call a row
        (`list.index` took 24 ms to reach the end of 100,000)."""
        try:
            return indexOf(map(is_, self.shown, repeat(row)), True)
        except ValueError:
            return None

    def _apply(self) -> None:
        if self._filter.needle:
            shown = self._filter.select(self.all)
        else:  # let go of the list the filter last read: after a reload, its rows are gone
            self._filter.forget_rows()
            shown = self.all
        self.shown = shown if self._in_view is None else [row for row in shown if self._viewed(row)]

    def _shows(self, thread: ThreadRow) -> bool:
        return self._filter.matches(thread) and (self._in_view is None or self._viewed(thread))

    def _viewed(self, row: ThreadRow) -> bool:
        """In the view: it passes it, or it has been shown by it since the view was chosen."""
        if row.Id in self._kept_in_view:
            return True
        if self._in_view is not None and self._in_view(row):
            self._kept_in_view.add(row.Id)
            return True
        return False

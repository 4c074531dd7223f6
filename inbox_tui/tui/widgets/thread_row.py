"""One row of the thread list, drawn as a Strip: its marks, subject, sender and age.

Drawing is kept apart from the list that scrolls and highlights (toolong's
idea): a row costs one Strip, cached by the list, whatever the list's length.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import NamedTuple

from rich.cells import set_cell_size
from rich.segment import Segment
from rich.style import Style
from textual.cache import LRUCache
from textual.strip import Strip

from inbox_tui.inbox.folding import matched_span
from inbox_tui.inbox.rows import ThreadRow, is_cached
from inbox_tui.inbox.search_index import MATCH_CLOSE, MATCH_OPEN
from inbox_tui.inbox.triage import NO_MARKS, Marks
from inbox_tui.safe_text import printable

UNREAD_MARK = "●"
WAITING_MARK = "↩"
"""Staff wrote last: the integration owes an answer."""
RESOLVED_MARK = "✓"
OPEN_MARK = "•"
SENDER_WIDTH = 24
AGE_WIDTH = 4
MARKS_WIDTH = 4
"""A space, the unread or resolved mark, the waiting mark, a space."""
ROW_CACHE_SIZE = 1024


class PartStyles(NamedTuple):
    """The style of each part of a row, with or without the cursor on it."""

    base: Style
    resolved: Style
    open: Style
    subject: Style
    sender: Style
    age: Style
    match: Style
    unread: Style
    """Over the subject and sender of an unread row, and its mark."""
    waiting: Style

    @classmethod
    def of(
        cls, base: Style, component: Callable[[str], Style], cursor: Style, marked: Style | None = None
    ) -> PartStyles:
        # The cursor goes last so that its background wins over each part's own; a
        # mark (cached rows) goes just before it, over each part's colour.
        mark = marked or Style()

        def part(name: str) -> Style:
            return base + component(f"thread-list--{name}") + mark + cursor

        return cls(
            base + mark + cursor,
            part("resolved"),
            part("open"),
            part("subject"),
            part("sender"),
            part("age"),
            # Over the cursor too, so the match shows on the highlighted row.
            base + component("thread-list--subject") + mark + cursor + component("thread-list--match"),
            component("thread-list--unread"),
            part("waiting"),
        )


class RowStyles(NamedTuple):
    """Every style a row can be drawn with, looked up once per theme rather than once per row."""

    normal: PartStyles
    cursor: PartStyles
    cached: PartStyles
    cached_cursor: PartStyles
    status: Style

    @classmethod
    def of(cls, base: Style, component: Callable[[str], Style]) -> RowStyles:
        cursor = component("thread-list--cursor")
        cached = component("thread-list--cached")
        return cls(
            normal=PartStyles.of(base, component, Style()),
            cursor=PartStyles.of(base, component, cursor),
            cached=PartStyles.of(base, component, Style(), cached),
            cached_cursor=PartStyles.of(base, component, cursor, cached),
            status=base + component("thread-list--status"),
        )

    def pick(self, *, cached: bool, is_cursor: bool) -> PartStyles:
        if cached:
            return self.cached_cursor if is_cursor else self.cached
        return self.cursor if is_cursor else self.normal


class RowPainter:
    """Draws rows for a list, each once per look: a strip is kept for a thread at a width, with
    or without the highlight, at an age, for a query and marks, and drawn again only when one
    of them changes (or the styles, or the snippets, when `forget` is called)."""

    def __init__(self, styles_of: Callable[[], RowStyles]) -> None:
        self._styles_of = styles_of
        self._styles: RowStyles | None = None
        self._strips: LRUCache[tuple[str, int, bool, str, bool, str, Marks], Strip] = LRUCache(ROW_CACHE_SIZE)

    def forget(self) -> None:
        self._styles = None
        self._strips.clear()

    def row(
        self,
        thread: ThreadRow,
        width: int,
        is_cursor: bool,
        age: str,
        needle: str,
        marks: Marks,
        snippet: str | None,
    ) -> Strip:
        cached = is_cached(thread)
        key = (thread.Id, width, is_cursor, age, cached, needle, marks)
        strip = self._strips.get(key)
        if strip is None:
            strip = self._strips[key] = thread_row(
                thread,
                width,
                age,
                self.styles.pick(cached=cached, is_cursor=is_cursor),
                needle,
                marks,
                snippet,
            )
        return strip

    def status(self, text: str, width: int) -> Strip:
        """The row after the last thread: loading, end of history, or a failure."""
        return Strip([Segment(set_cell_size(f"  {text}", width), self.styles.status)], width)

    def blank(self, width: int) -> Strip:
        return Strip.blank(width, self.styles.normal.base)

    @property
    def styles(self) -> RowStyles:
        # Looking styles up costs more than drawing a row, so it is done once per style change.
        if self._styles is None:
            self._styles = self._styles_of()
        return self._styles


def thread_row(
    thread: ThreadRow,
    width: int,
    age: str,
    styles: PartStyles,
    needle: str = "",
    marks: Marks = NO_MARKS,
    snippet: str | None = None,
) -> Strip:
    """`snippet` (a search's, its words between MATCH_OPEN and MATCH_CLOSE) takes the subject's place."""
    # Unread: a mark and bold text, never colour alone; waiting on us: a mark of its own.
    subject_style, sender_style = styles.subject, styles.sender
    if marks.is_unread:
        mark = Segment(f" {UNREAD_MARK}", styles.open + styles.unread)
        subject_style, sender_style = subject_style + styles.unread, sender_style + styles.unread
    elif thread.IsResolved:
        mark = Segment(f" {RESOLVED_MARK}", styles.resolved)
    else:
        mark = Segment(f" {OPEN_MARK if thread.IsResolved is False else ' '}", styles.open)
    waiting = Segment(f"{WAITING_MARK if marks.is_waiting else ' '} ", styles.waiting)
    # Two gaps between the columns and one after the age, so that it never touches what is
    # beside the list (the divider, when no scrollbar is there to keep them apart).
    sender_width = min(SENDER_WIDTH, max(0, (width - MARKS_WIDTH - AGE_WIDTH - 3) // 3))
    subject_width = max(0, width - MARKS_WIDTH - sender_width - AGE_WIDTH - 3)
    gap = Segment(" ", styles.base)
    strip = Strip(
        [
            mark,
            waiting,
            *(
                _with_match(printable(thread.Subject), subject_width, subject_style, styles.match, needle)
                if snippet is None
                else _marked(snippet, subject_width, subject_style, styles.match)
            ),
            gap,
            *_with_match(printable(thread.OriginalSender), sender_width, sender_style, styles.match, needle),
            gap,
            Segment(age.rjust(AGE_WIDTH), styles.age),
        ]
    )
    return strip.adjust_cell_length(width, styles.base)


def _with_match(text: str, width: int, style: Style, match_style: Style, needle: str) -> list[Segment]:
    """`text` in exactly `width` cells, the part matching the filter in `match_style`."""
    span = matched_span(text, needle)
    if span is None:
        return [Segment(set_cell_size(text, width), style)]
    start, end = span
    parts = [(text[:start], style), (text[start:end], match_style), (text[end:], style)]
    return list(
        Strip([Segment(part, part_style) for part, part_style in parts if part]).adjust_cell_length(
            width, style
        )
    )


def _marked(snippet: str, width: int, style: Style, match_style: Style) -> list[Segment]:
    """A search's snippet in exactly `width` cells, its matched words in `match_style`."""
    segments = []
    for index, part in enumerate(re.split(f"[{MATCH_OPEN}{MATCH_CLOSE}]", snippet)):
        if part:  # the parts alternate: outside a mark, inside one, outside...
            segments.append(Segment(printable(part), match_style if index % 2 else style))
    return list(Strip(segments).adjust_cell_length(width, style))

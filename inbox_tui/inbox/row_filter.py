"""RowFilter: the `/` filter over loaded rows, by subject or sender, any case, with or without accents.

Each row's text is folded once, as the row is loaded (`learn`), so that no key
pays for folding 100,000 rows; the texts of every row, and of the rows last
selected, are kept beside them in lists in the same order, so a typed character
is a substring test a row (the `in` of a plain loop: `map` over
`operator.contains` took a fifth longer, 3.2 against 2.5 ms at 100,000 rows), and
a query that grows looks only at the previous matches. The sender comes first in
a row's text: it is the shorter field and the one people most often type, and
the test stops at the first match. A character that keeps every row makes no
mask and keeps the same lists: at 100,000 rows, large containers made on every
key are what the garbage collector would walk, keystroke after keystroke. The
folded texts cost about 17 MB per 100,000 rows, paid as they load rather than on
the first key.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from itertools import compress
from operator import attrgetter, length_hint

from inbox_tui.inbox.folding import fold
from inbox_tui.inbox.rows import ThreadRow

_ID = attrgetter("Id")


class RowFilter:
    def __init__(self) -> None:
        self.needle = ""
        """The folded query; empty when there is no filter."""
        # Keyed by Id alone: a thread's subject and sender are set when it is created and
        # never change, and a dict of strings is one object the garbage collector skips.
        self._folded: dict[str, str] = {}
        # The rows last selected, and their folded texts in the same order.
        self._selected: Sequence[ThreadRow] = ()
        self._selected_texts: list[str] = []
        # The list of every row (ShownRows.all), and the texts of as many of its rows.
        self._listed: Sequence[ThreadRow] = ()
        self._listed_texts: list[str] = []

    def set(self, text: str) -> bool:
        """Take a new query; True when it narrows the previous one (so do its matches)."""
        previous, self.needle = self.needle, fold(text)
        return bool(previous) and self.needle.startswith(previous)

    def learn(self, threads: Iterable[ThreadRow]) -> None:
        """Fold the texts of rows as they are loaded: every row selected must have been learned."""
        self._folded.update((thread.Id, _folded_text(thread)) for thread in threads)

    def unlearn(self, thread_ids: Iterable[str]) -> None:
        for thread_id in thread_ids:
            self._folded.pop(thread_id, None)

    def matches(self, thread: ThreadRow) -> bool:
        return self.needle in self._folded[thread.Id]

    def select(self, rows: Sequence[ThreadRow]) -> Sequence[ThreadRow]:
        """The rows that match, in order; fastest for the rows this filter selected last.

        When every row matches, the answer is `rows` itself, the list of every row on a first
        key: copied, it was two lists of 100,000 made on that key, for the collector to walk
        on the next ones. A list answered may only grow at its end (as `ShownRows.all` does):
        its texts follow it by length. The lists this filter makes must not be changed."""
        if rows is self._selected and rows is not self._listed:
            texts = self._selected_texts
        else:
            texts = self._texts_of(rows)
        needle = self.needle
        unread = iter(texts)
        # Typing a word keeps every row more often than not: the loop stops at the first row
        # that fails, and the mask is made only from there on, so that no row is tested twice.
        for text in unread:
            if needle not in text:
                break
        else:
            self._selected, self._selected_texts = rows, texts
            return rows
        first_failed = len(texts) - length_hint(unread) - 1
        mask = b"\1" * first_failed + b"\0" + bytes([needle in text for text in unread])
        self._selected, self._selected_texts = list(compress(rows, mask)), list(compress(texts, mask))
        return self._selected

    def _texts_of(self, rows: Sequence[ThreadRow]) -> list[str]:
        """The texts of `rows`, in order, kept for the list of every row: that list is replaced,
        never changed in place but to grow at its end (`ShownRows`), so the first key typed
        looks up only the texts of rows appended since the last (100,000 lookups: 13-23 ms)."""
        if rows is not self._listed or len(self._listed_texts) > len(rows):
            self._listed, self._listed_texts = rows, []
        # A slice, not `islice`: skipping the rows already known would still fetch each of
        # them (100,000 rows read from memory for nothing, 1.9 ms a key).
        appended = rows[len(self._listed_texts) :]
        self._listed_texts.extend(map(self._folded.__getitem__, map(_ID, appended)))
        return self._listed_texts

    def relearn(self, threads: Iterable[ThreadRow]) -> None:
        """The rows were replaced (a reload): the texts of those still listed are kept, as a
        thread's subject and sender never change, the others' forgotten, new ones folded."""
        known = self._folded
        self._folded = {thread.Id: known.get(thread.Id) or _folded_text(thread) for thread in threads}
        self._selected, self._selected_texts = (), []
        self._listed, self._listed_texts = (), []


def _folded_text(thread: ThreadRow) -> str:
    # The separator keeps a match from running from the sender into the subject.
    return f"{fold(thread.OriginalSender)}\0{fold(thread.Subject)}"

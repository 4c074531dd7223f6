"""RowFilter: the `/` filter over loaded rows, by subject or sender, any case, with or without accents.

Each row's text is folded once, as the row is loaded (`learn`), so that no key
pays for folding 100,000 rows; a key asks the `SubstringIndex` of the list,
which answers for every row at once instead of testing each (3 ms a key at
100,000 rows, whatever matched). The folded texts cost about 17 MB per
100,000 rows, paid as they load rather than on the first key.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence

from inbox_tui.inbox.folding import fold
from inbox_tui.inbox.rows import ThreadRow
from inbox_tui.inbox.substring_index import SubstringIndex, indexable


class RowFilter:
    def __init__(self) -> None:
        self.needle = ""
        """The folded query; empty when there is no filter."""
        # Keyed by Id alone: a thread's subject and sender are set when it is created and
        # never change, and a dict of strings is one object the garbage collector skips.
        self._folded: dict[str, str] = {}
        self._index = SubstringIndex(self._texts_of)

    def set(self, text: str) -> None:
        self.needle = _folded(text)

    def learn(self, threads: Iterable[ThreadRow]) -> None:
        """Fold the texts of rows as they are loaded: every row selected must have been learned."""
        self._folded.update((thread.Id, _folded_text(thread)) for thread in threads)

    def unlearn(self, thread_ids: Iterable[str]) -> None:
        for thread_id in thread_ids:
            self._folded.pop(thread_id, None)

    def matches(self, thread: ThreadRow) -> bool:
        return self.needle in self._folded[thread.Id]

    def prepare(self, rows: Sequence[ThreadRow]) -> None:
        """Index `rows` ahead of the first key, which then costs what any other costs."""
        self._index.prepare(rows)

    def select(self, rows: Sequence[ThreadRow]) -> Sequence[ThreadRow]:
        """The rows that match, in order: `rows` itself when every row does, so that no copy of
        100,000 is left for the collector to walk on the next keys. A list answered may only
        grow at its end (as `ShownRows.all` does); the lists this filter makes must not be
        changed."""
        return self._index.select(rows, self.needle)

    def forget_rows(self) -> None:
        self._index.forget_rows()

    def relearn(self, threads: Iterable[ThreadRow]) -> None:
        """The rows were replaced (a reload): the texts of those still listed are kept, as a
        thread's subject and sender never change, the others' forgotten, new ones folded."""
        known = self._folded
        self._folded = {thread.Id: known.get(thread.Id) or _folded_text(thread) for thread in threads}

    def _texts_of(self, thread_ids: list[str]) -> list[str]:
        return list(map(self._folded.__getitem__, thread_ids))


def _folded(text: str) -> str:
    # The index ends each row's text with NULs, and the sender is parted from the subject by
    # \x01, so that no match runs from one into the other: neither may be in a text or a query.
    return fold(text).replace("\0", "").replace("\1", "")


def _folded_text(thread: ThreadRow) -> str:
    return indexable(f"{_folded(thread.OriginalSender)}\1{_folded(thread.Subject)}")

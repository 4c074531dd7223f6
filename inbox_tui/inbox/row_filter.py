"""RowFilter: the `/` filter over loaded rows, by subject or sender, any case, with or without accents.

Each row's text is folded once and kept, and the texts of the rows last selected
are kept beside them in a list, so a typed character is a substring test a row,
made in C (`map` over `operator.contains`), and a query that grows looks only at
the previous matches. The mask is `bytes`, and a character that keeps every row
keeps the same lists: at 100,000 rows, large containers made on every key are
what the garbage collector would walk, keystroke after keystroke.
"""

from __future__ import annotations

from collections.abc import Sequence
from itertools import compress, repeat
from operator import contains

from inbox_tui.inbox.folding import fold
from inbox_tui.inbox.rows import ThreadRow


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

    def set(self, text: str) -> bool:
        """Take a new query; True when it narrows the previous one (so do its matches)."""
        previous, self.needle = self.needle, fold(text)
        return bool(previous) and self.needle.startswith(previous)

    def matches(self, thread: ThreadRow) -> bool:
        return self.needle in self._folded_text(thread)

    def select(self, rows: Sequence[ThreadRow]) -> Sequence[ThreadRow]:
        """The rows that match, in order; fastest for the rows this filter selected last.

        The list returned is the filter's own, and must not be changed in place: its texts
        are kept beside it for the next narrowing."""
        is_narrowing = rows is self._selected
        texts = self._selected_texts if is_narrowing else [self._folded_text(row) for row in rows]
        mask = bytes(map(contains, texts, repeat(self.needle)))
        if 0 in mask:
            self._selected, self._selected_texts = list(compress(rows, mask)), list(compress(texts, mask))
        elif not is_narrowing:  # every row matches: a list of its own, as the caller's may grow
            self._selected, self._selected_texts = list(rows), texts
        return self._selected

    def forget(self) -> None:
        """The rows were replaced: what was folded of the old ones is not kept."""
        self._folded.clear()
        self._selected, self._selected_texts = (), []

    def _folded_text(self, thread: ThreadRow) -> str:
        text = self._folded.get(thread.Id)
        if text is None:
            # The separator keeps a match from running from the subject into the sender.
            text = self._folded[thread.Id] = f"{fold(thread.Subject)}\0{fold(thread.OriginalSender)}"
        return text

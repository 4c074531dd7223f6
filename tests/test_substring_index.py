"""The substring index answers as a test of each row would, through every change a list goes through."""

from __future__ import annotations

from dataclasses import dataclass
from unittest import mock

from hypothesis import given, settings
from hypothesis import strategies as st

from inbox_tui.inbox import substring_index
from inbox_tui.inbox.substring_index import SubstringIndex, indexable


@dataclass(frozen=True)
class Row:
    Id: str  # noqa: N815 (the API's name)
    text: str


# Few letters, so that strings recur, with bytes of every UTF-8 length, a lone surrogate and the
# sender's separator.
letters = st.sampled_from(["a", "b", "é", "ß", "字", "🙂", "\ud800", " ", "\1"])
texts = st.lists(letters, max_size=30).map("".join)
needles = st.lists(letters.filter(lambda letter: letter != "\1"), min_size=1, max_size=4).map("".join)


class Rows:
    """Rows whose texts the index reads by id, as `RowFilter` keeps them."""

    def __init__(self) -> None:
        self.texts: dict[str, str] = {}
        self.made = 0

    def new(self, text: str) -> Row:
        self.made += 1
        row = Row(f"id-{self.made}", text)
        self.texts[row.Id] = indexable(text)
        return row

    def texts_of(self, ids: list[str]) -> list[str]:
        return [self.texts[row_id] for row_id in ids]


changes = st.lists(
    st.tuples(
        st.sampled_from(["append", "on top", "drop", "move to top", "same list"]),
        st.lists(texts, min_size=1, max_size=12),
        needles,
        st.integers(min_value=0, max_value=1000),
    ),
    min_size=1,
    max_size=12,
)


@settings(max_examples=150, deadline=None)
@given(first=st.lists(texts, max_size=60), changes=changes, block_rows=st.sampled_from([1, 3, 8, 16]))
def test_the_index_selects_what_a_test_of_each_row_selects(
    first: list[str], changes: list[tuple[str, list[str], str, int]], block_rows: int
) -> None:
    made = Rows()
    rows = [made.new(text) for text in first]
    with mock.patch.object(substring_index, "BLOCK_ROWS", block_rows):
        index = SubstringIndex(made.texts_of)
        for change, new_texts, needle, where in changes:
            if change == "append":  # grown in place, as ShownRows.all is when a page loads
                rows.extend(made.new(text) for text in new_texts)
            elif change == "on top":
                rows = [*(made.new(text) for text in new_texts), *rows]
            elif change == "drop" and rows:
                rows = rows[: where % len(rows)] + rows[where % len(rows) + 1 :]
            elif change == "move to top" and rows:
                moved = rows[where % len(rows)]
                rows = [moved, *(row for row in rows if row is not moved)]
            selected = index.select(rows, needle)
            assert list(selected) == [row for row in rows if needle in row.text]
            if all(needle in row.text for row in rows):
                assert selected is rows
            for longer in (needle + "a", needle + "é"):  # a query that grows starts from the last
                assert list(index.select(rows, longer)) == [row for row in rows if longer in row.text]


def test_a_row_s_text_is_padded_to_whole_words_of_eight_bytes_ending_in_two_nuls_or_more() -> None:
    for text in ("", "a", "abcdef", "abcdefg", "é" * 3, "🙂"):
        padded = indexable(text).encode()
        assert len(padded) % 8 == 0 and padded.endswith(b"\0\0")
        assert padded.rstrip(b"\0") == b"\1" + text.encode()


def test_blocks_whose_rows_stay_together_are_kept_and_only_the_rows_around_them_are_built() -> None:
    made = Rows()
    rows = [made.new(f"row {n}") for n in range(40)]
    read: list[list[str]] = []

    def texts_of(ids: list[str]) -> list[str]:
        read.append(ids)
        return made.texts_of(ids)

    with mock.patch.object(substring_index, "BLOCK_ROWS", 16):
        index = SubstringIndex(texts_of)
        assert len(index.select(rows, "row 1")) == 11
        assert [len(ids) for ids in read] == [16, 16, 8]
        read.clear()
        moved = rows[20]  # a thread answered in update order: to the top, out of the second block
        rows = [made.new("new"), moved, *rows[:20], *rows[21:]]
        assert [row.Id for row in index.select(rows, "row 2")][:2] == [moved.Id, rows[2 + 2].Id]
        # built again: the new row with the moved one, and the 15 rows left of the broken block;
        # the first block and the last are kept
        assert sorted(len(ids) for ids in read) == [2, 15]
        read.clear()
        rows.extend(made.new(f"more {n}") for n in range(3))
        assert [row.text for row in index.select(rows, "more")] == ["more 0", "more 1", "more 2"]
        assert [len(ids) for ids in read] == [11]  # the short last block took the new rows in

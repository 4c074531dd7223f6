"""SubstringIndex: which rows of a long list hold a string, in a few big-integer operations a key.

The `/` filter asks it on every key. Testing each row's text was 25 ns a row in
CPython's cheapest loop, 3 ms a key at 100,000 rows whichever rows matched; here
the rows' texts are held, by blocks of rows, as eight bit planes (bit j of
every byte of the block's text, one Python integer a plane), so that C does the
work a machine word at a time:

- where a byte occurs is the AND of the eight planes, or of their complements;
- where a string starts is the AND of where each of its bytes occurs, shifted
  back by its offset (the shift-and algorithm, run over every row at once), and
  a string that grows by a byte costs one more of those;
- which rows hold a start takes one addition: a row's text begins with \\x01
  and ends in NULs, and each row's last bit less its first, added to the starts,
  borrows the first bit from the row's lowest start, or, in a row without one,
  from its last bit, which it clears;
- each row is padded to whole groups of eight bytes, so a row's last bit and a
  marker beside it share one byte of the answer, and deleting the zero bytes
  leaves one byte a row, in order, for `itertools.compress`.

The planes of a block are made once, when the filter opens or the block is
first asked (100,000 rows of 70 characters: about 80 ms and 10 MB, and up to
7 MB more for the places of the bytes last typed), and are kept while its rows
stay together in the list: new rows on top or at the end, and rows moved or
gone, rebuild only the blocks they touch. A key then costs 0.6-1.5 ms at
100,000 rows, against 2.5 ms for the test of each row.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from functools import lru_cache
from itertools import compress
from operator import attrgetter
from typing import Protocol, TypeVar

BLOCK_ROWS = 4096
"""Rows a block: large enough that a key does few Python steps, small enough that a
thread moved to the top rebuilds little."""

REMEMBERED_BYTES = 8
"""Bytes whose places a block keeps, the last used: 0.9 MB each at 100,000 rows, and a key
whose byte is one of them costs 0.6 ms there instead of 1.5 ms."""

_PADDING = tuple("\0" * (2 + (-(size + 2)) % 8) for size in range(8))
_KEPT = bytes(1 if byte == 0b1100_0000 else 0 for byte in range(256))
"""A row's last byte in an answer: its kept bit (bit 7) and the marker beside it (bit 6)."""
_TRANSPOSE_STEPS = ((7, 0x00AA00AA00AA00AA), (14, 0x0000CCCC0000CCCC), (28, 0x00000000F0F0F0F0))
"""Hacker's Delight 7-3: three swaps transpose each 8x8 matrix of bits held in a 64-bit word."""
_ID = attrgetter("Id")


class Row(Protocol):
    @property
    def Id(self) -> str: ...  # noqa: N802 (the API's name)


RowT = TypeVar("RowT", bound=Row)


def indexable(text: str) -> str:
    """`text`, which must hold no NUL, as the index reads it: begun with \\x01 (so that no row is
    only NULs) and ended with the NULs that mark where a row ends; queries hold neither."""
    size = 1 + (len(text) if text.isascii() else len(_utf8(text)))
    return f"\1{text}{_PADDING[size % 8]}"


class SubstringIndex:
    """The rows of one list (by `Id`) whose text holds a string, kept for the list as it changes.

    `texts_of` gives the `indexable` texts of rows by their ids; a row's text must never
    change while its id is listed."""

    def __init__(self, texts_of: Callable[[list[str]], list[str]]) -> None:
        self._texts_of = texts_of
        self._rows: Sequence[Row] = ()
        self._blocks: list[_Block] = []
        self._indexed = 0

    def select(self, rows: Sequence[RowT], needle: str) -> Sequence[RowT]:
        """The rows whose text holds `needle`, in order; `rows` itself when all do.

        `rows` may be a new list or the last one grown at its end (as `ShownRows.all` is)."""
        if not needle:
            return rows
        wanted = _utf8(needle)
        answers = [(block.rows_holding(wanted), len(block.ids)) for block in self._blocks_for(rows)]
        if all(mask is None for mask, _ in answers):
            return rows
        joined = b"".join(b"\1" * count if mask is None else mask for mask, count in answers)
        return list(compress(rows, joined)) if 1 in joined else []

    def prepare(self, rows: Sequence[Row]) -> None:
        """Build what `select(rows, …)` needs, ahead of it."""
        self._blocks_for(rows)

    def forget_rows(self) -> None:
        """Keep no reference to the list last read (its blocks are kept, to be found again)."""
        self._rows, self._indexed = (), 0

    def _blocks_for(self, rows: Sequence[Row]) -> list[_Block]:
        if rows is not self._rows or len(rows) < self._indexed:
            self._blocks = self._regrouped(list(map(_ID, rows)))
        elif len(rows) > self._indexed:  # rows appended: a short last block takes them in
            short = bool(self._blocks) and len(self._blocks[-1].ids) < BLOCK_ROWS
            reopened = self._blocks.pop().ids if short else []
            self._blocks += self._built([*reopened, *map(_ID, rows[self._indexed :])])
        self._rows, self._indexed = rows, len(rows)
        return self._blocks

    def _regrouped(self, ids: list[str]) -> list[_Block]:
        """Blocks for `ids`: each old block whose rows are still together, in the same order, is
        kept; the rows between them are built anew. Short blocks (made by rows put on top one
        at a time) are rebuilt with their neighbours, so that they do not pile up."""
        blocks: list[_Block] = []
        built_up_to = 0
        for block in self._blocks:
            if len(block.ids) < BLOCK_ROWS // 8:
                continue
            try:
                start = ids.index(block.ids[0], built_up_to)
            except ValueError:
                continue
            end = start + len(block.ids)
            if ids[start:end] == block.ids:
                blocks += self._built(ids[built_up_to:start])
                blocks.append(block)
                built_up_to = end
        return blocks + self._built(ids[built_up_to:])

    def _built(self, ids: list[str]) -> list[_Block]:
        return [
            _Block(ids[start : start + BLOCK_ROWS], self._texts_of(ids[start : start + BLOCK_ROWS]))
            for start in range(0, len(ids), BLOCK_ROWS)
        ]


class _Block:
    """The texts of consecutive rows as bit planes; bit p of an integer is byte p of the text."""

    def __init__(self, ids: list[str], texts: list[str]) -> None:
        self.ids = ids
        text = _utf8("".join(texts))
        self._words = len(text) // 8
        self._every = (1 << len(text)) - 1
        # Only the planes with a bit set (in ASCII text, bit 7 never is), and the bits never set.
        self._planes = [(1 << bit, plane) for bit, plane in enumerate(_bit_planes(text)) if plane]
        self._unset = 0xFF ^ sum(bit for bit, _ in self._planes)
        nul = self._where(0)
        firsts = ~nul & (nul << 1 | 1) & self._every  # not NUL, after a NUL or first
        self._lasts = nul & ~(nul >> 1)  # NUL, before a row's first byte or last
        # A row's last bit less its first: added to where a string starts (never on a NUL), it
        # is the subtraction of each row's first bit from its starts and its last bit.
        self._gaps = self._lasts - firsts
        # The last string looked for and where it starts: a string that grows starts from it.
        self._needle = b""
        self._starts = 0
        # Where the bytes last typed are: the letters of a query recur in it and in the next.
        self._found: dict[int, int] = {}

    def rows_holding(self, needle: bytes) -> bytes | None:
        """A byte a row, 1 where the row holds `needle`; None when every row does."""
        lasts = self._lasts
        kept = (self._starts_of(needle) + self._gaps) & lasts
        if kept == lasts:
            return None
        if not kept:
            return bytes(len(self.ids))
        return (kept | lasts >> 1).to_bytes(self._words, "little").translate(_KEPT, b"\0")

    def _starts_of(self, needle: bytes) -> int:
        if self._needle and needle.startswith(self._needle):
            starts, done = self._starts, len(self._needle)
        else:
            starts, done = self._every, 0
        for offset in range(done, len(needle)):
            starts &= self._found_at(needle[offset]) >> offset
        self._needle, self._starts = needle, starts
        return starts

    def _found_at(self, byte: int) -> int:
        found = self._found.pop(byte, None)
        if found is None:
            found = self._where(byte)
            if len(self._found) == REMEMBERED_BYTES:
                del self._found[next(iter(self._found))]  # the least recently used
        self._found[byte] = found
        return found

    def _where(self, byte: int) -> int:
        if byte & self._unset:
            return 0
        found = self._every
        for bit, plane in self._planes:
            # `found & ~plane` without a negative integer, which CPython copies to AND it
            found = found & plane if byte & bit else found ^ found & plane
        return found


def _utf8(text: str) -> bytes:
    """`text` as UTF-8, a lone surrogate too (as 3 bytes, none of them NUL or \\x01): no text
    the API sends holds one, but a row or a query that did must not stop the filter."""
    return text.encode("utf-8", "surrogatepass")


def _bit_planes(text: bytes) -> list[int]:
    """Bit j of every byte of `text`, as one integer a j: each 64-bit word of `text` taken as an
    8x8 matrix of bits and transposed, all words at once, on one integer."""
    size = len(text)
    bits = int.from_bytes(text, "little")
    for shift, word in _TRANSPOSE_STEPS:
        swapped = (bits ^ bits >> shift) & _repeated(word, 1 << size.bit_length())
        bits ^= swapped ^ swapped << shift
    transposed = bits.to_bytes(size, "little")
    return [int.from_bytes(transposed[plane::8], "little") for plane in range(8)]


@lru_cache(maxsize=2 * len(_TRANSPOSE_STEPS))
def _repeated(word: int, size: int) -> int:
    """`word` repeated over `size` bytes: asked for powers of two, as a longer mask ANDs the same;
    the masks of two sizes are kept, so a block made of a huge subject does not stay in memory."""
    return int.from_bytes(word.to_bytes(8, "little") * (size // 8), "little")

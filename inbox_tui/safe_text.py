"""Strings from the API are data: make them safe to put on a terminal.

Rich would read `[bold]` as markup and a terminal would act on ESC, OSC 52 or a
bidi override; a guest can type any of those into a subject. Everything shown is
built as `rich.text.Text` (never parsed as markup) from the output of `printable`.
"""

from __future__ import annotations

import re
import unicodedata

REPLACEMENT = "\ufffd"
MAX_COMBINING_RUN = 2

# C0 controls become their visible Control Pictures (ESC shows as ␛), DEL as ␡.
_C0_PICTURES = {code: chr(0x2400 + code) for code in range(0x20)} | {0x7F: "\u2421"}
_BIDI = set(range(0x202A, 0x202F)) | set(range(0x2066, 0x206A)) | {0x200E, 0x200F, 0x061C}
_LINE_BREAKS = re.compile(r"\r\n|[\r\n\u2028\u2029\x85]")


def printable(text: str, *, one_line: bool = True) -> str:
    """`text` with nothing a terminal would act on; line breaks kept only if not `one_line`."""
    if text.isprintable() and (text.isascii() or not _has_marks(text)):
        # Most of what is shown: no control, format, private or unassigned character, no line
        # break and no combining mark, so nothing the loop below would change (tested in C).
        return text
    text = _LINE_BREAKS.sub(" " if one_line else "\n", text)
    out: list[str] = []
    combining = 0
    for char in text:
        code = ord(char)
        if char == "\n" or char == "\t":
            out.append(char if char == "\n" else " ")
            combining = 0
            continue
        category = unicodedata.category(char)
        if code in _C0_PICTURES:
            out.append(_C0_PICTURES[code])
        elif category == "Cc" or code in _BIDI or category in ("Cs", "Co", "Cn"):
            out.append(REPLACEMENT)
        elif category == "Cf":
            continue  # zero-width and other invisible format characters
        elif category.startswith("M"):
            combining += 1
            if combining <= MAX_COMBINING_RUN:
                out.append(char)
            continue
        else:
            out.append(char)
        combining = 0
    return "".join(out)


def _has_marks(text: str) -> bool:
    return any(category[0] == "M" for category in set(map(unicodedata.category, text)))


def clipped(text: str, limit: int) -> str:
    """At most `limit` characters, saying how much was left out."""
    if len(text) <= limit:
        return text
    return f"{text[:limit]}… ({len(text) - limit:,} more characters)"

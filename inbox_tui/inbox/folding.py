"""Accent- and case-insensitive matching: `cafe` finds `Café`, `STRASSE` finds `Straße`.

Text is case-folded and decomposed (NFKD), and the combining marks dropped. ASCII
text, nearly every subject and sender, takes a fast path, so filtering 100,000
loaded threads stays within a keystroke.
"""

from __future__ import annotations

import unicodedata


def fold(text: str) -> str:
    if text.isascii():
        return text.lower()
    decomposed = unicodedata.normalize("NFKD", text.casefold())
    return "".join(char for char in decomposed if not unicodedata.combining(char))


def matched_span(text: str, folded_needle: str) -> tuple[int, int] | None:
    """Where `folded_needle` matches in `text`, as indices into `text` itself."""
    if not folded_needle:
        return None
    if text.isascii():
        start = text.lower().find(folded_needle)
        return None if start < 0 else (start, start + len(folded_needle))
    folded: list[str] = []
    origins: list[int] = []
    for index, char in enumerate(text):
        for part in unicodedata.normalize("NFKD", char.casefold()):
            if not unicodedata.combining(part):
                folded.append(part)
                origins.append(index)
    start = "".join(folded).find(folded_needle)
    if start < 0:
        return None
    end = origins[start + len(folded_needle) - 1] + 1
    while end < len(text) and unicodedata.combining(text[end]):
        end += 1  # the accents of the last matched letter belong to the match
    return origins[start], end

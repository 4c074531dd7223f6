"""Words shared by every place that tells people how many of something there are."""

from __future__ import annotations


def counted(count: int, noun: str) -> str:
    """`1 thread`, `2 threads`, `1,000 threads`: a count with its noun, for any regular plural."""
    return f"{count:,} {noun}{'s' * (count != 1)}"

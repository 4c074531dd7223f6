"""The query language of search, as people know it from notmuch and gh, read into a `Query`.

    parking van                words: all must match (subject, sender or text)
    "late check-in"            a phrase
    check*                     a prefix
    -invoice                   not this word
    parking OR garage          either
    from:smith subject:tax text:breakfast
    by:staff  by:us            who wrote the message
    is:unread  is:waiting      what the triage marks (unread, waiting on us)
    created:2026-01-01..2026-03-31   updated:7d..   (dates or ages, either end optional)

Every word becomes a quoted FTS5 string, so nothing typed is read as FTS5's own syntax; a
query that cannot be read is a `QueryError` naming the problem.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import UTC, datetime

from inbox_tui.inbox.api_filters import parse_moment

HEADER_COLUMNS = {"from": "original_sender", "subject": "subject"}
BY = {"staff": "Enterprise", "us": "Application"}
_TOKEN = re.compile(r'(-?)(?:(\w+):)?("([^"]*)"?|[^\s"]+)')


class QueryError(ValueError):
    """The query cannot be read; the message says what to change."""


@dataclass(frozen=True)
class Term:
    """A word, phrase or prefix as FTS5 expressions, one for each index it can be found in;
    None where it cannot (`text:` is not in a subject, `subject:` not in a message's text)."""

    text: str | None
    headers: str | None


Clause = tuple[Term, ...]
"""Terms of which any one will do (joined by OR)."""


@dataclass
class Query:
    clauses: list[Clause] = field(default_factory=list)
    """All must match: each in the message's text or in its thread's subject and sender."""
    negated: list[Term] = field(default_factory=list)
    """None may match, neither in the text nor in the subject and sender."""
    sent_by: str | None = None
    created: tuple[datetime | None, datetime | None] = (None, None)
    updated: tuple[datetime | None, datetime | None] = (None, None)
    states: set[str] = field(default_factory=set)
    """is:unread, is:waiting."""
    words: list[str] = field(default_factory=list)


def parse(text: str, now: datetime | None = None) -> Query:
    """`text` as a query; `QueryError` when it cannot be read."""
    now = now or datetime.now(UTC)
    query = Query()
    pending_or = False
    for negated, name, raw, phrase in _TOKEN.findall(text.strip()):
        value = phrase if raw.startswith('"') else raw
        if not name and not negated and raw == "OR":
            if not query.clauses or pending_or:
                raise QueryError("OR needs a word on each side")
            pending_or = True
            continue
        if name in ("created", "updated"):
            setattr(query, name, _range(name, value, now))
            continue
        if name == "is":
            if value not in ("unread", "waiting"):
                raise QueryError(f"is: takes unread or waiting, not {value!r}")
            query.states.add(value)
            continue
        if name == "by":
            if value not in BY:
                raise QueryError(f"by: takes staff or us, not {value!r}")
            query.sent_by = BY[value]
            continue
        if name and name not in ("text", *HEADER_COLUMNS):
            raise QueryError(
                f"{name}: is not a field; use from:, subject:, text:, by:, is:, created: or updated:"
            )
        quoted = _quoted(value, raw.startswith('"'))
        if quoted is None:
            continue
        query.words.append(value.rstrip("*"))
        term = Term(
            None if name in HEADER_COLUMNS else quoted,
            None if name == "text" else (f"{HEADER_COLUMNS[name]} : {quoted}" if name else quoted),
        )
        if negated:
            if not query.clauses:
                raise QueryError("a query cannot start with -word: give a word to look for first")
            if pending_or:
                raise QueryError("OR needs a word on each side, not a -word")
            query.negated.append(term)
        elif pending_or:
            query.clauses[-1] += (term,)
            pending_or = False
        else:
            query.clauses.append((term,))
    if pending_or:
        raise QueryError("OR needs a word on each side")
    if (
        not query.clauses
        and query.sent_by is None
        and query.created == (None, None)
        and query.updated == (None, None)
        and not query.states
    ):
        raise QueryError("give a word, a phrase or a field to search for")
    return query


def _quoted(value: str, is_phrase: bool) -> str | None:
    prefix = value.endswith("*") and not is_phrase
    words = value.rstrip("*").replace('"', " ")
    if not words.strip():
        return None
    return f'"{words}"' + ("*" if prefix else "")


def _range(name: str, value: str, now: datetime) -> tuple[datetime | None, datetime | None]:
    start, separator, end = value.partition("..")
    try:
        low = parse_moment(start, now) if start else None
        high = parse_moment(end, now, is_end=True) if end else None
        if not separator and low is not None:
            high = parse_moment(start, now, is_end=True) if "-" in start else None
    except ValueError as exc:
        raise QueryError(f"{name}: {exc}") from None
    return low, high

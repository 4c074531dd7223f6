"""The first page of a cold start, asked for by a second process while this one starts Textual.

With no cached rows, the first threads wait for the platform's whole stack: pydantic,
httpx, the client and, in demo mode, the simulator (about 150 ms of imports on one
core), then the request. Forked before Textual is imported, a child does all of that
on the second core and hands the page over a pipe, as JSON, while this process
imports Textual and paints its first frame. The inbox shows those rows marked as
cached, connects after painting as always, and confirms them as it confirms cached
rows, so nothing the child says is trusted for longer than the cache would be.

The child is the same program with the same settings: it asks one page (one request
more against the platform's limits), writes nothing but the pipe (its stderr would
land on the inbox's screen), and exits. Where there is no `fork`, where another
thread already runs, or when the child fails, the inbox simply connects as before.
"""

from __future__ import annotations

import os
import threading
from concurrent.futures import Future
from datetime import UTC, datetime
from typing import TYPE_CHECKING

from inbox_tui.inbox.rows import CachedThread

if TYPE_CHECKING:
    from inbox_tui.api.models import MessageThread
    from inbox_tui.cli.session import Invocation

FIELDS = ("Id", "OriginalSender", "Subject", "CreatedUtc", "UpdatedUtc", "IsResolved")


def first_page_of(found: Invocation, demo_anchor: datetime) -> Future[list[CachedThread]] | None:
    """The first page of the history (the inbox's first view), fetched by a child process:
    empty when the child fails. None where this system cannot fork, or where another thread
    runs (a lock it holds would stay held forever in the child)."""
    if not hasattr(os, "fork") or threading.active_count() > 1:
        return None
    reading, writing = os.pipe()
    try:
        pid = os.fork()
    except OSError:  # out of processes or memory: the inbox connects as it would without
        os.close(reading)
        os.close(writing)
        return None
    if pid == 0:
        os.close(reading)
        _child(found, demo_anchor, writing)  # never returns
    os.close(writing)
    rows: Future[list[CachedThread]] = Future()
    threading.Thread(target=_read, args=(pid, reading, rows), name="head-start", daemon=True).start()
    return rows


def _child(found: Invocation, demo_anchor: datetime, writing: int) -> None:
    try:
        quiet = os.open(os.devnull, os.O_WRONLY)
        os.dup2(quiet, 1)
        os.dup2(quiet, 2)
        import asyncio
        import json

        page = asyncio.run(_fetch(found, demo_anchor))
        payload = json.dumps([[getattr(thread, name) for name in FIELDS] for thread in page], default=str)
        with os.fdopen(writing, "w") as pipe:
            pipe.write(payload)
    finally:
        os._exit(0)


async def _fetch(found: Invocation, demo_anchor: datetime) -> list[MessageThread]:
    from inbox_tui.cli.session import connect, walk_settings
    from inbox_tui.inbox.views import Walks

    settings = found.settings()
    async with connect(settings, demo_anchor=demo_anchor) as client:
        return list(await Walks(client, walk_settings(settings)).history().next_page())


def _read(pid: int, reading: int, rows: Future[list[CachedThread]]) -> None:
    """In a thread of the parent: the child's page once it has written it and gone. Never
    raises: a traceback from this thread would be printed over the inbox's screen."""
    page: list[CachedThread] = []
    try:
        with os.fdopen(reading, "rb") as pipe:
            payload = pipe.read()
        os.waitpid(pid, 0)
        page = _rows(payload)
    except (OSError, ValueError, TypeError):
        pass  # the inbox connects as it would without
    finally:
        rows.set_result(page)


def _rows(payload: bytes) -> list[CachedThread]:
    if not payload:
        return []
    import json

    return [
        CachedThread(
            Id,
            OriginalSender,
            Subject,
            datetime.fromisoformat(created).astimezone(UTC),
            datetime.fromisoformat(updated).astimezone(UTC),
            IsResolved,
        )
        for Id, OriginalSender, Subject, created, updated, IsResolved in json.loads(payload)
    ]

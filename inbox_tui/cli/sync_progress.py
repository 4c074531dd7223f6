"""How `sync` shows its progress on stderr: a rich bar on a terminal, plain lines elsewhere.

A terminal gets two bars (the history walked, then the conversations with counts, rate
and time left) that redraw in place; a log file or a pipe gets one line every few
seconds, so that a cron job's log stays readable.
"""

from __future__ import annotations

import contextlib
import time
from collections.abc import Iterator
from typing import TYPE_CHECKING, TextIO

if TYPE_CHECKING:
    from inbox_tui.inbox.mirror import Progress, Report

PLAIN_EVERY_SECONDS = 5.0


@contextlib.contextmanager
def progress_display(stream: TextIO) -> Iterator[Report]:
    if stream.isatty():
        with _bars(stream) as report:
            yield report
    else:
        yield _plain_lines(stream)


@contextlib.contextmanager
def _bars(stream: TextIO) -> Iterator[Report]:
    from rich.console import Console
    from rich.progress import (
        BarColumn,
        MofNCompleteColumn,
        Progress,
        TaskProgressColumn,
        TextColumn,
        TimeRemainingColumn,
    )

    bars = Progress(
        TextColumn("{task.description}"),
        BarColumn(),
        MofNCompleteColumn(),
        TaskProgressColumn(),
        TextColumn("{task.fields[detail]}"),
        TimeRemainingColumn(),
        console=Console(file=stream),
    )
    walked = bars.add_task("History", total=None, detail="")
    read = bars.add_task("Conversations", total=None, start=False, detail="")
    started = time.monotonic()

    def report(progress: Progress) -> None:
        rate = f"{progress.requests / max(0.001, time.monotonic() - started):.1f} requests/s"
        bars.update(walked, completed=progress.threads, detail=f"threads · {rate}")
        if progress.has_walked:
            bars.start_task(read)
            bars.update(walked, total=progress.threads)
            bars.update(
                read,
                total=progress.conversations_total,
                completed=progress.conversations,
                detail=f"{progress.messages:,} messages · {rate}",
            )

    with bars:
        yield report


def _plain_lines(stream: TextIO) -> Report:
    started = time.monotonic()
    last = -PLAIN_EVERY_SECONDS

    def report(progress: Progress) -> None:
        nonlocal last
        elapsed = time.monotonic() - started
        if elapsed - last < PLAIN_EVERY_SECONDS:
            return
        last = elapsed
        done, total = progress.conversations, progress.conversations_total
        left = f", about {(total - done) * elapsed / done:.0f} s left" if done and total > done else ""
        rate = progress.requests / max(0.001, elapsed)
        stream.write(
            f"{progress.threads:,} threads walked, {done:,}/{total:,} conversations, "
            f"{progress.messages:,} messages, {rate:.1f} requests/s{left}\n"
        )
        stream.flush()

    return report

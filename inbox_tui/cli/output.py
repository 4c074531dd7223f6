"""Output for people and for programs: JSON with the API's field names, tables that fit.

JSON is the stable interface (docs/cli.md); text is for people and may change.
Text is made safe for a terminal (no escapes from the data reach it) and plain:
the commands print no colour, so NO_COLOR holds by construction.
"""

from __future__ import annotations

import json
import shutil
import sys
from collections.abc import Iterable, Sequence
from typing import TYPE_CHECKING, Any, TextIO

from inbox_tui.safe_text import printable

if TYPE_CHECKING:
    from inbox_tui.api.models import Message, MessageThread


def thread_json(thread: MessageThread) -> dict[str, Any]:
    from inbox_tui.api.models import THREAD

    return THREAD.dump_python(thread, mode="json")  # type: ignore[no-any-return]


def message_json(message: Message) -> dict[str, Any]:
    from inbox_tui.api.models import MESSAGE

    return MESSAGE.dump_python(message, mode="json")  # type: ignore[no-any-return]


def write_json(value: Any, out: TextIO | None = None) -> None:
    out = out or sys.stdout
    out.write(json.dumps(value, ensure_ascii=False, indent=2) + "\n")


def write_json_line(value: Any, out: TextIO | None = None) -> None:
    out = out or sys.stdout
    out.write(json.dumps(value, ensure_ascii=False, separators=(",", ":")) + "\n")
    out.flush()


def write_table(rows: Sequence[Sequence[str]], out: TextIO | None = None) -> None:
    """Columns that fit the terminal, the first one taking what is left; tab-separated when piped."""
    out = out or sys.stdout
    cells = [[printable(cell) for cell in row] for row in rows]
    if not out.isatty():
        out.writelines("\t".join(row) + "\n" for row in cells)
        return
    if not cells:
        return
    width = shutil.get_terminal_size().columns
    others = [max(len(row[index]) for row in cells) for index in range(1, len(cells[0]))]
    first = max(10, width - sum(others) - 2 * len(others) - 1)
    for row in cells:
        head = row[0] if len(row[0]) <= first else row[0][: first - 1] + "…"
        out.write(
            "  ".join(
                [head.ljust(first), *(cell.ljust(w) for cell, w in zip(row[1:], others, strict=True))]
            ).rstrip()
            + "\n"
        )


def describe_sender(message: Message) -> str:
    return "this integration" if message.Sender.is_application else "staff"


def write_conversation(thread: MessageThread, messages: Iterable[Message], out: TextIO | None = None) -> None:
    out = out or sys.stdout
    out.write(f"{printable(thread.Subject)}\n")
    out.write(f"From     {printable(thread.OriginalSender)}\n")
    out.write(f"Created  {thread.CreatedUtc:%Y-%m-%d %H:%M} UTC\n")
    out.write(f"Updated  {thread.UpdatedUtc:%Y-%m-%d %H:%M} UTC\n")
    out.write(f"Id       {thread.Id}\n")
    for message in messages:
        out.write(f"\n{describe_sender(message).capitalize()} · {message.CreatedUtc:%Y-%m-%d %H:%M} UTC\n")
        for line in printable(message.Text, one_line=False).splitlines() or [""]:
            out.write(f"  {line}\n")

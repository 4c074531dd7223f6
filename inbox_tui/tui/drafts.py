"""Drafts, kept in small files so that nothing typed is ever lost.

The new-thread draft and the reply drafts (one per thread) are written on every
change, atomically and readable by the user only; a draft is removed once what
it held was sent. A damaged file is treated as no draft rather than a crash, and
a file that cannot be written leaves the draft in memory for the session.
"""

from __future__ import annotations

import json
import os
from pathlib import Path
from typing import Any, NamedTuple

from inbox_tui.locations import private_dir

REPLY_DRAFTS_FILE = "reply-drafts.json"
"""Kept next to the new-thread draft."""


class Draft(NamedTuple):
    """The new-thread form's fields, saved on escape and on every failure so nothing typed is lost."""

    sender: str = ""
    subject: str = ""

    @property
    def is_empty(self) -> bool:
        return not (self.sender.strip() or self.subject.strip())


def write_private(path: Path | None, data: Any) -> None:
    if path is None:
        return
    try:
        private_dir(path.parent)
        temporary = path.with_name(f".{path.name}.tmp")
        fd = os.open(temporary, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
        with os.fdopen(fd, "w", encoding="utf-8") as file:
            json.dump(data, file, ensure_ascii=False)
        os.replace(temporary, path)
    except OSError:
        pass  # still in memory for this session


def read_json(path: Path | None) -> Any:
    if path is None:
        return None
    try:
        return json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None


class DraftStore:
    """The one new-thread draft."""

    def __init__(self, path: Path | None) -> None:
        """`path=None` keeps the draft in memory only (tests, read-only homes)."""
        self._path = path
        data = read_json(path)
        if isinstance(data, dict):
            self._draft = Draft(sender=str(data.get("sender", "")), subject=str(data.get("subject", "")))
        else:
            self._draft = Draft()

    @property
    def draft(self) -> Draft:
        return self._draft

    def save(self, draft: Draft) -> None:
        if draft.is_empty:
            self.clear()
            return
        self._draft = draft
        write_private(self._path, draft._asdict())

    def clear(self) -> None:
        self._draft = Draft()
        if self._path is not None:
            self._path.unlink(missing_ok=True)


class ReplyDrafts:
    """Unsent replies by thread Id, all in one file."""

    def __init__(self, path: Path | None) -> None:
        self._path = path
        data = read_json(path)
        self._texts: dict[str, str] = (
            {str(key): value for key, value in data.items() if isinstance(value, str)}
            if isinstance(data, dict)
            else {}
        )

    def get(self, thread_id: str) -> str:
        return self._texts.get(thread_id, "")

    def save(self, thread_id: str, text: str) -> None:
        if text.strip():
            if self._texts.get(thread_id) == text:
                return
            self._texts[thread_id] = text
        elif self._texts.pop(thread_id, None) is None:
            return
        write_private(self._path, self._texts)

    def clear(self, thread_id: str) -> None:
        self.save(thread_id, "")

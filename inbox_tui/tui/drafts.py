"""The new-thread draft, kept in a small file so that nothing typed is ever lost.

Written on escape, on a failed send and when the app quits; removed once the
thread exists. A damaged file is treated as no draft rather than a crash.
"""

from __future__ import annotations

import json
import os
from dataclasses import asdict, dataclass
from pathlib import Path


@dataclass(frozen=True)
class Draft:
    sender: str = ""
    subject: str = ""

    @property
    def is_empty(self) -> bool:
        return not (self.sender.strip() or self.subject.strip())


class DraftStore:
    def __init__(self, path: Path | None) -> None:
        """`path=None` keeps the draft in memory only (tests, read-only homes)."""
        self._path = path
        self._draft = self._read()

    @property
    def draft(self) -> Draft:
        return self._draft

    def save(self, draft: Draft) -> None:
        if draft.is_empty:
            self.clear()
            return
        self._draft = draft
        if self._path is None:
            return
        try:
            self._path.parent.mkdir(parents=True, exist_ok=True)
            temporary = self._path.with_suffix(".tmp")
            temporary.write_text(json.dumps(asdict(draft), ensure_ascii=False), encoding="utf-8")
            temporary.chmod(0o600)
            os.replace(temporary, self._path)
        except OSError:
            pass  # the draft is still in memory for this session

    def clear(self) -> None:
        self._draft = Draft()
        if self._path is not None:
            self._path.unlink(missing_ok=True)

    def _read(self) -> Draft:
        if self._path is None:
            return Draft()
        try:
            data = json.loads(self._path.read_text(encoding="utf-8"))
            return Draft(sender=str(data.get("sender", "")), subject=str(data.get("subject", "")))
        except (OSError, ValueError, AttributeError):
            return Draft()

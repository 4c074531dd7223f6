"""`--debug`: a rotating log of requests (path, status, duration, request id), never bodies."""

from __future__ import annotations

import logging
from logging.handlers import RotatingFileHandler
from pathlib import Path
from typing import TextIO

from inbox_tui import locations


class _PrivateRotatingFileHandler(RotatingFileHandler):
    """Each log file, the first and those made at every rotation, readable by the user only."""

    def _open(self) -> TextIO:
        return locations.open_private(Path(self.baseFilename), "a")


def enable_debug_log(path: Path | None = None) -> Path:
    path = path or locations.log_file()
    locations.private_dir(path.parent)
    handler = _PrivateRotatingFileHandler(path, maxBytes=1_000_000, backupCount=3, encoding="utf-8")
    handler.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(name)s %(message)s"))
    logger = logging.getLogger("inbox_tui")
    logger.addHandler(handler)
    logger.setLevel(logging.DEBUG)
    return path

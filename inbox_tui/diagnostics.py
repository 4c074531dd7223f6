"""`--debug`: a rotating log of requests (path, status, duration, request id), never bodies."""

from __future__ import annotations

import logging
from logging.handlers import RotatingFileHandler
from pathlib import Path

from inbox_tui import locations


def enable_debug_log(path: Path | None = None) -> Path:
    path = path or locations.log_file()
    path.parent.mkdir(parents=True, exist_ok=True)
    handler = RotatingFileHandler(path, maxBytes=1_000_000, backupCount=3, encoding="utf-8")
    handler.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(name)s %(message)s"))
    logger = logging.getLogger("inbox_tui")
    logger.addHandler(handler)
    logger.setLevel(logging.DEBUG)
    return path

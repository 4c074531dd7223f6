"""The one place that knows where connector-inbox keeps files (platformdirs), and keeps them private.

The cache, the drafts and the debug log hold guests' names and conversations, so
the folders the inbox makes for them are readable by the user only (0700), and so
is every file in them (0600), whatever the umask. On Windows and macOS the
platform's own per-user folders already are; the modes below are POSIX's.
"""

from __future__ import annotations

import os
import stat
from pathlib import Path
from typing import TextIO

import platformdirs

APP_NAME = "connector-inbox"
PRIVATE_DIR_MODE = 0o700
PRIVATE_FILE_MODE = 0o600
_IS_POSIX = os.name == "posix"


def config_dir() -> Path:
    return Path(platformdirs.user_config_dir(APP_NAME))


def config_file() -> Path:
    return config_dir() / "config.toml"


def user_themes_dir() -> Path:
    return config_dir() / "themes"


def state_dir() -> Path:
    return Path(platformdirs.user_state_dir(APP_NAME))


def draft_file() -> Path:
    return state_dir() / "draft.json"


def log_dir() -> Path:
    return Path(platformdirs.user_log_dir(APP_NAME))


def log_file() -> Path:
    return log_dir() / "connector-inbox.log"


def cache_dir() -> Path:
    return Path(platformdirs.user_cache_dir(APP_NAME))


def data_dirs() -> tuple[Path, ...]:
    """The folders that hold guest data: the cache, the drafts and the debug log."""
    return cache_dir(), state_dir(), log_dir()


def tighten_data_dirs() -> list[str]:
    """Make the existing folders of guest data private; a notice for each that was not."""
    return [notice for directory in data_dirs() if directory.is_dir() and (notice := private_dir(directory))]


def private_dir(directory: Path) -> str | None:
    """Make `directory` (and its missing parents) and leave it readable by the user only.

    A folder that already existed with wider modes is tightened, and the one-line
    notice that says so is returned for the caller to show.
    """
    try:
        directory.mkdir(mode=PRIVATE_DIR_MODE, parents=True)
    except FileExistsError:
        return _tighten(directory, PRIVATE_DIR_MODE)
    if _IS_POSIX:
        directory.chmod(PRIVATE_DIR_MODE)  # mkdir's mode passes through the umask
    return None


def private_file(path: Path) -> None:
    """Create `path` empty if it is missing, readable by the user only; tighten it if it exists."""
    try:
        os.close(os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, PRIVATE_FILE_MODE))
    except FileExistsError:
        _tighten(path, PRIVATE_FILE_MODE)


def open_private(path: Path, mode: str = "w", newline: str | None = None) -> TextIO:
    """`open(path, mode)` for text, creating a missing file 0600; an existing file keeps its mode."""
    flags = os.O_WRONLY | os.O_CREAT | (os.O_APPEND if "a" in mode else os.O_TRUNC)
    return os.fdopen(os.open(path, flags, PRIVATE_FILE_MODE), mode, encoding="utf-8", newline=newline)


def mode_if_not_private(path: Path) -> str | None:
    """`drwxr-xr-x` when others may read `path`, else None."""
    if not _IS_POSIX:
        return None
    mode = path.stat().st_mode
    return stat.filemode(mode) if stat.S_IMODE(mode) & 0o077 else None


def _tighten(path: Path, private_mode: int) -> str | None:
    was = mode_if_not_private(path)
    if was is None:
        return None
    path.chmod(private_mode)
    return f"{path} was readable by other users ({was}); it is now private to you."

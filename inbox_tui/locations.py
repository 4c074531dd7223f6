"""The one place that knows where connector-inbox keeps files (platformdirs)."""

from __future__ import annotations

from pathlib import Path

import platformdirs

APP_NAME = "connector-inbox"


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

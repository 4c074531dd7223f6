"""What the first frame needs from the settings, read with the standard library alone.

The full `Settings` (pydantic-settings: every field, validated) are loaded right
after the first frame is painted. Before that, the inbox only needs to know
which cache to paint from and in which theme, so those few values are read here
with the same sources and precedence (flags > CONNECTOR_INBOX_* > config.toml >
defaults). If the full settings then turn out invalid, the inbox says so and
exits, as it always did, after a frame from the cache instead of before it.
"""

from __future__ import annotations

import difflib
import os
import stat
import tomllib
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

ENV_PREFIX = "CONNECTOR_INBOX_"
SETTING_NAMES = (
    "platform_url",
    "client_token",
    "access_token",
    "client",
    "demo",
    "theme",
    "page_size",
    "debug",
    "history_start",
    "max_empty_windows",
    "rate_limit",
    "cache",
    "poll_seconds",
    "bell_on_new",
    "keys",
)
"""Every setting config.toml may hold (`tests/test_config.py` checks it against `Settings`)."""

BUILT_IN_PROFILES: dict[str, dict[str, Any]] = {
    # The public demo platform with the sample tokens the Mews Connector API documentation
    # publishes: shared by everyone, never for real data.
    "mews-demo": {
        "platform_url": "https://api.mews-demo.com",
        "client_token": "E0D439EE522F44368DC78E1BFB03710C-D24FB11DBE31D4621C4817E028D9E1D",
        "access_token": "C66EF7B239D24632943D115EDE9CB810-EA00F8FD8294692C940F6B5A8F9453D",
        "rate_limit": "demo",
    },
}


class UnknownProfile(ValueError):
    """`--profile NAME` names neither a `[profiles.NAME]` table nor a built-in profile."""


def profile_names(config: Mapping[str, Any]) -> list[str]:
    tables = config.get("profiles")
    own = sorted(tables) if isinstance(tables, dict) else []
    return [*own, *(name for name in BUILT_IN_PROFILES if name not in own)]


def profile_name(flag: str | None, environ: Mapping[str, str] = os.environ) -> str | None:
    """`--profile NAME`, else CONNECTOR_INBOX_PROFILE, else none."""
    return flag or environ.get(f"{ENV_PREFIX}PROFILE") or None


def profile_values(config: Mapping[str, Any], name: str | None) -> dict[str, Any]:
    """The settings of profile `name` (none for no profile): a `[profiles.NAME]` table or a built-in."""
    if name is None:
        return {}
    tables = config.get("profiles")
    if isinstance(tables, dict) and isinstance(tables.get(name), dict):
        return dict(tables[name])
    if name in BUILT_IN_PROFILES:
        return dict(BUILT_IN_PROFILES[name])
    known = ", ".join(profile_names(config))
    raise UnknownProfile(f"There is no profile {name!r}; known: {known}.")


def read_config(config_file: Path) -> dict[str, Any]:
    try:
        return tomllib.loads(config_file.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}  # the full settings say what is wrong with it


DEFAULT_THEME = "inbox-dark"
DEMO_CACHE_KEY = ("demo", "demo")
_TRUE = {"1", "true", "yes", "on", "y", "t"}


@dataclass(frozen=True)
class FirstFrameSettings:
    theme: str = DEFAULT_THEME
    platform_url: str | None = None
    client_token: str | None = None
    access_token: str | None = None
    demo: bool = False
    cache: bool = True
    debug: bool = False
    keys: dict[str, str] = field(default_factory=dict)
    """`[keys]` of config.toml: binding id to keys."""
    profile: str | None = None
    profiles: tuple[str, ...] = ()
    """Every profile there is to switch to: config.toml's and the built-in ones."""
    warnings: tuple[str, ...] = ()
    """Keys of config.toml that are not settings, each with the closest one."""

    @property
    def is_demo(self) -> bool:
        return self.demo or (self.client_token is None and self.access_token is None)

    @property
    def environment_label(self) -> str:
        place = "demo" if self.is_demo else urlsplit(self.platform_url or "").hostname or "?"
        return f"{self.profile} · {place}" if self.profile else place

    @property
    def cache_key(self) -> tuple[str, str]:
        """The platform and access token whose threads a cache holds; demo mode has its own."""
        if self.is_demo or self.access_token is None:
            return DEMO_CACHE_KEY
        return normalised_url(self.platform_url or ""), self.access_token


def normalised_url(url: str) -> str:
    """As `Settings` stores it: no surrounding space, no trailing slash."""
    return url.strip().rstrip("/")


def read(
    config_file: Path, flags: Mapping[str, Any], environ: Mapping[str, str] = os.environ
) -> FirstFrameSettings:
    """Raises `UnknownProfile` when the profile asked for does not exist."""
    config = read_config(config_file)
    profile = profile_name(flags.get("profile"), environ)
    chosen = profile_values(config, profile)
    values: dict[str, Any] = {"profile": profile, "profiles": tuple(profile_names(config))}
    for name in ("theme", "platform_url", "client_token", "access_token", "demo", "cache", "debug"):
        if flags.get(name) is not None:
            values[name] = flags[name]
        elif f"{ENV_PREFIX}{name.upper()}" in environ:
            values[name] = environ[f"{ENV_PREFIX}{name.upper()}"]
        elif name in chosen:
            values[name] = chosen[name]
        elif name in config:
            values[name] = config[name]
    for name in ("demo", "cache", "debug"):
        if isinstance(values.get(name), str):
            values[name] = values[name].strip().lower() in _TRUE
    for name in ("theme", "platform_url", "client_token", "access_token"):
        if name in values:
            values[name] = str(values[name])
    keys = chosen.get("keys", config.get("keys"))  # a profile's [keys] replace the file's
    if isinstance(keys, dict):
        values["keys"] = {str(name): str(key) for name, key in keys.items()}
    return FirstFrameSettings(**values, warnings=tuple(unknown_key_warnings(config, config_file)))


def unknown_key_warnings(config: Mapping[str, Any], config_file: Path) -> list[str]:
    """A typo such as `acess_token` would otherwise be ignored without a word: at the top
    level and in each profile."""
    tables: list[tuple[str, Mapping[str, Any], tuple[str, ...]]] = [
        ("", config, (*SETTING_NAMES, "profiles"))
    ]
    profiles = config.get("profiles")
    if isinstance(profiles, dict):
        tables += [
            (f"[profiles.{name}] ", table, SETTING_NAMES)
            for name, table in profiles.items()
            if isinstance(table, dict)
        ]
    warnings = []
    for where, table, known in tables:
        for key in table:
            if key not in known:
                close = difflib.get_close_matches(key, known, n=1)
                hint = f"; did you mean {close[0]!r}?" if close else ""
                warnings.append(
                    f"warning: {config_file}: {where}{key!r} is not a setting and is ignored{hint}"
                )
    return warnings


def config_file_warning(path: Path) -> str | None:
    """A warning when config.toml, which may hold tokens, is readable by others."""
    try:
        mode = path.stat().st_mode
    except OSError:
        return None
    if mode & (stat.S_IRWXG | stat.S_IRWXO):
        return f"warning: {path} is readable by other users; run: chmod 600 {path}"
    return None

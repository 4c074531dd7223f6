"""The one reader of the settings: flags > CONNECTOR_INBOX_* > profile > config.toml > defaults.

Standard library only, so that the first frame is painted from it before pydantic,
httpx or the client are imported. Every value is kept with where it came from, so
that an error names the flag, variable or file to fix. What can be checked without
pydantic (numbers and their ranges, the profile) is checked here, before the
terminal switches to the full screen; `model.Settings` validates the rest.
"""

from __future__ import annotations

import difflib
import json
import os
import stat
from collections.abc import Mapping
from pathlib import Path
from types import MappingProxyType
from typing import Any, NamedTuple
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
    "notify",
    "notify_command",
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

DEFAULT_THEME = "inbox-dark"
DEMO_CACHE_KEY = ("demo", "demo")
_TRUE = {"1", "true", "yes", "on", "y", "t"}
_NUMBERS: dict[str, tuple[type[int] | type[float], float, float | None]] = {
    "page_size": (int, 1, 1000),
    "max_empty_windows": (int, 1, None),
    "poll_seconds": (float, 0, None),
}
"""Settings checked here, before the full screen: their type and range."""


class ConfigError(ValueError):
    """The settings cannot be used; the message says which one to fix, and where it was set."""


class Sources(NamedTuple):
    """Every setting given anywhere, merged by precedence, each with where it came from."""

    values: dict[str, Any]
    origins: dict[str, str]
    config_file: Path
    profile: str | None = None
    profiles: tuple[str, ...] = ()
    """Every profile there is to switch to: config.toml's and the built-in ones."""
    warnings: tuple[str, ...] = ()
    """Keys of config.toml that are not settings, each with the closest one."""

    def early(self) -> EarlySettings:
        """What the first frame needs, before pydantic is imported."""
        values = self.values
        keys = values.get("keys")
        return EarlySettings(
            theme=str(values.get("theme", DEFAULT_THEME)),
            platform_url=_text_or_none(values.get("platform_url")),
            client_token=_text_or_none(values.get("client_token")),
            access_token=_text_or_none(values.get("access_token")),
            demo=_flag(values.get("demo", False)),
            cache=_flag(values.get("cache", True)),
            debug=_flag(values.get("debug", False)),
            keys={str(name): str(key) for name, key in keys.items()} if isinstance(keys, dict) else {},
            profile=self.profile,
            profiles=self.profiles,
        )


class EarlySettings(NamedTuple):
    """What the first frame needs, read with the standard library alone: pydantic is imported
    (and every setting validated) only once that frame is painted."""

    theme: str = DEFAULT_THEME
    platform_url: str | None = None
    client_token: str | None = None
    access_token: str | None = None
    demo: bool = False
    cache: bool = True
    debug: bool = False
    keys: Mapping[str, str] = MappingProxyType({})
    """`[keys]`: binding id to keys."""
    profile: str | None = None
    profiles: tuple[str, ...] = ()

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


def read_sources(
    config_file: Path,
    flags: Mapping[str, Any],
    *,
    must_exist: bool = False,
    environ: Mapping[str, str] = os.environ,
) -> Sources:
    """The settings from every source; flags that are None were not given.

    `flags["profile"]` (or CONNECTOR_INBOX_PROFILE) picks a `[profiles.NAME]` table of
    config.toml, or a built-in profile. `must_exist`: the file was named with --config.
    Raises `ConfigError` for a missing or broken file, an unknown profile or a number
    out of range.
    """
    config = read_config(config_file, must_exist=must_exist)
    profile = flags.get("profile") or environ.get(f"{ENV_PREFIX}PROFILE") or None
    chosen = profile_values(config, profile)
    values: dict[str, Any] = {}
    origins: dict[str, str] = {}
    for name in SETTING_NAMES:
        variable = f"{ENV_PREFIX}{name.upper()}"
        if flags.get(name) is not None:
            values[name], origins[name] = flags[name], f"--{name.replace('_', '-')}"
        elif variable in environ:
            values[name], origins[name] = _from_environment(name, environ[variable]), variable
        elif name in chosen:
            values[name], origins[name] = chosen[name], f"[profiles.{profile}] of {config_file}"
        elif name in config:
            values[name], origins[name] = config[name], str(config_file)
    for name, (kind, low, high) in _NUMBERS.items():
        if name in values:
            values[name] = _checked_number(name, values[name], origins[name], kind, low, high)
    return Sources(
        values,
        origins,
        config_file,
        profile=profile,
        profiles=tuple(profile_names(config)),
        warnings=tuple(unknown_key_warnings(config, config_file)),
    )


def read_config(config_file: Path, *, must_exist: bool = False) -> dict[str, Any]:
    if not config_file.is_file():
        if must_exist:
            raise ConfigError(f"The config file {config_file} does not exist.")
        return {}
    import tomllib  # only where there is a file: a demo start has none

    try:
        return tomllib.loads(config_file.read_text(encoding="utf-8"))
    except (OSError, ValueError) as exc:
        raise ConfigError(f"Cannot read {config_file}: {exc}") from None


def profile_names(config: Mapping[str, Any]) -> list[str]:
    tables = config.get("profiles")
    own = sorted(tables) if isinstance(tables, dict) else []
    return [*own, *(name for name in BUILT_IN_PROFILES if name not in own)]


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
    raise ConfigError(f"There is no profile {name!r}; known: {known}.")


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


def normalised_url(url: str) -> str:
    """As `Settings` stores it: no surrounding space, no trailing slash."""
    return url.strip().rstrip("/")


def _from_environment(name: str, text: str) -> Any:
    # A table can only come from the environment as JSON, as pydantic-settings read it.
    if name == "keys":
        try:
            return json.loads(text)
        except ValueError:
            raise ConfigError(f"{ENV_PREFIX}KEYS: not a JSON object of binding ids and keys") from None
    return text


def _checked_number(
    name: str, value: Any, origin: str, kind: type[int] | type[float], low: float, high: float | None
) -> int | float:
    whole = kind is int
    bounds = f"from {low:g} to {high:g}" if high is not None else f"of at least {low:g}"
    wanted = f"a {'whole ' if whole else ''}number {bounds}"
    try:
        if isinstance(value, bool) or (whole and isinstance(value, float)):
            raise ValueError
        number = kind(value.strip() if isinstance(value, str) else value)
    except (TypeError, ValueError):
        raise ConfigError(f"{name} ({origin}): must be {wanted}, not {value!r}.") from None
    if number < low or (high is not None and number > high):
        raise ConfigError(f"{name} ({origin}): must be {wanted}, not {number:g}.")
    return number


def _flag(value: Any) -> bool:
    return value.strip().lower() in _TRUE if isinstance(value, str) else bool(value)


def _text_or_none(value: Any) -> str | None:
    return None if value is None else str(value)

"""Settings: defaults < config.toml < its [profiles.NAME] < CONNECTOR_INBOX_* environment < flags.

pydantic-settings does the merging; each field's docstring is its documentation.
With no credentials anywhere the inbox runs in demo mode on the built-in simulator.
"""

from __future__ import annotations

import ipaddress
import json
import os
import tomllib
from datetime import datetime
from pathlib import Path
from typing import Any, ClassVar, Literal
from urllib.parse import urlsplit

from pydantic import Field, SecretStr, field_validator, model_validator
from pydantic_settings import (
    BaseSettings,
    InitSettingsSource,
    PydanticBaseSettingsSource,
    SettingsConfigDict,
    TomlConfigSettingsSource,
)

from inbox_tui import __version__, locations
from inbox_tui.api.pager import DEFAULT_HISTORY_START, DEFAULT_MAX_EMPTY_WINDOWS
from inbox_tui.first_frame import (
    DEFAULT_THEME,
    UnknownProfile,
    normalised_url,
    profile_name,
    profile_values,
    read_config,
)

DEMO_PLATFORM_URL = "https://api.mews-demo.com"


class ConfigError(ValueError):
    """The settings cannot be used; the message says which one to fix."""


class Settings(BaseSettings):
    model_config = SettingsConfigDict(env_prefix="CONNECTOR_INBOX_", extra="ignore")

    profile_values: ClassVar[dict[str, Any]] = {}
    """The chosen profile's table: between the environment and config.toml's own values."""

    platform_url: str | None = None
    """Address of the Mews platform, e.g. https://api.mews-demo.com or https://api.mews.com."""

    client_token: SecretStr | None = None
    """Token identifying the integration (ClientToken)."""

    access_token: SecretStr | None = None
    """Token of the enterprise's connection (AccessToken)."""

    client: str = f"connector-inbox {__version__}"
    """Name and version sent as `Client` with every request."""

    demo: bool = False
    """Use the built-in simulator even when credentials are set."""

    theme: str = DEFAULT_THEME
    """Theme name: a Textual theme or one from the themes folders."""

    page_size: int = Field(default=100, ge=1, le=1000)
    """Threads asked for per request (1 to 1000)."""

    debug: bool = False
    """Write a rotating diagnostic log (no tokens, no bodies) under the user log dir."""

    history_start: datetime = DEFAULT_HISTORY_START
    """Oldest time the history walk goes back to."""

    max_empty_windows: int = Field(default=DEFAULT_MAX_EMPTY_WINDOWS, ge=1)
    """Consecutive empty 3-month windows after which the history is taken to have ended."""

    rate_limit: Literal["demo", "production", "off"] = "production"
    """Client-side request budget per 15 minutes, as documented for each environment."""

    cache: bool = True
    """Start from the local cache of threads already seen (`--no-cache` turns it off)."""

    poll_seconds: float = Field(default=60, ge=0)
    """Seconds between checks for new threads while the inbox is open (0: never)."""

    bell_on_new: bool = False
    """Ring the terminal bell when a check finds new threads."""

    keys: dict[str, str] = Field(default_factory=dict)
    """`[keys]`: actions rebound by binding id, e.g. `refresh = "f5"`."""

    @classmethod
    def settings_customise_sources(
        cls,
        settings_cls: type[BaseSettings],
        init_settings: PydanticBaseSettingsSource,
        env_settings: PydanticBaseSettingsSource,
        dotenv_settings: PydanticBaseSettingsSource,
        file_secret_settings: PydanticBaseSettingsSource,
    ) -> tuple[PydanticBaseSettingsSource, ...]:
        profile = InitSettingsSource(settings_cls, init_kwargs=cls.profile_values)
        return (init_settings, env_settings, profile, TomlConfigSettingsSource(settings_cls))

    @field_validator("platform_url")
    @classmethod
    def _only_safe_urls(cls, value: str | None) -> str | None:
        if value is None:
            return None
        parts = urlsplit(value.strip())
        if parts.scheme not in ("https", "http") or not parts.hostname:
            raise ValueError(f"{value!r} is not an http(s) address")
        if parts.scheme == "http" and not _is_loopback(parts.hostname):
            raise ValueError(
                "http:// would send the tokens unencrypted; use https:// "
                "(plain http is allowed only for loopback hosts)"
            )
        return normalised_url(value)

    @model_validator(mode="after")
    def _complete_credentials(self) -> Settings:
        if self.is_demo:
            return self
        missing = [
            name
            for name, value in (
                ("platform URL", self.platform_url),
                ("client token", self.client_token),
                ("access token", self.access_token),
            )
            if not value
        ]
        if missing:
            raise ValueError(
                f"the {' and '.join(missing)} {'is' if len(missing) == 1 else 'are'} missing: "
                "give the platform URL and both tokens, or none of them for demo mode"
            )
        return self

    @property
    def is_demo(self) -> bool:
        return self.demo or (self.client_token is None and self.access_token is None)

    @property
    def environment_label(self) -> str:
        """What the header shows: demo, or the platform's host."""
        if self.is_demo:
            return "demo"
        return urlsplit(self.platform_url or "").hostname or "?"


def load_settings(config_path: Path | None = None, profile: str | None = None, **flags: Any) -> Settings:
    """Settings from every source; flags that are None were not given and do not count.

    `profile` (or CONNECTOR_INBOX_PROFILE) picks a `[profiles.NAME]` table of config.toml,
    or a built-in profile, whose values come between the environment and the file's own.
    """
    path = config_path or locations.config_file()
    if config_path is not None and not path.is_file():
        raise ConfigError(f"The config file {path} does not exist.")
    name = profile_name(profile)
    try:
        chosen = profile_values(read_config(path), name)
    except UnknownProfile as exc:
        raise ConfigError(str(exc)) from None

    sourced = type(
        "Settings",
        (Settings,),
        {"model_config": {**Settings.model_config, "toml_file": path}, "profile_values": chosen},
    )
    try:
        return sourced(**{name: value for name, value in flags.items() if value is not None})
    except ValueError as exc:
        raise ConfigError(_describe(exc, path)) from None


def save_config(values: dict[str, Any], path: Path | None = None, profile: str | None = None) -> Path:
    """Merge `values` into config.toml (or its `[profiles.NAME]` table), written 0600 and
    atomically, after checking that the result loads."""
    path = path or locations.config_file()
    current: dict[str, Any] = {}
    if path.is_file():
        try:
            current = tomllib.loads(path.read_text(encoding="utf-8"))
        except (OSError, ValueError) as exc:
            raise ConfigError(f"Cannot read {path}: {exc}") from None
    if profile is None:
        merged = {**current, **values}
    else:
        profiles = dict(current.get("profiles", {}))
        profiles[profile] = {**profiles.get(profile, {}), **values}
        merged = {**current, "profiles": profiles}
    path.parent.mkdir(parents=True, exist_ok=True)
    draft = path.with_name(f".{path.name}.new")
    fd = os.open(draft, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(fd, "w", encoding="utf-8") as file:
        file.write(_toml_document(merged))
    try:
        load_settings(draft, profile=profile)
    except ConfigError:
        draft.unlink()
        raise
    os.replace(draft, path)
    return path


def _toml_document(data: dict[str, Any], table: str = "") -> str:
    """Scalars first, then each table under its header: the TOML this file needs."""
    lines = [f"{key} = {_toml_value(value)}\n" for key, value in data.items() if not isinstance(value, dict)]
    for key, value in data.items():
        if isinstance(value, dict):
            name = f"{table}.{_toml_key(key)}" if table else _toml_key(key)
            scalars = any(not isinstance(item, dict) for item in value.values())
            lines.append((f"\n[{name}]\n" if scalars or not value else "") + _toml_document(value, name))
    return "".join(lines)


def _toml_key(key: str) -> str:
    return key if key.replace("-", "").replace("_", "").isalnum() else json.dumps(key)


def _toml_value(value: Any) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int | float):
        return str(value)
    # A JSON string with ASCII escapes is a valid TOML basic string.
    return json.dumps(str(value))


def _describe(exc: ValueError, path: Path) -> str:
    errors = getattr(exc, "errors", None)
    if errors is None:
        return f"Cannot read {path}: {exc}"
    lines = []
    for error in errors():
        where = ".".join(str(part) for part in error["loc"])
        message = error["msg"].removeprefix("Value error, ")
        lines.append(f"{where}: {message}" if where else message)
    return "Invalid settings: " + "; ".join(lines) + "."


def _is_loopback(host: str) -> bool:
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False

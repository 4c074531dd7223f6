"""Settings, validated: the one pydantic model of what `sources` merged.

Each field's docstring is its documentation. With no credentials anywhere the
inbox runs in demo mode on the built-in simulator.
"""

from __future__ import annotations

import ipaddress
import os
from collections.abc import Mapping
from datetime import datetime
from pathlib import Path
from typing import Any, Literal
from urllib.parse import urlsplit

from pydantic import (
    BaseModel,
    ConfigDict,
    Field,
    SecretStr,
    ValidationError,
    field_validator,
    model_validator,
)

from inbox_tui import __version__, locations
from inbox_tui.api.pager import DEFAULT_HISTORY_START, DEFAULT_MAX_EMPTY_WINDOWS
from inbox_tui.settings.sources import DEFAULT_THEME, ConfigError, Sources, normalised_url, read_sources

__all__ = ["ConfigError", "Settings", "load_settings", "validated"]


class Settings(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")

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
    """Ring the terminal bell when a check finds new threads (the same as notify = "bell")."""

    notify: Literal["off", "bell", "desktop", "command"] = "off"
    """Tell of new threads and staff messages outside the terminal: the bell, the terminal's own
    desktop notification, or `notify_command`."""

    notify_command: list[str] = Field(default_factory=list)
    """For notify = "command": the program and its arguments (no shell); the sender, subject
    and first line of the message follow as three more arguments."""

    keys: dict[str, str] = Field(default_factory=dict)
    """`[keys]`: actions rebound by binding id, e.g. `refresh = "f5"`."""

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


def validated(sources: Sources) -> Settings:
    """The merged settings checked; a `ConfigError` naming each value to fix and where it was set."""
    try:
        return Settings(**sources.values)
    except ValidationError as exc:
        lines = []
        for error in exc.errors():
            name = ".".join(str(part) for part in error["loc"])
            origin = sources.origins.get(str(error["loc"][0])) if error["loc"] else None
            message = error["msg"].removeprefix("Value error, ")
            lines.append(
                f"{name} ({origin}): {message}" if origin else f"{name}: {message}" if name else message
            )
        raise ConfigError("Invalid settings: " + "; ".join(lines) + ".") from None


def load_settings(
    config_path: Path | None = None,
    profile: str | None = None,
    environ: Mapping[str, str] = os.environ,
    **flags: Any,
) -> Settings:
    """Settings from every source, as the command line reads them; flags that are None do not count."""
    config_file = config_path or locations.config_file()
    sources = read_sources(
        config_file, {**flags, "profile": profile}, must_exist=config_path is not None, environ=environ
    )
    return validated(sources)


def _is_loopback(host: str) -> bool:
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False

"""The wiring of a session, shared by the commands: settings, client, pagers, cache, demo.

The only place that imports the simulator (for demo mode), and lazily, so that a
session against a real platform never loads starlette or uvicorn.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from inbox_tui.cli.common import UsageError, setting_flags

if TYPE_CHECKING:
    import ssl
    from datetime import datetime

    from inbox_tui.api.client import ConnectorClient
    from inbox_tui.api.pager import WalkSettings
    from inbox_tui.inbox.thread_cache import ThreadCache
    from inbox_tui.settings.model import Settings
    from inbox_tui.settings.sources import EarlySettings, Sources
    from inbox_tui.simulator.app import Simulator


@dataclass
class Invocation:
    """A command's settings as read from every source, before anything is validated by pydantic."""

    config_file: Path
    config_given: bool
    flags: dict[str, Any]
    sources: Sources
    warnings: list[str] = field(default_factory=list)
    log_path: Path | None = None

    @property
    def early(self) -> EarlySettings:
        return self.sources.early()

    def for_profile(self, profile: str | None) -> Sources:
        """The same sources with another profile chosen (the palette's switcher)."""
        return _read(self.config_file, {**self.flags, "profile": profile}, self.config_given)

    def settings(self, sources: Sources | None = None) -> Settings:
        """Validated (this imports pydantic): `UsageError` names what to fix."""
        from inbox_tui.settings.model import validated
        from inbox_tui.settings.sources import ConfigError

        try:
            return validated(sources or self.sources)
        except ConfigError as exc:
            raise UsageError(str(exc)) from None


def invocation(args: argparse.Namespace, *, tighten_folders: bool = True) -> Invocation:
    """Read the settings of `args`, say the warnings on stderr, start the debug log if asked.

    `tighten_folders`: make the folders of guest data private (not for `cache info`,
    which reports them as they are).
    """
    from inbox_tui import locations
    from inbox_tui.settings.sources import config_file_warning

    config_path: Path | None = getattr(args, "config", None)
    config_file = config_path or locations.config_file()
    flags = setting_flags(args)
    sources = _read(
        config_file, {**flags, "profile": getattr(args, "profile", None)}, config_path is not None
    )
    warnings = [
        *sources.warnings,
        *filter(None, [config_file_warning(config_file)]),
        *(locations.tighten_data_dirs() if tighten_folders else ()),
    ]
    for warning in warnings:
        print(warning, file=sys.stderr)
    found = Invocation(config_file, config_path is not None, flags, sources, warnings)
    if found.early.debug:
        from inbox_tui.diagnostics import enable_debug_log

        found.log_path = enable_debug_log()
        print(f"Debug log: {found.log_path}", file=sys.stderr)
    return found


def _read(config_file: Path, flags: dict[str, Any], must_exist: bool) -> Sources:
    from inbox_tui.settings.sources import ConfigError, read_sources

    try:
        return read_sources(config_file, flags, must_exist=must_exist)
    except ConfigError as exc:
        raise UsageError(str(exc)) from None


def connect(
    settings: Settings, tls_context: ssl.SSLContext | None = None, *, demo_anchor: datetime | None = None
) -> ConnectorClient:
    """The client for the settings: over the network, or to the in-process simulator (whose
    history ends at `demo_anchor`, so that the head start's simulator holds the same data)."""
    from inbox_tui.api.client import ConnectorClient
    from inbox_tui.api.ratelimit import RateLimiter, RequestLimits

    limiter = None
    if settings.rate_limit != "off":
        limits = RequestLimits.demo() if settings.rate_limit == "demo" else RequestLimits.production()
        limiter = RateLimiter(limits)
    if not settings.is_demo:
        assert settings.platform_url and settings.client_token and settings.access_token
        return ConnectorClient(
            settings.platform_url,
            settings.client_token,
            settings.access_token,
            settings.client,
            rate_limiter=limiter,
            tls_context=tls_context,
        )
    from datetime import UTC, datetime

    from inbox_tui.simulator.app import Simulator

    # The history ends where the head start's simulator's did (the same threads); the clock runs.
    simulator = Simulator.seeded(now=demo_anchor, clock=lambda: datetime.now(UTC))
    simulator.come_alive()  # a newcomer sees threads arrive and staff answer
    return simulator_client(simulator, settings.client, rate_limiter=limiter)


def simulator_client(simulator: Simulator, client_name: str, **options: Any) -> ConnectorClient:
    """A client for `simulator`, mounted in-process but reached through httpx like a platform."""
    import httpx
    from pydantic import SecretStr

    from inbox_tui.api.client import ConnectorClient

    return ConnectorClient(
        "http://demo.simulator",
        SecretStr(simulator.client_token),
        SecretStr(simulator.access_token),
        client_name,
        transport=httpx.ASGITransport(app=simulator.app),
        **options,
    )


def walk_settings(settings: Settings) -> WalkSettings:
    """How the settings shape every walk over the history."""
    from inbox_tui.api.pager import WalkSettings

    return WalkSettings(
        page_size=settings.page_size,
        history_start=settings.history_start,
        max_empty_windows=settings.max_empty_windows,
    )


@contextmanager
def cache_if_wanted(early: EarlySettings) -> Iterator[ThreadCache | None]:
    """The local cache for a command, unless `--no-cache`; closed (and flushed) after it."""
    cache = cache_for(early)
    try:
        yield cache
    finally:
        if cache is not None:
            cache.close()


def cache_file_exists(early: EarlySettings) -> bool:
    """Whether these settings' cache was written before, looked up without opening it (a new
    cache starts its writer thread as it is opened)."""
    from inbox_tui import locations
    from inbox_tui.inbox.cache_files import existing_database

    return existing_database(locations.cache_dir(), *early.cache_key) is not None


def cache_for(early: EarlySettings) -> ThreadCache | None:
    """The local cache these settings use, opened; None with `--no-cache`."""
    return open_cache(early) if early.cache else None


def open_cache(early: EarlySettings) -> ThreadCache:
    from inbox_tui import locations
    from inbox_tui.inbox.thread_cache import ThreadCache

    return ThreadCache.open(locations.cache_dir(), *early.cache_key)

"""What every command shares: exit codes, the settings flags, argument types, and GC timing.

Below the commands and the dispatcher, importing nothing of theirs, so that the
commands and the parser built from them never import each other.
"""

from __future__ import annotations

import argparse
import gc
from functools import partial
from pathlib import Path
from typing import Any

EXIT_OK = 0
EXIT_FAILURE = 1
EXIT_USAGE = 2  # bad settings or input, rejected credentials: the user must change something
EXIT_INTERRUPTED = 130


class UsageError(ValueError):
    """Settings or input to fix: said in one line, exit code 2."""


def positive_int(text: str) -> int:
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not a whole number") from None
    if value < 1:
        raise argparse.ArgumentTypeError(f"must be at least 1, not {value}")
    return value


def add_settings_arguments(parser: argparse.ArgumentParser) -> None:
    """The settings every command that talks to a platform takes.

    Flags not given stay out of the namespace (argparse.SUPPRESS), so that they do
    not hide the environment or config.toml.
    """
    group = parser.add_argument_group("settings (flags > CONNECTOR_INBOX_* > profile > config.toml)")
    add = partial(group.add_argument, default=argparse.SUPPRESS)
    add("--platform-url", help="platform address, e.g. https://api.mews.com")
    add("--client-token", help="ClientToken of the integration")
    add("--access-token", help="AccessToken of the enterprise connection")
    add("--client", help="Client name sent with requests")
    add("--demo", action="store_true", help="use the built-in simulator")
    add("--theme", help="theme name")
    add("--page-size", help="threads per request (1-1000)")
    add("--config", type=Path, help="config file (default: config.toml in the user config dir)")
    add("--debug", action="store_true", help="write a diagnostic log")
    add(
        "--profile",
        help="use [profiles.NAME] of config.toml, or the built-in mews-demo (public sample tokens)",
    )
    add("--no-cache", dest="cache", action="store_false", help="neither read nor write the local cache")


def add_address_arguments(parser: argparse.ArgumentParser, port: int) -> None:
    """Where a server of ours listens: loopback unless told."""
    parser.add_argument("--host", default="127.0.0.1", help="address to listen on (default: %(default)s)")
    parser.add_argument("--port", type=int, default=port, help="port to listen on (default: %(default)s)")


def setting_flags(args: argparse.Namespace) -> dict[str, Any]:
    """The settings given as flags, by setting name."""
    from inbox_tui.settings.sources import SETTING_NAMES

    return {name: getattr(args, name) for name in SETTING_NAMES if hasattr(args, name)}


def pause_garbage_collection() -> None:
    """Importing textual, pydantic and httpx creates about 100,000 objects that live as long
    as the process; collecting while they are made scans them again and again for nothing
    (a tenth of the start-up)."""
    gc.disable()


def resume_garbage_collection() -> None:
    """Called once start-up is done: what exists by then is kept out of every later collection."""
    gc.freeze()
    gc.enable()

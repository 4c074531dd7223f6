"""What every command shares: exit codes, the settings flags, argument types, and GC timing.

Below the commands and the dispatcher, importing nothing of theirs, so that the
commands and the parser built from them never import each other.
"""

from __future__ import annotations

import argparse
import gc
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


def settings_arguments() -> argparse.ArgumentParser:
    """The settings every command that talks to a platform takes, as a parent parser.

    Flags not given stay out of the namespace (argparse.SUPPRESS), so that they do
    not hide the environment or config.toml.
    """
    common = argparse.ArgumentParser(add_help=False, argument_default=argparse.SUPPRESS)
    group = common.add_argument_group("settings (flags > CONNECTOR_INBOX_* > profile > config.toml)")
    group.add_argument("--platform-url", help="platform address, e.g. https://api.mews.com")
    group.add_argument("--client-token", help="ClientToken of the integration")
    group.add_argument("--access-token", help="AccessToken of the enterprise connection")
    group.add_argument("--client", help="Client name sent with requests")
    group.add_argument("--demo", action="store_true", help="use the built-in simulator")
    group.add_argument("--theme", help="theme name")
    group.add_argument("--page-size", help="threads per request (1-1000)")
    group.add_argument(
        "--config", type=Path, help="config file (default: config.toml in the user config dir)"
    )
    group.add_argument("--debug", action="store_true", help="write a diagnostic log")
    group.add_argument(
        "--profile",
        help="use [profiles.NAME] of config.toml, or the built-in mews-demo (public sample tokens)",
    )
    group.add_argument(
        "--no-cache", dest="cache", action="store_false", help="neither read nor write the local cache"
    )
    return common


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

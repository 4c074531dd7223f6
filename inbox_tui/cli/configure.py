"""`connector-inbox configure`: save settings given as flags to config.toml, readable by you only."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from inbox_tui.cli.common import EXIT_OK, UsageError

DESCRIPTION = (
    "Save the settings given as flags into config.toml (in the user config folder, or --config), "
    "or into its [profiles.NAME] table with --profile. The file is written readable by you only, "
    "and only if the result is valid settings."
)
EXAMPLE = "connector-inbox configure --profile prod --platform-url https://api.mews.com --access-token …"
SAVED = (
    "platform_url",
    "client_token",
    "access_token",
    "client",
    "theme",
    "page_size",
    "history_start",
    "max_empty_windows",
    "rate_limit",
    "poll_seconds",
)
"""What can be saved here: what a flag holds that is worth keeping (not --demo, --debug, --no-cache)."""


def add_arguments(parser: argparse.ArgumentParser) -> None:
    group = parser.add_argument_group("settings to save")
    group.add_argument("--platform-url", help="platform address, e.g. https://api.mews.com")
    group.add_argument("--client-token", help="ClientToken of the integration")
    group.add_argument("--access-token", help="AccessToken of the enterprise connection")
    group.add_argument("--client", help="Client name sent with requests")
    group.add_argument("--theme", help="theme name")
    group.add_argument("--page-size", type=int, help="threads per request (1-1000)")
    group.add_argument("--history-start", metavar="DATE", help="oldest time the history walk reaches")
    group.add_argument("--max-empty-windows", type=int, metavar="N", help="empty 3-month windows that end it")
    group.add_argument(
        "--rate-limit", choices=("demo", "production", "off"), help="client-side request budget"
    )
    group.add_argument(
        "--poll-seconds", type=float, metavar="S", help="seconds between checks for new threads"
    )
    # Also taken before the command (`connector-inbox --profile p configure …`): when not
    # given here, they must not hide what was given there.
    parser.add_argument(
        "--profile", default=argparse.SUPPRESS, help="save into [profiles.NAME] instead of the top level"
    )
    parser.add_argument(
        "--config",
        type=Path,
        default=argparse.SUPPRESS,
        help="config file (default: config.toml in the user config dir)",
    )


def run(args: argparse.Namespace) -> int:
    from inbox_tui.settings.config_file import save_config
    from inbox_tui.settings.sources import ConfigError

    values = {name: getattr(args, name) for name in SAVED if getattr(args, name, None) is not None}
    if not values:
        raise UsageError("configure: give the settings to save, e.g. --platform-url")
    try:
        path = save_config(values, getattr(args, "config", None), profile=getattr(args, "profile", None))
    except ConfigError as exc:
        raise UsageError(str(exc)) from None
    print(f"Saved {', '.join(sorted(values))} to {path}", file=sys.stderr)
    return EXIT_OK

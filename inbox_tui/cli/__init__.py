"""The command line: a parser built from the command modules, and the one place exits are decided.

Each command is a module with `EXAMPLE`, `add_arguments(parser)`, `run(args) -> int` and
optionally `DESCRIPTION`; adding a command means adding a module and naming it below,
with its line of help. A command's module is imported only when that command is parsed,
so the inbox, which names none, pays for none of them (13 modules and their parsers:
about 25 M instructions, 5 ms, of every start). The commands import `common` and
`session`, never this module.
"""

from __future__ import annotations

import argparse
import gc
import importlib
import os
import sys
from typing import Any

from inbox_tui import __version__
from inbox_tui.api.errors import ApiError, AuthError, BadRequestError, ForbiddenError, NotFoundError
from inbox_tui.cli import inbox
from inbox_tui.cli.common import (
    EXIT_FAILURE,
    EXIT_INTERRUPTED,
    EXIT_OK,
    EXIT_USAGE,
    UsageError,
    add_settings_arguments,
    pause_garbage_collection,
)

COMMANDS: dict[str, tuple[str, str]] = {
    "list": ("listing", "list threads, newest first (or by last update), as a table or JSON"),
    "show": ("show", "show a thread and its whole conversation"),
    "reply": ("reply", "reply to a thread with TEXT or standard input (never sent twice)"),
    "new": ("new", "open a new thread (never sent twice)"),
    "watch": ("watch", "print new threads and messages as JSON lines, as they happen"),
    "sync": ("sync", "mirror every thread and message into the local cache, for search (resumable)"),
    "search": (
        "search",
        "search the threads and messages of the local mirror (exit code 1 when nothing matches)",
    ),
    "export": ("export", "write the whole history, newest first, to a file or stdout"),
    "serve": (
        "serve",
        "serve the inbox in a browser tab (textual-serve), on loopback, to the holder of a secret",
    ),
    "cache": ("cache", "show, pack or clear the local cache"),
    "configure": (
        "configure",
        "save the given settings to config.toml (or one of its profiles), readable by you only",
    ),
    "simulator": ("simulator", "serve the demo simulator on loopback"),
    "completion": ("completion", "print a shell completion script (bash, zsh or fish)"),
}
"""Each command's module under `inbox_tui.cli` and line of help, in the order `--help` lists them."""
_WITHOUT_SETTINGS = ("configure", "simulator", "completion")
"""The modules of the commands that do not talk to a platform, so take none of its settings flags."""


def main(argv: list[str] | None = None) -> int:
    # Importing textual, pydantic and httpx creates objects that live as long as the
    # process; each command resumes collection once its start-up is done.
    pause_garbage_collection()
    try:
        args = build_parser().parse_args(argv)
        command = args.run
        return int(command(args))
    except UsageError as exc:
        print(f"connector-inbox: {exc}", file=sys.stderr)
        return EXIT_USAGE
    except ApiError as exc:
        # Credentials, a thread that is not ours, a request refused: the user has something to fix.
        print(f"connector-inbox: {exc}", file=sys.stderr)
        is_usage = isinstance(exc, AuthError | ForbiddenError | NotFoundError | BadRequestError)
        return EXIT_USAGE if is_usage else EXIT_FAILURE
    except KeyboardInterrupt:
        return EXIT_INTERRUPTED
    except BrokenPipeError:
        # `connector-inbox watch | head -3`: the reader has what it wanted.
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return EXIT_OK
    finally:
        gc.enable()


def build_parser(*, every_command: bool = False) -> argparse.ArgumentParser:
    """The whole command line; each command's arguments are added when it is parsed, or at
    once for all of them with `every_command` (what completion reads)."""
    parser = argparse.ArgumentParser(
        prog="connector-inbox",
        description="A terminal inbox for the message threads of the Mews Connector API.\n"
        "With no credentials it runs on a built-in demo simulator.",
        formatter_class=argparse.RawDescriptionHelpFormatter,
        epilog="Environment: CONNECTOR_INBOX_PLATFORM_URL, CONNECTOR_INBOX_CLIENT_TOKEN, "
        "CONNECTOR_INBOX_ACCESS_TOKEN, CONNECTOR_INBOX_CLIENT, CONNECTOR_INBOX_THEME.\n"
        "Exit codes: 0 done, 1 failure, 2 settings or input to fix, 130 interrupted.",
    )
    add_settings_arguments(parser)
    parser.add_argument("--version", action="version", version=f"connector-inbox {__version__}")
    parser.set_defaults(run=inbox.run)
    commands = parser.add_subparsers(dest="command", metavar="COMMAND", parser_class=CommandParser)
    for name, (module, summary) in COMMANDS.items():
        command = commands.add_parser(name, help=summary, module=module, summary=summary)
        if every_command:
            command.add_command_arguments()
    return parser


class CommandParser(argparse.ArgumentParser):
    """A command's parser, given its arguments from its module only when it is needed."""

    def __init__(self, *, module: str, summary: str, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self._module: str | None = module
        self._summary = summary

    def parse_known_args(self, *args: Any, **kwargs: Any) -> Any:
        self.add_command_arguments()
        return super().parse_known_args(*args, **kwargs)

    def add_command_arguments(self) -> None:
        if self._module is None:
            return
        module = importlib.import_module(f"inbox_tui.cli.{self._module}")
        if self._module not in _WITHOUT_SETTINGS:
            add_settings_arguments(self)
        self._module = None
        self.description = getattr(module, "DESCRIPTION", self._summary[:1].upper() + self._summary[1:] + ".")
        self.epilog = f"Example: {module.EXAMPLE}"
        module.add_arguments(self)
        self.set_defaults(run=module.run)

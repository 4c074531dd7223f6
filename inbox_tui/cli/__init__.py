"""The command line: a parser built from the command modules, and the one place exits are decided.

Each command is a module with `NAME`, `HELP`, `EXAMPLE`, `add_arguments(parser)` and
`run(args) -> int`; adding a command means adding a module and naming it below.
The commands import `common` and `session`, never this module.
"""

from __future__ import annotations

import argparse
import gc
import os
import sys
from types import ModuleType

from inbox_tui import __version__
from inbox_tui.api.errors import ApiError, AuthError, BadRequestError, ForbiddenError, NotFoundError
from inbox_tui.cli import (
    cache,
    completion,
    configure,
    export,
    inbox,
    listing,
    new,
    reply,
    search,
    serve,
    show,
    simulator,
    sync,
    watch,
)
from inbox_tui.cli.common import (
    EXIT_FAILURE,
    EXIT_INTERRUPTED,
    EXIT_OK,
    EXIT_USAGE,
    UsageError,
    pause_garbage_collection,
    settings_arguments,
)

COMMANDS: tuple[ModuleType, ...] = (
    listing,
    show,
    reply,
    new,
    watch,
    sync,
    search,
    export,
    serve,
    cache,
    configure,
    simulator,
    completion,
)
"""In the order `--help` lists them."""
_WITHOUT_SETTINGS = (configure, simulator, completion)
"""Commands that do not talk to a platform, so take none of its settings flags."""


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


def build_parser() -> argparse.ArgumentParser:
    common = settings_arguments()
    parser = argparse.ArgumentParser(
        prog="connector-inbox",
        description="A terminal inbox for the message threads of the Mews Connector API.\n"
        "With no credentials it runs on a built-in demo simulator.",
        parents=[common],
        formatter_class=argparse.RawDescriptionHelpFormatter,
        epilog="Environment: CONNECTOR_INBOX_PLATFORM_URL, CONNECTOR_INBOX_CLIENT_TOKEN, "
        "CONNECTOR_INBOX_ACCESS_TOKEN, CONNECTOR_INBOX_CLIENT, CONNECTOR_INBOX_THEME.\n"
        "Exit codes: 0 done, 1 failure, 2 settings or input to fix, 130 interrupted.",
    )
    parser.add_argument("--version", action="version", version=f"connector-inbox {__version__}")
    parser.set_defaults(run=inbox.run)
    commands = parser.add_subparsers(dest="command", metavar="COMMAND")
    for module in COMMANDS:
        sub = commands.add_parser(
            module.NAME,
            parents=[] if module in _WITHOUT_SETTINGS else [common],
            help=module.HELP,
            description=getattr(module, "DESCRIPTION", module.HELP[:1].upper() + module.HELP[1:] + "."),
            epilog=f"Example: {module.EXAMPLE}",
        )
        module.add_arguments(sub)
        sub.set_defaults(run=module.run)
    return parser

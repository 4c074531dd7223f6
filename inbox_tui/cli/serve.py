"""`connector-inbox serve`: the inbox in a browser tab, for the holder of this run's secret."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from inbox_tui.cli.common import (
    EXIT_OK,
    UsageError,
    add_address_arguments,
    positive_int,
    resume_garbage_collection,
    setting_flags,
)

EXAMPLE = "connector-inbox serve --port 8000"


def add_arguments(parser: argparse.ArgumentParser) -> None:
    add_address_arguments(parser, port=8000)
    parser.add_argument(
        "--allow-remote",
        action="store_true",
        help="allow a host other than loopback: whoever reaches the port with the token uses the "
        "configured tokens",
    )
    parser.add_argument(
        "--allowed-host",
        action="append",
        default=[],
        metavar="NAME",
        help="with --allow-remote, a host name browsers use to reach the server (repeatable; "
        "default: derived from --host)",
    )
    parser.add_argument(
        "--token-file",
        type=Path,
        metavar="F",
        help="read the secret of the printed URL from F instead of making one per run "
        "(or set CONNECTOR_INBOX_SERVE_TOKEN)",
    )
    parser.add_argument(
        "--max-sessions",
        type=positive_int,
        default=4,
        metavar="N",
        help="inbox tabs served at once, one process each (default: %(default)s)",
    )


def run(args: argparse.Namespace) -> int:
    """The inbox in a browser tab: one inbox process per tab, for the holder of this run's secret."""
    import ipaddress
    import os
    import shlex
    import socket

    host = args.host
    try:
        is_loopback = host == "localhost" or ipaddress.ip_address(host).is_loopback
    except ValueError:
        is_loopback = False
    if not is_loopback and not args.allow_remote:
        raise UsageError(
            f"serve: {host} is not a loopback address; anyone who reaches it would use "
            "your tokens. Add --allow-remote if that is what you want."
        )
    try:
        secret = _serve_secret(args.token_file)
    except (OSError, ValueError) as exc:
        raise UsageError(f"serve: {exc}") from None
    if is_loopback:
        host_names = [host, "localhost"]
    elif args.allowed_host:
        host_names = args.allowed_host
    elif host in ("0.0.0.0", "::"):
        host_names = [socket.gethostname(), socket.getfqdn(), "localhost", "127.0.0.1"]
    else:
        host_names = [host]
    if not is_loopback:
        print(
            f"warning: serving on {host}:{args.port}: anyone who reaches this port with the token reads "
            "and writes message threads with the configured tokens.",
            file=sys.stderr,
        )
    from inbox_tui.cli.guarded_server import TOKEN_QUERY, GuardedServer

    # Settings go to each inbox through the environment, never its command line (where
    # `ps` would show the tokens); the server's secret goes to no inbox at all.
    os.environ.pop(SERVE_TOKEN_VARIABLE, None)
    for name, value in setting_flags(args).items():
        if name != "cache" and value is not None:
            os.environ[f"CONNECTOR_INBOX_{name.upper()}"] = str(value)
    command = [sys.executable, "-m", "inbox_tui"]
    if getattr(args, "config", None) is not None:
        command += ["--config", str(args.config)]
    if getattr(args, "cache", True) is False:
        command.append("--no-cache")
    server = GuardedServer(
        shlex.join(command),
        secret=secret,
        host=host,
        port=args.port,
        host_names=host_names,
        max_sessions=args.max_sessions,
        title="connector-inbox",
    )
    shown_host = f"[{host}]" if ":" in host else host
    print(
        f"Open http://{shown_host}:{args.port}/?{TOKEN_QUERY}={secret} (ctrl+c stops)",
        file=sys.stderr,
        flush=True,
    )
    resume_garbage_collection()
    server.serve()
    return EXIT_OK


SERVE_TOKEN_VARIABLE = "CONNECTOR_INBOX_SERVE_TOKEN"
MIN_SECRET_LENGTH = 22  # 128 bits in token_urlsafe's alphabet


def _serve_secret(token_file: Path | None) -> str:
    """A fresh secret per run, or the one chosen for a long-running service."""
    import os
    import secrets

    if token_file is not None:
        chosen = token_file.read_text(encoding="utf-8").strip()
    else:
        chosen = os.environ.get(SERVE_TOKEN_VARIABLE, "").strip()
    if not chosen:
        return secrets.token_urlsafe(32)
    if len(chosen) < MIN_SECRET_LENGTH or not chosen.isascii() or not chosen.isprintable() or " " in chosen:
        raise ValueError(
            f"the chosen token must be at least {MIN_SECRET_LENGTH} printable ASCII characters "
            "without spaces (e.g. python3 -c 'import secrets; print(secrets.token_urlsafe(32))')"
        )
    return chosen

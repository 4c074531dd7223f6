"""The command line: flags -> Settings -> the inbox, `export` or `simulator`.

This is the only module that imports the simulator (for demo mode), and it does so
lazily, so a session against a real platform never loads starlette or uvicorn.
"""

from __future__ import annotations

import argparse
import asyncio
import gc
import sys
from pathlib import Path
from typing import TYPE_CHECKING, Any

from inbox_tui import __version__

if TYPE_CHECKING:
    import ssl

    from inbox_tui.api.client import ConnectorClient
    from inbox_tui.api.pager import ThreadPager
    from inbox_tui.config import Settings
    from inbox_tui.first_frame import FirstFrameSettings
    from inbox_tui.inbox.api_filters import IdPager
    from inbox_tui.inbox.thread_cache import ThreadCache
    from inbox_tui.simulator.app import Simulator

EXIT_OK = 0
EXIT_FAILURE = 1
EXIT_USAGE = 2  # bad settings and rejected credentials: the user must change something
EXIT_INTERRUPTED = 130


def main(argv: list[str] | None = None) -> int:
    # Importing textual, pydantic and httpx creates about 100,000 objects that live as long
    # as the process; collecting while they are made scans them again and again for nothing
    # (a tenth of the start-up). `resume_garbage_collection` freezes them before the real work.
    gc.disable()
    try:
        return _run(argv)
    finally:
        gc.enable()


def resume_garbage_collection() -> None:
    """Called once start-up is done: what exists by then is kept out of every later collection."""
    gc.freeze()
    gc.enable()


def _run(argv: list[str] | None) -> int:
    from inbox_tui import first_frame, locations

    parser = build_parser()
    args = parser.parse_args(argv)
    if args.command == "simulator":
        return run_simulator(args)
    if args.command == "configure":
        return run_configure(args)
    if args.command == "serve":
        return run_serve(args)
    config_path = getattr(args, "config", None)
    if config_path is not None and not config_path.is_file():
        print(f"connector-inbox: The config file {config_path} does not exist.", file=sys.stderr)
        return EXIT_USAGE
    config_file = config_path or locations.config_file()
    flags = _setting_flags(args)
    try:
        early = first_frame.read(config_file, {**flags, "profile": getattr(args, "profile", None)})
    except first_frame.UnknownProfile as exc:
        print(f"connector-inbox: {exc}", file=sys.stderr)
        return EXIT_USAGE
    warnings = [
        *early.warnings,
        *filter(None, [first_frame.config_file_warning(config_file)]),
        # `cache info` reports the folders as they are; every other command makes them private.
        *(locations.tighten_data_dirs() if args.command != "cache" else ()),
    ]
    for warning in warnings:
        print(warning, file=sys.stderr)
    log_path = None
    if early.debug:
        from inbox_tui.diagnostics import enable_debug_log

        log_path = enable_debug_log()
        print(f"Debug log: {log_path}", file=sys.stderr)
    try:
        if args.command is None:
            return run_inbox(early, config_file, config_path, flags, log_path, warnings)
        return run_command(args, config_path, flags, early)
    except KeyboardInterrupt:
        return EXIT_INTERRUPTED


def run_command(
    args: argparse.Namespace, config_path: Path | None, flags: dict[str, Any], early: FirstFrameSettings
) -> int:
    """`export` and `cache`: validated settings first, as nothing is painted."""
    from inbox_tui.config import ConfigError, load_settings

    try:
        settings = load_settings(config_path, profile=early.profile, **flags)
    except ConfigError as exc:
        print(f"connector-inbox: {exc}", file=sys.stderr)
        return EXIT_USAGE
    if args.command == "cache":
        return run_cache(early, args.cache_command)
    return asyncio.run(run_export(settings, args))


def build_parser() -> argparse.ArgumentParser:
    common = argparse.ArgumentParser(add_help=False, argument_default=argparse.SUPPRESS)
    common.add_argument("--platform-url", help="platform address, e.g. https://api.mews.com")
    common.add_argument("--client-token", help="ClientToken of the integration")
    common.add_argument("--access-token", help="AccessToken of the enterprise connection")
    common.add_argument("--client", help="Client name sent with requests")
    common.add_argument("--demo", action="store_true", help="use the built-in simulator")
    common.add_argument("--theme", help="theme name")
    common.add_argument("--page-size", type=int, help="threads per request (1-1000)")
    common.add_argument(
        "--config", type=Path, help="config file (default: config.toml in the user config dir)"
    )
    common.add_argument("--debug", action="store_true", help="write a diagnostic log")
    common.add_argument(
        "--profile",
        help="use [profiles.NAME] of config.toml, or the built-in mews-demo (public sample tokens)",
    )
    common.add_argument(
        "--no-cache", dest="cache", action="store_false", help="neither read nor write the local cache"
    )

    parser = argparse.ArgumentParser(
        prog="connector-inbox",
        description="A terminal inbox for the message threads of the Mews Connector API. "
        "With no credentials it runs on a built-in demo simulator.",
        parents=[common],
        epilog="Environment: CONNECTOR_INBOX_PLATFORM_URL, CONNECTOR_INBOX_CLIENT_TOKEN, "
        "CONNECTOR_INBOX_ACCESS_TOKEN, CONNECTOR_INBOX_CLIENT, CONNECTOR_INBOX_THEME.",
    )
    parser.add_argument("--version", action="version", version=f"connector-inbox {__version__}")
    commands = parser.add_subparsers(dest="command", metavar="COMMAND")

    export = commands.add_parser(
        "export", parents=[common], help="write the whole history, newest first, to a file or stdout"
    )
    export.add_argument("--format", choices=("jsonl", "csv"), default="jsonl", dest="export_format")
    export.add_argument("--limit", type=_positive_int, help="stop after N threads")
    export.add_argument(
        "--output",
        "-o",
        type=Path,
        help="file to write (default: stdout); a new file is readable by you only (0600), as it holds "
        "guest data, an existing one keeps its mode",
    )
    export.add_argument(
        "--messages", action="store_true", help="include each thread's conversation (oldest message first)"
    )
    chosen = export.add_mutually_exclusive_group()
    chosen.add_argument(
        "--created-since", metavar="D", help="only threads created since D (2026-01-31, 7d, 3m)"
    )
    chosen.add_argument("--updated-since", metavar="D", help="only threads updated since D")
    chosen.add_argument(
        "--ids-file", type=Path, metavar="F", help="only the thread Ids in F (any separators)"
    )

    serve = commands.add_parser(
        "serve",
        parents=[common],
        help="serve the inbox in a browser tab (textual-serve), on loopback by default",
    )
    serve.add_argument("--host", default="127.0.0.1", help="address to listen on (default: %(default)s)")
    serve.add_argument("--port", type=int, default=8000, help="port to listen on (default: %(default)s)")
    serve.add_argument(
        "--allow-remote",
        action="store_true",
        help="allow a host other than loopback: whoever reaches the port with the token uses the "
        "configured tokens",
    )
    serve.add_argument(
        "--allowed-host",
        action="append",
        default=[],
        metavar="NAME",
        help="with --allow-remote, a host name browsers use to reach the server (repeatable; "
        "default: derived from --host)",
    )
    serve.add_argument(
        "--token-file",
        type=Path,
        metavar="F",
        help="read the secret of the printed URL from F instead of making one per run "
        "(or set CONNECTOR_INBOX_SERVE_TOKEN)",
    )
    serve.add_argument(
        "--max-sessions",
        type=_positive_int,
        default=4,
        metavar="N",
        help="inbox tabs served at once, one process each (default: %(default)s)",
    )

    cache = commands.add_parser("cache", parents=[common], help="show or clear the local cache")
    cache.add_argument("cache_command", choices=("info", "clear"), metavar="info|clear")

    commands.add_parser(
        "configure",
        parents=[common],
        help="save the given settings to config.toml (written readable by you only)",
    )

    simulator = commands.add_parser("simulator", help="serve the demo simulator on loopback")
    simulator.add_argument("--host", default="127.0.0.1")
    simulator.add_argument("--port", type=int, default=8787)
    simulator.add_argument("--threads", type=int, default=3000, help="threads to generate")
    simulator.add_argument("--seed", type=int, default=7)
    simulator.add_argument("--latency-ms", type=int, default=0, help="delay before every answer")
    simulator.add_argument(
        "--fault",
        action="append",
        default=[],
        help="scripted fault for the next request, in order (e.g. 429:retry-after=2, 500, html, "
        "truncated, slow=60, add:500:after-commit); repeat for several",
    )
    simulator.add_argument(
        "--limits", choices=("demo", "production"), help="enforce the documented request limits"
    )
    return parser


def _positive_int(text: str) -> int:
    value = int(text)
    if value < 1:
        raise argparse.ArgumentTypeError("must be at least 1")
    return value


def _setting_flags(args: argparse.Namespace) -> dict[str, Any]:
    from inbox_tui.first_frame import SETTING_NAMES

    # Flags not given are not in `args` at all (argparse.SUPPRESS), so they do not count.
    return {name: getattr(args, name) for name in SETTING_NAMES if hasattr(args, name)}


def connect(settings: Settings, tls_context: ssl.SSLContext | None = None) -> ConnectorClient:
    """The client for the settings: over the network, or to the in-process simulator."""
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
    from inbox_tui.simulator.app import Simulator

    return simulator_client(Simulator.seeded(), settings.client, rate_limiter=limiter)


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


def make_pager(client: ConnectorClient, settings: Settings, **resume: Any) -> ThreadPager:
    """A pager from the newest thread, or continuing a walk (`resume`, `seen`), or over a
    range of the user's (`by`, `until`, `history_start`)."""
    from inbox_tui.api.pager import ThreadPager

    options = {"history_start": settings.history_start, "max_empty_windows": settings.max_empty_windows}
    return ThreadPager(client, page_size=settings.page_size, **{**options, **resume})


def export_pager(
    client: ConnectorClient, settings: Settings, args: argparse.Namespace
) -> ThreadPager | IdPager:
    """The whole history, or what the filter flags ask the platform for."""
    from datetime import UTC, datetime

    from inbox_tui.inbox.api_filters import ApiFilter, filtered_pager, parse_moment, parse_thread_ids

    since = args.created_since or args.updated_since
    if args.ids_file is not None:
        api_filter = ApiFilter(thread_ids=tuple(parse_thread_ids(args.ids_file.read_text(encoding="utf-8"))))
    elif since is not None:
        by = "CreatedUtc" if args.created_since else "UpdatedUtc"
        api_filter = ApiFilter(by=by, start=parse_moment(since, datetime.now(UTC)))
    else:
        return make_pager(client, settings)
    return filtered_pager(
        api_filter, client, lambda **walk: make_pager(client, settings, **walk), settings.page_size
    )


async def run_export(settings: Settings, args: argparse.Namespace) -> int:
    from inbox_tui.api.errors import ApiError, AuthError, NotFoundError
    from inbox_tui.export import export_threads
    from inbox_tui.locations import open_private

    output = open_private(args.output, newline="") if args.output else sys.stdout
    try:
        async with connect(settings) as client:
            resume_garbage_collection()
            pager = export_pager(client, settings, args)
            await export_threads(
                pager,
                output,
                export_format=args.export_format,
                limit=args.limit,
                progress=sys.stderr,
                for_terminal=output.isatty(),
                messages_from=client if args.messages else None,
            )
    except ApiError as exc:
        print(f"connector-inbox: {exc}", file=sys.stderr)
        return EXIT_USAGE if isinstance(exc, AuthError | NotFoundError) else EXIT_FAILURE
    except (ValueError, OSError) as exc:
        print(f"connector-inbox export: {exc}", file=sys.stderr)
        return EXIT_USAGE
    finally:
        if output is not sys.stdout:
            output.close()
    return EXIT_OK


def run_inbox(
    early: FirstFrameSettings,
    config_file: Path,
    config_path: Path | None,
    flags: dict[str, Any],
    log_path: Path | None,
    warnings: list[str],
) -> int:
    """The first frame from the cache and `early` settings; the platform's stack right after it."""
    from inbox_tui import first_frame
    from inbox_tui.api.tls import tls_context_in_background

    # Asked for before Textual is imported, so that it loads meanwhile.
    needs_tls = not early.is_demo and (early.platform_url or "").strip().startswith("https:")
    tls_context = tls_context_in_background() if needs_tls else None

    from inbox_tui import locations
    from inbox_tui.tui.app import InboxApp
    from inbox_tui.tui.connection import Connection, Session, SetupError

    def session(profile: str | None, chosen: FirstFrameSettings) -> Session:
        def connect_to_platform() -> Connection:
            from inbox_tui.config import ConfigError, load_settings

            gc.disable()  # as at start-up: the platform's stack is imported here
            try:
                settings = load_settings(config_path, profile=profile, **flags)
                context = tls_context.result() if tls_context and chosen is early else None
                client = connect(settings, context)
            except ConfigError as exc:
                raise SetupError(str(exc)) from None
            finally:
                resume_garbage_collection()
            return Connection(
                client,
                lambda **resume: make_pager(client, settings, **resume),
                page_size=settings.page_size,
                poll_seconds=settings.poll_seconds,
                bell_on_new=settings.bell_on_new,
            )

        cache = open_cache(chosen) if chosen.cache else None
        return Session(connect_to_platform, cache, chosen.environment_label)

    def switch_profile(profile: str) -> Session:
        return session(profile, first_frame.read(config_file, {**flags, "profile": profile}))

    app = InboxApp(
        session(early.profile, early),
        profile=early.profile,
        profiles=early.profiles,
        switch_profile=switch_profile,
        theme=early.theme,
        user_themes_dir=locations.user_themes_dir(),
        draft_path=locations.draft_file(),
        log_path=log_path,
        warnings=warnings,
        keys=early.keys,
    )
    resume_garbage_collection()
    app.run()
    return app.return_code or EXIT_OK


def open_cache(early: FirstFrameSettings) -> ThreadCache:
    from inbox_tui import locations
    from inbox_tui.inbox.thread_cache import ThreadCache

    return ThreadCache.open(locations.cache_dir(), *early.cache_key)


def run_cache(early: FirstFrameSettings, command: str) -> int:
    import sqlite3

    from inbox_tui import locations
    from inbox_tui.inbox.thread_cache import cache_databases, clear, database_path, summarise

    directory = locations.cache_dir()
    if command == "clear":
        removed = clear(directory)
        for path in removed:
            print(f"Removed {path}", file=sys.stderr)
        print(
            f"Removed {len(removed)} cache file{'s' * (len(removed) != 1)} from {directory}", file=sys.stderr
        )
        return EXIT_OK
    databases = cache_databases(directory)
    if not databases:
        print(f"No cache yet in {directory}")
        return EXIT_OK
    loose_mode = locations.mode_if_not_private(directory)
    if loose_mode:
        print(
            f"{directory} is readable by other users ({loose_mode}); "
            "the inbox makes it private when it next starts"
        )
    in_use = database_path(directory, *early.cache_key)
    for path in databases:
        print(f"{path}{' (these settings)' if path == in_use else ''}")
        try:
            summary = summarise(path)
        except sqlite3.Error as exc:
            print(f"  unreadable ({exc}); the inbox sets it aside and rebuilds it when it next opens it")
            continue
        print(
            f"  platform {summary.platform_url}, {summary.size_bytes / 1e6:.1f} MB, "
            f"{summary.threads:,} threads, {summary.messages:,} messages"
        )
    return EXIT_OK


def run_serve(args: argparse.Namespace) -> int:
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
        print(
            f"connector-inbox serve: {host} is not a loopback address; anyone who reaches it would use "
            "your tokens. Add --allow-remote if that is what you want.",
            file=sys.stderr,
        )
        return EXIT_USAGE
    try:
        secret = _serve_secret(args.token_file)
    except (OSError, ValueError) as exc:
        print(f"connector-inbox serve: {exc}", file=sys.stderr)
        return EXIT_USAGE
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
    from inbox_tui.guarded_server import TOKEN_QUERY, GuardedServer

    # Settings go to each inbox through the environment, never its command line (where
    # `ps` would show the tokens); the server's secret goes to no inbox at all.
    os.environ.pop(SERVE_TOKEN_VARIABLE, None)
    for name, value in _setting_flags(args).items():
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


def run_configure(args: argparse.Namespace) -> int:
    from inbox_tui.config import ConfigError, save_config

    values = {name: value for name, value in _setting_flags(args).items() if value is not None}
    if not values:
        print("connector-inbox configure: give the settings to save, e.g. --platform-url", file=sys.stderr)
        return EXIT_USAGE
    try:
        path = save_config(values, getattr(args, "config", None), profile=getattr(args, "profile", None))
    except ConfigError as exc:
        print(f"connector-inbox: {exc}", file=sys.stderr)
        return EXIT_USAGE
    print(f"Saved {', '.join(sorted(values))} to {path}", file=sys.stderr)
    return EXIT_OK


def run_simulator(args: argparse.Namespace) -> int:
    import uvicorn

    from inbox_tui.simulator.app import Simulator

    simulator = Simulator.seeded(threads=args.threads, seed=args.seed)
    simulator.faults.latency = args.latency_ms / 1000
    try:
        simulator.faults.push(*args.fault)
    except ValueError as exc:
        print(f"connector-inbox simulator: {exc}", file=sys.stderr)
        return EXIT_USAGE
    if args.limits:
        simulator.enforce_limits(args.limits)
    print(
        f"Simulator with {len(simulator.store):,} threads on http://{args.host}:{args.port} "
        f"(ClientToken and AccessToken: the public demo tokens)",
        file=sys.stderr,
    )
    resume_garbage_collection()
    uvicorn.run(simulator.app, host=args.host, port=args.port, log_level="warning")
    return EXIT_OK


if __name__ == "__main__":
    sys.exit(main())

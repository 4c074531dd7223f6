"""`connector-inbox simulator`: the demo simulator served on loopback, for a second terminal or tests."""

from __future__ import annotations

import argparse
import sys

from inbox_tui.cli.common import EXIT_OK, UsageError, add_address_arguments, resume_garbage_collection

EXAMPLE = "connector-inbox simulator --port 8787 --latency-ms 200 --fault 429:retry-after=2"


def add_arguments(parser: argparse.ArgumentParser) -> None:
    add_address_arguments(parser, port=8787)
    parser.add_argument(
        "--threads", type=int, default=3000, help="threads to generate (default: %(default)s)"
    )
    parser.add_argument(
        "--seed", type=int, default=7, help="seed of the generated data (default: %(default)s)"
    )
    parser.add_argument(
        "--latency-ms", type=int, default=0, help="delay before every answer (default: %(default)s)"
    )
    parser.add_argument(
        "--fault",
        action="append",
        default=[],
        help="scripted fault for the next request, in order (e.g. 429:retry-after=2, 500, html, "
        "truncated, slow=60, add:500:after-commit); repeat for several",
    )
    parser.add_argument(
        "--activity",
        action=argparse.BooleanOptionalAction,
        default=True,
        help="staff answer replies and guests write every minute or so (default: on)",
    )
    parser.add_argument(
        "--limits",
        choices=("demo", "production"),
        help="enforce the documented request limits (default: none)",
    )


def run(args: argparse.Namespace) -> int:
    import uvicorn

    from inbox_tui.simulator.app import Simulator

    simulator = Simulator.seeded(threads=args.threads, seed=args.seed)
    simulator.faults.latency = args.latency_ms / 1000
    try:
        simulator.faults.push(*args.fault)
    except ValueError as exc:
        raise UsageError(f"simulator: {exc}") from None
    if args.limits:
        simulator.enforce_limits(args.limits)
    if args.activity:
        simulator.come_alive(args.seed)
    print(
        f"Simulator with {len(simulator.store):,} threads on http://{args.host}:{args.port} "
        f"(ClientToken and AccessToken: the public demo tokens)",
        file=sys.stderr,
    )
    resume_garbage_collection()
    uvicorn.run(simulator.app, host=args.host, port=args.port, log_level="warning")
    return EXIT_OK

"""The fault matrix: every failure the platform or the network can produce, end to end.

Each row is driven through the real client (getAll, as the inbox uses it) and
through the running app. The table in docs/reliability.md is generated from these
rows; the test fails when the document and the behaviour differ. Refresh it with
`UPDATE_DOCS=1 uv run pytest tests/test_reliability.py`.
"""

from __future__ import annotations

import contextlib
import os
import socket
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from email.utils import format_datetime
from pathlib import Path

import httpx
import pytest
from pydantic import SecretStr

from inbox_tui.api import errors
from inbox_tui.api.client import MAX_RETRY_WAIT, ConnectorClient
from inbox_tui.api.models import TimeInterval
from inbox_tui.simulator.app import DEMO_ACCESS_TOKEN, DEMO_CLIENT_TOKEN, Simulator
from inbox_tui.simulator.faults import Fault
from inbox_tui.tui.widgets.status_bar import StatusBar
from tests.conftest import FROZEN_NOW, FakeSleep, ServedSimulator, make_app, make_client, settle

DOC = Path(__file__).resolve().parent.parent / "docs" / "reliability.md"
WINDOW = TimeInterval(StartUtc=FROZEN_NOW - timedelta(days=30), EndUtc=FROZEN_NOW)
# Retry-After dates are read against the real clock: a date a day ahead, whenever the
# test runs, must be waited for as long as the client ever waits (its cap).
HTTP_DATE = format_datetime(datetime.now(UTC) + timedelta(days=1), usegmt=True)
ATTEMPTS = 4


@dataclass(frozen=True)
class Row:
    fault: str
    injected: str
    expected: type[errors.ApiError]
    is_retried: bool
    faults: tuple[Fault | str, ...] = ()
    network: str | None = None
    summary: str | None = None

    @property
    def seen(self) -> str:
        return self.summary or self.expected.summary


ROWS = [
    Row(
        "connect timeout",
        "a loopback listener whose backlog is full",
        errors.NetworkError,
        True,
        network="connect-timeout",
        summary="Timed out connecting to the platform.",
    ),
    Row(
        "read timeout",
        "simulator `slow=2` over a real socket, read timeout 0.2 s",
        errors.NetworkError,
        True,
        network="read-timeout",
        summary="The platform did not answer in time (read timeout).",
    ),
    Row(
        "connection refused",
        "a closed loopback port",
        errors.NetworkError,
        True,
        network="refused",
        summary="The platform refused the connection.",
    ),
    Row(
        "DNS failure",
        "the host `platform.invalid`",
        errors.NetworkError,
        True,
        network="dns",
        summary="The platform's host name could not be resolved (DNS).",
    ),
    Row("400 with Message", "simulator fault `400`", errors.BadRequestError, False, ("400",)),
    Row("401", "simulator fault `401`", errors.AuthError, False, ("401",)),
    Row("403", "simulator fault `403`", errors.ForbiddenError, False, ("403",)),
    Row("404 (wrong platform URL)", "simulator fault `404`", errors.NotFoundError, False, ("404",)),
    Row("408", "simulator fault `408`", errors.RequestTimeoutError, False, ("408",)),
    Row("409", "simulator fault `409`", errors.ConflictError, False, ("409",)),
    Row(
        "429, Retry-After in seconds",
        "simulator fault `429:retry-after=9`",
        errors.RateLimitedError,
        True,
        ("429:retry-after=9",) * ATTEMPTS,
    ),
    Row(
        "429, Retry-After as an HTTP date",
        "`Retry-After:` an HTTP date a day ahead",
        errors.RateLimitedError,
        True,
        (Fault(429, retry_after=HTTP_DATE),) * ATTEMPTS,
    ),
    Row("500", "simulator fault `500`", errors.ServerError, True, ("500",) * ATTEMPTS),
    Row("502", "simulator fault `502`", errors.ServerError, True, ("502",) * ATTEMPTS),
    Row("503", "simulator fault `503`", errors.ServerError, True, ("503",) * ATTEMPTS),
    Row("504", "simulator fault `504`", errors.ServerError, True, ("504",) * ATTEMPTS),
    Row(
        "HTML error page",
        "simulator fault `html` (502, text/html)",
        errors.ServerError,
        True,
        ("html",) * ATTEMPTS,
    ),
    Row("empty body", "simulator fault `empty` (200)", errors.ProtocolError, False, ("empty",)),
    Row("truncated JSON", "simulator fault `truncated` (200)", errors.ProtocolError, False, ("truncated",)),
    Row(
        "missing fields, wrong types",
        "simulator fault `wrong-shape` (200)",
        errors.ProtocolError,
        False,
        ("wrong-shape",),
    ),
    Row(
        "`MessageThreads: null`",
        "simulator fault `null-threads` (200)",
        errors.ProtocolError,
        False,
        ("null-threads",),
    ),
]


@contextmanager
def client_for(
    row: Row, simulator: Simulator, served: ServedSimulator, sleep: FakeSleep
) -> Iterator[ConnectorClient]:
    simulator.faults.push(*row.faults)
    tokens = (SecretStr(DEMO_CLIENT_TOKEN), SecretStr(DEMO_ACCESS_TOKEN), "reliability")
    timeout = httpx.Timeout(2.0, connect=0.2, read=0.2)
    if row.network is None:
        yield make_client(simulator, sleep=sleep)
    elif row.network == "read-timeout":
        served.simulator.faults.push(*["slow=2"] * ATTEMPTS)
        yield ConnectorClient(served.url, *tokens, timeout=timeout, sleep=sleep)
    elif row.network == "connect-timeout":
        with socket.socket() as listener:
            listener.bind(("127.0.0.1", 0))
            listener.listen(0)
            port = listener.getsockname()[1]
            fillers = [socket.socket() for _ in range(3)]
            for filler in fillers:
                filler.setblocking(False)
                with contextlib.suppress(BlockingIOError):
                    filler.connect(("127.0.0.1", port))
            yield ConnectorClient(f"http://127.0.0.1:{port}", *tokens, timeout=timeout, sleep=sleep)
            for filler in fillers:
                filler.close()
    elif row.network == "refused":
        yield ConnectorClient("http://127.0.0.1:9", *tokens, timeout=timeout, sleep=sleep)
    else:
        yield ConnectorClient("https://platform.invalid", *tokens, timeout=timeout, sleep=sleep)


@pytest.mark.parametrize("row", ROWS, ids=[row.fault for row in ROWS])
async def test_each_fault_ends_in_its_error_with_the_documented_retries(
    row: Row, simulator: Simulator, served: ServedSimulator
) -> None:
    sleep = FakeSleep()
    with client_for(row, simulator, served, sleep) as client:
        with pytest.raises(row.expected) as caught:
            await client.get_all(created=WINDOW, count=10)
        await client.aclose()
    assert len(sleep.waits) == (ATTEMPTS - 1 if row.is_retried else 0)
    assert caught.value.summary == row.seen or (
        row.expected is errors.ServerError and "failed (5" in str(caught.value)
    )
    assert DEMO_ACCESS_TOKEN not in str(caught.value)
    if isinstance(caught.value, errors.RateLimitedError):
        if "seconds" in row.fault:
            assert 9.0 <= sleep.waits[0] <= 9.9
        else:
            assert sleep.waits[0] == MAX_RETRY_WAIT


@pytest.mark.parametrize("row", ROWS, ids=[row.fault for row in ROWS])
async def test_each_fault_is_shown_and_the_app_keeps_running(
    row: Row, simulator: Simulator, served: ServedSimulator
) -> None:
    with client_for(row, simulator, served, FakeSleep()) as client:
        app = make_app(simulator, client=client)
        async with app.run_test() as pilot:
            await settle(pilot)
            status = app.screen.query_one(StatusBar)
            assert status.has_class("-error")
            assert "failed" in str(status.render())
            assert app.is_running
            await pilot.press("down", "question_mark", "escape")
            assert app.is_running


def render_table() -> str:
    lines = [
        "| Fault | Injected in the tests by | Error | Retried by getAll | What the user sees |",
        "|---|---|---|---|---|",
    ]
    for row in ROWS:
        retried = f"yes, {ATTEMPTS - 1} times with backoff" if row.is_retried else "no"
        if row.expected is errors.RateLimitedError:
            cap = f"at most {MAX_RETRY_WAIT:.0f} s"
            retried = f"yes, {ATTEMPTS - 1} times, waiting Retry-After + up to 10 % ({cap})"
        seen = f"{row.seen} {_hint(row.expected)}".strip()
        lines.append(f"| {row.fault} | {row.injected} | `{row.expected.__name__}` | {retried} | {seen} |")
    return "\n".join(lines)


def _hint(error_class: type[errors.ApiError]) -> str:
    hint = error_class.hint
    return hint if isinstance(hint, str) else "Wait N s, then try again."


def test_the_reliability_document_matches_the_matrix() -> None:
    text = DOC.read_text(encoding="utf-8")
    start, end = "<!-- matrix:start -->\n", "\n<!-- matrix:end -->"
    head, rest = text.split(start)
    _, tail = rest.split(end)
    expected = f"{head}{start}{render_table()}{end}{tail}"
    if os.environ.get("UPDATE_DOCS"):
        DOC.write_text(expected, encoding="utf-8")
    assert text == expected, (
        "docs/reliability.md is stale: run UPDATE_DOCS=1 uv run pytest tests/test_reliability.py"
    )

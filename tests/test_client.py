"""ConnectorClient against the simulator: status mapping, retries, redaction."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta

import httpx
import pytest
from pydantic import SecretStr

from inbox_tui.api import errors
from inbox_tui.api.client import ConnectorClient
from inbox_tui.api.failures import parse_retry_after
from inbox_tui.api.models import TimeInterval
from inbox_tui.api.tls import tls_context_in_background
from inbox_tui.simulator.app import DEMO_ACCESS_TOKEN, DEMO_CLIENT_TOKEN, Simulator
from tests.conftest import FROZEN_NOW, FakeSleep, ServedSimulator, make_client

WINDOW = TimeInterval(StartUtc=FROZEN_NOW - timedelta(days=80), EndUtc=FROZEN_NOW)


async def test_get_all_returns_a_page_newest_first_with_its_cursor(client: ConnectorClient) -> None:
    page = await client.get_all(created=WINDOW, count=5)
    assert len(page.MessageThreads) == 5
    assert page.Cursor == page.MessageThreads[-1].Id
    times = [thread.CreatedUtc for thread in page.MessageThreads]
    assert times == sorted(times, reverse=True)


async def test_add_returns_the_created_thread(client: ConnectorClient, simulator: Simulator) -> None:
    thread = await client.add("Ann Lee", "Extra towels")
    assert (thread.OriginalSender, thread.Subject, thread.IsResolved) == ("Ann Lee", "Extra towels", False)
    assert thread.CreatedUtc == FROZEN_NOW


@pytest.mark.parametrize(
    ("fault", "error_class"),
    [
        ("400", errors.BadRequestError),
        ("401", errors.AuthError),
        ("403", errors.ForbiddenError),
        ("404", errors.NotFoundError),
        ("408", errors.RequestTimeoutError),
        ("409", errors.ConflictError),
    ],
)
async def test_client_errors_map_to_their_class_and_are_not_retried(
    client: ConnectorClient, simulator: Simulator, fault: str, error_class: type[errors.ApiError]
) -> None:
    simulator.faults.push(fault)
    with pytest.raises(error_class) as caught:
        await client.get_all(created=WINDOW, count=1)
    assert caught.value.status == int(fault)
    assert caught.value.request_id == "sim-fault"
    assert "sim-fault" in str(caught.value) and "The server said" in str(caught.value)
    assert len(simulator.log) == 1


async def test_auth_error_says_which_settings_to_check(simulator: Simulator) -> None:
    async with make_client(simulator, access_token="wrong") as client:
        with pytest.raises(errors.AuthError, match="CONNECTOR_INBOX_ACCESS_TOKEN"):
            await client.get_all(created=WINDOW, count=1)


@pytest.mark.parametrize("fault", ["500", "502", "503", "504", "html"])
async def test_server_errors_are_retried_with_growing_backoff(
    client: ConnectorClient, simulator: Simulator, fake_sleep: FakeSleep, fault: str
) -> None:
    simulator.faults.push(fault, fault)
    page = await client.get_all(created=WINDOW, count=2)
    assert len(page.MessageThreads) == 2
    assert len(simulator.log) == 3
    assert len(fake_sleep.waits) == 2 and fake_sleep.waits[0] < fake_sleep.waits[1]


async def test_retries_stop_after_the_bound_and_raise_the_last_error(
    client: ConnectorClient, simulator: Simulator, fake_sleep: FakeSleep
) -> None:
    simulator.faults.push(*["500"] * 10)
    with pytest.raises(errors.ServerError, match="500"):
        await client.get_all(created=WINDOW, count=2)
    assert len(simulator.log) == 4 and len(fake_sleep.waits) == 3


async def test_rate_limited_waits_the_retry_after_seconds(
    client: ConnectorClient, simulator: Simulator, fake_sleep: FakeSleep
) -> None:
    simulator.faults.push("429:retry-after=7")
    await client.get_all(created=WINDOW, count=1)
    assert len(fake_sleep.waits) == 1 and 7.0 <= fake_sleep.waits[0] <= 7.7


def test_retry_after_is_read_as_seconds_or_as_an_http_date() -> None:
    now = datetime(2026, 11, 20, 12, 0, tzinfo=UTC)
    assert parse_retry_after("12", now) == 12.0
    assert parse_retry_after("Fri, 20 Nov 2026 12:00:30 GMT", now) == 30.0
    assert parse_retry_after("Fri, 20 Nov 2026 11:00:00 GMT", now) == 0.0
    assert parse_retry_after("soon", now) is None and parse_retry_after(None, now) is None


async def test_add_is_never_retried(
    client: ConnectorClient, simulator: Simulator, fake_sleep: FakeSleep
) -> None:
    simulator.faults.push("add:503")
    with pytest.raises(errors.ServerError):
        await client.add("Ann", "Hi")
    assert len(simulator.requests_to("add")) == 1 and fake_sleep.waits == []


async def test_add_is_not_retried_on_429_either(client: ConnectorClient, simulator: Simulator) -> None:
    simulator.faults.push("add:429:retry-after=1")
    with pytest.raises(errors.RateLimitedError) as caught:
        await client.add("Ann", "Hi")
    assert caught.value.retry_after == 1.0 and "Wait 1 s" in str(caught.value)
    assert len(simulator.requests_to("add")) == 1


@pytest.mark.parametrize("fault", ["empty", "truncated", "wrong-shape", "null-threads"])
async def test_malformed_successful_answers_are_protocol_errors(
    client: ConnectorClient, simulator: Simulator, fault: str
) -> None:
    simulator.faults.push(fault)
    with pytest.raises(errors.ProtocolError, match="not the documented API response"):
        await client.get_all(created=WINDOW, count=1)


async def test_an_invalid_request_is_refused_before_it_is_sent(
    client: ConnectorClient, simulator: Simulator
) -> None:
    with pytest.raises(errors.BadRequestError, match="Count"):
        await client.get_all(created=WINDOW, count=5000)
    assert simulator.log == []


async def test_a_token_echoed_by_the_server_is_redacted(
    client: ConnectorClient, simulator: Simulator
) -> None:
    from inbox_tui.simulator.faults import Fault

    simulator.faults.push(Fault(status=403, body=f'{{"Message": "Bad token {DEMO_ACCESS_TOKEN}"}}'))
    with pytest.raises(errors.ForbiddenError) as caught:
        await client.get_all(created=WINDOW, count=1)
    assert DEMO_ACCESS_TOKEN not in str(caught.value) and "***" in str(caught.value)


def test_tokens_are_not_in_the_repr_of_the_client(client: ConnectorClient) -> None:
    assert DEMO_CLIENT_TOKEN not in repr(client) and DEMO_ACCESS_TOKEN not in repr(client)


async def test_connection_refused_is_a_network_error_that_never_reached_the_server() -> None:
    async with ConnectorClient(
        "http://127.0.0.1:9", SecretStr("a"), SecretStr("b"), "t", sleep=FakeSleep()
    ) as client:
        with pytest.raises(errors.NetworkError, match="refused") as caught:
            await client.add("Ann", "Hi")
    assert caught.value.may_have_reached_server is False


async def test_dns_failure_says_the_host_name_could_not_be_resolved() -> None:
    async with ConnectorClient(
        "https://platform.invalid", SecretStr("a"), SecretStr("b"), "t", sleep=FakeSleep()
    ) as client:
        with pytest.raises(errors.NetworkError, match="DNS"):
            await client.get_all(created=WINDOW, count=1)


async def test_read_timeout_over_a_real_socket_is_retried_then_reported(served: ServedSimulator) -> None:
    served.simulator.faults.push("slow=0.4")
    sleep = FakeSleep()
    async with ConnectorClient(
        served.url,
        SecretStr(DEMO_CLIENT_TOKEN),
        SecretStr(DEMO_ACCESS_TOKEN),
        "t",
        timeout=httpx.Timeout(2.0, read=0.1),
        sleep=sleep,
        max_attempts=1,
    ) as client:
        with pytest.raises(errors.NetworkError, match="read timeout") as caught:
            await client.get_all(created=WINDOW, count=1)
    assert caught.value.may_have_reached_server is True


async def test_a_real_socket_round_trip_works(served: ServedSimulator) -> None:
    async with ConnectorClient(
        served.url, SecretStr(DEMO_CLIENT_TOKEN), SecretStr(DEMO_ACCESS_TOKEN), "t"
    ) as client:
        page = await client.get_all(created=WINDOW, count=3)
    assert len(page.MessageThreads) == 3


async def test_a_hostile_server_message_cannot_drive_the_terminal(
    client: ConnectorClient, simulator: Simulator
) -> None:
    from inbox_tui.simulator.faults import Fault

    hostile = "Denied \x1b]0;owned\x07\x1b[2J [bold]" + "x" * 5000
    simulator.faults.push(Fault(status=403, body=json.dumps({"Message": hostile})))
    with pytest.raises(errors.ForbiddenError) as caught:
        await client.get_all(created=WINDOW, count=1)
    message = str(caught.value)
    assert "\x1b" not in message and "\x07" not in message
    assert "[bold]" in message and len(message) < 1000


def test_the_tls_context_built_in_the_background_verifies_like_httpx_default() -> None:
    import ssl

    context = tls_context_in_background().result(timeout=30)
    assert context.verify_mode == ssl.CERT_REQUIRED and context.check_hostname
    assert context.cert_store_stats()["x509_ca"] > 0

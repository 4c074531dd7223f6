"""Shared fixtures: a seeded simulator with a frozen clock, and clients wired to it."""

from __future__ import annotations

import os
import sqlite3
import time
from collections.abc import AsyncIterator, Iterator
from pathlib import Path
from typing import TYPE_CHECKING

import httpx
import pytest
from pydantic import SecretStr

from inbox_tui.api.client import ConnectorClient
from inbox_tui.simulator.app import DEMO_ACCESS_TOKEN, DEMO_CLIENT_TOKEN, Simulator
from inbox_tui.testing import FROZEN_NOW, frozen_inbox, settle

if TYPE_CHECKING:
    from inbox_tui.tui.app import InboxApp

__all__ = ["FROZEN_NOW", "settle"]

# Local times in the detail pane and snapshots must not depend on the machine.
os.environ["TZ"] = "UTC"
time.tzset()


@pytest.fixture(autouse=True, scope="session")
def _private_user_folders(tmp_path_factory: pytest.TempPathFactory) -> Iterator[None]:
    """The user's folders of the whole run in a temporary one: a test that opens the inbox
    must neither read the developer's config.toml, cache and drafts nor write into them."""
    home = tmp_path_factory.mktemp("user")
    with pytest.MonkeyPatch.context() as patch:
        for variable in ("XDG_CONFIG_HOME", "XDG_CACHE_HOME", "XDG_STATE_HOME", "XDG_DATA_HOME"):
            patch.setenv(variable, str(home / variable.lower()))
        yield


class FakeSleep:
    """Stands in for asyncio.sleep: records the waits, never waits."""

    def __init__(self) -> None:
        self.waits: list[float] = []

    async def __call__(self, seconds: float) -> None:
        self.waits.append(seconds)


def make_client(
    simulator: Simulator,
    *,
    client_token: str = DEMO_CLIENT_TOKEN,
    access_token: str = DEMO_ACCESS_TOKEN,
    **options: object,
) -> ConnectorClient:
    options.setdefault("sleep", FakeSleep())
    return ConnectorClient(
        "http://simulator.test",
        SecretStr(client_token),
        SecretStr(access_token),
        "connector-inbox tests",
        transport=httpx.ASGITransport(app=simulator.app),
        **options,  # type: ignore[arg-type]
    )


@pytest.fixture
def isolated_settings(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    """No CONNECTOR_INBOX_* variables and an empty config folder: only what a test gives counts."""
    for name in list(os.environ):
        if name.startswith("CONNECTOR_INBOX_"):
            monkeypatch.delenv(name)
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path / "config"))


@pytest.fixture
def simulator() -> Simulator:
    return Simulator.seeded(threads=600, seed=11, now=FROZEN_NOW)


@pytest.fixture
def fake_sleep() -> FakeSleep:
    return FakeSleep()


@pytest.fixture
async def client(simulator: Simulator, fake_sleep: FakeSleep) -> AsyncIterator[ConnectorClient]:
    async with make_client(simulator, sleep=fake_sleep) as connector:
        yield connector


class ServedSimulator:
    """A simulator behind a real uvicorn server on loopback, for real sockets and timeouts."""

    def __init__(self, simulator: Simulator) -> None:
        import socket
        import threading

        import uvicorn

        self.simulator = simulator
        with socket.socket() as probe:
            probe.bind(("127.0.0.1", 0))
            self.port = probe.getsockname()[1]
        config = uvicorn.Config(simulator.app, host="127.0.0.1", port=self.port, log_level="error")
        self._server = uvicorn.Server(config)
        self._thread = threading.Thread(target=self._server.run, daemon=True)
        self._thread.start()
        while not self._server.started:
            self._thread.join(0.01)

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def stop(self) -> None:
        self._server.should_exit = True
        self._thread.join(5)


def assert_index_in_step(connection: sqlite3.Connection) -> None:
    """Every thread and message in the search index once, as the cache now holds it, and nothing
    else: FTS5's own check of an index against the table it indexes raises otherwise."""
    for index in ("search_threads", "search_messages"):
        connection.execute(f"INSERT INTO {index} ({index}, rank) VALUES ('integrity-check', 1)")


def platform_flags(served: ServedSimulator) -> list[str]:
    """The command-line flags that point connector-inbox at `served`."""
    return [
        "--platform-url",
        served.url,
        "--client-token",
        DEMO_CLIENT_TOKEN,
        "--access-token",
        DEMO_ACCESS_TOKEN,
    ]


@pytest.fixture(scope="session")
def _served() -> Iterator[ServedSimulator]:
    served = ServedSimulator(Simulator.seeded(threads=600, seed=11, now=FROZEN_NOW))
    yield served
    served.stop()


@pytest.fixture
def served(_served: ServedSimulator) -> ServedSimulator:
    """The session's loopback simulator, with its faults and log cleared for this test."""
    _served.simulator.faults.script.clear()
    _served.simulator.faults.latency = 0
    _served.simulator.log.clear()
    return _served


def make_app(
    simulator: Simulator | None,
    draft_path: Path | None = None,
    *,
    page_size: int = 50,
    client: ConnectorClient | None = None,
    **options: object,
) -> InboxApp:
    """The inbox on `simulator` (or on `client`), with the clock frozen at FROZEN_NOW."""
    if client is None:
        assert simulator is not None
        client = make_client(simulator)
    return frozen_inbox(None, client=client, page_size=page_size, draft_path=draft_path, **options)

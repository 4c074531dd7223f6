"""Profiles: [profiles.NAME] in config.toml, --profile, the built-in mews-demo, switching live."""

from __future__ import annotations

import tomllib
from pathlib import Path

import pytest

from inbox_tui.__main__ import main
from inbox_tui.api.walk import WalkSettings
from inbox_tui.settings.model import ConfigError, load_settings
from inbox_tui.settings.sources import read_sources
from inbox_tui.simulator.app import DEMO_ACCESS_TOKEN, Simulator
from inbox_tui.tui.app import InboxApp
from inbox_tui.tui.connection import Connection, Session
from inbox_tui.tui.widgets.thread_list import ThreadList
from tests.conftest import FROZEN_NOW, make_client, settle

pytestmark = pytest.mark.usefixtures("isolated_settings")

CONFIG = """
platform_url = "https://top.example.com"
client_token = "top-client"
access_token = "top-access"

[profiles.staging]
platform_url = "https://staging.example.com"
access_token = "staging-access"

[profiles.typo]
acess_token = "x"
"""


@pytest.fixture
def config(tmp_path: Path) -> Path:
    path = tmp_path / "config.toml"
    path.write_text(CONFIG)
    path.chmod(0o600)
    return path


def test_a_profile_comes_between_the_environment_and_the_file(
    config: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    assert load_settings(config).platform_url == "https://top.example.com"
    staging = load_settings(config, profile="staging")
    assert staging.platform_url == "https://staging.example.com"
    assert staging.access_token is not None and staging.access_token.get_secret_value() == "staging-access"
    assert staging.client_token is not None and staging.client_token.get_secret_value() == "top-client"
    monkeypatch.setenv("CONNECTOR_INBOX_PLATFORM_URL", "https://env.example.com")
    assert load_settings(config, profile="staging").platform_url == "https://env.example.com"
    assert load_settings(config, profile="staging", platform_url="https://flag.example.com").platform_url == (
        "https://flag.example.com"
    )


def test_the_profile_can_come_from_the_environment(config: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("CONNECTOR_INBOX_PROFILE", "staging")
    assert load_settings(config).platform_url == "https://staging.example.com"
    assert read_sources(config, {}).early().environment_label == "staging · staging.example.com"


def test_the_built_in_demo_profile_uses_the_public_sample_tokens(config: Path) -> None:
    settings = load_settings(config, profile="mews-demo")
    assert settings.platform_url == "https://api.mews-demo.com"
    assert settings.access_token is not None and settings.access_token.get_secret_value() == DEMO_ACCESS_TOKEN
    assert settings.rate_limit == "demo"
    assert "mews-demo" in read_sources(config, {}).early().profiles


def test_an_unknown_profile_names_the_known_ones(config: Path, capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(ConfigError, match="staging"):
        load_settings(config, profile="prod")
    assert main(["--config", str(config), "--profile", "prod", "cache", "info"]) == 2
    assert "no profile 'prod'" in capsys.readouterr().err


def test_a_typo_inside_a_profile_is_a_warning(config: Path) -> None:
    warnings = read_sources(config, {}).warnings
    assert any(
        "[profiles.typo] 'acess_token'" in warning and "'access_token'" in warning for warning in warnings
    )


def test_configure_writes_a_profile_and_keeps_the_rest(config: Path) -> None:
    config.write_text(CONFIG + '\n[keys]\nrefresh = "f5"\n')
    assert (
        main(
            [
                "--config",
                str(config),
                "--profile",
                "live",
                "configure",
                "--platform-url",
                "https://api.mews.com",
            ]
        )
        == 0
    )
    saved = tomllib.loads(config.read_text())
    assert saved["profiles"]["live"] == {"platform_url": "https://api.mews.com"}
    assert saved["profiles"]["staging"]["access_token"] == "staging-access"
    assert saved["keys"] == {"refresh": "f5"} and saved["platform_url"] == "https://top.example.com"
    assert load_settings(config, profile="live").platform_url == "https://api.mews.com"


def session_on(simulator: Simulator, name: str) -> Session:
    client = make_client(simulator)
    connection = Connection(client, WalkSettings(page_size=50, now=lambda: FROZEN_NOW))
    return Session(lambda: connection, None, f"{name} · simulator")


async def test_switching_profile_reconnects_without_restarting() -> None:
    first = Simulator.seeded(threads=100, seed=1, now=FROZEN_NOW)
    second = Simulator.seeded(threads=100, seed=2, now=FROZEN_NOW)
    app = InboxApp(
        session_on(first, "one"),
        profile="one",
        profiles=("one", "two"),
        switch_profile=lambda name: session_on(second, name),
        now=lambda: FROZEN_NOW,
    )
    async with app.run_test(size=(120, 30)) as pilot:
        await settle(pilot)
        commands = [command.title for command in app.get_system_commands(app.screen)]
        assert "Profile: two" in commands and "Profile: one" not in commands
        await app.switch_to_profile("two")
        await settle(pilot)
        thread_list = app.screen.query_one(ThreadList)
        assert thread_list.threads[0].Id == second.store.all_newest_first()[0].id
        assert app.sub_title.startswith("two · simulator") and app.profile == "two"
        assert second.requests_to("getAll")


def test_a_profiles_keys_replace_the_files(tmp_path: Path) -> None:
    config = tmp_path / "config.toml"
    config.write_text('[keys]\nrefresh = "f5"\n\n[profiles.p.keys]\nrefresh = "f6"\n')
    assert read_sources(config, {}).early().keys == {"refresh": "f5"}
    assert read_sources(config, {"profile": "p"}).early().keys == {"refresh": "f6"}

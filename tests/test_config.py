"""Settings precedence (flags > env > config.toml > defaults) and safety rules."""

from __future__ import annotations

from pathlib import Path

import pytest

from inbox_tui.settings.model import ConfigError, load_settings
from inbox_tui.settings.sources import config_file_warning

CREDENTIALS = 'platform_url = "https://api.mews-demo.com"\nclient_token = "ct"\naccess_token = "at"\n'


pytestmark = pytest.mark.usefixtures("isolated_settings")


def write_config(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "config.toml"
    path.write_text(text)
    path.chmod(0o600)
    return path


def test_no_credentials_anywhere_means_demo_mode() -> None:
    settings = load_settings()
    assert settings.is_demo and settings.environment_label.startswith("demo")
    assert settings.client.startswith("connector-inbox ")


def test_the_config_file_supplies_credentials(tmp_path: Path) -> None:
    settings = load_settings(write_config(tmp_path, CREDENTIALS + 'theme = "nord"\n'))
    assert not settings.is_demo
    assert settings.environment_label == "api.mews-demo.com"
    assert settings.theme == "nord"


def test_environment_beats_the_file_and_flags_beat_both(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = write_config(tmp_path, CREDENTIALS + 'theme = "from-file"\npage_size = 10\n')
    monkeypatch.setenv("CONNECTOR_INBOX_THEME", "from-env")
    monkeypatch.setenv("CONNECTOR_INBOX_PAGE_SIZE", "20")
    settings = load_settings(path, theme="from-flag", page_size=None)
    assert settings.theme == "from-flag"
    assert settings.page_size == 20


def test_demo_flag_forces_demo_mode_even_with_credentials(tmp_path: Path) -> None:
    assert load_settings(write_config(tmp_path, CREDENTIALS), demo=True).is_demo


def test_half_given_credentials_are_refused_with_what_is_missing() -> None:
    with pytest.raises(ConfigError, match="access token is missing"):
        load_settings(platform_url="https://api.mews.com", client_token="ct")


@pytest.mark.parametrize(
    "url", ["http://api.mews.com", "http://10.0.0.5:8080", "ftp://api.mews.com", "nonsense"]
)
def test_unsafe_or_invalid_platform_urls_are_refused(url: str) -> None:
    with pytest.raises(ConfigError, match="platform_url"):
        load_settings(platform_url=url, client_token="ct", access_token="at")


@pytest.mark.parametrize("url", ["http://127.0.0.1:8787", "http://localhost:8787/", "http://[::1]:1"])
def test_plain_http_is_allowed_on_loopback(url: str) -> None:
    settings = load_settings(platform_url=url, client_token="ct", access_token="at")
    assert not settings.is_demo
    assert settings.platform_url == url.rstrip("/")


def test_page_size_outside_1_to_1000_is_refused() -> None:
    with pytest.raises(ConfigError, match="page_size"):
        load_settings(page_size=1001)


def test_a_broken_config_file_is_a_clear_error(tmp_path: Path) -> None:
    with pytest.raises(ConfigError, match="Cannot read"):
        load_settings(write_config(tmp_path, "theme = [unclosed"))


def test_a_missing_explicit_config_file_is_an_error(tmp_path: Path) -> None:
    with pytest.raises(ConfigError, match="does not exist"):
        load_settings(tmp_path / "absent.toml")


def test_tokens_never_appear_in_the_settings_repr(tmp_path: Path) -> None:
    settings = load_settings(write_config(tmp_path, CREDENTIALS.replace('"ct"', '"SECRET-CT"')))
    assert "SECRET-CT" not in repr(settings)


def test_a_config_file_readable_by_others_gets_a_warning(tmp_path: Path) -> None:
    path = write_config(tmp_path, CREDENTIALS)
    assert config_file_warning(path) is None
    path.chmod(0o644)
    assert "chmod 600" in (config_file_warning(path) or "")


def test_the_first_frame_knows_every_setting() -> None:
    from inbox_tui.settings.model import Settings
    from inbox_tui.settings.sources import SETTING_NAMES

    assert set(SETTING_NAMES) == set(Settings.model_fields)


def test_a_misspelt_key_in_config_toml_is_a_warning_naming_the_closest_setting(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], isolated_settings: None
) -> None:
    from inbox_tui.__main__ import main

    config = tmp_path / "config.toml"
    config.write_text('acess_token = "x"\ntheme = "inbox-paper"\n')
    config.chmod(0o600)
    assert main(["--config", str(config), "cache", "info"]) == 0
    err = capsys.readouterr().err
    assert "'acess_token' is not a setting" in err and "did you mean 'access_token'" in err

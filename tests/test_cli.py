"""The command line as a script uses it: export, errors and exit codes."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

import pytest

from inbox_tui import __version__
from inbox_tui.__main__ import main
from inbox_tui.cli.common import EXIT_USAGE
from inbox_tui.simulator.app import DEMO_ACCESS_TOKEN, DEMO_CLIENT_TOKEN
from tests.conftest import ServedSimulator

pytestmark = pytest.mark.usefixtures("isolated_settings")


def credentials(served: ServedSimulator, access_token: str = DEMO_ACCESS_TOKEN) -> list[str]:
    return ["--platform-url", served.url, "--client-token", DEMO_CLIENT_TOKEN, "--access-token", access_token]


def test_export_jsonl_returns_the_whole_history_once_newest_first(
    served: ServedSimulator, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main([*credentials(served), "export", "--format", "jsonl", "--page-size", "250"]) == 0
    out, err = capsys.readouterr()
    ids = [json.loads(line)["Id"] for line in out.splitlines()]
    assert ids == [thread.id for thread in served.simulator.store.all_newest_first()]
    assert f"Exported {len(ids)} threads" in err


def test_export_csv_to_a_file_with_a_limit(served: ServedSimulator, tmp_path: Path) -> None:
    target = tmp_path / "threads.csv"
    assert (
        main(["export", *credentials(served), "--format", "csv", "--limit", "7", "--output", str(target)])
        == 0
    )
    rows = list(csv.DictReader(io.StringIO(target.read_text())))
    assert len(rows) == 7
    assert rows[0]["Id"] == served.simulator.store.all_newest_first()[0].id


def test_export_with_messages_holds_each_conversation_oldest_first(
    served: ServedSimulator, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main([*credentials(served), "--page-size", "40", "export", "--limit", "60", "--messages"]) == 0
    lines = [json.loads(line) for line in capsys.readouterr().out.splitlines()]
    assert len(lines) == 60
    store, messages = served.simulator.store, served.simulator.messages
    for line in lines:
        expected = messages.conversation(store.get(line["Id"]))  # type: ignore[arg-type]
        assert [m["Id"] for m in line["Messages"]] == [m.id for m in expected]
        assert all(m["MessageThreadId"] == line["Id"] for m in line["Messages"])
    assert any(len(line["Messages"]) > 5 for line in lines)


def test_export_csv_with_messages_puts_each_conversation_in_one_cell(
    served: ServedSimulator, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main([*credentials(served), "export", "--format", "csv", "--limit", "5", "--messages"]) == 0
    rows = list(csv.DictReader(io.StringIO(capsys.readouterr().out)))
    store, messages = served.simulator.store, served.simulator.messages
    for row in rows:
        expected = messages.conversation(store.get(row["Id"]))  # type: ignore[arg-type]
        assert [m["Text"] for m in json.loads(row["Messages"])] == [m.text for m in expected]


def test_a_wrong_token_is_a_one_line_auth_error_and_exit_code_2(
    served: ServedSimulator, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main([*credentials(served, access_token="WRONG-TOKEN"), "export"]) == EXIT_USAGE
    out, err = capsys.readouterr()
    message = err.splitlines()
    assert out == "" and len(message) == 1
    assert "rejected the credentials (401)" in message[0]
    assert "WRONG-TOKEN" not in err and "Traceback" not in err


def test_plain_http_to_a_remote_host_is_refused(capsys: pytest.CaptureFixture[str]) -> None:
    code = main(
        ["--platform-url", "http://api.mews.com", "--client-token", "a", "--access-token", "b", "export"]
    )
    assert code == EXIT_USAGE
    assert "unencrypted" in capsys.readouterr().err


def test_export_in_demo_mode_uses_the_built_in_simulator(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["export", "--limit", "3"]) == 0
    assert len(capsys.readouterr().out.splitlines()) == 3


def test_version_and_help(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit):
        main(["--version"])
    assert __version__ in capsys.readouterr().out
    with pytest.raises(SystemExit):
        main(["--help"])
    assert "export" in capsys.readouterr().out


def test_invalid_fault_scripts_are_refused_by_the_simulator_command(
    capsys: pytest.CaptureFixture[str],
) -> None:
    assert main(["simulator", "--fault", "500:bogus"]) == EXIT_USAGE
    assert "unknown fault option" in capsys.readouterr().err


def test_configure_saves_settings_readable_only_by_the_user(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = tmp_path / "conf" / "config.toml"
    args = ["--platform-url", "https://api.mews-demo.com", "--client-token", "CT-1", "--access-token", "AT-1"]
    assert main(["configure", *args, "--config", str(path)]) == 0
    assert main(["configure", "--theme", "inbox-paper", "--config", str(path)]) == 0
    assert path.stat().st_mode & 0o777 == 0o600
    text = path.read_text()
    assert 'access_token = "AT-1"' in text and 'theme = "inbox-paper"' in text
    _, err = capsys.readouterr()
    assert "AT-1" not in err and "CT-1" not in err


def test_configure_refuses_settings_that_would_not_load(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = tmp_path / "config.toml"
    code = main(
        [
            "configure",
            "--platform-url",
            "http://example.com",
            "--client-token",
            "a",
            "--access-token",
            "b",
            "--config",
            str(path),
        ]
    )
    assert code == EXIT_USAGE and not path.exists()
    assert "unencrypted" in capsys.readouterr().err


def test_a_failure_before_any_thread_is_one_line_on_stderr(
    served: ServedSimulator, capsys: pytest.CaptureFixture[str]
) -> None:
    served.simulator.faults.push("getAll:empty")
    code = main([*credentials(served), "export"])
    out, err = capsys.readouterr()
    assert code == 1 and out == ""
    assert err.count("\n") == 1 and "not the documented API response" in err


async def test_an_empty_history_exports_nothing_and_ends_its_progress_line_on_a_terminal_or_a_log() -> None:
    from inbox_tui.api.pager import ThreadPager
    from inbox_tui.api.walk import WalkSettings
    from inbox_tui.export import export_threads
    from inbox_tui.simulator.app import Simulator
    from inbox_tui.simulator.store import ThreadStore
    from tests.conftest import FROZEN_NOW, make_client

    class Terminal(io.StringIO):
        def isatty(self) -> bool:
            return True

    output, log, terminal = io.StringIO(), io.StringIO(), Terminal()
    async with make_client(Simulator(store=ThreadStore())) as client:
        for progress in (terminal, log):
            pager = ThreadPager(client, WalkSettings(now=lambda: FROZEN_NOW, max_empty_windows=2))
            assert await export_threads(pager, output, progress=progress) == 0
    assert output.getvalue() == ""
    assert terminal.getvalue().startswith("\rExported 0 threads") and terminal.getvalue().endswith("\n")
    assert log.getvalue().startswith("Exported 0 threads")  # a log gets the last line alone, no \r
    assert log.getvalue().count("\n") == 1 and "\r" not in log.getvalue()


def test_export_sends_the_next_request_before_writing_a_page(served: ServedSimulator) -> None:
    """The platform prepares page k+1 while page k is written: its request arrives first.

    The simulator runs in another thread; each of the first writes waits for the next
    request to arrive (pages of 10 take one request each here). If the request were only
    sent after the write, it would not arrive within the wait.
    """
    import time

    requests_when_written: list[int] = []

    class WaitingOutput(io.StringIO):
        def write(self, text: str) -> int:
            # Writing page k: k requests answered, and the one for page k+1 on its way.
            next_request = len(requests_when_written) + 2
            deadline = time.monotonic() + 2
            while next_request <= 4 and len(served.simulator.log) < next_request:
                if time.monotonic() > deadline:
                    break
                time.sleep(0.005)
            requests_when_written.append(len(served.simulator.log))
            return super().write(text)

    output = WaitingOutput()
    args = [*credentials(served), "--page-size", "10", "export", "--limit", "35"]
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr("sys.stdout", output)
        assert main(args) == 0
    assert requests_when_written[:3] == [2, 3, 4]


def test_garbage_collection_is_back_on_after_a_command(capsys: pytest.CaptureFixture[str]) -> None:
    import gc

    assert main(["--demo", "export", "--limit", "1"]) == 0
    assert gc.isenabled()
    assert main(["configure"]) == EXIT_USAGE  # a command that never reaches the real work
    assert gc.isenabled()


def test_export_takes_the_api_filters_as_flags(
    served: ServedSimulator, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    threads = served.simulator.store.all_newest_first()
    ids_file = tmp_path / "ids.txt"
    ids_file.write_text(f"{threads[5].id}\n{threads[9].id}, {threads[5].id}")
    assert main([*credentials(served), "export", "--ids-file", str(ids_file)]) == 0
    assert {json.loads(line)["Id"] for line in capsys.readouterr().out.splitlines()} == {
        threads[5].id,
        threads[9].id,
    }
    since = "2026-11-01"
    assert main([*credentials(served), "export", "--created-since", since]) == 0
    exported = [json.loads(line)["CreatedUtc"] for line in capsys.readouterr().out.splitlines()]
    assert exported and all(created >= since for created in exported)
    assert len(exported) == sum(1 for t in threads if f"{t.created:%Y-%m-%d}" >= since)
    assert main([*credentials(served), "export", "--created-since", "someday"]) == 2
    assert "not a date" in capsys.readouterr().err


def test_a_setting_out_of_range_is_refused_before_the_full_screen_opens(
    capsys: pytest.CaptureFixture[str], isolated_settings: None
) -> None:
    # Were the app to start, it would wait for a terminal; it never gets that far.
    assert main(["--page-size", "0"]) == EXIT_USAGE
    assert capsys.readouterr().err == (
        "connector-inbox: page_size (--page-size): must be a whole number from 1 to 1000, not 0.\n"
    )


def test_a_bad_value_in_config_toml_names_the_file(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], isolated_settings: None
) -> None:
    config = tmp_path / "config.toml"
    config.write_text('page_size = "abc"\n')
    config.chmod(0o600)
    assert main(["--config", str(config), "export"]) == EXIT_USAGE
    assert f"page_size ({config}): must be a whole number" in capsys.readouterr().err


def test_an_unknown_theme_is_refused_before_the_full_screen_opens_or_the_cache_is_made(
    capsys: pytest.CaptureFixture[str],
    isolated_settings: None,
    monkeypatch: pytest.MonkeyPatch,
    tmp_path: Path,
) -> None:
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    assert main(["--theme", "no-such-theme"]) == EXIT_USAGE
    err = capsys.readouterr().err
    assert "theme 'no-such-theme' is not known" in err and "inbox-dark" in err
    assert not (tmp_path / "cache").exists()

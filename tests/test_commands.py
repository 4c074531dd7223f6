"""The scripting commands against a platform on loopback: list, show, reply, new and watch.

Output, the JSON shapes of docs/cli.md, exit codes, standard input, a closed pipe and
SIGTERM, each as a script would meet them.
"""

from __future__ import annotations

import io
import json
import os
import signal
import subprocess
import sys
import time
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from inbox_tui.__main__ import main
from inbox_tui.cli.common import EXIT_FAILURE, EXIT_OK, EXIT_USAGE
from inbox_tui.inbox.thread_cache import ThreadCache
from inbox_tui.simulator.app import DEMO_ACCESS_TOKEN, Simulator
from inbox_tui.simulator.conversations import STAFF
from tests.conftest import ServedSimulator, platform_flags
from tests.serving import ROOT

THREAD_FIELDS = {"Id", "OriginalSender", "Subject", "CreatedUtc", "UpdatedUtc", "IsResolved"}
MESSAGE_FIELDS = {"Id", "MessageThreadId", "Text", "Sender", "CreatedUtc"}


@pytest.fixture
def platform(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[ServedSimulator]:
    """A platform of this test's own (the commands write to it), with the clock running, and
    XDG folders of its own, so its cache is this test's."""
    for name in list(os.environ):
        if name.startswith("CONNECTOR_INBOX_"):
            monkeypatch.delenv(name)
    for variable in ("XDG_CACHE_HOME", "XDG_STATE_HOME", "XDG_CONFIG_HOME"):
        monkeypatch.setenv(variable, str(tmp_path / variable))
    served = ServedSimulator(Simulator.seeded(threads=300, seed=5, now=datetime.now(UTC)))
    served.simulator.clock = lambda: datetime.now(UTC)
    yield served
    served.stop()


def run(served: ServedSimulator, *args: str) -> int:
    return main([*platform_flags(served), *args])


def test_list_prints_json_with_the_api_field_names_newest_first(
    platform: ServedSimulator, capsys: pytest.CaptureFixture[str]
) -> None:
    assert run(platform, "list", "--limit", "40", "--json") == EXIT_OK
    threads = json.loads(capsys.readouterr().out)
    assert [thread["Id"] for thread in threads] == [
        t.id for t in platform.simulator.store.all_newest_first()[:40]
    ]
    assert all(set(thread) == THREAD_FIELDS for thread in threads)


def test_list_in_update_order_as_json_lines_and_as_a_plain_table_when_piped(
    platform: ServedSimulator, capsys: pytest.CaptureFixture[str]
) -> None:
    assert run(platform, "list", "--order", "updated", "--limit", "25", "--jsonl") == EXIT_OK
    updated = [json.loads(line)["UpdatedUtc"] for line in capsys.readouterr().out.splitlines()]
    assert len(updated) == 25 and updated == sorted(updated, reverse=True)
    assert run(platform, "list", "--limit", "3") == EXIT_OK
    rows = [line.split("\t") for line in capsys.readouterr().out.splitlines()]
    newest = platform.simulator.store.all_newest_first()[0]
    assert len(rows) == 3 and rows[0][0] == newest.subject and rows[0][-1] == newest.id


def test_show_gives_the_thread_and_its_conversation_oldest_first_by_id_or_cached_prefix(
    platform: ServedSimulator, capsys: pytest.CaptureFixture[str]
) -> None:
    thread = next(
        t for t in platform.simulator.store.all_newest_first() if platform.simulator.messages.conversation(t)
    )
    assert run(platform, "show", thread.id, "--json") == EXIT_OK
    shown = json.loads(capsys.readouterr().out)
    assert set(shown) == THREAD_FIELDS | {"Messages"} and shown["Id"] == thread.id
    assert [m["Text"] for m in shown["Messages"]] == [
        m.text for m in platform.simulator.messages.conversation(thread)
    ]
    assert all(set(message) == MESSAGE_FIELDS for message in shown["Messages"])

    cache = ThreadCache.open(
        Path(os.environ["XDG_CACHE_HOME"]) / "connector-inbox", platform.url, DEMO_ACCESS_TOKEN
    )
    cache.save_threads([_row(thread)])
    cache.close()
    assert run(platform, "show", thread.id[:8]) == EXIT_OK
    text = capsys.readouterr().out
    assert text.startswith(thread.subject) and f"Id       {thread.id}" in text


def test_reply_from_an_argument_and_from_standard_input_each_once(
    platform: ServedSimulator, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    thread = platform.simulator.store.all_newest_first()[2]
    assert run(platform, "reply", thread.id, "Your room is ready.", "--json") == EXIT_OK
    sent = json.loads(capsys.readouterr().out)
    assert sent["Text"] == "Your room is ready." and sent["MessageThreadId"] == thread.id
    monkeypatch.setattr(sys, "stdin", io.StringIO("Breakfast is until 10:30.\n"))
    assert run(platform, "reply", thread.id) == EXIT_OK
    assert f"Sent to {thread.id}" in capsys.readouterr().out
    texts = [m.text for m in platform.simulator.messages.conversation(thread)]
    assert texts.count("Your room is ready.") == 1 and texts.count("Breakfast is until 10:30.") == 1


def test_reply_after_the_platform_stored_it_and_failed_is_there_exactly_once(
    platform: ServedSimulator, capsys: pytest.CaptureFixture[str]
) -> None:
    thread = platform.simulator.store.all_newest_first()[3]
    platform.simulator.faults.push("messages-add:500:after-commit")
    assert run(platform, "reply", thread.id, "Checked in at 14:05.") == EXIT_OK
    assert [m.text for m in platform.simulator.messages.conversation(thread)].count(
        "Checked in at 14:05."
    ) == 1


@pytest.mark.parametrize(
    ("arguments", "said"),
    [
        (("reply", "00000000-0000-4000-8000-000000000000", "Hello"), "there is no thread"),
        (("reply", "zz", "Hello"), "is not a thread Id"),
        (("new", "--sender", " ", "--subject", "Hi"), "must not be empty"),
    ],
)
def test_bad_input_is_one_line_and_exit_code_2_with_nothing_sent(
    platform: ServedSimulator, capsys: pytest.CaptureFixture[str], arguments: tuple[str, ...], said: str
) -> None:
    before = len(platform.simulator.log)
    assert run(platform, *arguments) == EXIT_USAGE
    err = capsys.readouterr().err
    assert said in err and len(err.strip().splitlines()) == 1
    assert not [e for e in platform.simulator.log[before:] if e.endpoint in ("add", "messages-add")]


def test_an_empty_reply_is_refused_before_anything_is_asked(
    platform: ServedSimulator, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(sys, "stdin", io.StringIO("  \n"))
    assert run(platform, "reply", platform.simulator.store.all_newest_first()[0].id) == EXIT_USAGE
    assert "the text is empty" in capsys.readouterr().err


def test_a_platform_failure_is_exit_code_1(
    platform: ServedSimulator, capsys: pytest.CaptureFixture[str]
) -> None:
    platform.simulator.faults.push(*["500"] * 10)
    assert run(platform, "list", "--limit", "1") == EXIT_FAILURE
    assert "connector-inbox:" in capsys.readouterr().err


def test_new_opens_one_thread_and_prints_it(
    platform: ServedSimulator, capsys: pytest.CaptureFixture[str]
) -> None:
    assert run(platform, "new", "--sender", "Smoke Test", "--subject", "Deploy check", "--json") == EXIT_OK
    created = json.loads(capsys.readouterr().out)
    assert created["OriginalSender"] == "Smoke Test" and set(created) == THREAD_FIELDS
    assert [t.subject for t in platform.simulator.store.all_newest_first()].count("Deploy check") == 1


def test_watch_once_reports_a_message_in_an_old_thread_and_goes_on_where_it_stopped(
    platform: ServedSimulator, capsys: pytest.CaptureFixture[str]
) -> None:
    assert run(platform, "watch", "--once") == EXIT_OK  # starts now: nothing yet
    assert capsys.readouterr().out == ""
    old = next(
        t
        for t in platform.simulator.store.all_newest_first()
        if t.created < datetime.now(UTC) - timedelta(days=90)
    )
    message = platform.simulator.messages.add(
        old, "Is the spa open on Sunday?", datetime.now(UTC), sender=STAFF
    )
    arrived = platform.simulator.add_thread("Ines Laurent", "Baby cot", datetime.now(UTC))
    assert run(platform, "watch", "--once") == EXIT_OK
    events = [json.loads(line) for line in capsys.readouterr().out.splitlines()]
    assert [(e["Event"], e.get("Message", e.get("MessageThread"))["Id"]) for e in events] == [
        ("thread.created", arrived.id),
        ("message.created", message.id),
    ]
    assert events[1]["MessageThread"]["Id"] == old.id and events[1]["Message"]["Text"] == message.text
    assert run(platform, "watch", "--once", "--since", "last") == EXIT_OK
    assert capsys.readouterr().out == ""  # nothing announced twice


def _watch_process(served: ServedSimulator, *args: str) -> subprocess.Popen[str]:
    return subprocess.Popen(
        [sys.executable, "-m", "inbox_tui", *platform_flags(served), "watch", "--interval", "1", *args],
        cwd=ROOT,
        env=os.environ.copy(),
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )


def test_watch_stops_cleanly_on_sigterm_and_quietly_on_a_closed_pipe(platform: ServedSimulator) -> None:
    watching = _watch_process(platform)
    time.sleep(3)
    watching.send_signal(signal.SIGTERM)
    out, err = watching.communicate(timeout=30)
    assert watching.returncode == EXIT_OK and "Traceback" not in err

    flags = " ".join(platform_flags(platform))
    piped = subprocess.run(
        f"{sys.executable} -m inbox_tui {flags} watch --since 400d --once | head -3",
        shell=True,
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert len(piped.stdout.splitlines()) == 3 and "Traceback" not in piped.stderr
    assert "BrokenPipe" not in piped.stderr


def test_the_commands_never_load_the_tui() -> None:
    code = (
        "import sys\nfrom inbox_tui.cli import main\n"
        "assert main(['list', '--demo', '--limit', '2', '--json', '--no-cache']) == 0\n"
        "print(sorted(name for name in sys.modules if name.split('.')[0] == 'textual'))"
    )
    result = subprocess.run(
        [sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, timeout=60
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip().splitlines()[-1] == "[]"


def _row(thread):  # type: ignore[no-untyped-def]
    from inbox_tui.inbox.rows import CachedThread

    return CachedThread(thread.id, thread.sender, thread.subject, thread.created, thread.updated, None)

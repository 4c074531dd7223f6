"""Notifications outside the terminal: an escape only where a terminal shows it, a command with no shell."""

from __future__ import annotations

import json
import sys
import time
from pathlib import Path

import pytest

from inbox_tui.tui.notifications import News, Notifier, desktop_escape

HOSTILE = News("Eve; rm -rf ~ $(reboot)", "Room \x1b]52;c;ZXZpbA==\x07 `id`", "Hi\x07 there\nsecond line")


def test_the_desktop_escape_is_written_only_for_a_terminal_that_shows_it() -> None:
    written: list[str] = []
    for environ, start in (
        ({"TERM_PROGRAM": "iTerm.app"}, "\x1b]9;"),
        ({"KITTY_WINDOW_ID": "1"}, "\x1b]99;;"),
        ({"TERM_PROGRAM": "WezTerm"}, "\x1b]777;notify;"),
        ({"TERM": "foot"}, "\x1b]777;notify;"),
    ):
        Notifier("desktop", (), write=written.append, bell=lambda: None, environ=environ).announce([HOSTILE])
        assert written.pop().startswith(start)
    Notifier("desktop", (), write=written.append, bell=lambda: None, environ={"TERM": "xterm"}).announce(
        [HOSTILE]
    )
    assert written == []
    assert desktop_escape("a", "b", {}) is None


def test_hostile_text_cannot_end_the_escape_early() -> None:
    written: list[str] = []
    Notifier(
        "desktop", (), write=written.append, bell=lambda: None, environ={"TERM_PROGRAM": "iTerm.app"}
    ).announce([HOSTILE])
    (escape,) = written
    assert escape.count("\x1b") == 1 and escape.count("\x07") == 1 and escape.endswith("\x07")


def test_the_command_gets_each_part_as_one_argument_with_no_shell(tmp_path: Path) -> None:
    out = tmp_path / "argv.json"
    script = f"import json, sys; open({str(out)!r}, 'w').write(json.dumps(sys.argv[1:]))"
    environ = {"PATH": "/usr/bin:/bin", "CONNECTOR_INBOX_ACCESS_TOKEN": "secret"}
    notifier = Notifier(
        "command", (sys.executable, "-c", script), write=print, bell=lambda: None, environ=environ
    )
    notifier.announce([HOSTILE])
    for _ in range(100):
        if out.exists() and out.read_text():
            break
        time.sleep(0.05)
    sender, subject, text = json.loads(out.read_text())
    assert sender == "Eve; rm -rf ~ $(reboot)"  # one argument, never seen by a shell
    assert "\x1b" not in subject and "\x07" not in subject and "`id`" in subject
    assert text == "Hi␇ there"  # the first line, control characters shown as symbols


@pytest.mark.parametrize("kind", ["off", "bell", "desktop", "command"])
def test_at_most_one_notification_a_poll(kind: str) -> None:
    written: list[str] = []
    bells: list[int] = []
    notifier = Notifier(
        kind, (), write=written.append, bell=lambda: bells.append(1), environ={"TERM_PROGRAM": "WezTerm"}
    )
    notifier.announce([HOSTILE, HOSTILE, HOSTILE])
    assert len(written) + len(bells) == (0 if kind in ("off", "command") else 1)
    if kind == "desktop":
        assert "3 new messages" in written[0]

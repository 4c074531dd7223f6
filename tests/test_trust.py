"""Trust: no duplicate threads, no lost drafts, hostile text stays data, no token leaks."""

from __future__ import annotations

import json
import logging
import unicodedata
from pathlib import Path

import httpx
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from pydantic import SecretStr
from rich.segment import Segment
from textual.widgets import Input

from inbox_tui.api.client import ConnectorClient
from inbox_tui.api.models import MessageThread
from inbox_tui.api.ratelimit import RateLimiter, RequestLimits
from inbox_tui.diagnostics import enable_debug_log
from inbox_tui.export import json_lines
from inbox_tui.safe_text import printable
from inbox_tui.simulator.app import DEMO_ACCESS_TOKEN, DEMO_CLIENT_TOKEN, Simulator
from inbox_tui.simulator.faults import Fault
from inbox_tui.tui.screens.new_thread import NewThreadScreen
from inbox_tui.tui.widgets.thread_list import ThreadList
from tests.conftest import FROZEN_NOW, FakeSleep, ServedSimulator, make_app, make_client, settle


def threads_titled(simulator: Simulator, subject: str) -> int:
    return sum(1 for thread in simulator.store.all_newest_first() if thread.subject == subject)


# No duplicate threads


@pytest.mark.parametrize("fault", ["add:500:after-commit", "add:503:after-commit", "add:html:after-commit"])
async def test_a_thread_committed_before_a_server_error_is_found_not_sent_again(
    simulator: Simulator, fault: str
) -> None:
    simulator.faults.push(fault)
    app = make_app(simulator)
    async with app.run_test() as pilot:
        await settle(pilot)
        await pilot.press("n", *"Ann", "tab", *"Towels", "enter")
        await settle(pilot)
        assert not isinstance(app.screen, NewThreadScreen)
        assert app.screen.query_one(ThreadList).highlighted.Subject == "Towels"  # type: ignore[union-attr]
    assert threads_titled(simulator, "Towels") == 1
    assert len(simulator.requests_to("add")) == 1


async def test_a_thread_committed_before_the_connection_timed_out_is_found(served: ServedSimulator) -> None:
    served.simulator.faults.push("add:slow=1:after-commit")
    client = ConnectorClient(
        served.url,
        SecretStr(DEMO_CLIENT_TOKEN),
        SecretStr(DEMO_ACCESS_TOKEN),
        "t",
        timeout=httpx.Timeout(2.0, read=0.3),
        sleep=FakeSleep(),
    )
    app = make_app(None, client=client)
    async with app.run_test() as pilot:
        await settle(pilot)
        await pilot.press("n", *"Ann", "tab", *"Lost answer", "enter")
        await pilot.pause(0.5)
        await settle(pilot)
        for _ in range(3):  # whatever the user presses afterwards
            await pilot.press("ctrl+s", "enter")
        await settle(pilot)
    assert threads_titled(served.simulator, "Lost answer") == 1
    assert len(served.simulator.requests_to("add")) == 1


async def test_after_an_ambiguous_failure_the_next_send_looks_first(simulator: Simulator) -> None:
    simulator.faults.push("add:503")
    app = make_app(simulator)
    async with app.run_test() as pilot:
        await settle(pilot)
        await pilot.press("n", *"Ann", "tab", *"Quiet room", "enter")
        await settle(pilot)
        assert isinstance(app.screen, NewThreadScreen)
        assert "sending again checks for it first" in str(app.screen.query_one("#form-error").render())
        lookups_before = len(simulator.requests_to("getAll"))
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert not isinstance(app.screen, NewThreadScreen)
        assert len(simulator.requests_to("getAll")) > lookups_before
    assert threads_titled(simulator, "Quiet room") == 1


async def test_pressing_send_repeatedly_while_sending_sends_once(simulator: Simulator) -> None:
    simulator.faults.push(Fault(status=200, delay=0.3, endpoint="add"))
    app = make_app(simulator)
    async with app.run_test() as pilot:
        await settle(pilot)
        await pilot.press("n", *"Ann", "tab", *"Once", "enter", "ctrl+s", "ctrl+s", "enter", "escape")
        await settle(pilot)
    assert len(simulator.requests_to("add")) == 1
    assert threads_titled(simulator, "Once") == 1


# No lost drafts


async def test_the_draft_survives_quitting_and_is_offered_on_the_next_n(
    simulator: Simulator, tmp_path: Path
) -> None:
    draft = tmp_path / "state" / "draft.json"
    app = make_app(simulator, draft)
    async with app.run_test() as pilot:
        await settle(pilot)
        await pilot.press("n", *"Ann", "tab", *"Unfinished")
        await pilot.press("ctrl+q")
    assert json.loads(draft.read_text()) == {"sender": "Ann", "subject": "Unfinished"}
    again = make_app(simulator, draft)
    async with again.run_test() as pilot:
        await settle(pilot)
        await pilot.press("n")
        assert again.screen.query_one("#sender", Input).value == "Ann"
        assert again.screen.query_one("#subject", Input).value == "Unfinished"
        assert "draft is back" in str(again.screen.query_one("#form-error").render())


async def test_the_draft_survives_a_failed_send_and_is_removed_after_success(
    simulator: Simulator, tmp_path: Path
) -> None:
    draft = tmp_path / "draft.json"
    simulator.faults.push("add:400")
    app = make_app(simulator, draft)
    async with app.run_test() as pilot:
        await settle(pilot)
        await pilot.press("n", *"Ann", "tab", *"Spa", "enter")
        await settle(pilot)
        assert json.loads(draft.read_text())["subject"] == "Spa"
        await pilot.press("ctrl+s")
        await settle(pilot)
    assert not draft.exists()


def test_a_damaged_draft_file_is_no_draft(tmp_path: Path) -> None:
    from inbox_tui.tui.drafts import DraftStore

    path = tmp_path / "draft.json"
    path.write_text("{broken")
    assert DraftStore(path).draft.is_empty


# Hostile strings

HOSTILE = [
    "[bold]x[/bold]",
    "[link=https://evil.example]x[/link]",
    "[/]",
    "\x1b[2J\x1b[H",
    "\x1b]0;title\x07",
    "\x1b]52;c;ZXZpbA==\x07",
    "\x00\x01\x7f\x85\x9b",
    "\u202eevil\u202c",
    "a\u200b\u200d\ufeffb",
    "e" + "\u0301" * 50,
    "大山 太郎 🏨👨‍👩‍👧",
    "x" * 10_000,
    "",
]


@given(st.text())
def test_printable_text_holds_nothing_a_terminal_would_act_on(text: str) -> None:
    shown = printable(text)
    assert "\x1b" not in shown and "\n" not in shown and "\r" not in shown
    assert not any(0x80 <= ord(char) <= 0x9F or 0x202A <= ord(char) <= 0x202E for char in shown)
    assert not any(ord(char) < 0x20 for char in shown)


@given(st.text(alphabet=st.characters(min_codepoint=0x20, max_codepoint=0x7E)))
def test_printable_ascii_is_shown_as_it_is(text: str) -> None:
    """Most of what is shown: the quick path for it must change nothing the loop would keep."""
    assert printable(text) == text == printable(text, one_line=False)


@given(st.text())
def test_text_that_needs_nothing_changed_is_shown_as_it_is(text: str) -> None:
    """Text with no control, format, private or unassigned character, no line break and no
    combining mark is what the quick path returns untouched: exactly what the loop keeps."""
    plain = "".join(
        char for char in text if char.isprintable() and not unicodedata.category(char).startswith("M")
    )
    assert printable(plain) == plain
    assert printable(plain + "e\u0301\u0301\u0301") == plain + "e\u0301\u0301"  # marks: the loop


@settings(max_examples=50, deadline=None)
@given(st.text(max_size=300))
def test_export_lines_are_valid_json_that_keeps_the_data_and_hides_controls(text: str) -> None:
    thread = MessageThread(
        Id="x", OriginalSender=text, Subject=text, CreatedUtc=FROZEN_NOW, UpdatedUtc=FROZEN_NOW
    )
    line = json_lines([thread])
    assert line.endswith("\n") and line.count("\n") == 1
    assert json.loads(line)["Subject"] == text
    assert not any(ord(char) < 0x20 or 0x7F <= ord(char) <= 0x9F for char in line.rstrip("\n"))


@pytest.mark.parametrize("hostile", HOSTILE, ids=range(len(HOSTILE)))
async def test_hostile_threads_keep_the_layout_intact(simulator: Simulator, hostile: str) -> None:
    simulator.store.add(hostile, hostile, FROZEN_NOW)
    app = make_app(simulator)
    async with app.run_test(size=(100, 24)) as pilot:
        await settle(pilot)
        thread_list = app.screen.query_one(ThreadList)
        width = thread_list.scrollable_content_region.width
        for y in range(5):
            strip = thread_list.render_line(y)
            assert strip.cell_length == width
            text = "".join(segment.text for segment in strip if isinstance(segment, Segment))
            assert "\x1b" not in text and "\x9b" not in text
        svg = app.export_screenshot()
        assert "\x1b" not in svg and "\u202e" not in svg


# Secrets


async def test_no_output_channel_carries_a_token(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    client_token, access_token = "CT-SECRET-0123456789", "AT-SECRET-9876543210"
    simulator = Simulator.seeded(
        threads=200, seed=3, now=FROZEN_NOW, client_token=client_token, access_token=access_token
    )
    simulator.faults.push(
        Fault(status=403, body=json.dumps({"Message": f"Token {access_token} / {client_token} refused"}))
    )
    log_path = enable_debug_log(tmp_path / "debug.log")
    try:
        client = make_client(simulator, client_token=client_token, access_token=access_token)
        app = make_app(None, client=client, log_path=log_path)
        async with app.run_test() as pilot:
            await settle(pilot)
            await pilot.press("r")
            await settle(pilot)
            outputs = [
                app.export_screenshot(),
                repr(client),
                *(str(notification.message) for notification in app._notifications),
            ]
            assert any("***" in output for output in outputs)
    finally:
        logging.getLogger("inbox_tui").handlers.clear()
    captured = capsys.readouterr()
    outputs += [log_path.read_text(), captured.out, captured.err]
    assert "POST /messageThreads/getAll -> 403" in log_path.read_text()
    for output in outputs:
        assert client_token not in output and access_token not in output


# Rate limits


async def test_a_burst_under_the_client_limiter_never_meets_a_429(simulator: Simulator) -> None:
    now = [0.0]

    async def sleep(seconds: float) -> None:
        now[0] += seconds

    simulator.enforce_limits("demo", clock=lambda: now[0])
    limiter = RateLimiter(RequestLimits.demo(), clock=lambda: now[0], sleep=sleep)
    async with make_client(simulator, rate_limiter=limiter) as client:
        for index in range(300):
            await client.add("Burst", f"Message {index}")
    assert {entry.status for entry in simulator.log} == {200}
    assert now[0] >= 900  # the 251st add waited for the window to move


async def test_csv_keeps_hostile_data_exact_in_files_and_shows_it_safely_on_a_terminal(
    simulator: Simulator,
) -> None:
    import csv
    import io

    from inbox_tui.api.pager import ThreadPager
    from inbox_tui.api.walk import WalkSettings
    from inbox_tui.export import export_threads

    hostile = "\x1b]52;c;ZXZpbA==\x07 \u202eevil =cmd()"
    simulator.store.add(hostile, hostile, FROZEN_NOW)
    outputs = {}
    for for_terminal in (False, True):
        output = io.StringIO()
        async with make_client(simulator) as client:
            pager = ThreadPager(client, WalkSettings(now=lambda: FROZEN_NOW))
            await export_threads(pager, output, export_format="csv", limit=1, for_terminal=for_terminal)
        outputs[for_terminal] = next(csv.DictReader(io.StringIO(output.getvalue())))
    assert outputs[False]["Subject"] == hostile
    assert "\x1b" not in outputs[True]["Subject"] and "\u202e" not in outputs[True]["Subject"]
    assert outputs[True]["Subject"].startswith("␛]52")


async def test_changed_text_after_an_ambiguous_failure_is_sent_as_a_new_thread(simulator: Simulator) -> None:
    from inbox_tui.api.creation import ThreadCreator
    from inbox_tui.api.errors import ServerError

    simulator.faults.push("add:503")
    async with make_client(simulator) as client:
        creator = ThreadCreator(client, now=lambda: FROZEN_NOW)
        with pytest.raises(ServerError):
            await creator.create("Ann", "Draft one")
        assert creator.has_unresolved_attempt
        thread = await creator.create("Ann", "Draft two")
    assert thread.Subject == "Draft two"
    assert threads_titled(simulator, "Draft two") == 1 and threads_titled(simulator, "Draft one") == 0


async def test_a_crash_report_never_shows_the_tokens_held_in_local_variables(
    simulator: Simulator, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    from textual.worker import WorkerFailed

    from inbox_tui.api.pager import ThreadPager

    async def crash(self: ThreadPager) -> list[MessageThread]:
        body = {"ClientToken": DEMO_CLIENT_TOKEN, "AccessToken": DEMO_ACCESS_TOKEN}
        raise RuntimeError(f"an unexpected bug with {len(body)} fields")

    monkeypatch.setattr(ThreadPager, "next_page", crash)
    app = make_app(simulator)
    with pytest.raises(WorkerFailed, match="unexpected bug"):
        async with app.run_test() as pilot:
            await settle(pilot)
    report = capsys.readouterr().err
    assert "an unexpected bug" in report
    # A narrow report cuts long values short, so look for the start of each token.
    assert DEMO_ACCESS_TOKEN[:16] not in report and DEMO_CLIENT_TOKEN[:16] not in report

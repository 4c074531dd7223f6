"""Pilot tests: every key and flow of the inbox against the simulator."""

from __future__ import annotations

import asyncio
import io
import json
import re
from collections.abc import Iterator
from datetime import timedelta
from pathlib import Path

import pytest
from rich.console import Console
from textual.widgets import Input

from inbox_tui.simulator.app import Simulator
from inbox_tui.simulator.data import generate_threads
from inbox_tui.simulator.store import ThreadStore
from inbox_tui.tui.screens.help import HelpScreen
from inbox_tui.tui.screens.list_workers import END_ROW
from inbox_tui.tui.screens.new_thread import NewThreadScreen
from inbox_tui.tui.widgets.key_bar import KeyBar
from inbox_tui.tui.widgets.status_bar import StatusBar
from inbox_tui.tui.widgets.thread_detail import ThreadDetail
from inbox_tui.tui.widgets.thread_list import ThreadList
from tests.conftest import FROZEN_NOW, make_app, settle

SIZE = (120, 30)


def cursors(simulator: Simulator) -> list[str | None]:
    return [entry.body["Limitation"].get("Cursor") for entry in simulator.requests_to("getAll")]


def status_text(app) -> str:  # type: ignore[no-untyped-def]
    return str(app.screen.query_one(StatusBar).render())


def detail_text(app) -> str:  # type: ignore[no-untyped-def]
    return str(app.screen.query_one("#thread-fields").render())


async def test_the_first_page_is_shown_with_the_newest_thread_highlighted(simulator: Simulator) -> None:
    app = make_app(simulator)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        thread_list = app.screen.query_one(ThreadList)
        newest = simulator.store.all_newest_first()[0]
        assert thread_list.threads[0].Id == newest.id
        assert thread_list.highlighted.Id == newest.id  # type: ignore[union-attr]
        assert newest.id in detail_text(app)
        assert "threads" in app.sub_title


async def test_scrolling_to_the_end_loads_the_next_page_with_the_previous_cursor_once(
    simulator: Simulator,
) -> None:
    app = make_app(simulator)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        thread_list = app.screen.query_one(ThreadList)
        loaded = len(thread_list.threads)
        for _ in range(3):
            await pilot.press("end")
            await settle(pilot)
        assert len(thread_list.threads) > loaded
        log = simulator.requests_to("getAll")
        for previous, following in zip(log, log[1:], strict=False):
            if following.body["Limitation"].get("Cursor"):
                assert following.body["Limitation"]["Cursor"] == previous.answer["Cursor"]
        real_cursors = [c for c in cursors(simulator) if c]
        assert len(real_cursors) == len(set(real_cursors))


async def test_keys_move_the_highlight_and_the_detail_follows(simulator: Simulator) -> None:
    app = make_app(simulator)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        thread_list = app.screen.query_one(ThreadList)
        await pilot.press("down", "j", "j")
        assert thread_list.cursor == 3
        await pilot.press("k", "up")
        assert thread_list.cursor == 1
        await pilot.press("pagedown")
        assert thread_list.cursor > 10
        await pilot.press("pageup", "home")
        assert thread_list.cursor == 0
        await pilot.press("down")
        await settle(pilot)  # the pane follows where the highlight stops
        assert thread_list.threads[1].Id in detail_text(app)


async def test_the_whole_history_ends_with_an_end_of_history_row() -> None:
    simulator = Simulator.seeded(threads=120, seed=2, now=FROZEN_NOW)
    app = make_app(simulator)
    async with app.run_test(size=SIZE) as pilot:
        for _ in range(6):
            await pilot.press("end")
            await settle(pilot)
        thread_list = app.screen.query_one(ThreadList)
        assert len(thread_list.threads) == 120
        assert thread_list._status_row == END_ROW
        assert "whole history is loaded" in status_text(app)


async def test_refresh_reloads_and_keeps_the_highlight_on_the_same_thread(simulator: Simulator) -> None:
    app = make_app(simulator)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("down", "down", "down")
        thread_list = app.screen.query_one(ThreadList)
        highlighted = thread_list.highlighted
        simulator.store.add("Walk-in", "Newer thread", FROZEN_NOW - timedelta(seconds=1))
        await pilot.press("r")
        await settle(pilot)
        assert thread_list.threads[0].Subject == "Newer thread"
        assert thread_list.highlighted == highlighted


async def test_a_refresh_reaches_a_highlight_far_down_in_fewer_requests() -> None:
    # Two months of threads: one time window, so that page sizes alone set the request count.
    busy = ThreadStore(generate_threads(2000, seed=3, now=FROZEN_NOW, span_days=60))
    simulator = Simulator(store=busy, clock=lambda: FROZEN_NOW)
    app = make_app(simulator)  # pages of 50
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        thread_list = app.screen.query_one(ThreadList)
        while len(thread_list.threads) < 400:
            await pilot.press("end")
            await settle(pilot)
        highlighted = thread_list.highlighted
        before = len(simulator.requests_to("getAll"))
        await pilot.press("r")
        await settle(pilot)
        refresh = simulator.requests_to("getAll")[before:]
        assert thread_list.highlighted == highlighted
        # Scrolling there took eight pages of 50; the refresh, three doubling ones (and then
        # the usual page of 50 that keeps the list ahead of the highlight).
        assert before == 8
        assert [entry.body["Limitation"]["Count"] for entry in refresh][:3] == [50, 100, 200]
        assert thread_list.cursor > 150
        cursors = [json.dumps([e.body["CreatedUtc"], e.body["Limitation"].get("Cursor")]) for e in refresh]
        assert len(cursors) == len(set(cursors))


async def test_refresh_cancels_a_page_load_in_flight(simulator: Simulator) -> None:
    app = make_app(simulator)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        simulator.faults.latency = 0.3
        await pilot.press("end")
        await pilot.pause(0.05)
        simulator.faults.latency = 0
        await pilot.press("r")
        await settle(pilot)
        thread_list = app.screen.query_one(ThreadList)
        ids = [thread.Id for thread in thread_list.threads]
        assert len(ids) == len(set(ids))
        assert ids == [thread.id for thread in simulator.store.all_newest_first()[: len(ids)]]


@pytest.mark.parametrize(
    ("fault", "visible"),
    [
        ("401", "rejected the credentials"),
        ("403", "refused the operation"),
        ("404", "platform URL looks wrong"),
        ("408", "too heavy"),
        ("409", "changed on the platform"),
        ("400", "refused the request as invalid"),
        ("truncated", "not the documented API response"),
    ],
)
async def test_each_error_class_is_shown_and_the_app_keeps_running(
    simulator: Simulator, fault: str, visible: str
) -> None:
    simulator.faults.push(fault)
    app = make_app(simulator)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        assert visible in status_text(app)
        assert app.screen.query_one(StatusBar).has_class("-error")
        assert any(visible in str(n.message) for n in app._notifications)
        await pilot.press("r")
        await settle(pilot)
        assert len(app.screen.query_one(ThreadList).threads) > 0
        assert not app.screen.query_one(StatusBar).has_class("-error")


async def test_server_errors_are_retried_behind_the_scenes(simulator: Simulator) -> None:
    simulator.faults.push("503", "429:retry-after=1")
    app = make_app(simulator)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        assert len(app.screen.query_one(ThreadList).threads) > 0
    assert [entry.status for entry in simulator.requests_to("getAll")][:3] == [503, 429, 200]
    assert not simulator.faults.script


async def test_a_new_thread_appears_on_top_highlighted_with_a_notification(
    simulator: Simulator, tmp_path: Path
) -> None:
    app = make_app(simulator, tmp_path / "draft.json")
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("n")
        assert isinstance(app.screen, NewThreadScreen)
        await pilot.press(*"Ann Lee", "tab", *"Extra towels", "enter")
        await settle(pilot)
        assert not isinstance(app.screen, NewThreadScreen)
        thread_list = app.screen.query_one(ThreadList)
        assert thread_list.highlighted.Subject == "Extra towels"  # type: ignore[union-attr]
        assert thread_list.cursor == 0
        assert len(simulator.requests_to("add")) == 1
        assert any("Thread created" in str(n.message) for n in app._notifications)
        assert not (tmp_path / "draft.json").exists()


async def test_keys_typed_in_one_burst_reach_the_fields_they_were_typed_for(simulator: Simulator) -> None:
    """A terminal hands a fast typist's keys over at once: those typed after `n` reach the form
    (the list had them, and they were lost), and the tab among them moves the focus before the
    keys after it are given to a field (it was handled after them, by the screen)."""
    from textual import events

    app = make_app(simulator)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        burst = ["n", *"Test User", "tab", *"Plain subject"]
        for key in burst:
            character = " " if key == "space" else (key if len(key) == 1 else None)
            app.post_message(events.Key(key if key != " " else "space", character))
        await settle(pilot)
        assert app.screen.query_one("#sender", Input).value == "Test User"
        assert app.screen.query_one("#subject", Input).value == "Plain subject"


async def test_a_filter_typed_in_one_burst_with_its_slash_keeps_every_letter(simulator: Simulator) -> None:
    """ "/parking" typed in one go, as a vim user does: the letters went to the list (the line
    was not focused yet), "r" refreshed it, and the rest was lost."""
    from textual import events

    app = make_app(simulator)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        # Made when first opened, as the reply box is: the keys typed meanwhile still arrive.
        assert not app.screen.query("#filter, #search")
        for key in ["slash", *"parking"]:
            app.post_message(events.Key(key, "/" if key == "slash" else key))
        await settle(pilot)
        assert app.screen.query_one("#filter", Input).value == "parking"
        thread_list = app.screen.query_one(ThreadList)
        assert thread_list.shown and all("parking" in t.Subject.lower() for t in thread_list.shown)


async def test_a_reply_typed_in_one_burst_with_its_r_goes_into_the_box(simulator: Simulator) -> None:
    """The box is made on the first R: the keys typed meanwhile went to the screen below, where
    "o" changed the order and "r" refreshed, and the reply was lost."""
    from textual import events
    from textual.widgets import TextArea

    app = make_app(simulator)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        for key in ["R", *"hello there"]:
            app.post_message(events.Key("space" if key == " " else key, key))
        await settle(pilot)
        assert app.screen.query_one("#reply-text", TextArea).text == "hello there"
        assert app.order == "created"


async def test_a_key_typed_once_the_box_has_the_focus_lands_after_those_kept_for_it(
    simulator: Simulator, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Keys 50 ms apart in tmux: "O" came while the box was opening and was kept for it; the
    box then took the focus, and "k" reached it before the next frame gave it the "O": "kO"."""
    from textual import events
    from textual.widgets import TextArea

    from inbox_tui.tui.typed_ahead import TypedAhead

    def slow_frame(self: TypedAhead) -> None:  # the frame after the box opened is slow to come
        if not self._is_waiting:
            self._is_waiting, self._waits = True, 0
            self._app.set_timer(0.5, self._give)

    monkeypatch.setattr(TypedAhead, "_wait_for_field", slow_frame)
    app = make_app(simulator)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        app.post_message(events.Key("R", "R"))
        app.post_message(events.Key("O", "O"))
        while not isinstance(app.focused, TextArea):
            await asyncio.sleep(0.01)
        for key in "k then":
            app.post_message(events.Key("space" if key == " " else key, key))
        await asyncio.sleep(0.8)
        assert app.screen.query_one("#reply-text", TextArea).text == "Ok then"


def test_keys_typed_ahead_are_given_only_to_a_field_that_keeps_them() -> None:
    """A read-only or disabled field hands a key back to the app: given to it, it would come
    back, again and again."""
    from textual.widgets import TextArea

    from inbox_tui.tui.typed_ahead import takes_keys

    assert takes_keys(Input()) and takes_keys(TextArea())
    assert not takes_keys(TextArea(read_only=True)) and not takes_keys(Input(disabled=True))
    assert not takes_keys(None)


async def test_ctrl_s_submits_from_any_field(simulator: Simulator) -> None:
    app = make_app(simulator)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("n", *"Bo", "tab", *"Late", "shift+tab", "ctrl+s")
        await settle(pilot)
        assert simulator.store.all_newest_first()[0].subject == "Late"


async def test_both_fields_are_required_after_trimming(simulator: Simulator) -> None:
    app = make_app(simulator)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("n", "space", "space", "tab", "ctrl+s")
        await settle(pilot)
        assert isinstance(app.screen, NewThreadScreen)
        assert "Sender is required" in str(app.screen.query_one("#sender-error").render())
        assert "Subject is required" in str(app.screen.query_one("#subject-error").render())
        assert simulator.requests_to("add") == []


async def test_a_failed_send_keeps_the_form_open_with_the_text_and_the_error(simulator: Simulator) -> None:
    simulator.faults.push("add:403")
    app = make_app(simulator)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("n", *"Ann", "tab", *"Spa", "enter")
        await settle(pilot)
        assert isinstance(app.screen, NewThreadScreen)
        assert app.screen.query_one("#sender", Input).value == "Ann"
        assert app.screen.query_one("#subject", Input).value == "Spa"
        assert "refused the operation" in str(app.screen.query_one("#form-error").render())
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert not isinstance(app.screen, NewThreadScreen)
        assert [t.subject for t in simulator.store.all_newest_first()].count("Spa") == 1


async def test_escape_cancels_and_keeps_the_draft_for_the_next_n(
    simulator: Simulator, tmp_path: Path
) -> None:
    app = make_app(simulator, tmp_path / "draft.json")
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("n", *"Ann", "tab", *"Half a tho")
        await pilot.press("escape")
        assert not isinstance(app.screen, NewThreadScreen)
        await pilot.press("n")
        assert app.screen.query_one("#sender", Input).value == "Ann"
        assert app.screen.query_one("#subject", Input).value == "Half a tho"
        assert simulator.requests_to("add") == []


async def test_help_lists_the_keys_and_closes_with_escape(simulator: Simulator) -> None:
    app = make_app(simulator)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("question_mark")
        assert isinstance(app.screen, HelpScreen)
        await pilot.press("escape")
        assert not isinstance(app.screen, HelpScreen)


async def test_slash_filters_the_loaded_threads_and_escape_clears(simulator: Simulator) -> None:
    app = make_app(simulator)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        thread_list = app.screen.query_one(ThreadList)
        total = len(thread_list.threads)
        await pilot.press("slash", *"parking")
        assert 0 < len(thread_list.shown) < total
        assert all(
            "parking" in t.Subject.lower() or "parking" in t.OriginalSender.lower() for t in thread_list.shown
        )
        await pilot.press("enter", "escape")
        await pilot.pause()
        assert len(thread_list.shown) == len(thread_list.threads)
        assert "match" not in status_text(app)


async def test_the_filtered_rows_follow_the_filter_line_within_the_change_of_its_text(
    simulator: Simulator,
) -> None:
    """Not from the message that reaches the screen later: a frame drawn in between showed
    the new text over the rows of the text before (more often the longer the list)."""
    app = make_app(simulator)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        thread_list = app.screen.query_one(ThreadList)
        await pilot.press("slash")
        app.screen.query_one("#filter", Input).value = "parking"
        assert 0 < len(thread_list.shown) < len(thread_list.threads)
        assert "match" in status_text(app)


async def test_opening_the_filter_indexes_the_rows_so_that_its_first_key_builds_nothing(
    simulator: Simulator, monkeypatch: pytest.MonkeyPatch
) -> None:
    from inbox_tui.inbox import substring_index

    app = make_app(simulator)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        thread_list = app.screen.query_one(ThreadList)
        await pilot.press("slash")
        await pilot.pause()

        def no_building_now(text: bytes) -> list[int]:
            raise AssertionError("the rows were indexed on a key")

        monkeypatch.setattr(substring_index, "_bit_planes", no_building_now)
        await pilot.press(*"parking")
        assert 0 < len(thread_list.shown) < len(thread_list.threads)


async def test_tab_switches_between_the_list_and_the_detail(simulator: Simulator) -> None:
    app = make_app(simulator)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("tab")
        assert isinstance(app.focused, ThreadDetail)
        await pilot.press("tab")
        assert isinstance(app.focused, ThreadList)


async def test_q_quits(simulator: Simulator) -> None:
    app = make_app(simulator)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("q")
        await pilot.pause()
    assert app.return_code == 0


async def test_markup_and_escapes_in_threads_are_shown_literally(simulator: Simulator) -> None:
    simulator.store.add("[bold]Eve[/]", "\x1b]52;c;ZXZpbA==\x07[link=x]hi[/link]", FROZEN_NOW)
    app = make_app(simulator)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        text = detail_text(app)
        assert "[bold]Eve[/]" in text and "[link=x]hi[/link]" in text
        assert "\x1b" not in text and "\x07" not in text


async def test_a_very_slow_answer_shows_the_wait_and_escape_cancels_it(
    simulator: Simulator, monkeypatch: pytest.MonkeyPatch
) -> None:
    from inbox_tui.inbox import list_loading

    monkeypatch.setattr(list_loading, "WAITING_NOTICE_AFTER", 0.0)
    simulator.faults.push("slow=60")
    app = make_app(simulator)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause(0.7)
        assert "Waiting for the platform" in status_text(app)
        await pilot.press("escape")
        await pilot.pause()
        assert "cancelled" in status_text(app)
        await pilot.press("r")
        await settle(pilot)
        ids = [thread.Id for thread in app.screen.query_one(ThreadList).threads]
        assert ids and len(ids) == len(set(ids))
        await pilot.press("q")
    assert app.return_code == 0


async def test_q_quits_even_while_an_answer_is_awaited(simulator: Simulator) -> None:
    simulator.faults.push("slow=60")
    app = make_app(simulator)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause(0.2)
        await pilot.press("q")
        await pilot.pause()
    assert app.return_code == 0


async def test_a_filter_that_matches_nothing_does_not_pull_the_history(simulator: Simulator) -> None:
    app = make_app(simulator)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        requests_before = len(simulator.requests_to("getAll"))
        await pilot.press("slash", *"zzzz-no-such-guest")
        await settle(pilot)
        assert app.screen.query_one(ThreadList).shown == []
        assert len(simulator.requests_to("getAll")) == requests_before


async def test_slow_pages_widen_the_prefetch_distance(simulator: Simulator) -> None:
    simulator.faults.push("slow=1.5")
    app = make_app(simulator)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        # 1.5 s at 40 rows a second: 60 rows, more than the page of 50.
        assert app.screen.query_one(ThreadList).prefetch_rows in range(60, 64)


@pytest.mark.parametrize("key", ["n", "question_mark", "r", "slash"])
async def test_keys_pressed_while_quitting_do_not_crash(simulator: Simulator, key: str) -> None:
    app = make_app(simulator)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        simulator.faults.latency = 0.5  # a page load is in flight while the app quits
        await pilot.press("end", "q")
        await pilot.pause(0.1)
        await pilot.press(key)
        await pilot.pause()
    assert app.return_code == 0


@pytest.mark.parametrize("then", ["s", "slash", "n", "question_mark", "f", "o", "v"])
async def test_keys_typed_in_one_burst_with_q_do_nothing_once_it_quits(tmp_path: Path, then: str) -> None:
    """As a terminal delivers "ques" typed fast: each key reaches the screen as it is taken down
    (`s` mounted its search line on a pane already gone: a traceback on the way out)."""
    from textual import events

    from inbox_tui.inbox.thread_cache import ThreadCache

    cache = ThreadCache.open(tmp_path, "http://simulator.test", "token")  # so that `s` opens its line
    app = make_app(Simulator.seeded(threads=60, now=FROZEN_NOW), cache=cache)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        for key in ("q", "u", "e", then):  # posted at once, as the driver does with one read
            app.post_message(events.Key(key, key if len(key) == 1 else None))
        await pilot.pause(0.2)
    assert app.return_code == 0


async def test_clicking_a_key_in_the_key_bar_presses_it(simulator: Simulator) -> None:
    app = make_app(simulator)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.click("#key-bar", offset=(11, 0))  # " tab Pane  n New thread"
        await settle(pilot)
        assert isinstance(app.screen, NewThreadScreen)


async def test_clicking_a_row_highlights_it_and_shows_its_detail(simulator: Simulator) -> None:
    app = make_app(simulator)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        thread_list = app.screen.query_one(ThreadList)
        await pilot.click(ThreadList, offset=(10, 4))
        await settle(pilot)
        assert thread_list.cursor == 4
        assert thread_list.highlighted is not None and thread_list.highlighted.Id in detail_text(app)


async def test_clicking_the_detail_pane_focuses_it(simulator: Simulator) -> None:
    app = make_app(simulator)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.click(ThreadDetail, offset=(10, 2))
        assert app.focused is app.screen.query_one(ThreadDetail)


async def test_the_wheel_past_the_loaded_end_loads_the_next_page(simulator: Simulator) -> None:
    from textual import events

    app = make_app(simulator)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        thread_list = app.screen.query_one(ThreadList)
        loaded = len(thread_list.threads)
        for _ in range(40):
            thread_list.post_message(events.MouseScrollDown(thread_list, 5, 5, 0, 1, 0, False, False, False))
            await pilot.pause()
        await settle(pilot)
        assert thread_list.scroll_y > 0
        assert len(thread_list.threads) > loaded


async def test_y_copies_the_id_and_Y_the_thread_with_its_conversation(simulator: Simulator) -> None:
    app = make_app(simulator)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        thread = app.screen.query_one(ThreadList).highlighted
        assert thread is not None
        await pilot.press("y")
        assert app.clipboard == thread.Id
        await pilot.press("Y")
        copied = app.clipboard
        assert copied.startswith(thread.Subject) and f"Id       {thread.Id}" in copied
        conversation = simulator.messages.conversation(simulator.store.get(thread.Id))  # type: ignore[arg-type]
        if conversation:
            assert conversation[-1].text.splitlines()[0][:20] in copied


async def test_the_filter_ignores_accents_and_case(simulator: Simulator) -> None:
    simulator.add_thread("Chloé Müller", "Café au lait for room 12", FROZEN_NOW)
    app = make_app(simulator)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("slash", *"cafe", "enter")
        thread_list = app.screen.query_one(ThreadList)
        assert [thread.Subject for thread in thread_list.shown] == ["Café au lait for room 12"]
        await pilot.press("escape", "slash", *"MULLER")
        assert all("Müller" in thread.OriginalSender for thread in thread_list.shown)
        assert thread_list.shown


async def test_a_key_map_rebinds_an_action_and_the_footer_shows_the_new_key(simulator: Simulator) -> None:
    app = make_app(simulator, keys={"new_thread": "ctrl+n"})
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        assert "^n New thread" in plain(app.screen.query_one("#key-bar").content)
        await pilot.press("n")
        assert not isinstance(app.screen, NewThreadScreen)
        await pilot.press("ctrl+n")
        await settle(pilot)
        assert isinstance(app.screen, NewThreadScreen)


async def test_a_bad_key_map_is_a_warning_naming_the_closest_id(simulator: Simulator) -> None:
    app = make_app(simulator, keys={"refesh": "f5", "help": "x", "filter": "x"})
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        warnings = [str(notification.message) for notification in app._notifications]  # noqa: SLF001
        assert any("'refesh'" in warning and "'refresh'" in warning for warning in warnings)
        assert any("'x' is given to both 'help' and 'filter'" in warning for warning in warnings)
        await pilot.press("r")  # still the refresh key: the bad entry changed nothing
        assert app.screen.query_one(StatusBar)


async def test_the_help_lists_rebound_keys_and_binding_ids(simulator: Simulator) -> None:
    app = make_app(simulator, keys={"refresh": "f5"})
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("question_mark")
        await settle(pilot)
        help_text = " ".join(plain(static.content) for static in app.screen.query("Static"))
        assert "f5" in help_text and "refresh" in help_text and "new_thread" in help_text


def plain(renderable: object) -> str:
    from rich.console import Console

    console = Console(width=120, record=True, file=io.StringIO())
    console.print(renderable)
    return console.export_text()


async def test_clicking_the_title_opens_the_command_palette(simulator: Simulator) -> None:
    from textual.command import CommandPalette

    app = make_app(simulator)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.click("#title-bar", offset=(SIZE[0] // 2, 0))
        await settle(pilot)
        assert isinstance(app.screen, CommandPalette)


async def test_a_required_field_message_goes_once_the_field_is_filled(simulator: Simulator) -> None:
    app = make_app(simulator)
    async with app.run_test(size=(60, 20)) as pilot:
        await settle(pilot)
        await pilot.press("n")
        await settle(pilot)
        # Errors that say nothing take no room: at 60x20 the whole form shows, title to buttons.
        assert app.screen.query_one("#form").max_scroll_y == 0
        await pilot.press("ctrl+s")
        await settle(pilot)
        sender_error = app.screen.query_one("#sender-error")
        assert "Sender is required." in str(sender_error.render()) and sender_error.display
        await pilot.press(*"Ann")
        await settle(pilot)
        assert not sender_error.display
        assert "Subject is required." in str(app.screen.query_one("#subject-error").render())


async def test_the_key_bar_offers_no_key_that_the_text_being_typed_would_take(simulator: Simulator) -> None:
    app = make_app(simulator)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        bar = app.screen.query_one(KeyBar)
        assert "/ Filter" in str(bar.render())
        await pilot.press("R")
        await settle(pilot)
        shown = str(bar.render())
        assert "Send reply" in shown and "Filter" not in shown and "New thread" not in shown


async def test_the_help_says_that_enter_in_the_conversation_replies(simulator: Simulator) -> None:
    app = make_app(simulator)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        await pilot.press("question_mark")
        await settle(pilot)
        console = Console(width=120, color_system=None)
        with console.capture() as listed:
            for static in app.screen.query("Static"):
                console.print(static.content)
        assert re.search(r"enter\s+Reply \(in the conversation\)", listed.get())


def test_the_filter_ignores_case_and_accents_and_never_matches_across_sender_and_subject() -> None:
    from inbox_tui.inbox.row_filter import RowFilter
    from inbox_tui.inbox.rows import CachedThread

    rows = [
        CachedThread(f"id-{n}", sender, subject, FROZEN_NOW, FROZEN_NOW, None)
        for n, (sender, subject) in enumerate(
            [("Zoë Müller", "Café"), ("Ann", "cafeteria"), ("Bob", "Tea"), ("Nul\0l", "Sep\1arated")]
        )
    ]
    row_filter = RowFilter()
    row_filter.learn(rows)

    def selected(query: str) -> list[str]:
        row_filter.set(query)
        return [row.Id for row in row_filter.select(rows)]

    assert selected("caf") == ["id-0", "id-1"]
    assert selected("CAFE") == ["id-0", "id-1"]
    assert selected("muller") == ["id-0"]
    assert selected("éann") == []  # never across the subject and the sender
    assert selected("t") == ["id-1", "id-2", "id-3"]
    assert selected("null") == ["id-3"] and selected("separ") == ["id-3"]  # control bytes are not text
    assert selected("\0") == selected("") == ["id-0", "id-1", "id-2", "id-3"]
    row_filter.set("e")
    assert row_filter.select(rows) is rows  # every row matches: no new list made


def test_a_filter_that_keeps_every_row_answers_the_list_itself_and_follows_it_as_it_grows() -> None:
    from inbox_tui.inbox.row_filter import RowFilter
    from inbox_tui.inbox.rows import CachedThread

    def rows(*senders: str) -> list[CachedThread]:
        return [CachedThread(s, s, "Parking", FROZEN_NOW, FROZEN_NOW, None) for s in senders]

    class WatchedRows(list[CachedThread]):
        walks = 0

        def __iter__(self) -> Iterator[CachedThread]:
            self.walks += 1
            return super().__iter__()

    every_row = WatchedRows(rows("Guest Ann", "Guest Bob"))
    row_filter = RowFilter()
    row_filter.learn(every_row)
    row_filter.set("gu")
    assert row_filter.select(every_row) is every_row  # no copy of 100,000 rows on a first key
    every_row.walks = 0
    row_filter.set("gue")
    assert row_filter.select(every_row) is every_row
    assert every_row.walks == 0  # the next key asks the index it has, without reading a row
    loaded = rows("Guest Cleo", "Zed")
    row_filter.learn(loaded)
    every_row.extend(loaded)  # as ShownRows.all grows while a filter is on
    assert [row.Id for row in row_filter.select(every_row)] == ["Guest Ann", "Guest Bob", "Guest Cleo"]


async def test_threads_loaded_while_filtering_are_filtered_and_kept_as_the_filter_narrows() -> None:
    from inbox_tui.inbox.rows import CachedThread

    def rows(*subjects: str) -> list[CachedThread]:
        return [CachedThread(f"id-{s}", "Guest", s, FROZEN_NOW, FROZEN_NOW) for s in subjects]

    app = make_app(Simulator.seeded(threads=0, now=FROZEN_NOW))
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        thread_list = app.screen.query_one(ThreadList)
        thread_list.append(rows("parking one", "parking two"))
        await pilot.press("slash", *"park")  # every loaded row matches
        thread_list.append(rows("breakfast", "parking three"))
        assert [t.Subject for t in thread_list.shown] == ["parking one", "parking two", "parking three"]
        await pilot.press(*"ing t")
        assert [t.Subject for t in thread_list.shown] == ["parking two", "parking three"]


async def test_typing_a_filter_finds_the_highlight_by_identity_never_by_comparing_rows(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    from inbox_tui.inbox.rows import CachedThread

    # Two threads equal field by field: only identity tells which one is highlighted.
    rows = [CachedThread(f"id-{n}", "Guest", "parking", FROZEN_NOW, FROZEN_NOW) for n in range(300)]
    twin = CachedThread("id-0", "Guest", "parking", FROZEN_NOW, FROZEN_NOW)
    app = make_app(Simulator.seeded(threads=0, now=FROZEN_NOW))
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        thread_list = app.screen.query_one(ThreadList)
        thread_list.append([*rows, twin, CachedThread("id-x", "Other", "breakfast", FROZEN_NOW, FROZEN_NOW)])
        thread_list.cursor = 300

        def compared(self: CachedThread, other: object) -> bool:
            raise AssertionError("a row was compared by value: a Python call a row")

        monkeypatch.setattr(CachedThread, "__eq__", compared)
        await pilot.press("slash", *"park")
        assert thread_list.highlighted is twin and thread_list.cursor == 300
        await pilot.press("escape")
        assert thread_list.highlighted is twin


def test_a_key_given_to_two_ids_stays_with_the_first_and_the_warning_says_so() -> None:
    from inbox_tui.tui.keymap import checked_keymap

    keymap, warnings = checked_keymap({"help": "x", "filter": "x,f9"})
    assert keymap == {"help": "x", "filter": "f9"}
    assert warnings == ["[keys]: 'x' is given to both 'help' and 'filter'; 'help' keeps it."]


def test_a_rebound_key_that_lands_on_another_binding_is_a_warning_naming_both() -> None:
    from inbox_tui.tui.keymap import checked_keymap

    _, warnings = checked_keymap({"filter": "R"})
    assert warnings == [
        "[keys]: 'R', given to 'filter' (Filter), is the key of 'reply' (Reply) in the inbox: "
        "'filter' takes it."
    ]
    assert checked_keymap({"refresh": "r,f5"})[1] == []  # its own key kept: nothing lands anywhere


async def test_the_hints_in_the_app_follow_the_key_map(simulator: Simulator) -> None:
    app = make_app(simulator, keys={"reply": "ctrl+r", "switch_pane": "ctrl+t", "reply.send": "ctrl+j"})
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        state = str(app.screen.query_one("#conversation-state").render())
        assert "^t to read and scroll · ^r to reply" in state
        await pilot.press("ctrl+r")
        await settle(pilot)
        assert "^j sends" in str(app.screen.query_one("#reply-status").render())


async def test_a_hint_never_names_a_key_that_the_key_map_gave_to_another_binding(
    simulator: Simulator,
) -> None:
    from inbox_tui.tui.keymap import keys_in_force

    assert keys_in_force({"filter": "R"})["reply"] == []  # as Textual applies it: R filters
    assert keys_in_force({"filter": "R"})["detail.reply"] == ["enter"]  # another set: untouched
    app = make_app(simulator, keys={"filter": "R"})
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        state = str(app.screen.query_one("#conversation-state").render())
        assert "tab to read and scroll · (reply: no key) to reply" in state
        await pilot.press("R")
        assert app.screen.query_one("#filter").display  # the key does what the key map says
        await pilot.press("escape", "question_mark")
        await settle(pilot)
        help_text = " ".join(plain(static.content) for static in app.screen.query("Static"))
        assert re.search(r"\(no key\)\s+Reply\s+reply", help_text)
        assert re.search(r"R\s+Filter\s+filter", help_text) and not re.search(r"R\s+Reply\s", help_text)


async def test_a_move_within_the_screen_draws_the_two_rows_it_changes(
    simulator: Simulator, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Drawing rows is most of a key's cost: the whole list drawn again on each move (the
    cursor a repainting reactive) was 4 ms of a `down`'s 10."""
    from textual.strip import Strip

    from inbox_tui.tui.screens.main import MainScreen

    drawn: list[int] = []
    render_line = ThreadList.render_line

    def counted(self: ThreadList, y: int) -> Strip:
        drawn.append(y)
        return render_line(self, y)

    monkeypatch.setattr(ThreadList, "render_line", counted)
    # Keys held down: the pane follows the first at once, the rest once the highlight settles.
    monkeypatch.setattr(MainScreen, "HIGHLIGHT_SETTLES_AFTER", 5.0)
    app = make_app(simulator)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("down")
        await pilot.pause()
        thread_list = app.screen.query_one(ThreadList)
        before = thread_list.cursor
        for key in ("down", "down", "up"):
            drawn.clear()
            await pilot.press(key)
            await pilot.pause()
            assert sorted(drawn) == sorted({before, thread_list.cursor}) and thread_list.cursor != before
            before = thread_list.cursor

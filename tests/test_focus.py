"""The focus goes back where it was when a reply box, form, filter or help closes."""

from __future__ import annotations

import pytest

from inbox_tui.simulator.app import Simulator
from inbox_tui.tui.widgets.thread_detail import ThreadDetail
from inbox_tui.tui.widgets.thread_list import ThreadList
from tests.conftest import make_app, settle

SIZE = (120, 30)


async def test_after_a_reply_box_opened_from_the_list_escape_and_down_move_to_the_next_thread(
    simulator: Simulator,
) -> None:
    app = make_app(simulator)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        thread_list = app.screen.query_one(ThreadList)
        await pilot.press("R", *"draft", "escape")
        await settle(pilot)
        assert app.focused is thread_list
        await pilot.press("down")
        await settle(pilot)
        assert thread_list.cursor == 1


async def test_a_reply_box_opened_from_the_conversation_gives_the_focus_back_to_it(
    simulator: Simulator,
) -> None:
    app = make_app(simulator)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("tab", "R", "escape")
        await settle(pilot)
        assert app.focused is app.screen.query_one(ThreadDetail)


async def test_a_sent_reply_gives_the_focus_back_to_the_list(simulator: Simulator) -> None:
    app = make_app(simulator)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("R", *"Thank you", "ctrl+s")
        await settle(pilot)
        assert app.focused is app.screen.query_one(ThreadList)


@pytest.mark.parametrize(
    ("opening", "closing"),
    [
        (("slash",), ("escape",)),
        (("n",), ("escape",)),
        (("f",), ("escape",)),
        (("question_mark",), ("escape",)),
    ],
    ids=["filter", "new-thread form", "api-filter form", "help"],
)
async def test_what_opens_from_the_conversation_gives_the_focus_back_to_it(
    simulator: Simulator, opening: tuple[str, ...], closing: tuple[str, ...]
) -> None:
    app = make_app(simulator)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("tab")
        detail = app.screen.query_one(ThreadDetail)
        assert app.focused is detail
        await pilot.press(*opening)
        await settle(pilot)
        assert app.focused is not detail
        await pilot.press(*closing)
        await settle(pilot)
        assert app.focused is app.screen.query_one(ThreadDetail)

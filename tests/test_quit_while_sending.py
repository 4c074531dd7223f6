"""Quitting while a reply or a new thread is on its way never leads to sending it twice.

The first q waits for the platform's answer; a second q quits at once, and the next
start looks on the platform for what was on its way: there, it is done (no draft
left to send again); not there, it comes back as a draft that says so.
"""

from __future__ import annotations

import asyncio
from pathlib import Path

from inbox_tui.simulator.app import Simulator
from inbox_tui.tui.app import InboxApp
from inbox_tui.tui.drafts import REPLY_DRAFTS_FILE, DraftStore, ReplyDrafts
from inbox_tui.tui.handed_over import HANDED_OVER_FILE
from inbox_tui.tui.screens.new_thread import NewThreadScreen
from tests.conftest import make_app, settle
from tests.test_conversations import messages_on_server, newest_thread_with

SIZE = (120, 30)


async def until_sending(app: InboxApp) -> None:
    while not app._sends_in_flight:
        await asyncio.sleep(0.01)


async def restart(simulator: Simulator, draft_path: Path) -> list[str]:
    """A new inbox on the same files, until it has checked what was on its way; its notices."""
    again = make_app(simulator, draft_path)
    async with again.run_test(size=SIZE) as pilot:
        await settle(pilot)
        return [str(notification.message) for notification in again._notifications]


async def test_a_reply_quit_twice_while_sending_that_arrived_is_not_offered_again(
    simulator: Simulator, tmp_path: Path
) -> None:
    thread = newest_thread_with(simulator, 1)
    # The platform stores the reply, then its answer takes half a minute.
    simulator.faults.push("messages-add:slow=30:after-commit")
    draft_path = tmp_path / "state" / "draft.json"
    app = make_app(simulator, draft_path)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("R", *"Sent as I quit", "ctrl+s")
        await until_sending(app)
        await pilot.press("q")
        assert app.is_running  # the first q waits for the answer
        assert any("Press q again" in str(n.message) for n in app._notifications)
        await pilot.press("q")
    assert not app.is_running
    assert messages_on_server(simulator, thread, "Sent as I quit") == 1
    notices = await restart(simulator, draft_path)
    assert any("did arrive" in notice for notice in notices)
    assert ReplyDrafts(draft_path.with_name(REPLY_DRAFTS_FILE)).get(thread.id) == ""
    assert not draft_path.with_name(HANDED_OVER_FILE).exists()
    assert messages_on_server(simulator, thread, "Sent as I quit") == 1


async def test_a_reply_quit_twice_before_it_reached_the_platform_comes_back_as_a_draft(
    simulator: Simulator, tmp_path: Path
) -> None:
    thread = newest_thread_with(simulator, 1)
    simulator.faults.push("messages-add:slow=30")  # held before the platform acts
    draft_path = tmp_path / "state" / "draft.json"
    app = make_app(simulator, draft_path)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("R", *"Never arrived", "ctrl+s")
        await until_sending(app)
        await pilot.press("q", "q")
    assert messages_on_server(simulator, thread, "Never arrived") == 0
    notices = await restart(simulator, draft_path)
    assert any("did not arrive" in notice for notice in notices)
    assert ReplyDrafts(draft_path.with_name(REPLY_DRAFTS_FILE)).get(thread.id) == "Never arrived"
    assert not draft_path.with_name(HANDED_OVER_FILE).exists()


async def test_one_q_while_sending_quits_once_the_reply_is_answered(
    simulator: Simulator, tmp_path: Path
) -> None:
    thread = newest_thread_with(simulator, 1)
    simulator.faults.push("messages-add:slow=0.3:after-commit")
    draft_path = tmp_path / "state" / "draft.json"
    app = make_app(simulator, draft_path)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("R", *"Worth the wait", "ctrl+s")
        await until_sending(app)
        await pilot.press("q")
        while app.is_running:
            await asyncio.sleep(0.05)
    assert messages_on_server(simulator, thread, "Worth the wait") == 1
    assert ReplyDrafts(draft_path.with_name(REPLY_DRAFTS_FILE)).get(thread.id) == ""
    assert not draft_path.with_name(HANDED_OVER_FILE).exists()


async def test_a_new_thread_quit_twice_while_sending_is_created_once_and_not_offered_again(
    simulator: Simulator, tmp_path: Path
) -> None:
    simulator.faults.push("add:slow=30:after-commit")
    draft_path = tmp_path / "state" / "draft.json"
    app = make_app(simulator, draft_path)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("n", *"Quitting Guest", "tab", *"Sent as I quit", "ctrl+s")
        await until_sending(app)
        assert isinstance(app.screen, NewThreadScreen)
        await pilot.press("ctrl+q", "ctrl+q")
    created = [t for t in simulator.store.all_newest_first() if t.subject == "Sent as I quit"]
    assert len(created) == 1
    notices = await restart(simulator, draft_path)
    assert any("was created" in notice for notice in notices)
    assert DraftStore(draft_path).draft.is_empty
    assert len([t for t in simulator.store.all_newest_first() if t.subject == "Sent as I quit"]) == 1

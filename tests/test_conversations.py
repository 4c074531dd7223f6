"""Conversations and replies: the loader on its own, then every flow of the detail pane."""

from __future__ import annotations

import asyncio
import json
import os
import stat
from datetime import timedelta
from pathlib import Path

import pytest

from inbox_tui.api.client import ConnectorClient
from inbox_tui.inbox.conversations import Conversation, ConversationCache, ConversationLoader
from inbox_tui.simulator.app import Simulator
from inbox_tui.simulator.conversations import STAFF
from inbox_tui.simulator.data import SimThread
from inbox_tui.tui.screens.main import MainScreen
from inbox_tui.tui.widgets.conversation_view import ConversationView
from inbox_tui.tui.widgets.reply_box import ReplyBox
from inbox_tui.tui.widgets.thread_detail import ThreadDetail
from inbox_tui.tui.widgets.thread_list import ThreadList
from tests.conftest import FROZEN_NOW, make_app, settle

SIZE = (120, 30)


def newest_thread_with(simulator: Simulator, count: int, subject: str = "Late arrival") -> SimThread:
    start = FROZEN_NOW + timedelta(minutes=1)
    thread = simulator.add_thread("Olivia Smith", subject, start)
    for index in range(count):
        sender = STAFF if index % 2 else "Application"
        simulator.messages.add(thread, f"message {index}", start + timedelta(seconds=index), sender=sender)
    return thread


def messages_on_server(simulator: Simulator, thread: SimThread, text: str) -> int:
    return [message.text for message in simulator.messages.conversation(thread)].count(text)


def shown_text(app) -> str:  # type: ignore[no-untyped-def]
    return app.screen.query_one(ConversationView).transcript


def single_thread_loads(simulator: Simulator) -> list[str]:
    return [
        entry.body["MessageThreadIds"][0]
        for entry in simulator.requests_to("messages-getAll")
        if len(entry.body["MessageThreadIds"]) == 1
    ]


# The loader, without the interface


async def test_a_thread_opens_on_its_newest_page_and_older_pages_follow(
    client: ConnectorClient, simulator: Simulator
) -> None:
    thread = newest_thread_with(simulator, 120)
    loader = ConversationLoader(client)
    conversation = await loader.open(thread.id)
    assert [m.Text for m in conversation.messages] == [f"message {i}" for i in range(70, 120)]
    assert conversation.has_older
    await loader.load_older(thread.id)
    await loader.load_older(thread.id)
    assert [m.Text for m in conversation.messages] == [f"message {i}" for i in range(120)]
    assert not conversation.has_older
    assert await loader.open(thread.id) is conversation
    assert loader.requests_made == 3


async def test_a_prefetch_holds_every_thread_when_its_page_is_not_full(
    client: ConnectorClient, simulator: Simulator
) -> None:
    threads = simulator.store.all_newest_first()[:10]
    loader = ConversationLoader(client)
    held = await loader.prefetch([thread.id for thread in threads])
    assert held == [thread.id for thread in threads]
    for thread in threads:
        conversation = loader.cache.get(thread.id)
        assert conversation is not None and not conversation.has_older
        assert [m.Id for m in conversation.messages] == [
            m.id for m in simulator.messages.conversation(thread)
        ]
    assert len(simulator.requests_to("messages-getAll")) == 1


async def test_a_full_prefetch_page_leaves_unseen_threads_to_be_opened_on_their_own(
    client: ConnectorClient, simulator: Simulator
) -> None:
    busy = newest_thread_with(simulator, 1000, "Busy")
    quiet = simulator.add_thread("Ann", "Quiet", FROZEN_NOW - timedelta(days=1))
    simulator.messages.add(quiet, "an older message", FROZEN_NOW - timedelta(days=1))
    loader = ConversationLoader(client)
    assert await loader.prefetch([busy.id, quiet.id]) == [busy.id]
    assert loader.cache.get(busy.id).has_older  # type: ignore[union-attr]
    assert quiet.id not in loader.cache


def test_the_cache_forgets_the_least_recently_shown_thread_first() -> None:
    cache = ConversationCache(max_threads=2)
    for thread_id in ("a", "b"):
        cache.put(Conversation(thread_id))
    cache.get("a")
    cache.put(Conversation("c"))
    assert "a" in cache and "c" in cache and "b" not in cache


async def test_neighbours_are_fetched_in_batches_not_row_by_row(client: ConnectorClient) -> None:
    loader = ConversationLoader(client)
    ids = [f"t{index}" for index in range(100)]
    first = loader.neighbours_to_prefetch(ids, 0)
    assert first and "t0" not in first
    for thread_id in ["t0", *first]:
        loader.cache.put(Conversation(thread_id))
    assert all(loader.neighbours_to_prefetch(ids, index) == [] for index in range(1, 10))


# The detail pane


async def test_the_highlighted_thread_shows_its_conversation_oldest_first(simulator: Simulator) -> None:
    thread = newest_thread_with(simulator, 3)
    app = make_app(simulator)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        text = shown_text(app)
        assert text.index("message 0") < text.index("message 1") < text.index("message 2")
        assert "Staff" in text and "This integration" in text
        assert app.screen.query_one(ThreadDetail).thread_id == thread.id


async def test_holding_down_over_50_rows_loads_only_where_the_highlight_stops(
    simulator: Simulator, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Pilot presses keys more slowly than key repeat while pages load: the pause that
    # counts as "stopped" is widened so that the 50 presses stay one gesture.
    monkeypatch.setattr(MainScreen, "HIGHLIGHT_SETTLES_AFTER", 1.0)
    app = make_app(simulator)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        simulator.log.clear()
        await pilot.press(*["down"] * 50)
        await settle(pilot)
        final = app.screen.query_one(ThreadList).highlighted
        assert final is not None
        assert single_thread_loads(simulator) == [final.Id]
        prefetches = [
            e for e in simulator.requests_to("messages-getAll") if len(e.body["MessageThreadIds"]) > 1
        ]
        assert len(prefetches) <= 1
        assert final.Id in shown_text(app) or app.screen.query_one(ThreadDetail).thread_id == final.Id


async def test_a_neighbour_is_shown_without_a_request_of_its_own(simulator: Simulator) -> None:
    app = make_app(simulator)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        requests = len(simulator.requests_to("messages-getAll"))
        await pilot.press("down")
        await settle(pilot)
        assert len(simulator.requests_to("messages-getAll")) == requests


async def test_a_stale_load_is_dropped(simulator: Simulator) -> None:
    slow = newest_thread_with(simulator, 2, "Slow thread")
    app = make_app(simulator)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        app.conversations.cache = ConversationCache()
        simulator.faults.latency = 0.2
        await pilot.press("down", "up")  # back on the slow thread: a new load for it
        await pilot.pause(0.15)
        await pilot.press("down")
        simulator.faults.latency = 0
        await settle(pilot)
        detail = app.screen.query_one(ThreadDetail)
        assert detail.thread_id != slow.id
        assert "message 0" not in shown_text(app)


async def test_scrolling_up_past_the_top_loads_older_messages(simulator: Simulator) -> None:
    newest_thread_with(simulator, 120)
    app = make_app(simulator)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        assert "message 69" not in shown_text(app) and "message 119" in shown_text(app)
        await pilot.press("tab", "home")
        await settle(pilot)
        assert "message 69" in shown_text(app)
        cursors = [e.body["Limitation"].get("Cursor") for e in simulator.requests_to("messages-getAll")]
        assert len([c for c in cursors if c]) >= 1


async def test_a_load_error_is_shown_in_the_pane_and_r_there_retries(simulator: Simulator) -> None:
    newest_thread_with(simulator, 2)
    # Refused twice: the thread's own request and the prefetch of its neighbours race.
    simulator.faults.push("messages-getAll:403", "messages-getAll:403")
    app = make_app(simulator)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        state = str(app.screen.query_one("#conversation-state").render())
        assert "could not be loaded" in state and "403" in state
        await pilot.press("tab", "r")
        await settle(pilot)
        assert "message 1" in shown_text(app)


async def test_an_empty_thread_says_so(simulator: Simulator) -> None:
    newest_thread_with(simulator, 0)
    app = make_app(simulator)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        assert "No messages in this thread yet" in str(app.screen.query_one("#conversation-state").render())


# Replies


async def test_a_reply_is_sent_once_shown_and_its_thread_stays_where_it_is_in_creation_order(
    simulator: Simulator,
) -> None:
    simulator.clock = lambda: FROZEN_NOW + timedelta(hours=1)
    app = make_app(simulator)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("down", "down", "down")
        await settle(pilot)
        thread_list = app.screen.query_one(ThreadList)
        target = thread_list.highlighted
        assert target is not None
        await pilot.press("R", *"Your room is ready", "ctrl+s")
        await settle(pilot)
        assert "Your room is ready" in shown_text(app)
        assert "sending" not in shown_text(app)
        # The list is by creation: a reply changes the thread's update time, not its place.
        assert thread_list.threads[3].Id == target.Id and thread_list.highlighted.Id == target.Id  # type: ignore[union-attr]
        assert thread_list.threads[3].UpdatedUtc == FROZEN_NOW + timedelta(hours=1)
        thread = simulator.store.get(target.Id)
        assert thread is not None and messages_on_server(simulator, thread, "Your room is ready") == 1
        assert not app.screen.query_one(ReplyBox).display
        assert app.reply_drafts.get(target.Id) == ""


async def test_an_empty_reply_is_refused_inline(simulator: Simulator) -> None:
    app = make_app(simulator)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("R", "space", "enter", "ctrl+s")
        await settle(pilot)
        assert "empty reply is not sent" in str(app.screen.query_one("#reply-status").render())
        assert simulator.requests_to("messages-add") == []


async def test_a_refused_reply_keeps_the_text_and_shows_the_error(simulator: Simulator) -> None:
    simulator.faults.push("messages-add:403")
    app = make_app(simulator)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("R", *"Hello", "ctrl+s")
        await settle(pilot)
        box = app.screen.query_one(ReplyBox)
        assert box.display and box.text == "Hello"
        assert "Not sent" in str(app.screen.query_one("#reply-status").render())
        assert "not sent" in shown_text(app)
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert not box.display
        assert len(simulator.requests_to("messages-add")) == 2


async def test_an_ambiguous_failure_is_reconciled_before_any_resend(simulator: Simulator) -> None:
    thread = newest_thread_with(simulator, 1)
    app = make_app(simulator)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        # The message is stored, the answer lost; the lookup that follows fails too.
        simulator.faults.push("messages-add:500:after-commit", *["messages-getAll:500"] * 4)
        await pilot.press("R", *"Only once", "ctrl+s")
        await settle(pilot)
        assert app.screen.query_one(ReplyBox).display
        await pilot.press("ctrl+s")  # looks first, finds it, does not send again
        await settle(pilot)
        assert messages_on_server(simulator, thread, "Only once") == 1
        assert len(simulator.requests_to("messages-add")) == 1
        assert not app.screen.query_one(ReplyBox).display
        assert "Only once" in shown_text(app)


async def test_an_ambiguous_failure_found_at_once_is_confirmed(simulator: Simulator) -> None:
    thread = newest_thread_with(simulator, 1)
    simulator.faults.push("messages-add:500:after-commit")
    app = make_app(simulator)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("R", *"Found", "ctrl+s")
        await settle(pilot)
        assert not app.screen.query_one(ReplyBox).display
        assert messages_on_server(simulator, thread, "Found") == 1


async def test_escape_keeps_the_reply_as_a_draft_that_survives_quitting(
    simulator: Simulator, tmp_path: Path
) -> None:
    thread = newest_thread_with(simulator, 1)
    draft_path = tmp_path / "state" / "draft.json"
    app = make_app(simulator, draft_path)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("R", *"Half a reply", "escape")
        await settle(pilot)
        assert not app.screen.query_one(ReplyBox).display
        assert "unsent reply" in str(app.screen.query_one("#conversation-state").render())
    saved = draft_path.with_name("reply-drafts.json")
    assert json.loads(saved.read_text()) == {thread.id: "Half a reply"}
    assert stat.S_IMODE(os.stat(saved).st_mode) == 0o600

    again = make_app(simulator, draft_path)
    async with again.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("R")
        await settle(pilot)
        assert again.screen.query_one(ReplyBox).text == "Half a reply"
        assert "unsent reply is back" in str(again.screen.query_one("#reply-status").render())


@pytest.mark.parametrize("keys", [("R", *"hello"), ("Y",)], ids=["reply", "copy"])
async def test_a_key_right_after_a_move_acts_on_the_highlighted_thread(
    simulator: Simulator, keys: tuple[str, ...], monkeypatch: pytest.MonkeyPatch
) -> None:
    """Before the highlight settles the pane still shows the row left: `R` opened a reply to
    it, closed as the pane caught up, and the text typed next went to the list as keys."""
    monkeypatch.setattr(MainScreen, "HIGHLIGHT_SETTLES_AFTER", 5.0)  # the keys come well within it
    app = make_app(simulator)
    copied: list[str] = []
    app.copy_to_clipboard = copied.append  # type: ignore[method-assign]
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("down", "down", *keys)  # no pause: within the settling time
        await settle(pilot)
        highlighted = app.screen.query_one(ThreadList).highlighted
        assert highlighted is not None
        if keys[0] == "R":
            box = app.screen.query_one(ReplyBox)
            assert box.display and box.text == "hello"
            assert app.screen.query_one(ThreadDetail).thread_id == highlighted.Id
        else:
            assert copied and highlighted.Subject in copied[0] and highlighted.Id in copied[0]


async def test_enter_in_the_detail_pane_opens_the_reply_box(simulator: Simulator) -> None:
    app = make_app(simulator)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("tab", "enter")
        await settle(pilot)
        assert app.screen.query_one(ReplyBox).display
        assert app.focused is not None and app.focused.id == "reply-text"


async def test_in_update_order_a_replied_thread_goes_to_the_top(simulator: Simulator) -> None:
    simulator.clock = lambda: FROZEN_NOW + timedelta(hours=1)
    app = make_app(simulator)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("o")
        await settle(pilot)
        await pilot.press("down", "down", "down")
        await settle(pilot)
        thread_list = app.screen.query_one(ThreadList)
        target = thread_list.highlighted
        assert target is not None and thread_list.threads[0].Id != target.Id
        await pilot.press("R", *"Moving up", "ctrl+s")
        await settle(pilot)
        assert thread_list.threads[0].Id == target.Id and thread_list.highlighted.Id == target.Id  # type: ignore[union-attr]


async def test_no_key_reads_the_disk_on_the_ui_thread(simulator: Simulator, tmp_path: Path) -> None:
    import threading

    from inbox_tui.inbox.thread_cache import ThreadCache

    warm_up = make_app(simulator, cache=ThreadCache.open(tmp_path, "http://simulator.test", "token"))
    async with warm_up.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press(*["down"] * 12)  # conversations read, so the next session remembers them
        await settle(pilot)
    cache = ThreadCache.open(tmp_path, "http://simulator.test", "token")
    app = make_app(simulator, cache=cache)
    read_on = []
    query = cache._query  # noqa: SLF001

    def off_the_ui_thread_only(*args: object) -> object:
        if threading.current_thread() is threading.main_thread():
            raise AssertionError("the disk was read on the UI thread while a key was handled")
        read_on.append(threading.current_thread().name)
        return query(*args)  # type: ignore[arg-type]

    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        cache._query = off_the_ui_thread_only  # type: ignore[method-assign]  # noqa: SLF001
        for keys in (["down"] * 6, ["pagedown"] * 3, ["end"], ["up"] * 4):
            await pilot.press(*keys)
            await settle(pilot)
        assert read_on  # the remembered conversations and cached rows were still read, elsewhere
        assert app.screen.query_one(ThreadList).highlighted is not None


@pytest.mark.parametrize("request_name", ["open", "send"])
async def test_an_answer_landing_as_the_app_quits_ends_without_an_error(
    simulator: Simulator, request_name: str
) -> None:
    """The answer lands while the pane's widgets are being removed (a request in flight on `q`):
    leaving `run_test` raised what the worker then raised (NoMatches: no ConversationView)."""
    app = make_app(simulator)
    asked = asyncio.Event()
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        view = app.screen.query_one(ConversationView)
        owner = app.replies if request_name == "send" else app.conversations
        request = getattr(owner, request_name)

        async def answered_once_the_pane_is_gone(*args: object) -> object:
            answer = await request(*args)
            asked.set()
            while view.is_attached:
                await asyncio.sleep(0.001)
            return answer

        setattr(owner, request_name, answered_once_the_pane_is_gone)
        if request_name == "open":
            app.conversations.cache = ConversationCache()  # the next thread is not held
            await pilot.press("down")
        else:
            await pilot.press("R", *"On our way", "ctrl+s")
        await asyncio.wait_for(asked.wait(), 5)

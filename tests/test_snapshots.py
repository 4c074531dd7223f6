"""Snapshots of the main states, on the seeded simulator with the clock frozen.

Regenerate on purpose with `uv run pytest tests/test_snapshots.py --snapshot-update`
and look at the report before committing.
"""

from __future__ import annotations

from datetime import timedelta

import pytest
from textual.pilot import Pilot

from inbox_tui.inbox.rows import CachedThread
from inbox_tui.inbox.thread_cache import ThreadCache
from inbox_tui.simulator.app import Simulator
from inbox_tui.simulator.conversations import LONG_MESSAGE, STAFF
from tests.conftest import FROZEN_NOW, make_app, settle

WIDE = (130, 34)
NARROW = (80, 24)


def seeded() -> Simulator:
    simulator = Simulator.seeded(threads=400, seed=5, now=FROZEN_NOW)
    simulator.store.add(
        "[bold red]Eve[/] \x1b[31m",
        "Clipboard \x1b]52;c;ZXZpbA==\x07 [link=x]win[/link] \u202eevil",
        FROZEN_NOW,
    )
    return simulator


def with_conversation(*texts: tuple[str, str]) -> Simulator:
    """The seeded simulator with a newest thread holding `texts`, as (sender, text), a minute apart."""
    simulator = seeded()
    start = FROZEN_NOW + timedelta(minutes=1)
    thread = simulator.add_thread("Olivia Smith", "Late arrival, room 214", start)
    for index, (sender, text) in enumerate(texts):
        simulator.messages.add(thread, text, start + timedelta(minutes=index), sender=sender)
    return simulator


CHAT = (
    ("Application", "Hello, our flight lands at 23:40. Could you keep the room for us?"),
    (STAFF, "Of course, we have noted it on your reservation.\nThe night porter will be at the desk."),
    ("Application", "Thank you so much!"),
    (STAFF, "You are welcome. Safe travels!"),
)


def test_main_screen_wide(snap_compare) -> None:  # type: ignore[no-untyped-def]
    assert snap_compare(make_app(seeded()), terminal_size=WIDE, run_before=settle)


def test_main_screen_narrow_after_scrolling(snap_compare) -> None:  # type: ignore[no-untyped-def]
    async def scroll(pilot: Pilot[None]) -> None:
        # Settled after each key: a row the highlight passes shows its waiting mark only if
        # its conversation was held by then, which a press right after the last would race.
        await settle(pilot)
        for key in ("pagedown", "down", "down"):
            await pilot.press(key)
            await settle(pilot)

    assert snap_compare(make_app(seeded()), terminal_size=NARROW, run_before=scroll)


def test_a_conversation(snap_compare) -> None:  # type: ignore[no-untyped-def]
    assert snap_compare(make_app(with_conversation(*CHAT)), terminal_size=WIDE, run_before=settle)


def test_a_conversation_read_at_80x24(snap_compare) -> None:  # type: ignore[no-untyped-def]
    async def read(pilot: Pilot[None]) -> None:
        await settle(pilot)
        await pilot.press("tab")
        await settle(pilot)

    assert snap_compare(make_app(with_conversation(*CHAT)), terminal_size=NARROW, run_before=read)


def test_a_long_wrapped_message(snap_compare) -> None:  # type: ignore[no-untyped-def]
    simulator = with_conversation(("Application", "Two questions."), (STAFF, LONG_MESSAGE))
    assert snap_compare(make_app(simulator), terminal_size=WIDE, run_before=settle)


def test_a_hostile_message_is_shown_literally(snap_compare) -> None:  # type: ignore[no-untyped-def]
    hostile = "[bold red]Not bold[/] \x1b[31mred?\x1b[0m \x1b]52;c;ZXZpbA==\x07 \u202eevil\u202c\x00\x07 done"
    simulator = with_conversation(("Application", hostile), ("Robot", "A sender kind the docs do not list."))
    assert snap_compare(make_app(simulator), terminal_size=WIDE, run_before=settle)


def test_the_reply_box(snap_compare) -> None:  # type: ignore[no-untyped-def]
    async def reply(pilot: Pilot[None]) -> None:
        await settle(pilot)
        await pilot.press("R", *"We will wait for you.", "enter", *"See you tonight")
        await settle(pilot)

    assert snap_compare(make_app(with_conversation(*CHAT)), terminal_size=WIDE, run_before=reply)


def test_an_error_inside_the_conversation_pane(snap_compare) -> None:  # type: ignore[no-untyped-def]
    simulator = with_conversation(*CHAT)
    # The thread's own request and the prefetch of its neighbours race for the platform: both
    # are refused, so the picture does not depend on which comes first.
    simulator.faults.push("messages-getAll:403", "messages-getAll:403")
    assert snap_compare(make_app(simulator), terminal_size=WIDE, run_before=settle)


def test_the_cached_state_before_the_platform_answers(snap_compare, tmp_path) -> None:  # type: ignore[no-untyped-def]
    simulator = seeded()
    cache = ThreadCache.open(tmp_path, "http://simulator.test", "token")
    cache.save_page(
        [
            CachedThread(thread.id, thread.sender, thread.subject, thread.created, thread.updated)
            for thread in simulator.store.all_newest_first()[:60]
        ],
        None,
    )
    cache.close()
    simulator.faults.latency = 30  # the platform has not answered when the picture is taken
    app = make_app(simulator, cache=ThreadCache.open(tmp_path, "http://simulator.test", "token"))
    assert snap_compare(app, terminal_size=WIDE, run_before=lambda pilot: pilot.pause())


def test_new_threads_waiting_in_the_header(snap_compare) -> None:  # type: ignore[no-untyped-def]
    simulator = seeded()

    async def arrive(pilot: Pilot[None]) -> None:
        await settle(pilot)
        await pilot.press("down", "down")
        await settle(pilot)
        for minute in (1, 2):
            simulator.add_thread(
                "Noah Smith", f"Arrived {minute} min ago", FROZEN_NOW + timedelta(minutes=minute)
            )
        # One poll, asked once the highlight is on the thread being read: a timed poll could
        # come before it and find that thread's messages (seeded after the frozen now) news.
        screen = pilot.app.screen
        await screen._poll(screen._loading.generation).wait()
        await settle(pilot)

    assert snap_compare(make_app(simulator), terminal_size=WIDE, run_before=arrive)


def test_new_thread_form_with_validation_errors(snap_compare) -> None:  # type: ignore[no-untyped-def]
    async def open_form(pilot: Pilot[None]) -> None:
        await settle(pilot)
        await pilot.press("n", "ctrl+s")
        await settle(pilot)

    assert snap_compare(make_app(seeded()), terminal_size=WIDE, run_before=open_form)


def test_an_auth_error(snap_compare) -> None:  # type: ignore[no-untyped-def]
    simulator = seeded()
    simulator.faults.push("401")
    assert snap_compare(make_app(simulator), terminal_size=WIDE, run_before=settle)


def test_help_screen(snap_compare) -> None:  # type: ignore[no-untyped-def]
    async def open_help(pilot: Pilot[None]) -> None:
        await settle(pilot)
        await pilot.press("question_mark")
        await settle(pilot)

    assert snap_compare(make_app(seeded()), terminal_size=WIDE, run_before=open_help)


def test_paper_theme(snap_compare) -> None:  # type: ignore[no-untyped-def]
    assert snap_compare(
        make_app(with_conversation(*CHAT), theme="inbox-paper"), terminal_size=WIDE, run_before=settle
    )


def test_the_profile_switcher(snap_compare) -> None:  # type: ignore[no-untyped-def]
    async def open_switcher(pilot: Pilot[None]) -> None:
        await settle(pilot)
        await pilot.press("ctrl+p", *"Profile")
        await pilot.pause(0.3)

    app = make_app(
        seeded(), profile="staging", profiles=("live", "staging", "mews-demo"), environment="staging · sim"
    )
    assert snap_compare(app, terminal_size=WIDE, run_before=open_switcher)


def test_the_update_order_view(snap_compare) -> None:  # type: ignore[no-untyped-def]
    simulator = seeded()
    older = simulator.store.all_newest_first()[30]
    simulator.messages.add(older, "A fresh reply", FROZEN_NOW + timedelta(minutes=5))

    async def by_update(pilot: Pilot[None]) -> None:
        await settle(pilot)
        await pilot.press("o")
        await settle(pilot)

    assert snap_compare(make_app(simulator), terminal_size=WIDE, run_before=by_update)


def test_the_api_filter_form_with_errors(snap_compare) -> None:  # type: ignore[no-untyped-def]
    async def wrong(pilot: Pilot[None]) -> None:
        await settle(pilot)
        await pilot.press("f")
        await settle(pilot)
        await pilot.press(*"someday", "tab", *"7d", "ctrl+s")
        await settle(pilot)

    assert snap_compare(make_app(seeded()), terminal_size=(100, 40), run_before=wrong)


def test_a_list_filtered_by_the_api(snap_compare) -> None:  # type: ignore[no-untyped-def]
    async def filtered(pilot: Pilot[None]) -> None:
        await settle(pilot)
        await pilot.press("f")
        await settle(pilot)
        await pilot.press(*"2w", "tab", *"1w", "enter")
        await settle(pilot)

    assert snap_compare(make_app(seeded()), terminal_size=WIDE, run_before=filtered)


def test_the_api_filter_form_filled_in(snap_compare) -> None:  # type: ignore[no-untyped-def]
    async def filled(pilot: Pilot[None]) -> None:
        await settle(pilot)
        await pilot.press("f")
        await settle(pilot)
        await pilot.press("tab", "tab", *"2026-10-01", "tab", *"2026-11-15")
        await settle(pilot)

    assert snap_compare(make_app(seeded()), terminal_size=(100, 40), run_before=filled)


SMALLEST = (60, 20)
"""The smallest terminal every screen stays usable in."""


@pytest.mark.parametrize(
    "keys", [(), ("n",), ("f",), ("question_mark",)], ids=["list", "new", "filters", "help"]
)
def test_every_screen_at_60x20(snap_compare, keys: tuple[str, ...]) -> None:  # type: ignore[no-untyped-def]
    async def open_it(pilot: Pilot[None]) -> None:
        await settle(pilot)
        await pilot.press(*keys)
        await settle(pilot)

    assert snap_compare(make_app(seeded()), terminal_size=SMALLEST, run_before=open_it)


def test_unread_and_waiting_marks_with_the_header_count(snap_compare) -> None:  # type: ignore[no-untyped-def]
    simulator = with_conversation(*CHAT)  # the newest thread: staff wrote last, so it waits on us
    older = simulator.store.all_newest_first()[4]

    async def news_arrives(pilot: Pilot[None]) -> None:
        await settle(pilot)
        simulator.messages.add(
            older, "Your taxi is booked for 7:00.", FROZEN_NOW + timedelta(minutes=6), sender=STAFF
        )
        await pilot.app.screen._poll(pilot.app.screen._loading.generation).wait()  # type: ignore[attr-defined]
        await settle(pilot)

    assert snap_compare(make_app(simulator), terminal_size=WIDE, run_before=news_arrives)


def test_search_results_with_snippets_open_on_the_match(snap_compare, tmp_path) -> None:  # type: ignore[no-untyped-def]
    simulator = with_conversation(
        *CHAT, *[(STAFF, f"Day {day}: the spa is open until 21:00.") for day in range(20)]
    )
    cache = ThreadCache.open(tmp_path, "http://simulator.test", "token")

    async def search(pilot: Pilot[None]) -> None:
        await settle(pilot)
        await pilot.app.run_action("command_palette")
        await pilot.press(*"sync the mirror", "enter")
        await settle(pilot)
        await pilot.press("s", *"porter", "enter")
        await settle(pilot)

    assert snap_compare(make_app(simulator, cache=cache), terminal_size=WIDE, run_before=search)

"""Snapshots of the main states, on the seeded simulator with the clock frozen.

Regenerate on purpose with `uv run pytest tests/test_snapshots.py --snapshot-update`
and look at the report before committing.
"""

from __future__ import annotations

from textual.pilot import Pilot

from inbox_tui.simulator.app import Simulator
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


def test_main_screen_wide(snap_compare) -> None:  # type: ignore[no-untyped-def]
    assert snap_compare(make_app(seeded()), terminal_size=WIDE, run_before=settle)


def test_main_screen_narrow_after_scrolling(snap_compare) -> None:  # type: ignore[no-untyped-def]
    async def scroll(pilot: Pilot[None]) -> None:
        await settle(pilot)
        await pilot.press("pagedown", "down", "down")
        await settle(pilot)

    assert snap_compare(make_app(seeded()), terminal_size=NARROW, run_before=scroll)


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
    assert snap_compare(make_app(seeded(), theme="inbox-paper"), terminal_size=WIDE, run_before=settle)

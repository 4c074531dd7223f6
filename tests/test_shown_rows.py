"""ShownRows without Textual: what the list holds after a filter, a view, a merge or an append."""

from __future__ import annotations

import gc
from datetime import timedelta

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from inbox_tui.inbox import row_filter
from inbox_tui.inbox.folding import fold
from inbox_tui.inbox.rows import CachedThread
from inbox_tui.inbox.shown_rows import ShownRows
from tests.conftest import FROZEN_NOW


def thread(subject: str, sender: str = "Guest") -> CachedThread:
    return CachedThread(f"id-{subject}", sender, subject, FROZEN_NOW, FROZEN_NOW)


def subjects(rows: ShownRows) -> list[str]:
    return [row.Subject for row in rows.shown]


def test_rows_loaded_under_a_filter_and_a_view_are_checked_against_both() -> None:
    rows = ShownRows()
    rows.append([thread("parking one"), thread("parking two")])
    rows.set_filter("PARK")
    rows.set_view(lambda row: "two" not in row.Subject)
    rows.append([thread("breakfast"), thread("parking two b"), thread("parking three")])
    rows.prepend(thread("parking zero"))
    assert subjects(rows) == ["parking zero", "parking one", "parking three"]
    assert [row.Subject for row in rows.all][:2] == ["parking zero", "parking one"]
    rows.set_view(None)
    rows.set_filter("")
    assert not rows.is_narrowed() and rows.shown is rows.all


def test_a_filter_that_keeps_every_row_still_filters_what_comes_later() -> None:
    rows = ShownRows()
    rows.append([thread("parking one")])
    rows.set_filter("parking")
    assert rows.is_narrowed() and subjects(rows) == ["parking one"]
    rows.append([thread("breakfast")])
    assert subjects(rows) == ["parking one"]
    rows.set_filter("parking o")  # narrows the selection made after the append
    assert subjects(rows) == ["parking one"]


def test_a_merge_puts_new_rows_on_top_replaces_changed_ones_and_drops_vanished_ones() -> None:
    rows = ShownRows()
    rows.append([thread("a"), thread("b"), thread("c")])
    rows.set_filter("a")
    changed = CachedThread("id-c", "Guest", "c", FROZEN_NOW, FROZEN_NOW, IsResolved=True)
    rows.merge(on_top=[thread("new a")], replaced=[changed], gone=["id-b"])
    assert [row.Subject for row in rows.all] == ["new a", "a", "c"]
    assert rows.all[2].IsResolved
    assert subjects(rows) == ["new a", "a"]


def test_an_update_moves_a_thread_to_the_top_or_keeps_it_in_place() -> None:
    rows = ShownRows()
    rows.append([thread("a"), thread("b")])
    later = FROZEN_NOW + timedelta(minutes=5)
    moved = rows.mark_updated("id-b", later, to_top=False)
    assert moved is not None and moved.UpdatedUtc == later and subjects(rows) == ["a", "b"]
    rows.mark_updated("id-b", FROZEN_NOW, to_top=True)  # an older time never moves it back
    assert subjects(rows) == ["b", "a"] and rows.shown[0].UpdatedUtc == later
    assert rows.mark_updated("id-unknown", later, to_top=True) is None


def test_a_view_is_applied_again_when_what_it_depends_on_changes() -> None:
    unread = {"id-a"}
    rows = ShownRows()
    rows.append([thread("a"), thread("b")])
    assert not rows.view_again()
    rows.set_view(lambda row: row.Id in unread)
    assert subjects(rows) == ["a"]
    unread.add("id-b")
    assert rows.view_again() and subjects(rows) == ["a", "b"]


def test_a_view_keeps_the_rows_it_showed_until_it_is_chosen_again_or_the_list_reloads() -> None:
    unread = {"id-a", "id-b"}
    rows = ShownRows()
    rows.append([thread("a"), thread("b"), thread("c")])
    rows.set_view(lambda row: row.Id in unread)
    unread.clear()  # both read while on screen
    unread.add("id-c")
    assert rows.view_again() and subjects(rows) == ["a", "b", "c"]  # kept, and the new one in
    rows.set_filter("b")
    assert subjects(rows) == ["b"]
    rows.set_filter("")
    assert subjects(rows) == ["a", "b", "c"]
    rows.append([thread("d")])
    assert subjects(rows) == ["a", "b", "c"]
    rows.set_view(lambda row: row.Id in unread)  # chosen again: as the marks are now
    assert subjects(rows) == ["c"]
    unread.clear()
    rows.replace(rows.all)  # a reload
    assert subjects(rows) == []


SUBJECTS = ["Parking", "parking van", "Café", "cafe au lait", "Straße", "Late check-in", ""]
QUERIES = ["", "p", "pa", "park", "parking", "parking v", "caf", "café", "strasse", "x", "a"]


@settings(max_examples=150, deadline=None)
@given(
    st.lists(
        st.tuples(
            st.sampled_from(("append", "prepend", "filter", "view", "merge", "move", "replace", "update")),
            st.integers(0, 99),
        )
    )
)
def test_the_rows_shown_are_always_the_loaded_rows_that_pass_the_filter_and_the_view(
    steps: list[tuple[str, int]],
) -> None:
    """Whatever the order of loads, merges, reloads, updates, filters that grow or shrink, and
    views: the fast paths (narrowing the last matches, keeping the same lists, the texts folded
    as rows load) show what a plain scan would."""
    rows, created = ShownRows(), 0
    query, view = "", None

    def passes(row: CachedThread) -> bool:
        return fold(query) in f"{fold(row.Subject)}\0{fold(row.OriginalSender)}" and (
            view is None or view(row)
        )

    for action, number in steps:
        if action in ("move", "update") and not rows.all:
            continue
        if action in ("append", "prepend", "merge"):
            created += 1
            new = CachedThread(
                f"id-{created}",
                f"Guest {number % 3}",
                SUBJECTS[number % len(SUBJECTS)],
                FROZEN_NOW,
                FROZEN_NOW,
            )
            if action == "append":
                rows.append([new])
            elif action == "prepend":
                rows.prepend(new)
            else:
                gone = [rows.all[number % len(rows.all)].Id] if rows.all and number % 2 else []
                rows.merge([new], [], gone)
        elif action == "move":  # a listed thread comes back on top, as in update order
            rows.merge([rows.all[number % len(rows.all)]], [], [])
        elif action == "replace":  # a reload: some of the rows, in another order
            rows.replace(rows.all[number % 3 :: 2][::-1])
        elif action == "update":
            row = rows.all[number % len(rows.all)]
            rows.mark_updated(row.Id, FROZEN_NOW + timedelta(minutes=number), to_top=number % 2 == 0)
        elif action == "filter":
            query = QUERIES[number % len(QUERIES)]
            rows.set_filter(query)
        else:
            view = None if number % 3 == 0 else (lambda row, n=number: int(row.Id.split("-")[1]) % 3 != n % 3)
            rows.set_view(view)
        assert list(rows.shown) == [row for row in rows.all if passes(row)]


def test_rows_are_folded_as_they_load_so_that_no_filter_key_folds_them(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    rows = ShownRows()
    rows.append([thread("parking one"), thread("breakfast")])
    rows.prepend(thread("parking zero"))
    rows.merge(on_top=[thread("parking new")], replaced=[], gone=["id-breakfast"])

    def no_folding_now(row: object) -> str:
        raise AssertionError("a row was folded while a key was handled")

    monkeypatch.setattr(row_filter, "_folded_text", no_folding_now)
    rows.set_filter("Park")
    assert subjects(rows) == ["parking new", "parking zero", "parking one"]
    rows.set_filter("parking z")
    assert subjects(rows) == ["parking zero"]


def test_a_filter_cleared_keeps_no_list_of_rows_alive_once_the_rows_are_replaced() -> None:
    """After a reload, the filter's index must not hold the old rows (100,000 of them)."""
    rows = ShownRows()
    rows.append([thread("parking one"), thread("breakfast")])
    rows.prepare_filter()
    rows.set_filter("park")
    rows.set_filter("")
    left = rows.all
    rows.replace([thread("parking one"), thread("parking two")])
    assert [type(holder) for holder in gc.get_referrers(left)] == []
    rows.set_filter("park")  # the blocks kept are found again by the rows' ids
    assert subjects(rows) == ["parking one", "parking two"]

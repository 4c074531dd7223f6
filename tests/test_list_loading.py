"""ListLoading: what the list loads, retries and polls, decided without Textual."""

from __future__ import annotations

import pytest

from inbox_tui.inbox.list_loading import MAX_POLL_BACKOFF, WAITING_NOTICE_AFTER, ListLoading


class Clock:
    def __init__(self) -> None:
        self.now = 100.0

    def __call__(self) -> float:
        return self.now


def test_r_takes_the_new_threads_first_then_retries_a_failure_then_reloads() -> None:
    loading = ListLoading()
    loading.start()
    loading.failed(was_refresh=False)
    assert loading.refresh(new_waiting=3) == "take new"
    generation = loading.generation
    assert loading.refresh(new_waiting=0) == "retry"
    assert loading.generation == generation  # the same list goes on
    assert loading.refresh(new_waiting=0) == "reload"
    assert loading.generation == generation + 1


def test_an_answer_for_a_list_that_was_replaced_is_not_current() -> None:
    loading = ListLoading()
    old = loading.generation
    loading.restart()
    assert not loading.is_current(old) and loading.is_current(loading.generation)
    loading.cancel()
    assert loading.is_retry_pending and not loading.is_loading


def test_only_one_page_is_asked_for_at_a_time_and_none_after_a_failure() -> None:
    loading = ListLoading()
    assert loading.can_load_more(is_connected=True, is_exhausted=False)
    loading.start()
    assert not loading.can_load_more(is_connected=True, is_exhausted=False)
    loading.failed(was_refresh=False)
    assert not loading.can_load_more(is_connected=True, is_exhausted=False)
    assert not ListLoading().can_load_more(is_connected=False, is_exhausted=False)
    assert not ListLoading().can_load_more(is_connected=True, is_exhausted=True)


def test_a_slow_page_keeps_more_rows_loaded_ahead() -> None:
    clock = Clock()
    loading = ListLoading(clock=clock)
    loading.start()
    clock.now += 5
    loading.page_arrived()
    assert loading.prefetch_rows(page_size=100) == 200  # 5 s at 40 rows a second
    assert ListLoading().prefetch_rows(page_size=100) == 100


def test_the_wait_is_said_only_after_a_while() -> None:
    clock = Clock()
    loading = ListLoading(clock=clock)
    loading.start()
    assert loading.waited() is None
    clock.now += WAITING_NOTICE_AFTER + 1
    assert loading.waited() == pytest.approx(WAITING_NOTICE_AFTER + 1)


def test_polls_back_off_while_failing_and_not_behind_a_form() -> None:
    loading = ListLoading()
    delays = [loading.next_poll(60, failed=True) for _ in range(6)]
    assert delays[0] == pytest.approx(120, rel=0.11) and delays[1] == pytest.approx(240, rel=0.11)
    assert max(delays) <= MAX_POLL_BACKOFF * 1.1
    assert loading.next_poll(60) == pytest.approx(60, rel=0.11) and loading.poll_failures == 0
    assert not loading.may_poll(is_in_front=False)
    loading.failed(was_refresh=False)
    assert not loading.may_poll(is_in_front=True)


def test_the_header_names_the_view_and_what_waits() -> None:
    loading = ListLoading(is_checking_cache=True)
    title = loading.title("demo", 1200, "by creation", 3, "r")
    assert title == "demo · 1,200 threads · by creation · cached, checking… · 3 new (r)"
    assert "local cache" in loading.progress(1200, is_exhausted=False)
    loading.list_replaced()
    assert loading.progress(5, is_exhausted=True) == "5 threads: the whole history is loaded."


def test_rows_of_the_head_start_are_not_said_to_come_from_the_cache() -> None:
    """With --no-cache there is none: those rows were fetched while the app started."""
    loading = ListLoading(is_checking_cache=True, is_head_start=True)
    assert loading.title("demo", 100, "by creation", 0, "r") == "demo · 100 threads · by creation · checking…"
    assert loading.progress(100, is_exhausted=False).startswith("100 threads fetched while starting")
    loading.restart()
    loading.is_checking_cache = True  # a later session's cached rows
    assert "from the local cache" in loading.progress(100, is_exhausted=False)

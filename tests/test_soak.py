"""A shortened soak (bench/soak.py runs 2,000 polls): the inbox polling through random faults."""

from __future__ import annotations

from inbox_tui.soak import soak


async def test_polling_through_random_faults_stays_flat_within_budget_and_without_duplicates() -> None:
    report = await soak(300)
    assert report.polls >= 300 and report.faults > 0, report
    assert report.duplicate_rows == 0, report
    assert report.refused_by_limits == 0, report
    assert report.rss_growth_mb < 5, report
    assert report.rows >= 100, report


async def test_polling_the_living_hotel_misses_no_message_and_repeats_none() -> None:
    report = await soak(300, living=True)
    assert report.messages_written > 100, report
    assert report.messages_missed == 0 and report.messages_repeated == 0, report
    assert report.duplicate_rows == 0 and report.refused_by_limits == 0, report
    assert report.rss_growth_mb < 5, report

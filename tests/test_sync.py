"""Sync: the mirror filled, resumed, kept current, killed at random moments, and run from the palette."""

from __future__ import annotations

import json
import os
import random
import signal
import sqlite3
import subprocess
import sys
import time
from datetime import UTC, datetime
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from inbox_tui.__main__ import main
from inbox_tui.inbox.cache_files import cache_databases
from inbox_tui.inbox.thread_cache import ThreadCache
from inbox_tui.simulator.app import Simulator
from tests.conftest import FROZEN_NOW, ServedSimulator, assert_index_in_step, platform_flags

URL = "http://simulator.test"


@pytest.fixture
def own_folders(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """A cache, state and configuration of the test's own."""
    for kind in ("cache", "state", "config"):
        monkeypatch.setenv(f"XDG_{kind.upper()}_HOME", str(tmp_path / kind))


@pytest.mark.usefixtures("own_folders")
def test_sync_mirrors_everything_once_and_a_second_run_asks_for_nothing_new(
    capsys: pytest.CaptureFixture[str],
) -> None:
    served = ServedSimulator(Simulator.seeded(threads=150, seed=9, now=FROZEN_NOW))
    try:
        flags = platform_flags(served)
        assert main([*flags, "sync"]) == 0
        first = len(served.simulator.log)
        threads = served.simulator.store.all_newest_first()
        expected_messages = sum(len(served.simulator.messages.conversation(thread)) for thread in threads)
        assert f"Mirrored {expected_messages:,} messages of 150 threads" in capsys.readouterr().err
        assert main([*flags, "sync"]) == 0
        assert len(served.simulator.log) == first + 1  # resumed: only "what changed since?" asked
        assert "Mirrored 0 messages of 0 threads in 1 request." in capsys.readouterr().err

        served.simulator.clock = lambda: datetime.now(UTC)
        late = served.simulator.messages.add(threads[-1], "A kayak rack by the pier?", datetime.now(UTC))
        assert main([*flags, "sync"]) == 0
        assert "1 thread had changed since the last sync (1 new message)" in capsys.readouterr().err
        assert main([*flags, "search", "kayak", "--json"]) == 0
        assert [hit["MessageId"] for hit in json.loads(capsys.readouterr().out)] == [late.id]

        text = served.simulator.messages.conversation(threads[0])[-1].text.split()[0]
        assert main([*flags, "search", text, "--json", "--limit", "5"]) == 0
        hits = json.loads(capsys.readouterr().out)
        assert hits and set(hits[0]) == {
            "MessageThreadId",
            "Subject",
            "OriginalSender",
            "MessageId",
            "Snippet",
            "CreatedUtc",
        }
        assert main([*flags, "search", "zzzznothing"]) == 1  # as grep
        assert main([*flags, "search", "OR"]) == 2
    finally:
        served.stop()


@pytest.mark.usefixtures("own_folders")
def test_search_says_on_stderr_when_the_mirror_is_not_whole(capsys: pytest.CaptureFixture[str]) -> None:
    from inbox_tui import locations
    from inbox_tui.inbox.rows import CachedThread
    from tests.conftest import DEMO_ACCESS_TOKEN

    served = ServedSimulator(Simulator.seeded(threads=40, seed=3, now=FROZEN_NOW))
    try:
        flags = platform_flags(served)
        main([*flags, "search", "a*", "--json"])
        said = capsys.readouterr()
        assert "the mirror has never been synced: only what the inbox has shown" in said.err
        assert json.loads(said.out) == []  # the results stay what a script reads
        assert main([*flags, "sync"]) == 0
        capsys.readouterr()
        assert main([*flags, "search", "a*", "--json"]) == 0
        assert "the mirror" not in capsys.readouterr().err
        cache = ThreadCache.open(locations.cache_dir(), served.url, DEMO_ACCESS_TOKEN)
        try:  # as the inbox caches a thread it shows, whose conversation no sync has read yet
            cache.save_threads(
                [CachedThread("t-late", "Ann", "Made after the sync", FROZEN_NOW, FROZEN_NOW, None)]
            )
        finally:
            cache.close()
        main([*flags, "search", "a*", "--json"])
        assert "the mirror is partial: 1 thread not synced" in capsys.readouterr().err
    finally:
        served.stop()


KILLS = 10


def test_sync_killed_at_ten_random_moments_ends_with_the_simulators_data_once(tmp_path: Path) -> None:
    """Real processes, `kill -9` while they walk, read and write; the last run finishes the mirror."""
    served = ServedSimulator(Simulator.seeded(threads=1200, seed=5, now=FROZEN_NOW))
    served.simulator.faults.latency = 0.04  # a platform a little slower than loopback
    folders = {f"XDG_{kind}_HOME": str(tmp_path / kind.lower()) for kind in ("CACHE", "STATE", "CONFIG")}
    environment = {**os.environ, **folders}
    command = [sys.executable, "-m", "inbox_tui", *platform_flags(served), "sync"]
    rng = random.Random(17)
    try:
        alone = {**environment, "XDG_CACHE_HOME": str(tmp_path / "uninterrupted")}
        subprocess.run(command, env=alone, check=True, capture_output=True, timeout=120)
        needed = len(served.simulator.log)
        for _ in range(KILLS):
            # Killed after a random number of requests, inside one or between two: mid-work.
            asked_before, wanted = len(served.simulator.log), rng.randint(1, 8)
            process = subprocess.Popen(command, env=environment, stderr=subprocess.DEVNULL)
            while len(served.simulator.log) < asked_before + wanted and process.poll() is None:
                time.sleep(0.002)
            time.sleep(rng.uniform(0, 0.05))
            process.send_signal(signal.SIGKILL)
            assert process.wait() == -signal.SIGKILL, "the sync ended before it was killed"
        finished = subprocess.run(command, env=environment, capture_output=True, text=True, timeout=120)
        assert finished.returncode == 0, finished.stderr
        # Nothing asked twice but, for each kill, the request it cut short, the answer it kept from
        # being written, and the "what changed?" of the next start.
        assert len(served.simulator.log) - needed <= needed + 3 * KILLS
        threads = served.simulator.store.all_newest_first()
        messages = {m.id for thread in threads for m in served.simulator.messages.conversation(thread)}
    finally:
        served.stop()
    (database,) = cache_databases(tmp_path / "cache" / "connector-inbox")
    with sqlite3.connect(database) as connection:
        mirrored_threads = {row[0] for row in connection.execute("SELECT id FROM threads")}
        mirrored_messages = [row[0] for row in connection.execute("SELECT id FROM messages")]
        incomplete = connection.execute("SELECT count(*) FROM conversations WHERE NOT is_complete").fetchone()
        assert_index_in_step(connection)  # each once in the index too
    assert mirrored_threads == {thread.id for thread in threads}
    assert sorted(mirrored_messages) == sorted(messages)
    assert incomplete == (0,)


async def test_the_palette_syncs_the_mirror_while_the_list_stays_usable(tmp_path: Path) -> None:
    from inbox_tui.tui.widgets.thread_list import ThreadList
    from tests.conftest import make_app, settle

    simulator = Simulator.seeded(threads=120, seed=4, now=FROZEN_NOW)
    cache = ThreadCache.open(tmp_path, URL, "token")
    app = make_app(simulator, cache=cache)
    notes: list[str] = []
    async with app.run_test(size=(120, 30)) as pilot:
        await settle(pilot)
        app.watch(app, "sync_note", lambda note: notes.append(note))
        await pilot.press("ctrl+p", *"sync the mirror")
        await pilot.pause(0.2)
        await pilot.press("enter", "down", "down")
        await settle(pilot)
        assert app.screen.query_one(ThreadList).cursor == 2  # keys worked while it ran
        assert "sync: 100% of" in notes[-2] and notes[-1] == "", notes
        assert app.sync_note == ""
        assert any("Mirror synced" in str(n.title) for n in app._notifications)
    reopened = ThreadCache.open(tmp_path, URL, "token")
    with reopened.reading() as connection:
        held = connection.execute("SELECT count(*) FROM messages").fetchone()[0]
    reopened.close()
    assert held == sum(len(simulator.messages.conversation(t)) for t in simulator.store.all_newest_first())


FAULTS = ("500", "503", "429:retry-after=1", "html", "truncated", "wrong-shape", "empty")


@settings(max_examples=12, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    seed=st.integers(min_value=0, max_value=10**6),
    bursts=st.lists(
        st.tuples(st.integers(min_value=0, max_value=12), st.lists(st.sampled_from(FAULTS), max_size=5)),
        max_size=6,
    ),
)
def test_a_sync_through_random_faults_run_again_until_it_ends_holds_everything_once(
    seed: int, bursts: list[tuple[int, list[str]]]
) -> None:
    """Faults in bursts at random requests (a burst longer than the retries stops the run, as a
    kill would); each run goes on from the last, and the mirror ends equal to the simulator."""
    import asyncio
    import tempfile

    from inbox_tui.api.errors import ApiError
    from inbox_tui.api.walk import WalkSettings
    from inbox_tui.inbox.mirror import mirror
    from tests.conftest import make_client

    simulator = Simulator.seeded(threads=60, seed=seed % 1000, now=FROZEN_NOW)
    for gap, burst in bursts:  # `gap` requests served as usual ("slow=0"), then the burst
        simulator.faults.push(*["slow=0"] * gap, *burst)

    async def run(cache: ThreadCache) -> None:
        async with make_client(simulator) as client:
            for _ in range(len(bursts) + 1):
                try:
                    await mirror(client, cache, WalkSettings(page_size=100), lambda progress: None)
                    return
                except ApiError:
                    continue
            simulator.faults.script.clear()
            await mirror(client, cache, WalkSettings(page_size=100), lambda progress: None)

    with tempfile.TemporaryDirectory() as folder:
        cache = ThreadCache.open(Path(folder), URL, "token")
        try:
            asyncio.run(run(cache))
            cache.flush()
            with cache.reading() as connection:
                threads = {row[0] for row in connection.execute("SELECT id FROM threads")}
                messages = [row[0] for row in connection.execute("SELECT id FROM messages")]
                assert_index_in_step(connection)
        finally:
            cache.close()
    expected = simulator.store.all_newest_first()
    assert threads == {thread.id for thread in expected}
    assert sorted(messages) == sorted(m.id for t in expected for m in simulator.messages.conversation(t))


@pytest.mark.usefixtures("own_folders")
def test_search_finds_the_threads_waiting_on_us_once_synced(capsys: pytest.CaptureFixture[str]) -> None:
    from tests.test_triage import waiting_by_the_simulator

    served = ServedSimulator(Simulator.seeded(threads=30, seed=5, now=FROZEN_NOW))
    try:
        flags = platform_flags(served)
        assert main([*flags, "sync"]) == 0
        capsys.readouterr()
        assert main([*flags, "search", "is:waiting", "--json", "--limit", "100"]) == 0
        found = {hit["MessageThreadId"] for hit in json.loads(capsys.readouterr().out)}
        assert found and found == waiting_by_the_simulator(served.simulator)
    finally:
        served.stop()

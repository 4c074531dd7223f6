"""Guest data at rest: every folder the inbox makes is 0700 and every file in it 0600,
whatever the umask, and `cache clear` leaves nothing of it behind."""

from __future__ import annotations

import logging
import os
import re
import stat
from collections.abc import Iterator
from datetime import timedelta
from pathlib import Path

import pytest

from inbox_tui import locations
from inbox_tui.__main__ import main
from inbox_tui.api.models import Message
from inbox_tui.diagnostics import enable_debug_log
from inbox_tui.inbox.cache_files import database_path
from inbox_tui.inbox.rows import CachedThread
from inbox_tui.inbox.search import search
from inbox_tui.inbox.thread_cache import ThreadCache
from inbox_tui.simulator.app import Simulator
from inbox_tui.tui.widgets.conversation_view import ConversationView
from tests.conftest import FROZEN_NOW, assert_index_in_step, make_app, settle

pytestmark = pytest.mark.skipif(os.name != "posix", reason="file modes are POSIX's")

URL = "https://api.mews-demo.com"


@pytest.fixture(autouse=True)
def everyday_umask() -> Iterator[None]:
    """The umask most machines have, under which a plain open() makes files others can read."""
    previous = os.umask(0o022)
    yield
    os.umask(previous)


@pytest.fixture
def data_home(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> Path:
    """XDG folders in the test's own folder, which is itself left readable to all."""
    home = tmp_path / "home"
    home.mkdir(mode=0o755)
    for variable, folder in (
        ("XDG_CACHE_HOME", "cache"),
        ("XDG_STATE_HOME", "state"),
        ("XDG_CONFIG_HOME", "config"),
    ):
        monkeypatch.setenv(variable, str(home / folder))
    for name in list(os.environ):
        if name.startswith("CONNECTOR_INBOX_"):
            monkeypatch.delenv(name)
    return home


def modes_under(folder: Path) -> dict[str, int]:
    """The mode of `folder` and of everything in it, by path relative to its parent."""
    paths = [folder, *folder.rglob("*")]
    return {str(path.relative_to(folder.parent)): stat.S_IMODE(path.stat().st_mode) for path in paths}


def assert_private(folder: Path) -> None:
    modes = modes_under(folder)
    assert len(modes) > 1, f"nothing was written under {folder}"
    wide = {
        path: oct(mode)
        for path, mode in modes.items()
        if mode != (0o700 if (folder.parent / path).is_dir() else 0o600)
    }
    assert wide == {}


async def test_a_session_that_reads_and_drafts_leaves_only_private_files(
    simulator: Simulator, tmp_path: Path
) -> None:
    cache_folder = tmp_path / "cache" / "connector-inbox"
    state_folder = tmp_path / "state" / "connector-inbox"
    cache = ThreadCache.open(cache_folder, URL, "token")
    app = make_app(simulator, state_folder / "draft.json", cache=cache)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        await pilot.press("down")
        await settle(pilot)
        assert app.screen.query_one(ConversationView).display
        await pilot.press("R", *"Half a reply", "escape")
        await settle(pilot)
        cache.flush()
        # SQLite's own -wal and -shm files exist while the database is open.
        assert {path.name[-4:] for path in cache_folder.iterdir()} >= {"-wal", "-shm"}
        assert_private(cache_folder)
    assert (state_folder / "reply-drafts.json").exists()
    assert_private(state_folder)
    assert_private(cache_folder)


def test_a_damaged_database_is_set_aside_privately(tmp_path: Path) -> None:
    folder = tmp_path / "cache"
    locations.private_dir(folder)
    path = database_path(folder, URL, "token")
    path.write_bytes(b"not a database" * 100)
    os.chmod(path, 0o644)
    cache = ThreadCache.open(folder, URL, "token")
    cache.close()
    assert any("set aside" in warning for warning in cache.warnings)
    assert len(list(folder.glob("*.unusable-*"))) == 1
    assert_private(folder)


def test_an_existing_cache_folder_open_to_others_is_tightened_once_with_a_notice(tmp_path: Path) -> None:
    folder = tmp_path / "cache"
    folder.mkdir(mode=0o755)
    first = ThreadCache.open(folder, URL, "token")
    first.close()
    assert [w for w in first.warnings if "readable by other users (drwxr-xr-x)" in w] == first.warnings[:1]
    second = ThreadCache.open(folder, URL, "token")
    second.close()
    assert second.warnings == []
    assert_private(folder)


def test_a_database_left_readable_by_an_earlier_version_is_tightened(tmp_path: Path) -> None:
    ThreadCache.open(tmp_path / "cache", URL, "token").close()
    path = database_path(tmp_path / "cache", URL, "token")
    os.chmod(path, 0o644)
    ThreadCache.open(tmp_path / "cache", URL, "token").close()
    assert stat.S_IMODE(path.stat().st_mode) == 0o600


def test_the_debug_log_and_its_rotations_are_private(tmp_path: Path) -> None:
    path = enable_debug_log(tmp_path / "logs" / "connector-inbox.log")
    logger = logging.getLogger("inbox_tui")
    handler = logger.handlers[-1]
    try:
        logger.debug("a line")
        assert isinstance(handler, logging.handlers.RotatingFileHandler)
        handler.doRollover()
        logger.debug("a line after rotating")
    finally:
        logger.removeHandler(handler)
        handler.close()
    assert path.with_name(f"{path.name}.1").exists()
    assert_private(tmp_path / "logs")


def test_export_creates_its_file_private_and_keeps_the_mode_of_an_existing_one(
    data_home: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    new = tmp_path / "new.jsonl"
    assert main(["export", "--demo", "--limit", "3", "--output", str(new)]) == 0
    assert stat.S_IMODE(new.stat().st_mode) == 0o600
    assert len(new.read_text().splitlines()) == 3
    shared = tmp_path / "shared.jsonl"
    shared.write_text("old")
    os.chmod(shared, 0o644)
    assert main(["export", "--demo", "--limit", "2", "--output", str(shared)]) == 0
    assert stat.S_IMODE(shared.stat().st_mode) == 0o644
    assert len(shared.read_text().splitlines()) == 2
    with pytest.raises(SystemExit):
        main(["export", "--help"])
    assert "0600" in capsys.readouterr().out


def test_cache_clear_names_every_file_it_removes_and_info_shows_a_folder_open_to_others(
    data_home: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    folder = locations.cache_dir()
    cache = ThreadCache.open(folder, URL, "token")
    cache.save_threads([])
    cache.flush()
    aside = folder / f"{database_path(folder, URL, 'token').name}.unusable-20260101-000000"
    aside.write_bytes(b"damaged")
    os.chmod(folder, 0o755)
    assert main(["cache", "info"]) == 0
    assert "readable by other users (drwxr-xr-x)" in capsys.readouterr().out
    database = database_path(folder, URL, "token").name
    written = {database, f"{database}-wal", f"{database}-shm", aside.name}  # while the cache is open
    assert {path.name for path in folder.iterdir()} == {"salt", *written}
    assert main(["cache", "clear"]) == 0
    cache.close()
    said = capsys.readouterr().err
    assert {line.rsplit("/", 1)[-1] for line in said.splitlines()[:-1]} == written
    assert said.splitlines()[-1] == f"Removed 4 cache files from {folder}"
    assert [path.name for path in folder.iterdir()] == ["salt"]


def test_cache_info_writes_nothing_not_even_a_lost_salt(
    data_home: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["cache", "info"]) == 0
    assert capsys.readouterr().out.startswith("No cache yet")
    assert not locations.cache_dir().exists()
    folder = locations.cache_dir()
    ThreadCache.open(folder, URL, "token").close()
    (folder / "salt").unlink()
    assert main(["cache", "info"]) == 0
    assert "(these settings)" not in capsys.readouterr().out
    assert not (folder / "salt").exists()


def test_cache_compact_packs_a_large_sync_and_keeps_its_rows_its_index_and_its_mode(
    data_home: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    folder = locations.cache_dir()
    cache = ThreadCache.open(folder, URL, "token")
    threads = [
        CachedThread(f"t{n:05d}", f"Guest {n}", f"Stay {n}", FROZEN_NOW - timedelta(hours=n), FROZEN_NOW)
        for n in range(1500)
    ]
    cache.save_threads(threads)  # newest first, as the history walk writes them
    for thread in threads:
        cache.add_messages(
            [
                Message(
                    Id=f"{thread.Id}-{k}",
                    MessageThreadId=thread.Id,
                    Text=f"Towels for room {k}, please",
                    Sender={"Discriminator": "Application"},
                    CreatedUtc=thread.CreatedUtc + timedelta(minutes=k),
                )
                for k in range(8)
            ]
        )
    cache.close()
    path = database_path(folder, URL, "token")
    assert main(["cache", "compact"]) == 0
    before, after = (float(size) for size in re.findall(r"([\d.]+) MB", capsys.readouterr().err))
    assert after < before * 0.9
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    reopened = ThreadCache.open(folder, URL, "token")
    try:
        assert reopened.read_threads() == threads
        with reopened.reading() as connection:
            assert_index_in_step(connection)
            assert len(search(connection, "towels", limit=2000)) == 1500
    finally:
        reopened.close()


def test_a_start_tightens_the_folders_of_guest_data_with_a_notice(
    data_home: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    state = locations.state_dir()
    state.mkdir(parents=True, mode=0o755)
    notices = locations.tighten_data_dirs()
    assert notices == [f"{state} was readable by other users (drwxr-xr-x); it is now private to you."]
    assert stat.S_IMODE(state.stat().st_mode) == 0o700
    assert locations.tighten_data_dirs() == []

"""Theme files: shipped ones load, broken ones are reported and skipped, the setting selects."""

from __future__ import annotations

from pathlib import Path

import pytest
from textual.css.stylesheet import Stylesheet

from inbox_tui.simulator.app import Simulator
from inbox_tui.tui.themes import SHIPPED_THEMES, load_theme_files
from tests.conftest import make_app, settle


def test_the_shipped_light_and_dark_themes_have_good_colours() -> None:
    shipped = {(theme.name, theme.dark) for theme in SHIPPED_THEMES}
    assert shipped == {("inbox-dark", True), ("inbox-paper", False)}
    for theme in SHIPPED_THEMES:
        theme.to_color_system().generate()  # raises on a colour Textual cannot parse


def test_a_broken_theme_file_is_reported_and_skipped(tmp_path: Path) -> None:
    (tmp_path / "bad-toml.toml").write_text("name = ")
    (tmp_path / "bad-colour.toml").write_text('name = "x"\nprimary = "not-a-colour"\n')
    (tmp_path / "no-primary.toml").write_text('name = "y"\n')
    (tmp_path / "good.toml").write_text('name = "good"\nprimary = "#123456"\n')
    themes, problems = load_theme_files(tmp_path)
    assert [theme.name for theme in themes] == ["good"]
    assert len(problems) == 3 and all("was skipped" in problem for problem in problems)


async def test_the_theme_setting_selects_a_user_theme(simulator: Simulator, tmp_path: Path) -> None:
    (tmp_path / "harbour.toml").write_text('name = "harbour"\nprimary = "#336699"\n')
    (tmp_path / "broken.toml").write_text("name = [")
    app = make_app(simulator, theme="harbour", user_themes_dir=tmp_path)
    async with app.run_test() as pilot:
        await settle(pilot)
        assert app.theme == "harbour"
        assert any("broken.toml" in str(n.message) for n in app._notifications)


async def test_an_unknown_theme_falls_back_with_a_warning(simulator: Simulator) -> None:
    app = make_app(simulator, theme="no-such-theme")
    async with app.run_test() as pilot:
        await settle(pilot)
        assert app.theme == "inbox-dark"
        assert any("no-such-theme" in str(n.message) for n in app._notifications)


async def test_the_command_palette_offers_the_inbox_commands(simulator: Simulator) -> None:
    app = make_app(simulator)
    async with app.run_test() as pilot:
        await settle(pilot)
        titles = {command.title for command in app.get_system_commands(app.screen)}
        assert {"Refresh", "New thread", "Toggle detail pane", "Theme"} <= titles
        await pilot.press("ctrl+p", *"toggle detail", "enter")
        await settle(pilot)
        assert not app.screen.query_one("#detail").display


async def test_the_palette_shows_its_texts_as_written(simulator: Simulator) -> None:
    from textual.command import CommandList

    app = make_app(simulator, profiles=("default", "[b]night[/b]"), profile="default")
    async with app.run_test(size=(100, 50)) as pilot:
        await settle(pilot)
        await pilot.press("ctrl+p")
        await settle(pilot)
        commands = app.screen.query_one(CommandList)
        shown = [str(commands.get_option_at_index(index).prompt) for index in range(commands.option_count)]
        assert any("with its id for [keys] (also ?)" in text for text in shown)
        assert any("Profile: [b]night[/b]" in text for text in shown)


@pytest.mark.parametrize("page_key", ["pageup", "pagedown"])
async def test_a_page_key_typed_with_ctrl_p_waits_for_the_palette_to_be_laid_out(
    simulator: Simulator, page_key: str
) -> None:
    """Posted at once, as a terminal delivers keys typed in one burst: Textual's list paged by
    lines it had not counted yet (KeyError, the app ended); the keys after it still work."""
    from textual import events
    from textual.command import CommandList

    app = make_app(simulator)
    async with app.run_test() as pilot:
        await settle(pilot)
        for key in ("ctrl+p", "down", page_key):
            app.post_message(events.Key(key, None))
        await settle(pilot)
        assert app.return_code is None
        await pilot.press(page_key)
        assert app.screen.query_one(CommandList).highlighted is not None
        await pilot.press("escape", "q")
    assert app.return_code == 0


async def test_enter_pressed_twice_in_the_palette_runs_its_command_once(simulator: Simulator) -> None:
    """The second `enter` arrives before the first has closed the palette (posted at once, as a
    terminal delivers a double press): it chose the command again and closed a closed palette."""
    from textual import events

    from inbox_tui.tui.screens.new_thread import NewThreadScreen

    app = make_app(simulator)
    async with app.run_test() as pilot:
        await settle(pilot)
        await pilot.press("ctrl+p", *"new thread")
        await settle(pilot)
        for _ in range(2):
            app.post_message(events.Key("enter", None))
        await settle(pilot)
        assert app.return_code is None
        assert [type(screen) for screen in app.screen_stack][1:] == [NewThreadScreen]


async def test_warnings_given_at_start_are_shown_in_the_app(simulator: Simulator) -> None:
    app = make_app(simulator, warnings=["warning: config.toml is readable by other users"])
    async with app.run_test() as pilot:
        await settle(pilot)
        assert any("readable by other users" in str(n.message) for n in app._notifications)


async def test_the_first_theme_is_parsed_once_and_styles_as_a_later_choice_does(
    simulator: Simulator, monkeypatch: pytest.MonkeyPatch
) -> None:
    reparsed: list[Stylesheet] = []
    reparse = Stylesheet.reparse

    def counted_reparse(self: Stylesheet) -> None:
        reparsed.append(self)
        reparse(self)

    monkeypatch.setattr(Stylesheet, "reparse", counted_reparse)
    app = make_app(simulator, theme="inbox-paper")
    async with app.run_test() as pilot:
        await settle(pilot)
        # Set through Textual's watcher, the first theme parsed every stylesheet a second time.
        assert reparsed == []
        first = (app.stylesheet._variables["background"], app.has_class("-light-mode"))
        assert app.has_class("-theme-inbox-paper") and not app.has_class("-dark-mode")
        app.theme = "inbox-dark"
        await settle(pilot)
        app.theme = "inbox-paper"
        await settle(pilot)
        assert (app.stylesheet._variables["background"], app.has_class("-light-mode")) == first

"""Theme files: `*.toml` with the fields of `textual.theme.Theme`.

The shipped themes and any in the user's themes folder are registered beside
Textual's built-in ones. A broken file is reported and skipped, never fatal.
"""

from __future__ import annotations

import tomllib
from collections.abc import Iterable
from pathlib import Path

from textual.color import ColorParseError
from textual.theme import Theme

PACKAGE_DIR = Path(__file__).resolve().parent.parent


def shipped_themes_dir() -> Path:
    """`inbox_tui/themes` in a wheel; the repository's `themes/` when run from source."""
    installed = PACKAGE_DIR / "themes"
    return installed if installed.is_dir() else PACKAGE_DIR.parent / "themes"


def theme_names(folders: Iterable[Path]) -> set[str]:
    """Every theme name there is: Textual's and those the theme files in `folders` give."""
    from textual.theme import BUILTIN_THEMES

    names = set(BUILTIN_THEMES)
    for folder in folders:
        for path in sorted(folder.glob("*.toml")) if folder.is_dir() else ():
            try:
                names.add(str(tomllib.loads(path.read_text(encoding="utf-8"))["name"]))
            except (OSError, ValueError, KeyError):
                continue  # the app says what is wrong with the file
    return names


def load_theme_files(folders: Iterable[Path]) -> tuple[list[Theme], list[str]]:
    """Themes read from every `*.toml` in `folders`, and one problem line per bad file."""
    themes: list[Theme] = []
    problems: list[str] = []
    for folder in folders:
        if not folder.is_dir():
            continue
        for path in sorted(folder.glob("*.toml")):
            try:
                data = tomllib.loads(path.read_text(encoding="utf-8"))
                theme = Theme(**data)
                theme.to_color_system().generate()  # bad colours fail here, not mid-session
            except (OSError, ValueError, TypeError, ColorParseError) as exc:
                problems.append(f"Theme file {path} was skipped: {exc}")
                continue
            themes.append(theme)
    return themes, problems

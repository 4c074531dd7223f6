"""The inbox's own themes, and the user's theme files (`*.toml` with the fields of
`textual.theme.Theme`), registered beside Textual's built-in ones.

The shipped themes are written here rather than read from files: every start would
otherwise import `tomllib`, read, parse and check them before the first frame. A broken
user file is reported and skipped, never fatal.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from textual.color import ColorParseError
from textual.theme import Theme

SHIPPED_THEMES = (
    # A calm dark theme for long reading: warm off-white text on deep slate, one amber
    # accent for the highlight, muted green for resolved threads.
    Theme(
        name="inbox-dark",
        dark=True,
        primary="#7aa2c8",
        secondary="#8fb3a0",
        accent="#e0b15c",
        foreground="#dcd7cc",
        background="#1b1f24",
        surface="#22272e",
        panel="#2b323b",
        success="#8fbf7f",
        warning="#e0b15c",
        error="#e07a6e",
        variables={
            "block-cursor-background": "#3a4656",
            "block-cursor-foreground": "#f3efe6",
            "footer-key-foreground": "#e0b15c",
        },
    ),
    # A light theme like good paper: ink-dark text on a warm cream page, low-glare panels
    # and a deep blue highlight.
    Theme(
        name="inbox-paper",
        dark=False,
        primary="#2f5d8a",
        secondary="#5b7a5a",
        accent="#9a5b13",
        foreground="#2a2623",
        background="#f6f1e7",
        surface="#efe8da",
        panel="#e6ddcb",
        success="#3f7a3a",
        warning="#9a5b13",
        error="#a83a2c",
        variables={
            "block-cursor-background": "#cddcec",
            "block-cursor-foreground": "#1d1a17",
            "footer-key-foreground": "#2f5d8a",
        },
    ),
)


def theme_names(user_themes_dir: Path) -> set[str]:
    """Every theme name there is: Textual's, the inbox's and those the user's files give."""
    from textual.theme import BUILTIN_THEMES

    names = {*BUILTIN_THEMES, *(theme.name for theme in SHIPPED_THEMES)}
    for path in _theme_files(user_themes_dir):
        try:
            names.add(str(_read(path)["name"]))
        except (OSError, ValueError, KeyError):
            continue  # the app says what is wrong with the file
    return names


def load_theme_files(folder: Path) -> tuple[list[Theme], list[str]]:
    """Themes read from every `*.toml` in `folder`, and one problem line per bad file."""
    themes: list[Theme] = []
    problems: list[str] = []
    for path in _theme_files(folder):
        try:
            theme = Theme(**_read(path))
            theme.to_color_system().generate()  # bad colours fail here, not mid-session
        except (OSError, ValueError, TypeError, ColorParseError) as exc:
            problems.append(f"Theme file {path} was skipped: {exc}")
            continue
        themes.append(theme)
    return themes, problems


def _theme_files(folder: Path) -> list[Path]:
    return sorted(folder.glob("*.toml")) if folder.is_dir() else []


def _read(path: Path) -> dict[str, Any]:
    import tomllib  # only where the user has theme files

    return tomllib.loads(path.read_text(encoding="utf-8"))

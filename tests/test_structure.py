"""The layering docs/architecture.md promises, checked in fresh interpreters and in the sources."""

from __future__ import annotations

import ast
import subprocess
import sys
from pathlib import Path

import pytest

from inbox_tui.cli import COMMANDS

PACKAGE = Path(__file__).resolve().parent.parent / "inbox_tui"


def modules_after(code: str) -> set[str]:
    result = subprocess.run(
        [sys.executable, "-c", f"{code}\nimport sys\nprint(' '.join(sys.modules))"],
        capture_output=True,
        text=True,
        check=True,
    )
    return set(result.stdout.split())


def test_nothing_of_the_simulator_starlette_or_uvicorn_is_loaded_outside_demo_mode() -> None:
    loaded = modules_after(
        "from inbox_tui.api.pager import ThreadPager\n"
        "from inbox_tui.cli.session import connect, walk_settings\n"
        "from inbox_tui.settings.model import load_settings\n"
        "import inbox_tui.tui.app, inbox_tui.export, inbox_tui.cli\n"
        "settings = load_settings(platform_url='https://api.mews.com', client_token='a', access_token='b')\n"
        "ThreadPager(connect(settings), walk_settings(settings))"
    )
    assert not {name for name in loaded if name.split(".")[0] in ("starlette", "uvicorn")}
    assert "inbox_tui.simulator" not in loaded


@pytest.mark.parametrize(
    ("module", "forbidden"),
    [
        ("inbox_tui.simulator.app", "inbox_tui.api"),
        ("inbox_tui.api.pager", "textual"),
        ("inbox_tui.api.creation", "textual"),
        ("inbox_tui.export", "textual"),
    ],
)
def test_layers_only_import_downwards(module: str, forbidden: str) -> None:
    loaded = modules_after(f"import {module}")
    assert not {name for name in loaded if name == forbidden or name.startswith(forbidden + ".")}


def imported_modules(path: Path) -> set[str]:
    """Every module `path` imports, at the top or inside a function, by `import` or `from`."""
    names: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text())):
        if isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            names.add(node.module)
    return names


def imports_of(part: str) -> dict[str, set[str]]:
    return {str(path.relative_to(PACKAGE)): imported_modules(path) for path in (PACKAGE / part).rglob("*.py")}


def test_imported_modules_sees_every_spelling_of_an_import(tmp_path: Path) -> None:
    module = tmp_path / "m.py"
    module.write_text("import httpx.x\nfrom httpx import Client\ndef f():\n    from textual.app import App\n")
    assert imported_modules(module) == {"httpx.x", "httpx", "textual.app"}


@pytest.mark.parametrize(
    ("part", "forbidden"),
    [
        ("tui", ("httpx", "inbox_tui.simulator", "inbox_tui.cli")),
        ("inbox", ("textual", "inbox_tui.tui", "inbox_tui.cli", "inbox_tui.simulator")),
        ("api", ("textual", "inbox_tui.inbox", "inbox_tui.tui", "inbox_tui.cli", "inbox_tui.simulator")),
        ("simulator", ("inbox_tui.api", "inbox_tui.inbox", "inbox_tui.tui", "inbox_tui.cli")),
    ],
)
def test_no_part_imports_what_the_architecture_forbids(part: str, forbidden: tuple[str, ...]) -> None:
    offenders = {
        module: sorted(
            name for name in names if name.split(".")[0] in forbidden or name.startswith(forbidden)
        )
        for module, names in imports_of(part).items()
    }
    assert {module: names for module, names in offenders.items() if names} == {}


MODULE_LINES = 300


def test_no_module_is_longer_than_about_300_lines() -> None:
    lengths = {
        str(path.relative_to(PACKAGE)): len(path.read_text().splitlines()) for path in PACKAGE.rglob("*.py")
    }
    assert {module: lines for module, lines in lengths.items() if lines > MODULE_LINES} == {}


def test_httpx_is_loaded_without_its_command_line_client() -> None:
    loaded = modules_after("import inbox_tui.api.client, httpx\nassert callable(httpx.main)")
    assert "httpx" in loaded
    assert not {name for name in loaded if name.split(".")[0] in ("click", "pygments")}


def test_screens_and_widgets_reach_the_app_through_its_services_not_its_module() -> None:
    from pathlib import Path

    tui = Path(__file__).resolve().parent.parent / "inbox_tui" / "tui"
    parts = [*tui.joinpath("screens").glob("*.py"), *tui.joinpath("widgets").glob("*.py")]
    assert [path.name for path in parts if "inbox_tui.tui.app" in path.read_text()] == []


def test_the_conversation_core_has_no_textual_in_it() -> None:
    loaded = modules_after("import inbox_tui.inbox.conversations, inbox_tui.api.replies")
    assert not {name for name in loaded if name.split(".")[0] == "textual"}


def test_the_first_frame_needs_neither_pydantic_nor_httpx_nor_the_simulator() -> None:
    loaded = modules_after(
        "import inbox_tui.tui.app, inbox_tui.settings.sources, inbox_tui.inbox.thread_cache, "
        "inbox_tui.api.tls, inbox_tui.cli.inbox, inbox_tui.inbox.thread_feed"
    )
    stack = ("pydantic", "pydantic_settings", "httpx", "starlette", "uvicorn", "tenacity")
    assert not {name for name in loaded if name.split(".")[0] in stack and name != "httpx._main"}
    assert "inbox_tui.settings.model" not in loaded and "inbox_tui.api.client" not in loaded
    # The walks over the history, and the API filters, are made once connected.
    assert not {"inbox_tui.api.walk", "inbox_tui.inbox.views", "inbox_tui.inbox.api_filters"} & loaded


def test_the_first_frame_loads_no_part_made_on_first_use() -> None:
    loaded = modules_after("import inbox_tui.cli, inbox_tui.tui.app")
    made_on_first_use = {
        "textual.widgets._text_area",  # the reply box and the API filter form, about 13 ms
        "inbox_tui.tui.screens.new_thread",
        "inbox_tui.tui.screens.help",
        "inbox_tui.tui.screens.confirm",
        "inbox_tui.tui.notifications",  # the notifier is made with the connection
    }
    assert not made_on_first_use & loaded


def test_the_inbox_loads_no_other_command() -> None:
    """The parser gives a command its arguments only when it is parsed: the 13 other modules
    (and the JSON, shlex and progress they bring) would cost every start about 5 ms."""
    loaded = modules_after("from inbox_tui.cli import build_parser; build_parser().parse_args(['--demo'])")
    commands = {f"inbox_tui.cli.{module}" for module, _ in COMMANDS.values()}
    assert not commands & loaded
    loaded = modules_after("from inbox_tui.cli import build_parser; build_parser().parse_args(['export'])")
    assert commands & loaded == {"inbox_tui.cli.export"}


def test_what_a_demo_start_paints_from_needs_no_toml_pydantic_or_httpx() -> None:
    """Before the first frame: the app, the settings without a config file, the theme names
    without theme files of the user's (each costs milliseconds of every start)."""
    loaded = modules_after(
        "from pathlib import Path\n"
        "import inbox_tui.tui.app\n"
        "from inbox_tui.settings.sources import read_config\n"
        "from inbox_tui.tui.themes import theme_names\n"
        "read_config(Path('/nonexistent/config.toml'))\n"
        "theme_names(Path('/nonexistent/themes'))"
    )
    packages = {name.split(".")[0] for name in loaded - {"httpx._main"}}  # `inbox_tui.api`'s placeholder
    assert not packages & {"tomllib", "pydantic", "httpx"}

"""The layering DESIGN.md promises, checked in fresh interpreters."""

from __future__ import annotations

import subprocess
import sys

import pytest


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
        "from inbox_tui.__main__ import connect, make_pager\n"
        "from inbox_tui.config import load_settings\n"
        "import inbox_tui.tui.app, inbox_tui.export\n"
        "settings = load_settings(platform_url='https://api.mews.com', client_token='a', access_token='b')\n"
        "make_pager(connect(settings), settings)"
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


def test_the_tui_never_imports_httpx_itself() -> None:
    from pathlib import Path

    tui = Path(__file__).resolve().parent.parent / "inbox_tui" / "tui"
    offenders = [path.name for path in tui.rglob("*.py") if "import httpx" in path.read_text()]
    assert offenders == []


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
        "import inbox_tui.tui.app, inbox_tui.first_frame, inbox_tui.inbox.thread_cache, inbox_tui.api.tls"
    )
    stack = ("pydantic", "pydantic_settings", "httpx", "starlette", "uvicorn", "tenacity")
    assert not {name for name in loaded if name.split(".")[0] in stack and name != "httpx._main"}
    assert "inbox_tui.config" not in loaded and "inbox_tui.api.client" not in loaded

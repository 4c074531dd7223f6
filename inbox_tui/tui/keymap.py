"""`[keys]` in config.toml: any action rebound by its binding id, through Textual's keymap.

    [keys]
    refresh = "f5"
    new_thread = "ctrl+n,n"

An id that names no binding, or a key given twice, is a warning in the app, never
a crash; the rest of the keymap still applies.
"""

from __future__ import annotations

import difflib
from collections.abc import Mapping

from textual.binding import Binding

from inbox_tui.tui.late_bindings import API_FILTER_BINDINGS, REPLY_BOX_BINDINGS
from inbox_tui.tui.screens.help import HelpScreen
from inbox_tui.tui.screens.main import MainScreen
from inbox_tui.tui.screens.new_thread import NewThreadScreen
from inbox_tui.tui.widgets.thread_detail import ThreadDetail
from inbox_tui.tui.widgets.thread_list import ThreadList


def binding_descriptions() -> dict[str, str]:
    """Every binding id the inbox has, with what the binding does."""
    bindings: list[Binding] = [
        binding
        for owner_bindings in (
            MainScreen.BINDINGS,
            ThreadList.BINDINGS,
            ThreadDetail.BINDINGS,
            NewThreadScreen.BINDINGS,
            HelpScreen.BINDINGS,
            REPLY_BOX_BINDINGS,
            API_FILTER_BINDINGS,
        )
        for binding in owner_bindings
        if isinstance(binding, Binding)
    ]
    return {binding.id: binding.description for binding in bindings if binding.id}


def checked_keymap(keys: Mapping[str, str]) -> tuple[dict[str, str], list[str]]:
    """The usable part of `keys`, and a warning for each entry that cannot be used."""
    known = binding_descriptions()
    keymap: dict[str, str] = {}
    warnings: list[str] = []
    taken: dict[str, str] = {}
    for binding_id, key_text in keys.items():
        if binding_id not in known:
            close = difflib.get_close_matches(binding_id, known, n=1)
            hint = f" Did you mean {close[0]!r}?" if close else ""
            warnings.append(
                f"[keys]: {binding_id!r} is not a binding id.{hint} Ids are listed in the help (?)."
            )
            continue
        keys_given = [key.strip() for key in str(key_text).split(",") if key.strip()]
        if not keys_given:
            warnings.append(f"[keys]: {binding_id!r} is given no key; it keeps its own.")
            continue
        for key in keys_given:
            if key in taken:
                warnings.append(f"[keys]: {key!r} is given to both {taken[key]!r} and {binding_id!r}.")
            taken[key] = binding_id
        keymap[binding_id] = ",".join(keys_given)
    return keymap, warnings

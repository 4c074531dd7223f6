"""`[keys]` in config.toml: any action rebound by its binding id, through Textual's keymap.

    [keys]
    refresh = "f5"
    new_thread = "ctrl+n,n"

An id that names no binding, a key given twice, or a key that another binding of
the same place already has, is a warning in the app naming both, never a crash;
the rest of the keymap still applies. Hints in the app name the keys as rebound.
"""

from __future__ import annotations

from collections.abc import Mapping

from textual.binding import Binding

from inbox_tui.tui.late_bindings import (
    API_FILTER_BINDINGS,
    HELP_BINDINGS,
    NEW_THREAD_BINDINGS,
    REPLY_BOX_BINDINGS,
)
from inbox_tui.tui.screens.main import MainScreen
from inbox_tui.tui.widgets.thread_detail import ThreadDetail
from inbox_tui.tui.widgets.thread_list import ThreadList

PLACES: dict[str, tuple[list[Binding], ...]] = {
    # Bindings that are active together: a key given to one of them may land on another.
    "the inbox": (MainScreen.BINDINGS, ThreadList.BINDINGS, ThreadDetail.BINDINGS),  # type: ignore[dict-item]
    "the reply box": (REPLY_BOX_BINDINGS,),
    "the new-thread form": (NEW_THREAD_BINDINGS,),
    "the help": (HELP_BINDINGS,),
    "the filter form": (API_FILTER_BINDINGS,),
}


def _bindings(place: str) -> list[Binding]:
    return [binding for owner in PLACES[place] for binding in owner if isinstance(binding, Binding)]


def keys_in_force(keymap: Mapping[str, str]) -> dict[str, list[str]]:
    """Every binding id with the keys that reach it once `keymap` (checked) is applied: what
    hints name. A key rebound to a binding is taken from the others of its set, as Textual
    does (`_landings` warns of it): with `filter = "R"`, Reply has no key left in the list."""
    in_force: dict[str, list[str]] = {}
    for owners in PLACES.values():
        for owner in owners:
            named = {binding.id: binding for binding in owner if isinstance(binding, Binding) and binding.id}
            given = {key for binding_id in named for key in keymap.get(binding_id, "").split(",")}
            for binding_id, binding in named.items():
                own = [key for key in binding.key.split(",") if key not in given]
                in_force[binding_id] = keymap[binding_id].split(",") if binding_id in keymap else own
    return in_force


def binding_descriptions() -> dict[str, str]:
    """Every binding id the inbox has, with what the binding does."""
    return {binding.id: binding.description for place in PLACES for binding in _bindings(place) if binding.id}


def checked_keymap(keys: Mapping[str, str]) -> tuple[dict[str, str], list[str]]:
    """The usable part of `keys`, and a warning for each entry that cannot be used."""
    known = binding_descriptions()
    keymap: dict[str, str] = {}
    warnings: list[str] = []
    taken: dict[str, str] = {}
    for binding_id, key_text in keys.items():
        if binding_id not in known:
            import difflib  # only for a misspelled id

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
        kept = []
        for key in keys_given:
            if key in taken:
                warnings.append(
                    f"[keys]: {key!r} is given to both {taken[key]!r} and {binding_id!r}; "
                    f"{taken[key]!r} keeps it."
                )
                continue
            taken[key] = binding_id
            kept.append(key)
        if kept:
            keymap[binding_id] = ",".join(kept)
    return keymap, warnings + _landings(keymap, known)


def _landings(keymap: Mapping[str, str], known: Mapping[str, str]) -> list[str]:
    """A rebound key that another binding of the same place has as its own: it changes hands."""
    warnings = []
    for place, owners in PLACES.items():
        owner_of = {
            binding.id: owner for owner in owners for binding in owner if isinstance(binding, Binding)
        }
        bindings = _bindings(place)
        for binding in bindings:
            if binding.id not in keymap:
                continue
            for key in set(keymap[binding.id].split(",")) - set(binding.key.split(",")):
                for other in bindings:
                    if other.id == binding.id or key not in keymap.get(other.id or "", other.key).split(","):
                        continue
                    # Textual gives a rebound key to the keymap within one set of bindings;
                    # across sets, the part that has the focus asks first.
                    outcome = (
                        f"{binding.id!r} takes it"
                        if owner_of[other.id] == owner_of[binding.id]
                        else "both keep it, and the part that has the focus comes first"
                    )
                    warnings.append(
                        f"[keys]: {key!r}, given to {binding.id!r} ({known[binding.id]}), is the key of "
                        f"{other.id!r} ({other.description}) in {place}: {outcome}."
                    )
    return warnings

"""`connector-inbox configure`: settings written into config.toml, 0600 and atomically."""

from __future__ import annotations

import json
import os
import tomllib
from pathlib import Path
from typing import Any

from inbox_tui import locations
from inbox_tui.settings.model import load_settings
from inbox_tui.settings.sources import ConfigError


def save_config(values: dict[str, Any], path: Path | None = None, profile: str | None = None) -> Path:
    """Merge `values` into config.toml (or its `[profiles.NAME]` table), written 0600 and
    atomically, after checking that the result loads."""
    path = path or locations.config_file()
    current: dict[str, Any] = {}
    if path.is_file():
        try:
            current = tomllib.loads(path.read_text(encoding="utf-8"))
        except (OSError, ValueError) as exc:
            raise ConfigError(f"Cannot read {path}: {exc}") from None
    if profile is None:
        merged = {**current, **values}
    else:
        profiles = dict(current.get("profiles", {}))
        profiles[profile] = {**profiles.get(profile, {}), **values}
        merged = {**current, "profiles": profiles}
    path.parent.mkdir(parents=True, exist_ok=True)
    draft = path.with_name(f".{path.name}.new")
    fd = os.open(draft, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(fd, "w", encoding="utf-8") as file:
        file.write(_toml_document(merged))
    try:
        load_settings(draft, profile=profile)
    except ConfigError:
        draft.unlink()
        raise
    os.replace(draft, path)
    return path


def _toml_document(data: dict[str, Any], table: str = "") -> str:
    """Scalars first, then each table under its header: the TOML this file needs."""
    lines = [f"{key} = {_toml_value(value)}\n" for key, value in data.items() if not isinstance(value, dict)]
    for key, value in data.items():
        if isinstance(value, dict):
            name = f"{table}.{_toml_key(key)}" if table else _toml_key(key)
            scalars = any(not isinstance(item, dict) for item in value.values())
            lines.append((f"\n[{name}]\n" if scalars or not value else "") + _toml_document(value, name))
    return "".join(lines)


def _toml_key(key: str) -> str:
    return key if key.replace("-", "").replace("_", "").isalnum() else json.dumps(key)


def _toml_value(value: Any) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int | float):
        return str(value)
    # A JSON string with ASCII escapes is a valid TOML basic string.
    return json.dumps(str(value))

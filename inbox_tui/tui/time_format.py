"""How times read in the inbox: short ages in the list, local and UTC in the detail."""

from __future__ import annotations

from datetime import datetime

_STEPS = ((60, "s"), (60, "m"), (24, "h"), (7, "d"))


def relative_age(moment: datetime, now: datetime) -> str:
    """A compact age such as `now`, `5m`, `3h`, `2d`, `6w`, `4mo`, `2y`."""
    seconds = int((now - moment).total_seconds())
    if seconds < 60:
        return "now"
    value = seconds
    for size, unit in _STEPS:
        if value < size:
            return f"{value}{unit}"
        value //= size
    days = seconds // 86400
    if days < 60:
        return f"{days // 7}w"
    if days < 365:
        return f"{days // 30}mo"
    return f"{days // 365}y"


def local_and_utc(moment: datetime) -> str:
    """Local time for staff, UTC for integrators; once when the two are the same."""
    local = moment.astimezone()
    utc = f"{moment:%Y-%m-%d %H:%M:%S} UTC"
    if local.utcoffset() == moment.utcoffset():
        return utc
    return f"{local:%Y-%m-%d %H:%M:%S %Z} · {utc}"

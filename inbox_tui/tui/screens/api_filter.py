"""ApiFilterScreen: the API's own filters, typed as dates, ages or pasted Ids.

Nothing is sent until every field reads; each wrong one says why, in place.
"""

from __future__ import annotations

from datetime import datetime, time

from textual import on
from textual.app import ComposeResult
from textual.containers import Horizontal, Vertical
from textual.screen import ModalScreen
from textual.widgets import Button, Input, Label, Static, TextArea

from inbox_tui.inbox.api_filters import LAST_MOMENT_OF_A_DAY, ApiFilter, parse_moment, parse_thread_ids
from inbox_tui.tui.inbox_services import InboxServices
from inbox_tui.tui.late_bindings import API_FILTER_BINDINGS
from inbox_tui.tui.widgets.key_bar import KeyBar
from inbox_tui.tui.widgets.text_line import TextLine

LAST_MOMENT = (datetime.min + LAST_MOMENT_OF_A_DAY).time()
RANGES = (
    ("created", "CreatedUtc", "Created"),
    ("updated", "UpdatedUtc", "Updated"),
)


class ApiFilterScreen(ModalScreen[ApiFilter | None]):
    CSS_PATH = "forms.tcss"
    BINDINGS = API_FILTER_BINDINGS
    AUTO_FOCUS = "#created-from"

    app: InboxServices

    def compose(self) -> ComposeResult:
        # Opened again, the form shows the filter in force.
        in_force = self.app.api_filter or ApiFilter()
        with Vertical(id="form"):
            yield Static("API filters", id="form-title")
            for name, by, label in RANGES:
                yield Label(
                    f"{label} between (2026-11-01, or an age: 12h, 7d, 2w, 3m, 1y)",
                    classes="field-label",
                )
                start, end = (in_force.start, in_force.end) if in_force.by == by else (None, None)
                with Horizontal(classes="range"):
                    yield Input(_day(start), placeholder="from", id=f"{name}-from")
                    yield Input(_day(end), placeholder="to (default: now)", id=f"{name}-to")
                yield TextLine(id=f"{name}-error", classes="field-error")
            yield Label("or these thread Ids (spaces, commas or lines between them)", classes="field-label")
            yield TextArea(
                "\n".join(in_force.thread_ids), id="thread-ids", soft_wrap=True, tab_behavior="focus"
            )
            yield TextLine(id="ids-error", classes="field-error")
            yield TextLine(id="form-error")
            with Horizontal(id="form-buttons"):
                yield Button("Apply  ctrl+s", variant="primary", id="apply")
                yield Button("Cancel  esc", id="cancel")
        yield KeyBar(id="key-bar")

    def _say(self, field: str, text: str) -> None:
        self.query_one(f"#{field}-error", TextLine).say(text)

    @on(Input.Submitted)
    @on(Button.Pressed, "#apply")
    def action_apply(self) -> None:
        api_filter = self._read()
        if api_filter is not None:
            self.dismiss(api_filter)

    def _read(self) -> ApiFilter | None:
        now = self.app.now()
        chosen: list[ApiFilter] = []
        is_valid = True
        for name, by, label in RANGES:
            start_text = self.query_one(f"#{name}-from", Input).value
            end_text = self.query_one(f"#{name}-to", Input).value
            self._say(name, "")
            if not (start_text.strip() or end_text.strip()):
                continue
            try:
                start = parse_moment(start_text, now) if start_text.strip() else None
                end = parse_moment(end_text, now, is_end=True) if end_text.strip() else None
            except ValueError as exc:
                self._say(name, f"{label}: {exc}.")
                is_valid = False
                continue
            if start is not None and end is not None and start >= end:
                self._say(name, f"{label}: the start must come before the end.")
                is_valid = False
                continue
            chosen.append(ApiFilter(by=by, start=start, end=end))  # type: ignore[arg-type]
        self._say("ids", "")
        ids_text = self.query_one("#thread-ids", TextArea).text
        if ids_text.strip():
            try:
                chosen.append(ApiFilter(thread_ids=tuple(parse_thread_ids(ids_text))))
            except ValueError as exc:
                self._say("ids", f"Ids: {exc}.")
                is_valid = False
        error = self.query_one("#form-error", TextLine)
        if not is_valid:
            error.say("Nothing was sent: correct the fields above.", is_error=True)
            return None
        if len(chosen) != 1:
            error.say(
                "Give one filter: a created range, an updated range or thread Ids."
                if chosen
                else "Give a range or thread Ids, or press escape.",
                is_error=True,
            )
            return None
        return chosen[0]

    @on(Button.Pressed, "#cancel")
    def action_cancel(self) -> None:
        self.dismiss(None)


def _day(moment: datetime | None) -> str:
    """A range's end as it was typed: a whole day reads as its date."""
    if moment is None:
        return ""
    return f"{moment:%Y-%m-%d}" if moment.time() in (time.min, LAST_MOMENT) else f"{moment:%Y-%m-%dT%H:%M}"

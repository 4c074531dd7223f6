"""NewThreadScreen: the modal form that opens a thread, and never loses what was typed.

The draft is saved on escape and on every failure, and offered back on the next
`n`. While a send is in flight the form cannot be sent again or closed: the
answer decides whether the thread exists, and guessing is how duplicates happen.
"""

from __future__ import annotations

from textual import on, work
from textual.app import ComposeResult
from textual.containers import Horizontal, Vertical
from textual.screen import ModalScreen
from textual.widgets import Button, Input, Label, LoadingIndicator, Static

from inbox_tui.api.errors import ApiError
from inbox_tui.api.once import is_ambiguous
from inbox_tui.safe_text import printable
from inbox_tui.tui.drafts import Draft
from inbox_tui.tui.handed_over import SentThread
from inbox_tui.tui.inbox_services import InboxServices
from inbox_tui.tui.late_bindings import NEW_THREAD_BINDINGS
from inbox_tui.tui.widgets.key_bar import KeyBar
from inbox_tui.tui.widgets.text_line import TextLine

FIELDS = (
    ("sender", "Sender", "Guest name, as the sender of the first message"),
    ("subject", "Subject", "What the thread is about"),
)


class NewThreadScreen(ModalScreen["MessageThread | None"]):
    CSS_PATH = "forms.tcss"
    BINDINGS = NEW_THREAD_BINDINGS

    app: InboxServices

    def __init__(self, draft: Draft) -> None:
        super().__init__()
        self._is_sending = False
        self._initial = draft
        # Everything the form starts with is decided here and in compose, not in
        # on_mount: a screen pushed while the app is quitting may never get its children.
        self.AUTO_FOCUS = "#subject" if draft.sender.strip() else "#sender"

    def compose(self) -> ComposeResult:
        values = {"sender": self._initial.sender, "subject": self._initial.subject}
        with Vertical(id="form"):
            yield Static("New thread", id="form-title")
            for name, label, placeholder in FIELDS:
                yield Label(label, classes="field-label")
                yield Input(values[name], placeholder=placeholder, id=name)
                yield TextLine(id=f"{name}-error", classes="field-error")
            with Horizontal(id="form-progress"):
                yield LoadingIndicator()
                yield Static("Sending…", id="sending-label")
            yield TextLine("" if self._initial.is_empty else "Your unsent draft is back.", id="form-error")
            with Horizontal(id="form-buttons"):
                yield Button("Send  ctrl+s", variant="primary", id="send")
                yield Button("Cancel  esc", id="cancel")
        # Its own footer: the main screen's, still visible below, lists keys that do nothing here.
        yield KeyBar(id="key-bar")

    def _value(self, name: str) -> str:
        return self.query_one(f"#{name}", Input).value

    def _draft(self) -> Draft:
        return Draft(sender=self._value("sender"), subject=self._value("subject"))

    @on(Input.Changed)
    def _keep_draft(self, event: Input.Changed) -> None:
        # Written on every change, so that even a killed terminal loses nothing.
        self.app.drafts.save(self._draft())
        if event.value.strip() and event.input.id is not None:
            # "Sender is required." is answered by typing one: it goes as the field fills.
            self.query_one(f"#{event.input.id}-error", TextLine).say("")
            event.input.remove_class("-invalid")

    @on(Input.Submitted, "#sender")
    def _next_field(self) -> None:
        self.query_one("#subject", Input).focus()

    @on(Input.Submitted, "#subject")
    @on(Button.Pressed, "#send")
    def action_submit(self) -> None:
        if self._is_sending:
            return
        missing = []
        for name, label, _ in FIELDS:
            is_missing = not self._value(name).strip()
            self.query_one(f"#{name}-error", TextLine).say(f"{label} is required." if is_missing else "")
            self.query_one(f"#{name}", Input).set_class(is_missing, "-invalid")
            if is_missing:
                missing.append(name)
        if missing:
            self.query_one(f"#{missing[0]}", Input).focus()
            return
        sender, subject = self._value("sender").strip(), self._value("subject").strip()
        self._set_sending(True)
        # Recorded before it leaves: an inbox closed meanwhile looks for the thread at its
        # next start instead of offering the draft back to send again.
        self.app.handed_over.thread_sent(SentThread(sender, subject, self.app.now()))
        self.app.drafts.clear()
        self._send(sender, subject)

    @work(group="send")
    async def _send(self, sender: str, subject: str) -> None:
        with self.app.sending():
            await self._send_now(sender, subject)

    async def _send_now(self, sender: str, subject: str) -> None:
        try:
            thread = await self.app.creator.create(sender, subject)
        except ApiError as error:
            self._set_sending(False)
            self.app.drafts.save(self._draft())
            if not is_ambiguous(error):
                self.app.handed_over.thread_answered()
            if is_ambiguous(error):
                advice = (
                    "It may have been created: sending again checks for it first, "
                    "so it will not be duplicated."
                )
            else:
                advice = "Nothing was created; your text is kept."
            self._show_form_error(f"{error} {advice}")
            self.app.report_error(error, "The thread was not sent")
            return
        self.app.drafts.clear()
        self.app.handed_over.thread_answered()
        self.dismiss(thread)

    def _set_sending(self, is_sending: bool) -> None:
        self._is_sending = is_sending
        self.set_class(is_sending, "-sending")
        for widget in self.query("Input, Button"):
            widget.disabled = is_sending
        if is_sending:
            self._show_form_error("")
        else:
            self.query_one("#subject", Input).focus()

    def _show_form_error(self, message: str) -> None:
        self.query_one("#form-error", TextLine).say(printable(message), is_error=True)

    @on(Button.Pressed, "#cancel")
    def action_cancel(self) -> None:
        if self._is_sending:
            self.notify("Waiting for the platform's answer before closing.", timeout=3)
            return
        self.app.drafts.save(self._draft())
        self.dismiss(None)

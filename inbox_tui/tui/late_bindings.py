"""The keys of the parts made on first use: the reply box, the forms and the help.

Their modules load when first needed (the reply box and the filter form import a
TextArea, ≈ 13 ms; the others are not part of the first frame either); their
bindings live here so that the key map checks `[keys]` against them at start-up.
"""

from __future__ import annotations

from textual.binding import Binding

REPLY_BOX_BINDINGS = [
    Binding("ctrl+s", "send", "Send reply", id="reply.send"),
    Binding("escape", "close", "Keep draft", priority=True, id="reply.keep_draft"),
]

FIELD_FOCUS_BINDINGS = [
    # Priority: moved by the app as the key arrives. Left to bubble up from the field, the tab
    # was handled after the keys typed behind it had been given to the field it was leaving.
    Binding("tab", "app.focus_next", "Next field", show=False, priority=True),
    Binding("shift+tab", "app.focus_previous", "Previous field", show=False, priority=True),
]

API_FILTER_BINDINGS = [
    *FIELD_FOCUS_BINDINGS,
    Binding("escape", "cancel", "Cancel", id="api_filter.cancel"),
    Binding("ctrl+s", "apply", "Apply", id="api_filter.apply"),
]

NEW_THREAD_BINDINGS = [
    *FIELD_FOCUS_BINDINGS,
    Binding("escape", "cancel", "Cancel (keeps the draft)", id="form.cancel"),
    Binding("ctrl+s", "submit", "Send", id="form.send"),
]

HELP_BINDINGS = [Binding("escape,q,question_mark", "dismiss", "Close help", id="help.close")]

"""The keys of the parts made on first use: the reply box and the API filter form.

Their modules import a TextArea (≈ 13 ms), so they load when first needed; their
bindings live here so that the key map checks `[keys]` against them at start-up.
"""

from __future__ import annotations

from textual.binding import Binding

REPLY_BOX_BINDINGS = [
    Binding("ctrl+s", "send", "Send reply", id="reply.send"),
    Binding("escape", "close", "Keep draft", priority=True, id="reply.keep_draft"),
]

API_FILTER_BINDINGS = [
    Binding("escape", "cancel", "Cancel", id="api_filter.cancel"),
    Binding("ctrl+s", "apply", "Apply", id="api_filter.apply"),
]

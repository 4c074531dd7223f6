"""Fault injection: what the simulator does instead of answering normally.

A `FaultPlan` holds a latency for every request and a script of faults that the
next requests meet in order, each optionally for one endpoint only. Faults are
written in a small text form so the `simulator` subcommand can take them too:
`429:retry-after=2`, `500`, `html`, `empty`, `truncated`, `wrong-shape`,
`null-threads`, `slow=60`, `500:after-commit`, `add:503`, `messages-add:500:after-commit`.
"""

from __future__ import annotations

import json
from collections import deque
from dataclasses import dataclass, field, replace

ENDPOINTS = ("getAll", "add", "messages-getAll", "messages-add")
HTML_PAGE = "<html><head><title>502 Bad Gateway</title></head><body><h1>Bad Gateway</h1></body></html>"

MALFORMED_BODIES = {
    "html": (502, HTML_PAGE, "text/html"),
    "empty": (200, "", "application/json"),
    "truncated": (200, '{"MessageThreads": [{"Id": "3f2a', "application/json"),
    "wrong-shape": (200, json.dumps({"MessageThreads": [{"Id": 7, "Subject": None}]}), "application/json"),
    "null-threads": (200, json.dumps({"MessageThreads": None, "Cursor": None}), "application/json"),
}

ERROR_MESSAGES = {
    400: "Invalid request.",
    401: "Invalid AccessToken.",
    403: "The operation is not permitted.",
    404: "Not found.",
    408: "The request took too long to process.",
    409: "The data was changed by another request.",
    429: "Too many requests.",
}


@dataclass(frozen=True)
class Fault:
    """One scripted misbehaviour; `body` replaces the normal JSON error body."""

    status: int = 500
    body: str | None = None
    content_type: str = "application/json"
    retry_after: str | None = None
    delay: float = 0.0
    after_commit: bool = False
    endpoint: str | None = None

    @classmethod
    def parse(cls, text: str) -> Fault:
        """Read the text form described in the module docstring."""
        parts = text.strip().split(":")
        endpoint = parts.pop(0) if parts[0] in ENDPOINTS else None
        if not parts:
            raise ValueError(f"fault {text!r} names an endpoint but no fault")
        head, *options = parts
        if head in MALFORMED_BODIES:
            status, body, content_type = MALFORMED_BODIES[head]
            fault = cls(status=status, body=body, content_type=content_type)
        elif head.startswith("slow="):
            fault = cls(status=200, delay=float(head.removeprefix("slow=")))
        elif head.isdigit():
            fault = cls(status=int(head))
        else:
            raise ValueError(f"unknown fault {head!r}")
        settings: dict[str, object] = {"endpoint": endpoint}
        for option in options:
            name, _, value = option.partition("=")
            if name == "retry-after":
                settings["retry_after"] = value
            elif name == "after-commit":
                settings["after_commit"] = True
            else:
                raise ValueError(f"unknown fault option {option!r}")
        return replace(fault, **settings)  # type: ignore[arg-type]

    @property
    def is_answer(self) -> bool:
        """False for a pure delay, after which the request is served normally."""
        return self.status != 200 or self.body is not None

    def error_body(self) -> str:
        if self.body is not None:
            return self.body
        message = ERROR_MESSAGES.get(self.status, "An unexpected error occurred.")
        return json.dumps({"Message": message, "RequestId": "sim-fault"})


@dataclass
class FaultPlan:
    latency: float = 0.0
    script: deque[Fault] = field(default_factory=deque)

    def push(self, *faults: Fault | str) -> None:
        self.script.extend(f if isinstance(f, Fault) else Fault.parse(f) for f in faults)

    def take(self, endpoint: str) -> Fault | None:
        """The next scripted fault meant for `endpoint`, removed from the script."""
        for fault in self.script:
            if fault.endpoint in (None, endpoint):
                self.script.remove(fault)
                return fault
        return None

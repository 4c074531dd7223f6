"""Typed failures of the Connector API, each with a message a user can act on.

Every error keeps the server's `Message` and `RequestId` when it sent them (the
first says what went wrong, the second is what Mews support asks for) and says
what to do next. Server text is passed through `redact` by the client before it
gets here, because a platform may echo the request, tokens included.
"""

from __future__ import annotations

from inbox_tui.safe_text import clipped, printable

CREDENTIALS_HINT = (
    "Check CONNECTOR_INBOX_CLIENT_TOKEN and CONNECTOR_INBOX_ACCESS_TOKEN "
    "(or --client-token/--access-token, or config.toml)."
)


class ApiError(Exception):
    """Base of every failure the client raises; `str()` is the user-facing sentence."""

    summary = "The request failed."
    hint = ""
    is_retryable = False

    def __init__(
        self,
        summary: str | None = None,
        *,
        status: int | None = None,
        server_message: str | None = None,
        request_id: str | None = None,
        may_have_reached_server: bool = True,
    ) -> None:
        self.summary = summary or self.summary
        self.status = status
        # What the server sent is data: it reaches terminals through str(error).
        self.server_message = clipped(printable(server_message), 500) if server_message else None
        self.request_id = printable(request_id) if request_id else None
        # For a non-idempotent call: could the server have acted on the request?
        self.may_have_reached_server = may_have_reached_server
        super().__init__(self.describe())

    def describe(self) -> str:
        parts = [self.summary]
        if self.server_message:
            parts.append(f"The server said: {self.server_message.rstrip('.')}.")
        if self.hint:
            parts.append(self.hint)
        if self.request_id:
            parts.append(f"(request id {self.request_id})")
        return " ".join(parts)


class BadRequestError(ApiError):
    summary = "The platform refused the request as invalid (400)."
    hint = "This is a bug in connector-inbox; please report it with the request id."


class AuthError(ApiError):
    summary = "The platform rejected the credentials (401)."
    hint = CREDENTIALS_HINT


class ForbiddenError(ApiError):
    summary = "The platform refused the operation (403)."
    hint = "Correct the input and try again."


class NotFoundError(ApiError):
    summary = "The platform has no such address (404)."
    hint = "The platform URL looks wrong: check CONNECTOR_INBOX_PLATFORM_URL or --platform-url."


class RequestTimeoutError(ApiError):
    summary = "The request was too heavy for the platform (408)."
    hint = "Ask for less: lower --page-size."


class ConflictError(ApiError):
    summary = "The data changed on the platform meanwhile (409)."
    hint = "Refresh (r), then try again."


class RateLimitedError(ApiError):
    summary = "The platform is rate limiting this access token (429)."
    is_retryable = True

    def __init__(self, *args: object, retry_after: float | None = None, **kwargs: object) -> None:
        self.retry_after = retry_after
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]

    @property
    def hint(self) -> str:  # type: ignore[override]
        if self.retry_after is None:
            return "Wait a little, then try again."
        return f"Wait {self.retry_after:.0f} s, then try again."


class ServerError(ApiError):
    summary = "The platform failed (server error)."
    hint = "Try again in a moment; if it persists, report the request id to Mews."
    is_retryable = True


class NetworkError(ApiError):
    summary = "The platform could not be reached."
    hint = "Check the network and the platform URL, then try again."
    is_retryable = True


class ProtocolError(ApiError):
    summary = "The platform answered with something that is not the documented API response."
    hint = "Check that the platform URL points at the Connector API."


def redact(text: str, secrets: list[str]) -> str:
    """Replace every secret in `text`; empty secrets are skipped, not matched everywhere."""
    for secret in secrets:
        if secret:
            text = text.replace(secret, "***")
    return text

"""What a failed exchange with the platform means: a typed `ApiError` for every status and
transport failure, and the wait a 429's `Retry-After` asks for.

Kept apart from the client, which decides what to send and what to retry.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime
from email.utils import parsedate_to_datetime

import httpx

from inbox_tui.api import errors
from inbox_tui.api.errors import ApiError

_STATUS_ERRORS: dict[int, type[ApiError]] = {
    400: errors.BadRequestError,
    401: errors.AuthError,
    403: errors.ForbiddenError,
    404: errors.NotFoundError,
    408: errors.RequestTimeoutError,
    409: errors.ConflictError,
    429: errors.RateLimitedError,
}


def status_error(response: httpx.Response, redact: Callable[[str], str]) -> ApiError:
    """The error a non-200 answer means, its message redacted by `redact` (it may echo a token)."""
    message, request_id = _error_body(response)
    message = redact(message) if message else None
    status = response.status_code
    kwargs: dict[str, object] = {
        "status": status,
        "server_message": message,
        "request_id": request_id,
    }
    if status == 429:
        retry_after = parse_retry_after(response.headers.get("Retry-After"))
        return errors.RateLimitedError(retry_after=retry_after, **kwargs)
    if status >= 500:
        return errors.ServerError(f"The platform failed ({status}).", **kwargs)  # type: ignore[arg-type]
    error_class = _STATUS_ERRORS.get(status)
    if error_class is None:
        return errors.ProtocolError(
            f"The platform answered with an unexpected status ({status}).",
            **kwargs,  # type: ignore[arg-type]
        )
    return error_class(**kwargs)  # type: ignore[arg-type]


def parse_retry_after(value: str | None, now: datetime | None = None) -> float | None:
    """Seconds to wait from a Retry-After header, given as seconds or as an HTTP date."""
    if not value:
        return None
    value = value.strip()
    try:
        return max(0.0, float(value))
    except ValueError:
        pass
    try:
        moment = parsedate_to_datetime(value)
    except (TypeError, ValueError):
        return None
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=UTC)
    return max(0.0, (moment - (now or datetime.now(UTC))).total_seconds())


def network_error(exc: httpx.TransportError) -> errors.NetworkError:
    # A connect failure means the request never left; anything later may have
    # been acted on, which matters for add.
    if isinstance(exc, httpx.ConnectTimeout):
        return errors.NetworkError("Timed out connecting to the platform.", may_have_reached_server=False)
    if isinstance(exc, httpx.ConnectError):
        reason = str(exc) or "connection refused"
        if "Name or service not known" in reason or "nodename" in reason or "getaddrinfo" in reason:
            summary = "The platform's host name could not be resolved (DNS)."
        else:
            summary = "The platform refused the connection."
        return errors.NetworkError(summary, may_have_reached_server=False)
    if isinstance(exc, httpx.ReadTimeout):
        return errors.NetworkError("The platform did not answer in time (read timeout).")
    return errors.NetworkError(f"The connection to the platform failed ({type(exc).__name__}).")


def _error_body(response: httpx.Response) -> tuple[str | None, str | None]:
    request_id = request_id_of(response)
    try:
        payload = response.json()
    except ValueError:
        return None, request_id
    if not isinstance(payload, dict):
        return None, request_id
    message = payload.get("Message")
    request_id = payload.get("RequestId") or request_id
    return (str(message) if message else None), (str(request_id) if request_id else None)


def request_id_of(response: httpx.Response) -> str | None:
    return response.headers.get("Request-Id") or response.headers.get("X-Request-Id")

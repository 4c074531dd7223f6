"""The models accept what the platform sends and refuse requests it would refuse."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta

import pytest
from pydantic import SecretStr, ValidationError

from inbox_tui.api.models import (
    THREAD,
    AddResponse,
    GetAllRequest,
    GetAllResponse,
    Limitation,
    TimeInterval,
)

THREAD_JSON = {
    "Id": "7f9325f6-ef44-4911-89a8-ae51010a5aa4",
    "OriginalSender": "John Doe",
    "Subject": "Example subject",
    "CreatedUtc": "2022-03-07T16:09:45Z",
    "UpdatedUtc": "2022-03-07T16:09:45Z",
}
TOKENS = {"ClientToken": SecretStr("ct-secret"), "AccessToken": SecretStr("at-secret"), "Client": "c 1"}


@pytest.mark.parametrize(
    ("text", "microsecond"),
    [
        ("2026-11-20T10:15:30Z", 0),
        ("2026-11-20T10:15:30.1Z", 100000),
        ("2026-11-20T10:15:30.123Z", 123000),
        ("2026-11-20T10:15:30.123456Z", 123456),
        ("2026-11-20T10:15:30.1234567Z", 123456),
    ],
)
def test_thread_times_parse_with_zero_to_seven_fractional_digits(text: str, microsecond: int) -> None:
    thread = THREAD.validate_python({**THREAD_JSON, "CreatedUtc": text})
    assert thread.CreatedUtc == datetime(2026, 11, 20, 10, 15, 30, microsecond, tzinfo=UTC)


def test_thread_times_are_aware_utc_whatever_offset_or_none_was_sent() -> None:
    thread = THREAD.validate_python(
        {**THREAD_JSON, "CreatedUtc": "2026-11-20T12:00:00+02:00", "UpdatedUtc": "2026-11-20T10:00:00"}
    )
    assert thread.CreatedUtc == thread.UpdatedUtc
    assert thread.CreatedUtc.utcoffset() == thread.UpdatedUtc.utcoffset() == timedelta(0)
    assert thread.CreatedUtc.hour == 10 and thread.UpdatedUtc.hour == 10


def test_unknown_fields_are_ignored_and_is_resolved_is_optional() -> None:
    thread = THREAD.validate_python({**THREAD_JSON, "Color": "blue"})
    assert thread.IsResolved is None
    assert THREAD.validate_python({**THREAD_JSON, "IsResolved": True}).IsResolved is True


@pytest.mark.parametrize("missing", ["Id", "OriginalSender", "Subject", "CreatedUtc", "UpdatedUtc"])
def test_a_thread_without_a_required_field_is_refused(missing: str) -> None:
    data = {key: value for key, value in THREAD_JSON.items() if key != missing}
    with pytest.raises(ValidationError, match=missing):
        THREAD.validate_python(data)


def test_interval_start_must_be_before_end() -> None:
    with pytest.raises(ValidationError, match="before"):
        TimeInterval(StartUtc=datetime(2026, 3, 1, tzinfo=UTC), EndUtc=datetime(2026, 3, 1, tzinfo=UTC))


def test_interval_of_exactly_three_months_is_allowed_and_a_second_more_is_not() -> None:
    start = datetime(2026, 1, 31, tzinfo=UTC)
    TimeInterval(StartUtc=start, EndUtc=datetime(2026, 4, 30, tzinfo=UTC))
    with pytest.raises(ValidationError, match="3 months"):
        TimeInterval(StartUtc=start, EndUtc=datetime(2026, 4, 30, tzinfo=UTC) + timedelta(seconds=1))


@pytest.mark.parametrize("count", [0, 1001, -5])
def test_limitation_count_must_be_between_1_and_1000(count: int) -> None:
    with pytest.raises(ValidationError):
        Limitation(Count=count)


def test_get_all_request_needs_a_filter() -> None:
    with pytest.raises(ValidationError, match="at least one"):
        GetAllRequest(**TOKENS, Limitation=Limitation(Count=10))


def test_get_all_request_accepts_at_most_1000_ids() -> None:
    GetAllRequest(**TOKENS, MessageThreadIds=["x"] * 1000, Limitation=Limitation(Count=10))
    with pytest.raises(ValidationError):
        GetAllRequest(**TOKENS, MessageThreadIds=["x"] * 1001, Limitation=Limitation(Count=10))


def test_get_all_request_needs_tokens_and_client() -> None:
    with pytest.raises(ValidationError, match="Client"):
        GetAllRequest(
            ClientToken=SecretStr("a"),
            AccessToken=SecretStr("b"),
            MessageThreadIds=["x"],
            Limitation=Limitation(Count=1),
        )


def test_requests_serialise_with_the_api_field_names_and_z_times() -> None:
    request = GetAllRequest(
        **TOKENS,
        CreatedUtc=TimeInterval(
            StartUtc=datetime(2022, 3, 3, tzinfo=UTC), EndUtc=datetime(2022, 3, 14, tzinfo=UTC)
        ),
        Limitation=Limitation(Cursor="e7f2", Count=10),
    )
    assert request.to_wire() == {
        "ClientToken": "ct-secret",
        "AccessToken": "at-secret",
        "Client": "c 1",
        "CreatedUtc": {"StartUtc": "2022-03-03T00:00:00Z", "EndUtc": "2022-03-14T00:00:00Z"},
        "Limitation": {"Cursor": "e7f2", "Count": 10},
    }


def test_tokens_do_not_appear_in_the_repr_of_a_request() -> None:
    request = GetAllRequest(**TOKENS, MessageThreadIds=["x"], Limitation=Limitation(Count=1))
    assert "secret" not in repr(request) and "secret" not in str(request)


def test_responses_parse_from_bytes_as_documented() -> None:
    page = GetAllResponse.model_validate_json(
        b'{"MessageThreads": [%s], "Cursor": "7f9325f6-ef44-4911-89a8-ae51010a5aa4"}'
        % json.dumps(THREAD_JSON).encode()
    )
    assert page.Cursor == THREAD_JSON["Id"]
    added = AddResponse.model_validate({"MessageThreads": [{**THREAD_JSON, "IsResolved": False}]})
    assert added.MessageThreads[0].IsResolved is False


def test_responses_without_threads_or_with_null_threads_are_refused() -> None:
    with pytest.raises(ValidationError):
        GetAllResponse.model_validate({"MessageThreads": None})
    with pytest.raises(ValidationError):
        AddResponse.model_validate({"MessageThreads": []})


def test_folding_ignores_case_and_accents_and_finds_the_original_span() -> None:
    from inbox_tui.inbox.folding import fold, matched_span

    assert fold("Café Crème") == "cafe creme"
    assert fold("STRASSE") in fold("Straße")
    assert matched_span("Ein Café", fold("cafe")) == (4, 8)
    assert matched_span("e\u0301e\u0301 cafe\u0301!", fold("CAFÉ")) == (5, 10)
    assert matched_span("Late check-in", "parking") is None

"""The simulator validates and paginates as the API page documents (raw HTTP, no client)."""

from __future__ import annotations

import uuid
from typing import Any

import httpx
import pytest
from hypothesis import given
from hypothesis import strategies as st

from inbox_tui.simulator.app import DEMO_ACCESS_TOKEN, DEMO_CLIENT_TOKEN, Simulator
from inbox_tui.simulator.data import uuid4_text

AUTH = {"ClientToken": DEMO_CLIENT_TOKEN, "AccessToken": DEMO_ACCESS_TOKEN, "Client": "raw 1.0"}
WINDOW = {"StartUtc": "2026-09-01T00:00:00Z", "EndUtc": "2026-11-30T00:00:00Z"}


async def post(simulator: Simulator, operation: str, body: Any) -> httpx.Response:
    transport = httpx.ASGITransport(app=simulator.app)
    async with httpx.AsyncClient(transport=transport, base_url="http://sim") as http:
        content = body if isinstance(body, bytes) else None
        return await http.post(
            f"/api/connector/v1/messageThreads/{operation}",
            content=content,
            json=None if content is not None else body,
        )


@pytest.mark.parametrize(
    ("body", "message"),
    [
        ({**AUTH, "Limitation": {"Count": 10}}, "At least one"),
        ({**AUTH, "CreatedUtc": WINDOW, "Limitation": {"Count": 0}}, "Count"),
        ({**AUTH, "CreatedUtc": WINDOW, "Limitation": {"Count": 1001}}, "Count"),
        ({**AUTH, "CreatedUtc": WINDOW}, "Limitation"),
        (
            {
                **AUTH,
                "CreatedUtc": {"StartUtc": "2026-01-01T00:00:00Z", "EndUtc": "2026-04-01T00:00:01Z"},
                "Limitation": {"Count": 1},
            },
            "3 months",
        ),
        (
            {
                **AUTH,
                "CreatedUtc": {"StartUtc": "2026-05-01T00:00:00Z", "EndUtc": "2026-04-01T00:00:00Z"},
                "Limitation": {"Count": 1},
            },
            "after",
        ),
        (
            {
                **AUTH,
                "CreatedUtc": {"StartUtc": "yesterday", "EndUtc": "2026-04-01T00:00:00Z"},
                "Limitation": {"Count": 1},
            },
            "ISO 8601",
        ),
        ({**AUTH, "MessageThreadIds": ["x"] * 1001, "Limitation": {"Count": 1}}, "1000"),
        (
            {
                "AccessToken": DEMO_ACCESS_TOKEN,
                "Client": "c",
                "MessageThreadIds": ["x"],
                "Limitation": {"Count": 1},
            },
            "ClientToken",
        ),
        (
            {
                "ClientToken": DEMO_CLIENT_TOKEN,
                "AccessToken": DEMO_ACCESS_TOKEN,
                "MessageThreadIds": ["x"],
                "Limitation": {"Count": 1},
            },
            "Client",
        ),
        ({**AUTH, "CreatedUtc": WINDOW, "Limitation": {"Count": 5, "Cursor": "no-such-id"}}, "Cursor"),
        (b"{not json", "not valid JSON"),
        (b"[1, 2]", "JSON object"),
    ],
)
async def test_invalid_get_all_requests_are_answered_400_with_a_message(
    simulator: Simulator, body: Any, message: str
) -> None:
    response = await post(simulator, "getAll", body)
    assert response.status_code == 400
    assert message in response.json()["Message"]


@pytest.mark.parametrize("token", ["ClientToken", "AccessToken"])
async def test_wrong_tokens_are_answered_401(simulator: Simulator, token: str) -> None:
    body = {**AUTH, token: "WRONG", "CreatedUtc": WINDOW, "Limitation": {"Count": 1}}
    response = await post(simulator, "getAll", body)
    assert response.status_code == 401
    assert token in response.json()["Message"]


async def test_add_needs_sender_and_subject(simulator: Simulator) -> None:
    response = await post(simulator, "add", {**AUTH, "OriginalSender": "Ann", "Subject": "  "})
    assert response.status_code == 400 and "Subject" in response.json()["Message"]


async def test_cursor_pages_follow_each_other_newest_first_without_overlap(simulator: Simulator) -> None:
    pages: list[list[dict[str, Any]]] = []
    cursor = None
    for _ in range(3):
        response = await post(
            simulator, "getAll", {**AUTH, "CreatedUtc": WINDOW, "Limitation": {"Cursor": cursor, "Count": 7}}
        )
        body = response.json()
        pages.append(body["MessageThreads"])
        assert body["Cursor"] == body["MessageThreads"][-1]["Id"]
        cursor = body["Cursor"]
    flat = [thread for page in pages for thread in page]
    assert len({thread["Id"] for thread in flat}) == 21
    keys = [(thread["CreatedUtc"], thread["Id"]) for thread in flat]
    expected = [
        t.id
        for t in simulator.store.all_newest_first()
        if "2026-09-01" <= t.created.strftime("%Y-%m-%d") < "2026-11-30"
    ][:21]
    assert [thread["Id"] for thread in flat] == expected
    assert keys == sorted(keys, reverse=True)


async def test_no_cursor_gives_the_newest_and_an_empty_window_gives_no_cursor(simulator: Simulator) -> None:
    empty = {"StartUtc": "2020-01-01T00:00:00Z", "EndUtc": "2020-02-01T00:00:00Z"}
    response = await post(simulator, "getAll", {**AUTH, "CreatedUtc": empty, "Limitation": {"Count": 10}})
    assert response.json() == {"MessageThreads": [], "Cursor": None}


async def test_time_filters_include_both_ends(simulator: Simulator) -> None:
    thread = simulator.store.all_newest_first()[5]
    exact = thread.created.isoformat()
    response = await post(
        simulator,
        "getAll",
        {**AUTH, "CreatedUtc": {"StartUtc": exact, "EndUtc": exact}, "Limitation": {"Count": 10}},
    )
    assert thread.id in [t["Id"] for t in response.json()["MessageThreads"]]


async def test_threads_are_found_by_id_and_by_updated_time(simulator: Simulator) -> None:
    wanted = [thread.id for thread in simulator.store.all_newest_first()[10:13]]
    response = await post(
        simulator, "getAll", {**AUTH, "MessageThreadIds": wanted, "Limitation": {"Count": 10}}
    )
    assert [thread["Id"] for thread in response.json()["MessageThreads"]] == wanted
    response = await post(simulator, "getAll", {**AUTH, "UpdatedUtc": WINDOW, "Limitation": {"Count": 3}})
    assert len(response.json()["MessageThreads"]) == 3


async def test_add_creates_a_thread_with_a_fresh_id_at_the_current_time(simulator: Simulator) -> None:
    before = len(simulator.store)
    response = await post(simulator, "add", {**AUTH, "OriginalSender": "Ann Lee", "Subject": "Towels"})
    created = response.json()["MessageThreads"][0]
    assert response.status_code == 200
    assert created["IsResolved"] is False and created["OriginalSender"] == "Ann Lee"
    assert created["CreatedUtc"].startswith("2026-11-20T12:00:00")
    assert len(simulator.store) == before + 1
    assert simulator.store.all_newest_first()[0].id == created["Id"]


async def test_times_are_sent_with_seven_fractional_digits_when_they_have_a_fraction(
    simulator: Simulator,
) -> None:
    response = await post(simulator, "getAll", {**AUTH, "CreatedUtc": WINDOW, "Limitation": {"Count": 50}})
    times = [thread["CreatedUtc"] for thread in response.json()["MessageThreads"]]
    assert any(len(time.split(".")[-1]) == 8 for time in times if "." in time)
    assert all(time.endswith("Z") for time in times)


async def test_scripted_faults_are_served_in_order_then_normal_service_resumes(simulator: Simulator) -> None:
    simulator.faults.push("429:retry-after=3", "html", "getAll:truncated")
    body = {**AUTH, "CreatedUtc": WINDOW, "Limitation": {"Count": 1}}
    first, second, third, fourth = [await post(simulator, "getAll", body) for _ in range(4)]
    assert (first.status_code, first.headers["Retry-After"]) == (429, "3")
    assert second.status_code == 502 and second.text.startswith("<html>")
    assert third.status_code == 200 and third.text.endswith('"3f2a')
    assert fourth.status_code == 200 and len(fourth.json()["MessageThreads"]) == 1


async def test_an_after_commit_fault_creates_the_thread_and_still_fails(simulator: Simulator) -> None:
    simulator.faults.push("add:500:after-commit")
    before = len(simulator.store)
    response = await post(simulator, "add", {**AUTH, "OriginalSender": "Ann", "Subject": "Hi"})
    assert response.status_code == 500
    assert len(simulator.store) == before + 1


async def test_enforced_limits_answer_429_with_retry_after_past_200_requests_in_30_seconds(
    simulator: Simulator,
) -> None:
    now = [0.0]
    simulator.enforce_limits("production", clock=lambda: now[0])
    body = {**AUTH, "OriginalSender": "Ann", "Subject": "Hi"}
    statuses = [(await post(simulator, "add", body)).status_code for _ in range(200)]
    assert statuses == [200] * 200
    refused = await post(simulator, "add", body)
    assert refused.status_code == 429 and refused.headers["Retry-After"] == "30"
    now[0] = 30.5
    assert (await post(simulator, "add", body)).status_code == 200


def test_seeded_data_is_deterministic_and_has_hostile_strings() -> None:
    from datetime import UTC, datetime

    now = datetime(2026, 1, 1, tzinfo=UTC)
    first = Simulator.seeded(threads=900, seed=3, now=now).store.all_newest_first()
    second = Simulator.seeded(threads=900, seed=3, now=now).store.all_newest_first()
    assert first == second
    assert any("[bold" in thread.sender or "\x1b" in thread.sender for thread in first)


def test_fault_scripts_are_read_strictly() -> None:
    from inbox_tui.simulator.faults import Fault

    assert Fault.parse("add:500:after-commit") == Fault(status=500, after_commit=True, endpoint="add")
    assert Fault.parse("429:retry-after=2").retry_after == "2"
    assert Fault.parse("slow=1.5").delay == 1.5 and not Fault.parse("slow=1.5").is_answer
    for bad in ("add", "bogus", "500:sometimes", "getAll:"):
        with pytest.raises(ValueError):
            Fault.parse(bad)


@given(st.integers(min_value=0, max_value=2**128 - 1))
def test_generated_ids_are_the_version_4_uuids_of_the_seeded_bits(bits: int) -> None:
    assert uuid4_text(bits) == str(uuid.UUID(int=bits, version=4))

"""messages/getAll and messages/add: the client against the simulator, and the simulator's rules."""

from __future__ import annotations

from datetime import timedelta

import httpx
import pytest

from inbox_tui.api import errors
from inbox_tui.api.client import ConnectorClient
from inbox_tui.api.models import MESSAGE, TimeInterval
from inbox_tui.simulator.app import DEMO_ACCESS_TOKEN, DEMO_CLIENT_TOKEN, Simulator
from inbox_tui.simulator.conversations import generate_conversation
from tests.conftest import FROZEN_NOW, FakeSleep


def thread_with_messages(simulator: Simulator, count: int) -> str:
    thread = simulator.add_thread("Ann Lee", "A long conversation", FROZEN_NOW - timedelta(days=3))
    for index in range(count):
        simulator.messages.add(thread, f"message {index}", FROZEN_NOW - timedelta(days=3, minutes=-index))
    return thread.id


def raw_post(simulator: Simulator, path: str, body: dict[str, object]) -> httpx.Response:
    transport = httpx.ASGITransport(app=simulator.app)

    async def post() -> httpx.Response:
        async with httpx.AsyncClient(transport=transport, base_url="http://sim") as http:
            return await http.post(f"/api/connector/v1/{path}", json=body)

    import asyncio

    return asyncio.run(post())


def authenticated(**fields: object) -> dict[str, object]:
    return {"ClientToken": DEMO_CLIENT_TOKEN, "AccessToken": DEMO_ACCESS_TOKEN, "Client": "tests", **fields}


async def test_paging_through_a_200_message_conversation_returns_each_message_once_newest_first(
    client: ConnectorClient, simulator: Simulator
) -> None:
    thread_id = thread_with_messages(simulator, 200)
    texts: list[str] = []
    cursor = None
    while True:
        page = await client.get_messages([thread_id], cursor=cursor, count=30)
        texts.extend(message.Text for message in page.Messages)
        if len(page.Messages) < 30:
            break
        assert page.Cursor == page.Messages[-1].Id
        cursor = page.Cursor
    assert texts == [f"message {index}" for index in reversed(range(200))]
    assert len(simulator.requests_to("messages-getAll")) == 7


async def test_get_messages_reads_the_thread_id_and_the_sender(
    client: ConnectorClient, simulator: Simulator
) -> None:
    thread_id = thread_with_messages(simulator, 1)
    page = await client.get_messages([thread_id])
    (message,) = page.Messages
    assert message.MessageThreadId == thread_id
    assert message.Sender.is_application and not message.Sender.is_staff
    assert simulator.log[-1].answer["Messages"][0]["MessageThreadId"] == thread_id


def test_both_spellings_of_the_thread_id_are_read() -> None:
    base = {
        "Id": "m",
        "Text": "hi",
        "Sender": {"Discriminator": "Enterprise"},
        "CreatedUtc": "2026-01-01T00:00:00Z",
    }
    assert MESSAGE.validate_python({**base, "MessageThreadId": "t"}).MessageThreadId == "t"
    assert MESSAGE.validate_python({**base, "ThreadId": "t"}).MessageThreadId == "t"


def test_an_unknown_sender_kind_is_kept_not_refused() -> None:
    message = MESSAGE.validate_python(
        {
            "Id": "m",
            "ThreadId": "t",
            "Text": "hi",
            "Sender": {"Discriminator": "Robot"},
            "CreatedUtc": "2026-01-01T00:00:00Z",
        }
    )
    assert message.Sender.Discriminator == "Robot"
    assert not message.Sender.is_staff and not message.Sender.is_application


async def test_the_client_refuses_a_created_filter_longer_than_a_month(
    client: ConnectorClient, simulator: Simulator
) -> None:
    too_long = TimeInterval(StartUtc=FROZEN_NOW - timedelta(days=40), EndUtc=FROZEN_NOW)
    with pytest.raises(errors.BadRequestError, match="1 month"):
        await client.get_messages(["x"], created=too_long)
    assert simulator.log == []


def test_the_simulator_refuses_a_created_filter_longer_than_a_month(simulator: Simulator) -> None:
    start, end = FROZEN_NOW - timedelta(days=40), FROZEN_NOW
    response = raw_post(
        simulator,
        "messages/getAll",
        authenticated(
            MessageThreadIds=["x"],
            CreatedUtc={"StartUtc": start.isoformat(), "EndUtc": end.isoformat()},
            Limitation={"Count": 10},
        ),
    )
    assert response.status_code == 400
    assert "1 month" in response.json()["Message"]


async def test_a_created_filter_within_a_month_narrows_the_messages(
    client: ConnectorClient, simulator: Simulator
) -> None:
    thread_id = thread_with_messages(simulator, 50)
    window = TimeInterval(
        StartUtc=FROZEN_NOW - timedelta(days=3, minutes=-10),
        EndUtc=FROZEN_NOW - timedelta(days=3, minutes=-19),
    )
    page = await client.get_messages([thread_id], created=window)
    assert [message.Text for message in page.Messages] == [f"message {index}" for index in range(19, 9, -1)]


@pytest.mark.parametrize(("ids", "status"), [([], 400), (["x"] * 1001, 400), (None, 400), ("abc", 400)])
def test_the_simulator_requires_between_1_and_1000_thread_ids(
    simulator: Simulator, ids: object, status: int
) -> None:
    body = authenticated(Limitation={"Count": 10})
    if ids is not None:
        body["MessageThreadIds"] = ids
    response = raw_post(simulator, "messages/getAll", body)
    assert response.status_code == status
    assert response.json()["Message"]


async def test_the_client_refuses_more_than_1000_thread_ids(
    client: ConnectorClient, simulator: Simulator
) -> None:
    with pytest.raises(errors.BadRequestError):
        await client.get_messages([f"id-{index}" for index in range(1001)])
    assert simulator.log == []


async def test_threads_of_other_clients_have_no_messages_to_read(client: ConnectorClient) -> None:
    page = await client.get_messages(["not-a-thread-of-ours"])
    assert page.Messages == [] and page.Cursor is None


async def test_messages_of_several_threads_come_in_one_page_newest_first(
    client: ConnectorClient, simulator: Simulator
) -> None:
    threads = simulator.store.all_newest_first()[:20]
    page = await client.get_messages([thread.id for thread in threads], count=1000)
    expected = sum(len(simulator.messages.conversation(thread)) for thread in threads)
    assert len(page.Messages) == min(expected, 1000)
    times = [message.CreatedUtc for message in page.Messages]
    assert times == sorted(times, reverse=True)


async def test_add_message_appends_and_bumps_the_thread_update_time(
    client: ConnectorClient, simulator: Simulator
) -> None:
    thread_id = thread_with_messages(simulator, 3)
    message = await client.add_message(thread_id, "Your room is ready.", identifier="reply-1")
    assert (message.MessageThreadId, message.Text, message.CreatedUtc) == (
        thread_id,
        "Your room is ready.",
        FROZEN_NOW,
    )
    assert message.Sender.is_application
    assert simulator.store.get(thread_id).updated == FROZEN_NOW  # type: ignore[union-attr]
    sent = simulator.requests_to("messages-add")[0].body
    assert sent["Messages"] == [
        {"ThreadId": thread_id, "Text": "Your room is ready.", "Identifier": "reply-1"}
    ]
    assert simulator.log[-1].answer["Messages"][0]["Identifier"] == "reply-1"
    page = await client.get_messages([thread_id])
    assert page.Messages[0].Id == message.Id


async def test_adding_to_an_unknown_thread_is_refused_with_the_platform_message(
    client: ConnectorClient,
) -> None:
    with pytest.raises(errors.ForbiddenError, match="does not exist"):
        await client.add_message("not-a-thread", "Hello")


def test_the_simulator_accepts_the_example_spelling_of_the_thread_id_on_add(simulator: Simulator) -> None:
    thread = simulator.store.all_newest_first()[0]
    body = authenticated(Messages=[{"MessageThreadId": thread.id, "Text": "Hi"}])
    response = raw_post(simulator, "messages/add", body)
    assert response.status_code == 200
    assert response.json()["Messages"][0]["Message"]["ThreadId"] == thread.id


@pytest.mark.parametrize("text", ["", "   "])
def test_the_simulator_refuses_an_empty_message(simulator: Simulator, text: str) -> None:
    thread = simulator.store.all_newest_first()[0]
    response = raw_post(
        simulator, "messages/add", authenticated(Messages=[{"ThreadId": thread.id, "Text": text}])
    )
    assert response.status_code == 400


async def test_reading_messages_is_retried_after_a_server_error(
    client: ConnectorClient, simulator: Simulator, fake_sleep: FakeSleep
) -> None:
    thread_id = thread_with_messages(simulator, 2)
    simulator.faults.push("messages-getAll:500")
    page = await client.get_messages([thread_id])
    assert len(page.Messages) == 2
    assert len(simulator.requests_to("messages-getAll")) == 2


async def test_adding_a_message_is_never_retried_on_its_own(
    client: ConnectorClient, simulator: Simulator
) -> None:
    thread_id = thread_with_messages(simulator, 2)
    simulator.faults.push("messages-add:500:after-commit")
    with pytest.raises(errors.ServerError):
        await client.add_message(thread_id, "Only once")
    assert len(simulator.requests_to("messages-add")) == 1
    assert [m.text for m in simulator.messages.conversation(simulator.store.get(thread_id))].count(
        "Only once"
    ) == 1  # type: ignore[arg-type]


async def test_errors_from_messages_never_show_the_tokens(simulator: Simulator) -> None:
    simulator.faults.push("messages-getAll:400")
    from tests.conftest import make_client

    async with make_client(simulator) as client:
        with pytest.raises(errors.BadRequestError) as caught:
            await client.get_messages(["x"])
    assert DEMO_ACCESS_TOKEN not in str(caught.value)


def test_seeded_conversations_are_repeatable_and_mixed(simulator: Simulator) -> None:
    threads = simulator.store.all_newest_first()[:200]
    conversations = [generate_conversation(thread, 11) for thread in threads]
    assert conversations == [generate_conversation(thread, 11) for thread in threads]
    lengths = [len(messages) for messages in conversations]
    assert min(lengths) == 0 and max(lengths) > 50
    senders = {message.sender for messages in conversations for message in messages}
    assert senders == {"Enterprise", "Application"}
    for thread, messages in zip(threads, conversations, strict=True):
        assert all(thread.created <= message.created <= thread.updated for message in messages)


def test_seeded_conversations_read_like_an_exchange(simulator: Simulator) -> None:
    """What a newcomer reads first: the guest asks about the subject, staff answer that, no text
    comes twice in a thread (the README's screenshot once showed one question three times)."""
    for thread in simulator.store.all_newest_first()[:300]:
        messages = generate_conversation(thread, 11)
        texts = [message.text for message in messages]
        assert len(set(texts)) == len(texts), thread.subject
        assert [m.sender for m in messages] == ["Application", "Enterprise"] * (len(messages) // 2) + [
            "Application"
        ] * (len(messages) % 2)
        if messages and thread.subject.startswith("Parking"):
            assert "parking" in texts[0].lower() and (len(texts) < 2 or "Parking costs" in texts[1])

"""The living demo: staff answer a reply within a minute, guests write every minute or so."""

from __future__ import annotations

from datetime import timedelta

from inbox_tui.simulator.app import Simulator
from inbox_tui.simulator.conversations import STAFF
from tests.conftest import FROZEN_NOW, make_client


class Clock:
    def __init__(self) -> None:
        self.now = FROZEN_NOW

    def __call__(self):  # type: ignore[no-untyped-def]
        return self.now


async def test_a_new_thread_arrives_in_the_first_minute_and_staff_answer_a_reply() -> None:
    clock = Clock()
    simulator = Simulator.seeded(threads=50, seed=3, now=FROZEN_NOW)
    simulator.clock = clock
    simulator.come_alive(seed=3)
    before = len(simulator.store)
    async with make_client(simulator) as client:
        clock.now += timedelta(seconds=60)
        await client.get_all(thread_ids=[simulator.store.all_newest_first()[0].id], count=1)
        assert len(simulator.store) > before  # a guest wrote within the first minute
        arrived = simulator.store.all_newest_first()[0]
        assert [m.sender for m in simulator.messages.conversation(arrived)] == [STAFF]

        thread = simulator.store.all_newest_first()[3]
        await client.add_message(thread.id, "Could we check in early?")
        clock.now += timedelta(seconds=61)
        await client.get_all(thread_ids=[thread.id], count=1)
        senders = [m.sender for m in simulator.messages.conversation(thread)]
        assert senders[-1] == STAFF  # answered


def test_the_same_seed_lives_the_same_day() -> None:
    def day(seed: int) -> list[tuple[str, str]]:
        clock = Clock()
        simulator = Simulator.seeded(threads=20, seed=1, now=FROZEN_NOW)
        simulator.clock = clock
        simulator.come_alive(seed=seed)
        clock.now += timedelta(hours=1)
        assert simulator.living is not None
        simulator.living.catch_up(simulator)  # what each request does first
        return [(t.sender, t.subject) for t in simulator.store.all_newest_first()[:30]]

    assert day(5) == day(5)
    assert len(set(day(5)) - set(day(6))) > 0


def test_staff_never_say_the_same_thing_twice_in_a_thread() -> None:
    clock = Clock()
    simulator = Simulator.seeded(threads=20, seed=2, now=FROZEN_NOW)
    simulator.clock = clock
    simulator.come_alive(seed=2)
    assert simulator.living is not None
    asked = simulator.store.all_newest_first()[5]
    for question in range(8):  # more replies than there are ways of answering them
        simulator.messages.add(asked, f"Question {question}?", clock.now)
        simulator.living.reply_received(asked, clock.now)
        clock.now += timedelta(minutes=2)
        simulator.living.catch_up(simulator)
    clock.now += timedelta(hours=6)  # staff write first, again and again, in the newest threads
    simulator.living.catch_up(simulator)
    staff_answers = [m.text for m in simulator.messages.conversation(asked) if m.sender == STAFF]
    assert len(staff_answers) >= 8
    for thread in simulator.store.all_newest_first()[:30]:
        texts = [message.text for message in simulator.messages.conversation(thread)]
        assert len(set(texts)) == len(texts), thread.subject

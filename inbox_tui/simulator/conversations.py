"""The simulator's messages: seeded conversations for the seeded threads, and the getAll query.

A conversation is generated the first time something asks for it, from the seed
and the thread's Id, so a simulator with 100,000 threads starts as fast as one
with 100 and still answers the same messages every run. Messages are ordered
newest first by (CreatedUtc, Id); a Cursor is the Id of a message.
"""

from __future__ import annotations

import random
from dataclasses import dataclass
from datetime import datetime, timedelta

from inbox_tui.simulator.data import SimThread, uuid4_text
from inbox_tui.simulator.store import UnknownCursor

STAFF = "Enterprise"
APPLICATION = "Application"
MAX_SEEDED_MESSAGES = 200

GUEST_LINES = (
    "Hello, we land at {time}; could someone keep the room for us?",
    "Is breakfast included in our rate?",
    "Thank you so much, that is perfect.",
    "Could we have a quiet room away from the lift?",
    "We will be two adults and a baby; is a cot possible?",
    "Our train is delayed. We will arrive after midnight.",
    "Can I pay the city tax at check-out?",
    "Is there parking nearby for a van?",
)
STAFF_LINES = (
    "Of course, we have noted it on your reservation.",
    "Good morning! Your room will be ready from {time}.",
    "Breakfast is served from 7:00 to 10:30 in the winter garden.",
    "We have arranged it. See you soon!",
    "Our night porter will be at the desk; just ring the bell.",
    "I am sorry for the trouble: a technician is on the way to room {room}.",
    "Parking costs 25 EUR per night; the entrance is on Rue Haute.",
)
LONG_MESSAGE = (
    "Dear guest,\n\nThank you for your message. Here is everything you asked about, in one place:\n"
    "- Check-in is from 15:00 and check-out until 11:00; a late check-out until 14:00 costs 30 EUR.\n"
    "- The spa is open daily from 8:00 to 21:00; please book treatments a day ahead at the desk.\n"
    "- Airport transfers leave every hour from the main entrance and take about forty minutes, "
    "traffic permitting; the driver waits up to an hour after a delayed landing at no extra cost.\n\n"
    "If anything else comes up before your stay, simply answer this message and the front desk "
    "team will get back to you within the hour, day or night.\n\nWarm regards,\nThe front desk"
)
HOSTILE_MESSAGES = (
    "[bold red]Not bold[/] [link=https://evil.example]not a link[/link] [/]",
    "\x1b[31mred?\x1b[0m title \x1b]0;pwned\x07 clipboard \x1b]52;c;ZXZpbA==\x07",
    "Bidi \u202eevil\u202c, zero\u200bwidth, e\u0301\u0301\u0301\u0301",
    "Control\x00\x07\x08\x9b characters\tand a tab",
    "A line with no spaces at all: " + "x" * 3000,
)


@dataclass(slots=True)
class SimMessage:
    id: str
    thread_id: str
    text: str
    sender: str
    created: datetime


def _key(message: SimMessage) -> tuple[datetime, str]:
    return (message.created, message.id)


class MessageStore:
    def __init__(self, seed: int) -> None:
        self._seed = seed
        self._rng = random.Random(f"{seed}:added")
        self._conversations: dict[str, list[SimMessage]] = {}
        self._by_id: dict[str, SimMessage] = {}

    def conversation(self, thread: SimThread) -> list[SimMessage]:
        """The thread's messages, oldest first, generated on first use."""
        messages = self._conversations.get(thread.id)
        if messages is None:
            messages = generate_conversation(thread, self._seed)
            self._conversations[thread.id] = messages
            self._by_id.update((message.id, message) for message in messages)
        return messages

    def written_since(self, moment: datetime) -> list[SimMessage]:
        """Every message written (not seeded) after `moment`."""
        return [message for message in self._by_id.values() if message.created > moment]

    def start_conversation(self, thread: SimThread) -> None:
        """A thread created now starts with no messages rather than a seeded conversation."""
        self._conversations[thread.id] = []

    def add(self, thread: SimThread, text: str, now: datetime, sender: str = APPLICATION) -> SimMessage:
        """A message written now: by this integration through messages/add, or by staff in the hotel."""
        conversation = self.conversation(thread)
        message_id = uuid4_text(self._rng.getrandbits(128))
        while message_id in self._by_id:  # seeded generators may repeat an Id: a platform never does
            message_id = uuid4_text(self._rng.getrandbits(128))
        message = SimMessage(message_id, thread.id, text, sender, now)
        conversation.append(message)
        self._by_id[message.id] = message
        thread.updated = max(thread.updated, now)
        return message

    def query(
        self,
        threads: list[SimThread],
        *,
        created: tuple[datetime, datetime] | None,
        cursor: str | None,
        count: int,
    ) -> list[SimMessage]:
        candidates = [message for thread in threads for message in self.conversation(thread)]
        if cursor is not None:
            anchor = self._by_id.get(cursor)
            if anchor is None:
                raise UnknownCursor(cursor)
            candidates = [message for message in candidates if _key(message) < _key(anchor)]
        if created is not None:
            candidates = [message for message in candidates if created[0] <= message.created <= created[1]]
        candidates.sort(key=_key, reverse=True)
        return candidates[:count]


def generate_conversation(thread: SimThread, seed: int) -> list[SimMessage]:
    """0 to 200 messages between the thread's creation and its last update, oldest first."""
    rng = random.Random(f"{seed}:{thread.id}")
    draw = rng.random
    if draw() < 0.1:
        return []
    count = 1 + int(MAX_SEEDED_MESSAGES * draw() ** 5)
    span = (thread.updated - thread.created).total_seconds()
    offsets = sorted(draw() * span for _ in range(count - 1)) + [span]
    messages = []
    for index, offset in enumerate(offsets):
        # The guest writes first (forwarded by the integration); staff and guest then alternate, mostly.
        sender = APPLICATION if index == 0 or (draw() < 0.45) else STAFF
        created = thread.created + timedelta(seconds=offset)
        text = _text(rng, sender)
        messages.append(SimMessage(uuid4_text(rng.getrandbits(128)), thread.id, text, sender, created))
    messages.sort(key=_key)
    return messages


def _text(rng: random.Random, sender: str) -> str:
    roll = rng.random()
    if roll < 0.01:
        return HOSTILE_MESSAGES[int(rng.random() * len(HOSTILE_MESSAGES))]
    if roll < 0.05:
        return LONG_MESSAGE
    lines = STAFF_LINES if sender == STAFF else GUEST_LINES
    first = rng.choice(lines).format(
        time=f"{14 + int(rng.random() * 8)}:00", room=101 + int(rng.random() * 540)
    )
    if roll < 0.15:
        return f"{first}\n{rng.choice(lines).format(time='9:00', room=204)}"
    return first

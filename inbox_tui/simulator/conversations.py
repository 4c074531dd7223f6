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

from inbox_tui.simulator.data import DAYS, SimThread, uuid4_text
from inbox_tui.simulator.store import UnknownCursor

STAFF = "Enterprise"
APPLICATION = "Application"
MAX_SEEDED_MESSAGES = 200
SECONDS_A_MESSAGE = 180

OPENINGS = {
    # A subject's start (before any of its blanks) -> the guest's first message and the answer.
    "Late check-in": (
        "Our train is delayed. We will arrive after midnight.",
        "No problem: our night porter will be at the desk; just ring the bell.",
    ),
    "Early check-in": (
        "Hello, we land at {time}; could someone keep the room for us?",
        "Good morning! Your room will be ready from {time}; we will keep your luggage until then.",
    ),
    "Airport transfer": (
        "Could you book a transfer from the airport for us?",
        "We have booked a driver; they will wait at arrivals with your name on a sign.",
    ),
    "Extra pillows": (
        "Could we have two more pillows, please?",
        "Of course, housekeeping will bring them within the hour.",
    ),
    "Parking": (
        "Is there parking nearby for a van?",
        "Parking costs 25 EUR per night; the entrance for vans is on Rue Haute.",
    ),
    "Dinner reservation": (
        "Could you reserve a table for dinner at 19:30?",
        "Your table is reserved at 19:30 in the winter garden.",
    ),
    "Invoice": (
        "Could you send me the invoice with our company's address?",
        "Here it is, made out to your company; the PDF is attached to your reservation.",
    ),
    "Change of dates": (
        "Could we move our stay one week later?",
        "We have moved your reservation; the rate stays the same.",
    ),
    "Lost property": (
        "I think I left my phone charger in the room.",
        "We found it in the drawer; shall we post it to you?",
    ),
    "Dietary requirements": (
        "One of us is gluten-free; is breakfast possible?",
        "Yes, breakfast has gluten-free bread and pastries; just tell the waiter.",
    ),
    "Cot for a baby": (
        "We will be two adults and a baby; is a cot possible?",
        "A cot will be ready in your room, free of charge.",
    ),
    "Question about city tax": (
        "Can I pay the city tax at check-out?",
        "Yes, the city tax of 2.50 EUR per night is paid at check-out.",
    ),
    "Spa appointment": (
        "Is there a free slot at the spa in the afternoon?",
        "We have booked you a massage at 16:00; the spa is on the lower floor.",
    ),
    "Wi-Fi not working": (
        "The Wi-Fi keeps dropping in our room.",
        "I am sorry for the trouble: a technician is on the way.",
    ),
    "Anniversary surprise": (
        "It is our anniversary; could you put flowers and champagne in the room?",
        "With pleasure: flowers and a bottle of champagne will be waiting for you.",
    ),
    "Quiet room": (
        "Could we have a quiet room away from the lift?",
        "We have noted a quiet room at the end of the corridor on your reservation.",
    ),
    "Can I bring my dog": (
        "Can I bring my dog? She is small and calm.",
        "Dogs are welcome; we add 15 EUR per night for cleaning.",
    ),
    "Group booking": (
        "We are a group; can we all be on the same floor?",
        "Yes, we have put the whole group on the third floor.",
    ),
    "Refund for cancelled stay": (
        "When will I get the refund for the stay we cancelled?",
        "The refund was sent today; it takes three to five working days.",
    ),
    "Luggage storage": (
        "Can we leave our luggage after check-out?",
        "Of course, the luggage room is next to the reception, free of charge.",
    ),
}
FOLLOW_UPS = (
    # A guest's further question, with a day, and the answer to it.
    ("Is breakfast included on {day}?", "Yes, breakfast on {day} is included, from 7:00 to 10:30."),
    ("Could we book a taxi for {day} morning?", "A taxi is booked for {day} at 8:00."),
    ("Is the pool open on {day}?", "The pool is open on {day} from 7:00 to 21:00."),
    ("Can we check out later on {day}?", "Check-out on {day} is moved to 13:00 for you."),
    (
        "Could you recommend a restaurant for {day}?",
        "We have reserved Chez Marcel for {day}; it is five minutes away.",
    ),
    ("Is there a guided tour on {day}?", "The old-town tour on {day} leaves the lobby at 10:00."),
    ("Can we have the room cleaned early on {day}?", "Housekeeping will clean your room first on {day}."),
    ("Could we borrow bicycles on {day}?", "Two bicycles will be ready at the entrance on {day}."),
    ("Is the gym open on {day}?", "The gym is open all day on {day}; your key card opens it."),
    ("Will the bar be open late on {day}?", "On {day} the bar is open until 1:00."),
    ("Can we order a birthday cake for {day}?", "A chocolate cake will be ready for {day} evening."),
    (
        "Could you print our boarding passes on {day}?",
        "Send them to us and they will be at the desk on {day}.",
    ),
    ("Is there live music on {day}?", "Yes, a jazz trio plays in the bar on {day} from 20:00."),
    ("Can we park a second car on {day}?", "A second parking space is held for you on {day}."),
    (
        "Could we have an umbrella on {day}? Rain is forecast.",
        "Umbrellas will be at the door for you on {day}.",
    ),
    ("Can we meet the chef about the menu on {day}?", "The chef will see you on {day} at 17:00."),
)
CLOSING = ("Thank you so much, that is perfect.", "You are welcome; we look forward to having you with us.")
DETAILS = "Could you send me the practical details of our stay in one message?"
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
    """0 to 200 messages between the thread's creation and its last update, oldest first: the
    guest asks about the thread's subject and staff answer, then further questions and their
    answers, each text at most once in a thread, as a real exchange reads."""
    rng = random.Random(f"{seed}:{thread.id}")
    draw = rng.random
    if draw() < 0.1:
        return []
    span = (thread.updated - thread.created).total_seconds()
    # A reply takes minutes: a thread opened a quarter of an hour ago holds a few messages.
    count = min(1 + int(MAX_SEEDED_MESSAGES * draw() ** 5), 1 + int(span / SECONDS_A_MESSAGE))
    texts = _exchange(rng, thread.subject, count)
    offsets = sorted(draw() * span for _ in range(len(texts) - 1)) + [span]
    messages = [
        SimMessage(
            uuid4_text(rng.getrandbits(128)), thread.id, text, sender, thread.created + timedelta(seconds=at)
        )
        for (sender, text), at in zip(texts, offsets, strict=True)
    ]
    messages.sort(key=_key)
    return messages


def _exchange(rng: random.Random, subject: str, count: int) -> list[tuple[str, str]]:
    """`count` messages of an exchange: the guest (through this integration) asks about the
    subject and staff answer, then further questions, then thanks; an odd count ends on a
    message of the guest's, not yet answered."""
    question, answer = next(
        (pair for start, pair in OPENINGS.items() if subject.startswith(start)),
        ("Could you help us with our stay?", "Of course; what can we do for you?"),
    )
    hour = f"{14 + int(rng.random() * 8)}:00"
    pairs = [(question.format(time=hour), answer.format(time=hour))]
    roll = rng.random()
    if roll < 0.01:
        pairs.append((rng.choice(HOSTILE_MESSAGES), "Sorry, we could not read that message."))
    elif roll < 0.05:
        pairs.append((DETAILS, LONG_MESSAGE))
    wanted = (count + 1) // 2
    if wanted > len(pairs):
        further = [(ask.format(day=day), reply.format(day=day)) for ask, reply in FOLLOW_UPS for day in DAYS]
        rng.shuffle(further)
        pairs += [*further[: wanted - len(pairs) - 1], CLOSING]
    return [
        (sender, text) for pair in pairs for sender, text in zip((APPLICATION, STAFF), pair, strict=True)
    ][:count]

"""Seeded, deterministic hotel message threads for the simulator.

The same seed and the same `now` give the same history, so tests can assert on
it and screenshots do not change between runs. A few hostile strings are mixed
in on purpose: a guest's subject line is data the inbox must never interpret.
"""

from __future__ import annotations

import random
from dataclasses import dataclass
from datetime import datetime, timedelta

FIRST_NAMES = (
    "Olivia",
    "Liam",
    "Emma",
    "Noah",
    "Amelia",
    "Oliver",
    "Isla",
    "George",
    "Ava",
    "Arthur",
    "Mia",
    "Leo",
    "Sofia",
    "Lucas",
    "Freya",
    "Hugo",
    "Elena",
    "Mateo",
    "Yuki",
    "Aarav",
    "Chloé",
    "Søren",
    "Zofia",
    "Tomás",
    "Ingrid",
    "Kwame",
    "Priya",
    "Dmitri",
    "Fatima",
    "Jonas",
)
LAST_NAMES = (
    "Smith",
    "Jones",
    "Taylor",
    "Brown",
    "Williams",
    "Wilson",
    "Johnson",
    "Davies",
    "Patel",
    "Novák",
    "Müller",
    "García",
    "Rossi",
    "Dubois",
    "Nakamura",
    "Okafor",
    "Kowalski",
    "Jensen",
    "O'Brien",
    "van der Berg",
    "Svoboda",
    "Costa",
    "Lindqvist",
    "Haddad",
)
SUBJECTS = (
    "Late check-in tonight",
    "Early check-in possible?",
    "Airport transfer for {day}",
    "Extra pillows in room {room}",
    "Parking for two nights",
    "Dinner reservation for {people}",
    "Invoice for booking {ref}",
    "Change of dates for reservation {ref}",
    "Lost property: phone charger in room {room}",
    "Dietary requirements for breakfast",
    "Cot for a baby, room {room}",
    "Question about city tax",
    "Spa appointment on {day}",
    "Wi-Fi not working in room {room}",
    "Anniversary surprise: flowers and champagne",
    "Quiet room away from the lift, please",
    "Can I bring my dog?",
    "Group booking for {people} guests",
    "Refund for cancelled stay {ref}",
    "Luggage storage after check-out",
)
UPDATES_WITHIN = timedelta(days=5)  # a thread's last update comes at most this long after it starts
DAYS = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")
HOSTILE = (
    ("[bold red]Markup[/] guest", "[link=https://evil.example]Click me[/link] [/]"),
    ("\x1b[31mANSI\x1b[0m Sender", "Title change \x1b]0;pwned\x07 and clipboard \x1b]52;c;ZXZpbA==\x07"),
    ("Bidi \u202eevil\u202c", "Zero\u200bwidth\u200d and combining e\u0301\u0301\u0301"),
    ("大山 太郎 🏨", "ご予約の確認 — 部屋 ✨🛎️ wide text"),
    ("Control\x00\x07\x08\x9b chars", "Tab\tand\r\nnewlines"),
)


@dataclass(slots=True)
class SimThread:
    """A stored thread: mutable because `UpdatedUtc` and `IsResolved` change."""

    id: str
    sender: str
    subject: str
    created: datetime
    updated: datetime
    is_resolved: bool = False


def generate_threads(count: int, seed: int, now: datetime, span_days: int = 730) -> list[SimThread]:
    """`count` threads spread over the `span_days` before `now`, with bursts and quiet weeks."""
    rng = random.Random(seed)
    draw = rng.random
    threads: list[SimThread] = []
    for index in range(count):
        age = timedelta(seconds=draw() ** 1.3 * span_days * 86400)
        created = (now - age).replace(microsecond=int(draw() * 100_000) * 10 if index % 3 else 0)
        if index % 97 == 0 and threads:
            created = threads[-1].created  # several threads in the same instant
        updated = created + min(now - created, UPDATES_WITHIN) * draw()
        sender, subject = _hostile(index) or (guest_name(rng), subject_line(rng))
        thread_id = uuid4_text(rng.getrandbits(128))
        threads.append(SimThread(thread_id, sender, subject, created, updated, draw() < 0.6))
    return threads


def uuid4_text(bits: int) -> str:
    """`str(uuid.UUID(int=bits, version=4))` at a third of the cost: demo mode makes thousands at start-up."""
    bits = (bits & ~(0xC000 << 48) | 0x8000 << 48) & ~(0xF000 << 64) | 4 << 76
    text = f"{bits:032x}"
    return f"{text[:8]}-{text[8:12]}-{text[12:16]}-{text[16:20]}-{text[20:]}"


def _hostile(index: int) -> tuple[str, str] | None:
    if index % 401 == 7:
        return HOSTILE[(index // 401) % len(HOSTILE)]
    return None


def guest_name(rng: random.Random) -> str:
    return f"{rng.choice(FIRST_NAMES)} {rng.choice(LAST_NAMES)}"


def subject_line(rng: random.Random) -> str:
    # rng.random() arithmetic rather than randint: demo mode seeds thousands of these at start-up.
    draw = rng.random
    return rng.choice(SUBJECTS).format(
        day=DAYS[int(draw() * 7)],
        room=101 + int(draw() * 540),
        people=2 + int(draw() * 13),
        ref=f"{10000 + int(draw() * 90000)}-{'ABCDEFGH'[int(draw() * 8)]}",
    )

"""LivingHotel: the simulator behaves like a hotel, so that a newcomer sees the inbox live.

Staff answer a reply of the integration within a few seconds to a minute, and
new guest threads and staff messages arrive every minute or so. Nothing runs in
the background: on each request the hotel catches up with the simulator's clock,
so the in-process demo (no server loop) and `connector-inbox simulator` behave
alike, and a seed makes runs repeat.
"""

from __future__ import annotations

import random
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import TYPE_CHECKING

from inbox_tui.simulator.conversations import STAFF
from inbox_tui.simulator.data import SimThread, guest_name, subject_line

if TYPE_CHECKING:
    from inbox_tui.simulator.app import Simulator

FIRST_ARRIVAL_WITHIN = (15.0, 45.0)
"""Seconds after the start: a newcomer sees something arrive within the first minute."""
BETWEEN_ARRIVALS = (45.0, 90.0)
ANSWER_WITHIN = (5.0, 60.0)
WELCOME = "Hello {guest}, thank you for writing to us. How can we help with your stay?"
ACKNOWLEDGEMENTS = (
    # Staff answering a reply of the integration's, whatever it asked.
    "Thank you for your message; we have passed it on to the front desk.",
    "Done! Let us know if there is anything else.",
    "Noted; the front desk will confirm shortly.",
    "Thank you, we are on it and will come back to you within the hour.",
)
NEWS = (
    # Staff writing first, in a thread of the last few days.
    "Your room is ready; you can check in any time now.",
    "A reminder: breakfast is served from 7:00 to 10:30 in the winter garden.",
    "Is there anything else we can prepare before your arrival?",
    "Your invoice is ready at the reception whenever you need it.",
    "The forecast says rain tomorrow; umbrellas are at the door for you.",
)


@dataclass
class LivingHotel:
    seed: int
    start: datetime
    _rng: random.Random = field(init=False)
    _next_arrival: datetime = field(init=False)
    _answers: list[tuple[datetime, SimThread]] = field(default_factory=list)

    def __post_init__(self) -> None:
        self._rng = random.Random(self.seed)
        self._next_arrival = self.start + timedelta(seconds=self._rng.uniform(*FIRST_ARRIVAL_WITHIN))

    def reply_received(self, thread: SimThread, now: datetime) -> None:
        """The integration wrote: staff will answer."""
        self._answers.append((now + timedelta(seconds=self._rng.uniform(*ANSWER_WITHIN)), thread))

    def catch_up(self, simulator: Simulator) -> None:
        """Everything due by the simulator's now, at the moment it was due."""
        now = simulator.clock()
        due = sorted(
            ((moment, thread) for moment, thread in self._answers if moment <= now), key=lambda d: d[0]
        )
        self._answers = [(moment, thread) for moment, thread in self._answers if moment > now]
        for moment, thread in due:
            noted = f"Noted at {moment:%H:%M}; we will come back to you."
            if answer := self._unsaid((*ACKNOWLEDGEMENTS, noted), thread, simulator):
                simulator.messages.add(thread, answer, moment, sender=STAFF)
        while self._next_arrival <= now:
            moment = self._next_arrival
            if self._rng.random() < 0.4:
                thread = self._rng.choice(simulator.store.all_newest_first()[:20])
                if news := self._unsaid(NEWS, thread, simulator):
                    simulator.messages.add(thread, news, moment, sender=STAFF)
            else:
                guest = guest_name(self._rng)
                thread = simulator.add_thread(guest, subject_line(self._rng), moment)
                simulator.messages.add(thread, WELCOME.format(guest=guest.split()[0]), moment, sender=STAFF)
            self._next_arrival += timedelta(seconds=self._rng.uniform(*BETWEEN_ARRIVALS))

    def _unsaid(self, lines: tuple[str, ...], thread: SimThread, simulator: Simulator) -> str | None:
        """One of `lines` not yet written in `thread` (a real conversation does not repeat itself)."""
        said = {message.text for message in simulator.messages.conversation(thread)}
        unsaid = [line for line in lines if line not in said]
        return self._rng.choice(unsaid) if unsaid else None

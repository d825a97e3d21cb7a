"""A counter that books and logs handoffs in a loop until it is killed (see test_crash.py).

After each call returns, the record id is appended to a ledger file and flushed to disk:
whatever the ledger holds was acknowledged to the agent and must survive the kill. The line
"ready" on stdout says the loop is about to start.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

from guichet.domain.clock import FixedClock
from guichet.domain.handoff import Contact, HandoffDraft
from guichet.domain.models import Channel, Kind, LifeEvent
from guichet.services import make_services
from guichet.services.appointments import BookingRequest, SlotTaken
from tests.conftest import FIXED_NOW, make_settings


def main(root: Path, ledger: Path, seed: int) -> None:
    clock = FixedClock(FIXED_NOW)
    services = make_services(make_settings(root, now=None), clock=clock)
    slots = services.appointments.find_slots(Kind.GCA, Channel.TELEPHONE, limit=200)
    n = seed * 1000
    with ledger.open("a", encoding="utf-8") as out:
        # Start-up is over (imports, schema, slots): tell the test, which kills only from now on.
        print("ready", flush=True)
        while True:
            n += 1
            slot = slots[n % len(slots)]
            try:
                booked = services.appointments.book(BookingRequest(
                    slot.agency_id, slot.kind, slot.channel, slot.start, f"Personne {n}", f"{n % 10_000_000:07d}",
                    "0612345678"))
                out.write(f"appointment {booked.id}\n")
            except SlotTaken:
                pass
            record = services.handoffs.create(HandoffDraft(
                name=f"Personne {n}", life_event=LifeEvent.SEPARATION, motifs="Non-paiement",
                comment="Situation " + "x" * (n % 200), benefits=("ASF",), contact=Contact.TELEPHONE,
                file_number=f"{n % 10_000_000:07d}", phone="0612345678", consent=True))
            out.write(f"handoff {record.id}\n")
            out.flush()
            os.fsync(out.fileno())


if __name__ == "__main__":
    main(Path(sys.argv[1]), Path(sys.argv[2]), int(sys.argv[3]))

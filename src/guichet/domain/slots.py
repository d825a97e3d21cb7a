"""Appointment slots from the agencies' schedules, minus holidays, closures and taken seats.

A schedule's ``opening_hours`` is cut into slots of ``slot_minutes``; each slot has ``desks``
seats. Public holidays and exceptional closures never yield a slot, even if a schedule forgot
its ``PH off``. The seats already taken come from a lookup the caller provides (the store), so
that this module stays pure and asks only for the window it is looking at.

Daylight saving (see :mod:`guichet.domain.clock`). Slots are cut in real time, from the opening
spans as instants: a slot of 30 minutes lasts 30 real minutes and always ends after it starts,
even when its wall clock reads 01:30 → 03:00 (spring) or 02:30 → 02:00 (autumn). No slot starts
in the spring gap; on the autumn night both 02:00 hours have their slots, distinct instants
that the French wording tells apart (« 02:00 (heure d'été) », « 02:00 (heure d'hiver) »). A
range that spans a change and whose slot length does not divide an hour keeps its real-time
grid, so that its wall-clock times after the change are shifted (a 45-minute grid from 01:00
goes 01:45, 03:30 in spring). Slots are compared, sorted and matched by instant (UTC), never by
Python's same-zone comparison, which reads two Paris datetimes by their wall clocks.
"""

from __future__ import annotations

import heapq
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from enum import StrEnum
from functools import lru_cache

from guichet.domain.clock import PARIS, add, to_paris, utc
from guichet.domain.hours import is_public_holiday, open_spans
from guichet.domain.models import Agency, Channel, Kind, Schedule

DEFAULT_NOTICE = timedelta(minutes=30)
DEFAULT_HORIZON = timedelta(weeks=12)
NOON = time(12, 0)

# (agency id, slot start) → seats taken. Starts are aware datetimes, matched by instant. Beware:
# as dict keys, two Europe/Paris datetimes of the autumn overlap with the same wall clock are one
# key (Python compares them by wall time); UTC keys keep both 02:00 apart.
Taken = Mapping[tuple[str, datetime], int]
TakenLookup = Callable[[Sequence[str], datetime, datetime], Taken]


class DayPart(StrEnum):
    """Morning or afternoon filter."""

    MATIN = "matin"
    APRES_MIDI = "apres-midi"

    def contains(self, start: datetime) -> bool:
        return (start.time() < NOON) == (self is DayPart.MATIN)


@dataclass(frozen=True, slots=True, eq=False)
class Slot:
    """One appointment slot of one agency, with its seats.

    Equal, hashed and ordered by instant (then agency, kind, channel, seats), so that the two
    02:00 slots of the autumn night are two slots, in time order.
    """

    start: datetime
    end: datetime
    agency_id: str
    kind: Kind
    channel: Channel
    desks: int
    taken: int = 0

    @property
    def free(self) -> int:
        return max(self.desks - self.taken, 0)

    def _key(self) -> tuple[datetime, datetime, str, str, str, int, int]:
        return (self.start.astimezone(UTC), self.end.astimezone(UTC), self.agency_id, self.kind.value,
                self.channel.value, self.desks, self.taken)

    def __hash__(self) -> int:
        return hash(self._key())

    def __eq__(self, other: object) -> bool:
        return self._key() == other._key() if isinstance(other, Slot) else NotImplemented

    def __lt__(self, other: object) -> bool:
        return self._key() < other._key() if isinstance(other, Slot) else NotImplemented

    def __le__(self, other: object) -> bool:
        return self._key() <= other._key() if isinstance(other, Slot) else NotImplemented

    def __gt__(self, other: object) -> bool:
        return self._key() > other._key() if isinstance(other, Slot) else NotImplemented

    def __ge__(self, other: object) -> bool:
        return self._key() >= other._key() if isinstance(other, Slot) else NotImplemented


@dataclass(frozen=True, slots=True)
class SlotQuery:
    """What the agent asks for: kind, channel, and optional filters."""

    kind: Kind
    channel: Channel
    date_from: date | None = None
    date_to: date | None = None  # inclusive
    part: DayPart | None = None
    notice: timedelta = DEFAULT_NOTICE
    horizon: timedelta = DEFAULT_HORIZON


@lru_cache(maxsize=4096)
def day_slots(agency: Agency, schedule: Schedule, day: date) -> tuple[Slot, ...]:
    """Every slot of ``schedule`` on ``day``; none on a public holiday or a closure."""
    if is_public_holiday(day) or agency.closed_on(day) is not None:
        return ()
    step = timedelta(minutes=schedule.slot_minutes)
    slots = []
    for begin, finish in open_spans(schedule.opening_hours, agency.closures, day):
        # In UTC: real minutes (zoneinfo arithmetic would move the wall clock instead).
        start, limit = begin.astimezone(UTC), finish.astimezone(UTC)
        while start + step <= limit:
            slots.append(Slot(start.astimezone(PARIS), (start + step).astimezone(PARIS), agency.id,
                              schedule.kind, schedule.channel, schedule.desks))
            start += step
    return tuple(slots)


def window(query: SlotQuery, now: datetime) -> tuple[datetime, datetime]:
    """The instants between which slots may be offered: now + notice … now + horizon (real
    time), within the days asked for. Compare them with slot starts by instant (:func:`utc`)."""
    earliest = add(now, query.notice)
    latest = add(now, query.horizon)
    if query.date_from is not None:
        earliest = max(earliest, datetime.combine(query.date_from, time(0), PARIS), key=utc)
    if query.date_to is not None:
        latest = min(latest, datetime.combine(query.date_to + timedelta(days=1), time(0), PARIS), key=utc)
    return earliest, latest


def candidate_slots(agency: Agency, query: SlotQuery, start: datetime, end: datetime) -> Iterator[Slot]:
    """The slots of ``agency`` for ``query`` starting in [start, end) (instants), in time order."""
    schedule = agency.schedule(query.kind, query.channel)
    if schedule is None:
        return
    lo, hi = utc(start), utc(end)
    day, last = to_paris(start).date(), to_paris(end).date()
    while day <= last:
        for slot in day_slots(agency, schedule, day):
            if lo <= slot.start.astimezone(UTC) < hi and (query.part is None or query.part.contains(slot.start)):
                yield slot
        day += timedelta(days=1)


def offering(agencies: Iterable[Agency], kind: Kind, channel: Channel) -> list[Agency]:
    """The agencies that have a schedule for ``kind`` on ``channel``."""
    return [a for a in agencies if a.schedule(kind, channel) is not None]


def find_free(
    agencies: Sequence[Agency],
    query: SlotQuery,
    now: datetime,
    taken: TakenLookup,
    limit: int = 20,
    *,
    first: str | None = None,
    chunk: timedelta = timedelta(days=7),
) -> list[Slot]:
    """The earliest ``limit`` slots with a free seat across ``agencies``, soonest first.

    At equal times the agency ``first`` (the workstation's) comes first, then by name order.
    ``taken`` is asked for one window of ``chunk`` at a time, only as far as needed.
    """
    chosen = offering(agencies, query.kind, query.channel)
    if not chosen or limit <= 0:
        return []
    rank = {a.id: (a.id != first, position) for position, a in enumerate(chosen)}
    earliest, latest = window(query, now)
    found: list[Slot] = []
    lo, end = utc(earliest), utc(latest)  # in UTC: real time, and comparisons by instant
    while lo < end and len(found) < limit:
        hi = min(lo + chunk, end)
        streams = [candidate_slots(a, query, lo, hi) for a in chosen]
        merged = heapq.merge(*streams, key=lambda s: (s.start.astimezone(UTC), rank[s.agency_id]))
        candidates = list(merged)
        if candidates:
            counts = _by_instant(taken([a.id for a in chosen], lo.astimezone(PARIS), hi.astimezone(PARIS)))
            for slot in candidates:
                used = counts.get((slot.agency_id, slot.start.astimezone(UTC)), 0)
                if used < slot.desks:
                    found.append(Slot(slot.start, slot.end, slot.agency_id, slot.kind, slot.channel,
                                      slot.desks, used))
                    if len(found) == limit:
                        break
        lo = hi
    return found


def _by_instant(counts: Taken) -> dict[tuple[str, datetime], int]:
    """``counts`` keyed by UTC instants."""
    keyed: dict[tuple[str, datetime], int] = {}
    for (agency_id, start), n in counts.items():
        key = (agency_id, utc(start))
        keyed[key] = keyed.get(key, 0) + n
    return keyed


def slot_at(agency: Agency, kind: Kind, channel: Channel, start: datetime) -> Slot | None:
    """The slot of ``agency`` starting at the instant ``start``, or None if the schedule has none.

    On the autumn night, ``fold`` (or the offset) of ``start`` tells which 02:00 it is.
    """
    schedule = agency.schedule(kind, channel)
    if schedule is None:
        return None
    start = to_paris(start)
    instant = start.astimezone(UTC)
    for slot in day_slots(agency, schedule, start.date()):
        if slot.start.astimezone(UTC) == instant:
            return slot
    return None

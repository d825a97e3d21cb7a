"""Appointment slots from the agencies' schedules, minus holidays, closures and taken seats.

A schedule's ``opening_hours`` is cut into slots of ``slot_minutes``; each slot has ``desks``
seats. Public holidays and exceptional closures never yield a slot, even if a schedule forgot
its ``PH off``. The seats already taken come from a lookup the caller provides (the store), so
that this module stays pure and asks only for the window it is looking at.
"""

from __future__ import annotations

import heapq
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from enum import StrEnum
from functools import lru_cache

from guichet.domain.clock import PARIS, to_paris
from guichet.domain.hours import is_public_holiday, open_ranges
from guichet.domain.models import Agency, Channel, Kind, Schedule

DEFAULT_NOTICE = timedelta(minutes=30)
DEFAULT_HORIZON = timedelta(weeks=12)
NOON = time(12, 0)

# (agency id, slot start) → seats taken. Starts are Europe/Paris aware datetimes.
Taken = Mapping[tuple[str, datetime], int]
TakenLookup = Callable[[Sequence[str], datetime, datetime], Taken]


class DayPart(StrEnum):
    """Morning or afternoon filter."""

    MATIN = "matin"
    APRES_MIDI = "apres-midi"

    def contains(self, start: datetime) -> bool:
        return (start.time() < NOON) == (self is DayPart.MATIN)


@dataclass(frozen=True, slots=True, order=True)
class Slot:
    """One appointment slot of one agency, with its seats."""

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
    for begin, finish in open_ranges(schedule.opening_hours, agency.closures, day):
        start = datetime.combine(day, begin, PARIS)
        limit = datetime.combine(day, finish, PARIS)
        while start + step <= limit:
            # Arithmetic on aware datetimes is wall-clock in zoneinfo: re-normalise for DST.
            slots.append(Slot(to_paris(start), to_paris(start + step), agency.id, schedule.kind,
                              schedule.channel, schedule.desks))
            start += step
    return tuple(slots)


def window(query: SlotQuery, now: datetime) -> tuple[datetime, datetime]:
    """The instants between which slots may be offered: now + notice … now + horizon."""
    now = to_paris(now)
    earliest = now + query.notice
    latest = now + query.horizon
    if query.date_from is not None:
        earliest = max(earliest, datetime.combine(query.date_from, time(0), PARIS))
    if query.date_to is not None:
        latest = min(latest, datetime.combine(query.date_to + timedelta(days=1), time(0), PARIS))
    return earliest, latest


def candidate_slots(agency: Agency, query: SlotQuery, start: datetime, end: datetime) -> Iterator[Slot]:
    """The slots of ``agency`` for ``query`` starting in [start, end), in time order."""
    schedule = agency.schedule(query.kind, query.channel)
    if schedule is None:
        return
    day = start.date()
    while day <= end.date():
        for slot in day_slots(agency, schedule, day):
            if start <= slot.start < end and (query.part is None or query.part.contains(slot.start)):
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
    lo = earliest
    while lo < latest and len(found) < limit:
        hi = min(lo + chunk, latest)
        streams = [candidate_slots(a, query, lo, hi) for a in chosen]
        merged = heapq.merge(*streams, key=lambda s: (s.start, rank[s.agency_id]))
        candidates = list(merged)
        if candidates:
            counts = taken([a.id for a in chosen], lo, hi)
            for slot in candidates:
                used = counts.get((slot.agency_id, slot.start), 0)
                if used < slot.desks:
                    found.append(Slot(slot.start, slot.end, slot.agency_id, slot.kind, slot.channel,
                                      slot.desks, used))
                    if len(found) == limit:
                        break
        lo = hi
    return found


def slot_at(agency: Agency, kind: Kind, channel: Channel, start: datetime) -> Slot | None:
    """The slot of ``agency`` starting exactly at ``start``, or None if the schedule has none."""
    schedule = agency.schedule(kind, channel)
    if schedule is None:
        return None
    start = to_paris(start)
    for slot in day_slots(agency, schedule, start.date()):
        if slot.start == start:
            return slot
    return None

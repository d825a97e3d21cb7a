"""The clock, injected everywhere: a real Europe/Paris clock or a frozen one.

Daylight saving. Twice a year the Paris wall clock jumps: on the last Sunday of March it goes
from 02:00 (UTC+1) straight to 03:00 (UTC+2), so that 02:00–02:59 never happens (the *gap*);
on the last Sunday of October it goes back from 03:00 (UTC+2) to 02:00 (UTC+1), so that
02:00–02:59 happens twice (the *overlap*), first in summer time (``fold=0``) then in winter
time (``fold=1``). The rules of this module:

- Arithmetic on instants is real (elapsed) time: :func:`add` works in UTC. Adding a
  ``timedelta`` to a zoneinfo-aware datetime moves its *wall clock* instead (Python's rule),
  which is how phantom 02:30s and half-hour slots lasting 90 minutes are made.
- Comparing two Europe/Paris datetimes with ``<`` or ``==`` compares their wall clocks and
  ignores ``fold`` (Python's rule for two datetimes of the same zone): the two 02:00 of the
  overlap are "equal". Compare :func:`utc` values instead whenever the overlap may be involved.
- :func:`to_paris` always returns a time that exists, with the right ``fold``.
- :func:`parse_local`, what a person types, refuses a time of the gap (in French), and reads an
  ambiguous time of the overlap as its first occurrence, in summer time: the first one to come,
  Python's default and the rule of iCalendar (RFC 5545, 3.3.5). The second one is written with
  its offset, ``2026-10-25T02:30+01:00``, as :func:`local_iso` prints it.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Protocol
from zoneinfo import ZoneInfo

PARIS = ZoneInfo("Europe/Paris")
MIN_YEAR, MAX_YEAR = 1900, 2200  # beyond, date arithmetic (horizons, retention) could overflow


class Clock(Protocol):
    """Tells the current time, always timezone-aware in Europe/Paris."""

    def now(self) -> datetime: ...


class SystemClock:
    """The wall clock, in Europe/Paris."""

    def now(self) -> datetime:
        return datetime.now(PARIS)


class FixedClock:
    """A clock that returns a fixed instant (tests, demos), optionally advanced by hand."""

    def __init__(self, instant: datetime) -> None:
        self._instant = to_paris(instant)

    def now(self) -> datetime:
        return self._instant

    def advance(self, delta: timedelta) -> None:
        """Move the clock by ``delta`` of real time (across a change of hour, too)."""
        self._instant = add(self._instant, delta)

    def set(self, instant: datetime) -> None:
        self._instant = to_paris(instant)


def to_paris(instant: datetime) -> datetime:
    """Return ``instant`` in Europe/Paris; a naive datetime is read as Paris local time.

    The result always exists: a time of the spring gap is read as Python reads it (PEP 495),
    with the offset in force before the change, so that 02:30 becomes 03:30 summer time. The
    ``fold`` of an ambiguous time is kept (``fold=1``: the second occurrence).
    """
    if instant.tzinfo is None:
        instant = instant.replace(tzinfo=PARIS)
    # Through UTC: astimezone() to the datetime's own zone would return it unchanged, gap included.
    return instant.astimezone(UTC).astimezone(PARIS)


def utc(instant: datetime) -> datetime:
    """``instant`` in UTC (a naive one is read as Paris local time): the key to compare instants."""
    return to_paris(instant).astimezone(UTC)


def add(instant: datetime, delta: timedelta) -> datetime:
    """``instant + delta`` in real time, in Europe/Paris: 01:30 + 30 minutes on the spring
    Sunday is 03:00 summer time, 02:30 summer time + 30 minutes on the autumn Sunday is
    02:00 winter time."""
    return (utc(instant) + delta).astimezone(PARIS)


def exists(local: datetime) -> bool:
    """Whether the wall-clock time of ``local`` happens in its zone (Paris if naive): False
    only in the spring gap."""
    zone = local.tzinfo or PARIS
    aware = local.replace(tzinfo=zone)
    return aware.astimezone(UTC).astimezone(zone).replace(tzinfo=None) == aware.replace(tzinfo=None)


def is_ambiguous(moment: datetime) -> bool:
    """Whether the wall-clock time of ``moment`` happens twice in its zone (the autumn overlap)."""
    if moment.tzinfo is None or not exists(moment):
        return False
    return moment.replace(fold=1 - moment.fold).utcoffset() != moment.utcoffset()


def gap_message(local: datetime) -> str:
    """Why the local time ``local`` (of the spring gap) is refused, in French, with the first
    time that exists after it."""
    after = local.replace(tzinfo=None, second=0, microsecond=0)
    while not exists(after):  # at most the length of the gap, one minute at a time
        after += timedelta(minutes=1)
    return (f"{local:%d/%m/%Y %H:%M} n'existe pas à Paris (passage à l'heure d'été) : "
            f"choisissez {after:%H:%M} ou plus tard.")


def parse_local(text: str) -> datetime:
    """Parse ``YYYY-MM-DDTHH:MM`` (or ``YYYY-MM-DD HH:MM``) as a Europe/Paris instant.

    Raises ``ValueError``: in English for a malformed text, in French (:func:`gap_message`) for
    a local time of the spring gap. An ambiguous local time of the autumn overlap is its first
    occurrence, in summer time; an explicit offset (``2026-10-25T02:30+01:00``) names either.
    """
    cleaned = text.strip()
    try:
        parsed = datetime.fromisoformat(cleaned)
    except ValueError:
        raise ValueError(f"expected YYYY-MM-DDTHH:MM, got {text!r}") from None
    if len(cleaned) < 16:  # a bare date is not an instant
        raise ValueError(f"expected YYYY-MM-DDTHH:MM, got {text!r}")
    if not MIN_YEAR <= parsed.year <= MAX_YEAR:
        raise ValueError(f"year out of range ({MIN_YEAR}-{MAX_YEAR}): {text!r}")
    if parsed.tzinfo is None and not exists(parsed):
        raise ValueError(gap_message(parsed))
    return to_paris(parsed)  # fold=0: the first occurrence of an ambiguous time


def local_iso(moment: datetime | None) -> str | None:
    """A local ISO date-time without offset (``2026-11-30T12:30``), as the JSON outputs use.

    A time of the autumn overlap keeps its offset (``2026-10-25T02:30+01:00``), so that the two
    occurrences stay apart and :func:`parse_local` reads either back.
    """
    if moment is None:
        return None
    if is_ambiguous(moment):
        return moment.isoformat(timespec="minutes")
    return moment.replace(tzinfo=None).isoformat(timespec="minutes")

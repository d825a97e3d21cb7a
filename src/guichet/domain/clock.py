"""The clock, injected everywhere: a real Europe/Paris clock or a frozen one."""

from __future__ import annotations

from datetime import datetime, timedelta
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
        self._instant = self._instant + delta

    def set(self, instant: datetime) -> None:
        self._instant = to_paris(instant)


def to_paris(instant: datetime) -> datetime:
    """Return ``instant`` in Europe/Paris; a naive datetime is read as Paris local time."""
    if instant.tzinfo is None:
        return instant.replace(tzinfo=PARIS)
    return instant.astimezone(PARIS)


def parse_local(text: str) -> datetime:
    """Parse ``YYYY-MM-DDTHH:MM`` (or ``YYYY-MM-DD HH:MM``) as a Europe/Paris instant.

    Raises ``ValueError`` with an English message on anything else.
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
    return to_paris(parsed)


def local_iso(moment: datetime | None) -> str | None:
    """A local ISO date-time without offset (``2026-11-30T12:30``), as the JSON outputs use."""
    return moment.replace(tzinfo=None).isoformat(timespec="minutes") if moment else None

"""Walk-in status of an agency at an instant: open now? closes when? next opening?

Hours are OpenStreetMap ``opening_hours`` expressions evaluated by ``opening-hours-py`` with
the French public holidays; an agency's exceptional closures are added to the expression as
``off`` rules, so that "next opening" skips them without any special case.

Daylight saving (see :mod:`guichet.domain.clock`). ``opening-hours-py`` works in local wall-clock
time: the instants it is given are read as local times (an ambiguous one as its second
occurrence, a time of the spring gap is refused with a TypeError), while the intervals it
returns are instants with the right offset. So it is only ever asked from a local midnight,
which exists once, and its answers are compared in UTC. How it reads an expression on the
change nights is its own rule: a time of the spring gap is where the gap ends (``Su 02:30-05:00``
opens at 03:00 summer time, ``Su 02:00-02:30`` not at all), an ambiguous time of the autumn
overlap is its second occurrence, in winter time (``Su 00:00-02:30`` closes at 02:30 winter
time, after both 02:00 hours).
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from functools import lru_cache

import opening_hours

from guichet.domain import fr
from guichet.domain.clock import PARIS, add, to_paris, utc
from guichet.domain.models import Agency, Closure

_MONTHS = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")
# Look no further than this for a next opening: past it, "no walk-in" is the honest answer.
_HORIZON_DAYS = 366
# The compiled module raises ParserError (a SyntaxError in its stubs, but not at run time).
_PARSER_ERROR: type[Exception] = getattr(opening_hours, "ParserError", SyntaxError)


def parse_error(expression: str) -> str | None:
    """Why ``expression`` is not valid ``opening_hours``, with its column; None when valid."""
    try:
        opening_hours.OpeningHours(expression, timezone=PARIS, country="FR")
    except (_PARSER_ERROR, SyntaxError, ValueError) as exc:
        text = str(exc)
        # The position comes as "--> line:column", on the first line or a line of its own.
        found = re.search(r"-->\s*\d+:(\d+)", text)
        column = found.group(1) if found else None
        expected = [ln.strip()[1:].strip() for ln in text.splitlines() if ln.strip().startswith("=")]
        why = expected[0] if expected else text.splitlines()[0]
        return f"at column {column}: {why}" if column else why
    return None


def closure_rule(closure: Closure) -> str:
    """``2026 Dec 24-2026 Dec 26 off`` for an exceptional closure."""

    def osm(d: date) -> str:
        return f"{d.year} {_MONTHS[d.month - 1]} {d.day:02d}"

    return f"{osm(closure.start)}-{osm(closure.end)} off"


@lru_cache(maxsize=256)
def compile_hours(expression: str, closures: tuple[Closure, ...] = ()) -> opening_hours.OpeningHours:
    """The evaluator of ``expression`` with ``closures`` added; cached, since parsing costs."""
    full = "; ".join([expression, *(closure_rule(c) for c in closures)])
    return opening_hours.OpeningHours(full, timezone=PARIS, country="FR")


def is_public_holiday(day: date) -> bool:
    """Whether ``day`` is a French public holiday."""
    noon = datetime.combine(day, time(12), PARIS)
    return bool(compile_hours("PH 00:00-24:00").is_open(noon))


def open_spans(expression: str, closures: tuple[Closure, ...], day: date) -> tuple[tuple[datetime, datetime], ...]:
    """The opening spans of ``day`` as instants (Europe/Paris), in time order.

    Adjacent rules (e.g. two comments) make one span; a span that lasts no time (a range inside
    the spring gap) is none. A span open at midnight ends at the next midnight.
    """
    start = datetime.combine(day, time(0), PARIS)
    end = datetime.combine(day + timedelta(days=1), time(0), PARIS)  # midnight exists once
    spans: list[tuple[datetime, datetime]] = []
    for begin, finish, state, _comment in compile_hours(expression, closures).intervals(start, end):
        if state != opening_hours.State.OPEN:
            continue
        b, f = to_paris(begin), to_paris(finish if finish is not None else end)
        if utc(f) <= utc(b):
            continue
        if spans and utc(spans[-1][1]) == utc(b):
            b = spans.pop()[0]
        spans.append((b, f))
    return tuple(spans)


def open_ranges(expression: str, closures: tuple[Closure, ...], day: date) -> tuple[tuple[time, time], ...]:
    """The opening ranges of ``day`` as local times, in order (an end at midnight reads 23:59)."""
    return tuple(
        (b.time().replace(fold=0), time(23, 59) if f.date() > day else f.time().replace(fold=0))
        for b, f in open_spans(expression, closures, day)
    )


@dataclass(frozen=True, slots=True)
class WalkInStatus:
    """What the counter says about an agency's walk-in reception at one instant."""

    agency: Agency
    at: datetime
    has_walk_in: bool
    is_open: bool
    closes_at: datetime | None  # when open
    next_opening: datetime | None  # when closed; None: no walk-in, or none within a year
    today: tuple[tuple[time, time], ...]  # today's ranges, closures and holidays included
    closure: Closure | None = None  # exceptional closure covering today
    holiday: bool = False  # today is a public holiday


def walk_in_status(agency: Agency, at: datetime) -> WalkInStatus:
    """The walk-in status of ``agency`` at ``at`` (any timezone; evaluated in Europe/Paris)."""
    at = to_paris(at)
    closure = agency.closed_on(at.date())
    holiday = is_public_holiday(at.date())
    if agency.walk_in is None:
        return WalkInStatus(agency, at, False, False, None, None, (), closure, holiday)
    today = open_ranges(agency.walk_in, agency.closures, at.date())
    is_open, change = _next_change(compile_hours(agency.walk_in, agency.closures), at)
    if is_open:
        return WalkInStatus(agency, at, True, True, change, None, today, closure, holiday)
    return WalkInStatus(agency, at, True, False, None, change, today, closure, holiday)


def _next_change(evaluator: opening_hours.OpeningHours, at: datetime) -> tuple[bool, datetime | None]:
    """Whether it is open at ``at``, and when that stops being true (within the horizon).

    Walks the intervals rather than trusting ``next_change``: a change of comment alone, or
    two adjacent open rules, are not a closing; "unknown" counts as closed; an interval that
    lasts no time (inside the spring gap) is none. The intervals are asked from the local
    midnight before ``at`` (see the module's note on daylight saving) and those over before
    ``at`` skipped, by instant.
    """
    moment = utc(at)
    midnight = datetime.combine(to_paris(at).date(), time(0), PARIS)
    is_open: bool | None = None
    for begin, end, state, _comment in evaluator.intervals(midnight, add(at, timedelta(days=_HORIZON_DAYS))):
        if end is not None and (utc(end) <= moment or utc(end) <= utc(begin)):
            continue
        open_now = state == opening_hours.State.OPEN
        if is_open is None:
            is_open = open_now
        elif open_now != is_open:
            return is_open, to_paris(begin)
        if end is None:
            break
    return bool(is_open), None


def describe(status: WalkInStatus) -> str:
    """The French sentence for ``status``: ``ouvert, ferme à 16:00``, ``fermé — ouvre …``."""
    if not status.has_walk_in:
        return "pas d'accueil sans rendez-vous"
    if status.is_open and status.closes_at is not None:
        return f"ouvert, ferme à {fr.hhmm_dst(status.closes_at)}"
    if status.is_open:
        return "ouvert"
    reason = ""
    if status.closure is not None:
        reason = f" (fermeture exceptionnelle : {status.closure.reason})"
    elif status.holiday:
        reason = " (jour férié)"
    if status.next_opening is None:
        return f"fermé{reason} — pas de réouverture prévue"
    when = status.next_opening
    return f"fermé{reason} — ouvre {fr.relative_day(when.date(), status.at.date())} à {fr.hhmm_dst(when)}"


def week_summary(expression: str, closures: tuple[Closure, ...], start: date) -> str:
    """The days and hours of the week from ``start``: ``mardi, jeudi 09:00–12:00``.

    Days with the same ranges are grouped; days closed all week are left out.
    """
    days = [start + timedelta(days=offset) for offset in range(7)]
    summary = _grouped({day.weekday(): open_ranges(expression, closures, day) for day in days})
    return summary or "aucun créneau cette semaine"


def usual_week(expression: str, start: date) -> str:
    """The usual days and hours of ``expression`` (public holidays and closures set aside): for each
    weekday, its first occurrence from ``start`` that is not a public holiday. "" when never open."""
    return _grouped({weekday: open_ranges(expression, (), usual_day(start, weekday)) for weekday in range(7)})


def usual_day(start: date, weekday: int) -> date:
    """The first day from ``start`` falling on ``weekday`` that is not a public holiday."""
    day = start + timedelta(days=(weekday - start.weekday()) % 7)
    for _week in range(8):  # at most two holidays fall on the same weekday in a row
        if not is_public_holiday(day):
            return day
        day += timedelta(days=7)
    return day


def _grouped(by_weekday: dict[int, tuple[tuple[time, time], ...]]) -> str:
    """``lundi, mercredi 09:00–12:00 ; du lundi au vendredi …``: weekdays with the same ranges together."""
    groups: dict[tuple[tuple[time, time], ...], list[int]] = {}
    for weekday, spans in by_weekday.items():
        if spans:
            groups.setdefault(spans, []).append(weekday)
    parts = []
    for spans, weekdays in sorted(groups.items(), key=lambda item: min(item[1])):
        names = ", ".join(fr.DAYS[w] for w in sorted(weekdays))
        if sorted(weekdays) == [0, 1, 2, 3, 4]:
            names = "du lundi au vendredi"
        elif sorted(weekdays) == [0, 1, 2, 3]:
            names = "du lundi au jeudi"
        parts.append(f"{names} {fr.ranges(spans)}")
    return " ; ".join(parts)


def walk_in_overview(statuses: Sequence[WalkInStatus]) -> list[str]:
    """What to add when no walk-in reception is open at the instant of ``statuses`` (those of every
    agency): on which weekday none has one at all, which agencies have one and when, the next opening.
    Empty when one is open."""
    if not statuses or any(s.is_open for s in statuses):
        return []
    at = statuses[0].at
    having = [s for s in statuses if s.agency.walk_in is not None]
    if not having:
        return ["Aucune agence n'a d'accueil sans rendez-vous."]
    lines = []
    weekday = at.weekday()
    if not any(open_ranges(s.agency.walk_in or "", (), usual_day(at.date(), weekday)) for s in having):
        lines.append(f"Aucune agence n'a d'accueil sans rendez-vous le {fr.DAYS[weekday]}.")
    lines.append("Accueil sans rendez-vous : " + " ; ".join(
        f"{s.agency.name} ({usual_week(s.agency.walk_in or '', at.date()) or 'aucun jour'})" for s in having) + ".")
    upcoming = [s for s in having if s.next_opening is not None]
    if upcoming:
        first = min(upcoming, key=lambda s: utc(s.next_opening) if s.next_opening else utc(at))
        assert first.next_opening is not None
        when = first.next_opening
        lines.append(f"Prochaine ouverture : {first.agency.name}, "
                     f"{fr.relative_day(when.date(), at.date())} à {fr.hhmm_dst(when)}.")
    return lines

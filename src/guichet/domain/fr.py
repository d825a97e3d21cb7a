"""French wording of dates and times, as agents read them (``mardi 1 décembre, 10:00``)."""

from __future__ import annotations

from datetime import date, datetime, time

from guichet.domain.clock import is_ambiguous

DAYS = ("lundi", "mardi", "mercredi", "jeudi", "vendredi", "samedi", "dimanche")
MONTHS = (
    "janvier", "février", "mars", "avril", "mai", "juin",
    "juillet", "août", "septembre", "octobre", "novembre", "décembre",
)


def hhmm(moment: time | datetime) -> str:
    """``10:00``."""
    return f"{moment.hour:02d}:{moment.minute:02d}"


def day(moment: date, *, year: bool = False) -> str:
    """``mardi 1 décembre`` (``mardi 1 décembre 2026`` with ``year``)."""
    text = f"{DAYS[moment.weekday()]} {moment.day} {MONTHS[moment.month - 1]}"
    return f"{text} {moment.year}" if year else text


def short_day(moment: date) -> str:
    """``lun. 23/11``: the header's day, in a few columns."""
    return f"{DAYS[moment.weekday()][:3]}. {moment.day:02d}/{moment.month:02d}"


def hhmm_dst(moment: datetime) -> str:
    """``10:00``; on the night the clocks go back, ``02:30 (heure d'été)`` and ``02:30 (heure
    d'hiver)``, the two times the wall clock reads 02:30."""
    if not is_ambiguous(moment):
        return hhmm(moment)
    return f"{hhmm(moment)} (heure d'été)" if moment.dst() else f"{hhmm(moment)} (heure d'hiver)"


def day_time(moment: datetime, *, year: bool = False) -> str:
    """``mardi 1 décembre, 10:00`` (``dimanche 25 octobre, 02:30 (heure d'hiver)`` in the hour
    that happens twice)."""
    return f"{day(moment, year=year)}, {hhmm_dst(moment)}"


def relative_day(moment: date, today: date) -> str:
    """``aujourd'hui``, ``demain`` or ``lundi 30 novembre``."""
    delta = (moment - today).days
    if delta == 0:
        return "aujourd'hui"
    if delta == 1:
        return "demain"
    return day(moment)


def ranges(spans: tuple[tuple[time, time], ...] | list[tuple[time, time]]) -> str:
    """``09:00–12:00, 13:00–16:00`` or ``fermé``."""
    if not spans:
        return "fermé"
    return ", ".join(f"{hhmm(a)}–{hhmm(b)}" for a, b in spans)


def short_time(moment: time | datetime) -> str:
    """``9h``, ``12h30``: the compact French way, for tight columns."""
    return f"{moment.hour}h{moment.minute:02d}" if moment.minute else f"{moment.hour}h"


def short_ranges(spans: tuple[tuple[time, time], ...] | list[tuple[time, time]]) -> str:
    """``9h–12h, 13h–16h`` or ``fermé``."""
    if not spans:
        return "fermé"
    return ", ".join(f"{short_time(a)}–{short_time(b)}" for a, b in spans)

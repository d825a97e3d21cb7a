"""A day typed by an agent, in French: ``24/11``, ``24/11/2026``, ``demain``, ``lundi``.

Strict on purpose: what is not one of these forms is refused with one French sentence that
says which forms are understood, never guessed.

- empty, ``aujourd'hui``: today; ``demain``, ``après-demain``, ``hier``;
- a weekday (``lundi`` … ``dimanche``): the next one, tomorrow at the earliest;
- ``jj/mm`` (or ``jj.mm``, ``jj-mm``): that day in the year that puts it nearest to today;
- ``jj/mm/aaaa`` and the ISO ``aaaa-mm-jj``.
"""

from __future__ import annotations

import re
import unicodedata
from datetime import date, timedelta

from guichet.domain.fr import DAYS
from guichet.errors import InvalidInput

FORMS = "jj/mm, jj/mm/aaaa, « demain », « hier » ou un jour de la semaine (« lundi »)"

_RELATIVE = {"": 0, "aujourd'hui": 0, "aujourdhui": 0, "auj": 0, "demain": 1, "apres-demain": 2,
             "apres demain": 2, "hier": -1, "avant-hier": -2, "avant hier": -2}
_DAY_MONTH = re.compile(r"(\d{1,2})[/.-](\d{1,2})(?:[/.-](\d{4}))?")
_ISO = re.compile(r"(\d{4})-(\d{1,2})-(\d{1,2})")


def _fold(text: str) -> str:
    """Lower case, accents dropped, typographic apostrophes straightened, spaces squeezed."""
    text = text.replace("’", "'").replace("‘", "'").strip().lower()
    text = "".join(c for c in unicodedata.normalize("NFD", text) if not unicodedata.combining(c))
    return " ".join(text.split())


def _build(year: int, month: int, day: int, typed: str) -> date:
    try:
        return date(year, month, day)
    except ValueError:
        raise InvalidInput(f"Date impossible : « {typed} » n'existe pas.") from None


def parse_day(text: str, today: date) -> date:
    """The day ``text`` names, seen from ``today``; :class:`InvalidInput` (in French) otherwise."""
    typed = text.strip()
    folded = _fold(text)
    if folded in _RELATIVE:
        return today + timedelta(days=_RELATIVE[folded])
    weekdays = [_fold(d) for d in DAYS]
    if folded in weekdays:
        ahead = (weekdays.index(folded) - today.weekday()) % 7 or 7
        return today + timedelta(days=ahead)
    if match := _ISO.fullmatch(folded):
        return _build(int(match[1]), int(match[2]), int(match[3]), typed)
    if match := _DAY_MONTH.fullmatch(folded):
        day, month = int(match[1]), int(match[2])
        if match[3]:
            return _build(int(match[3]), month, day, typed)
        if not 1 <= month <= 12:
            raise InvalidInput(f"Date impossible : « {typed} » n'existe pas.")
        candidates = []
        for year in (today.year - 1, today.year, today.year + 1):
            try:
                candidates.append(date(year, month, day))
            except ValueError:  # 29/02 of a common year, 31/11…
                continue
        if not candidates:
            raise InvalidInput(f"Date impossible : « {typed} » n'existe pas.")
        return min(candidates, key=lambda d: (abs((d - today).days), d))
    raise InvalidInput(f"Date non reconnue : « {typed} ». Tapez {FORMS}.")
